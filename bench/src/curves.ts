import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { createRoomkit } from "@roomkit/server";
import type { Ack } from "@roomkit/protocol";
import { contract } from "./contract.js";

/**
 * Size curves (issue 16): the cost of one request against the size of what it does not return.
 * One in-process Roomkit server on the in-memory stores, filled through its stores (no sockets
 * for the crowd), and one real Socket.IO client timing the round trip of each request: a room
 * subscribe ack (with n members present), `rk:receipts` (a room of n members, each with a read
 * mark) and one page of `rk:room:list` (a user in n rooms). The figures are shapes, not a comparison:
 * O(page) stays flat as n grows, O(n) does not.
 */
export interface CurvePoint {
  /** Members present (ack), members stored (receipts) or rooms of the user (room list). */
  n: number;
  /** The subscribe ack's JSON bytes, and what the whole members list would have been. */
  ackBytes: number;
  fullListBytes: number;
  /** Median round trip of a subscribe, of `rk:receipts` and of `rk:room:list`, in µs. */
  ackUs: number;
  receiptsUs: number;
  roomListUs: number;
  /** The JSON bytes of one `rk:room:list` ack (one page), and the rooms it lists. */
  roomListBytes: number;
  roomListRooms: number;
  /** What the user's whole room list would have been in one ack, in JSON bytes. */
  roomListAllBytes: number;
}

export interface CurveOptions {
  sizes: readonly number[];
  /** Requests timed per point (the median is kept). */
  reps: number;
  /** The `limit` of each `rk:room:list` request; by default none, so the server's default page (500). */
  roomListLimit?: number;
}

const UNLIMITED = { rate: 1e9, burst: 1e9 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function request(socket: Socket, event: string, payload: unknown): Promise<Record<string, unknown>> {
  const ack = (await socket.timeout(60_000).emitWithAck(event, payload)) as Ack<Record<string, unknown>>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack as Record<string, unknown>;
}

/** Times `reps` round trips of one request (after one untimed warm-up) and returns the median µs and the last ack. */
async function timed(socket: Socket, reps: number, event: string, payload: unknown): Promise<{ us: number; ack: Record<string, unknown> }> {
  let ack = await request(socket, event, payload);
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    ack = await request(socket, event, payload);
    samples.push((performance.now() - t0) * 1000);
  }
  return { us: median(samples), ack };
}

/** Runs every size on one fresh server and returns one point per size. */
export async function measureCurves(options: CurveOptions, log: (line: string) => void = () => {}): Promise<CurvePoint[]> {
  const http = createServer();
  const io = new Server(http, { transports: ["websocket"], serveClient: false });
  const rk = createRoomkit(io, {
    contract,
    authenticate: (handshake) => {
      const id = (handshake.auth as { user?: unknown }).user;
      return typeof id === "string" ? { id, profile: {} } : null;
    },
    limits: { request: UNLIMITED, userRequest: UNLIMITED, roomMemberships: 1e9, roomsOwned: 1e9 },
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const probe = await client(url, "probe").catch(async (err: unknown) => {
    await rk.close();
    io.close();
    throw err;
  });
  try {
    const points: CurvePoint[] = [];
    for (const n of options.sizes) {
      points.push(await measureSize(rk, url, probe, n, options));
      const p = points.at(-1)!;
      log(
        `  n=${n}: ack ${p.ackBytes} B (whole list ${p.fullListBytes} B) ${p.ackUs.toFixed(0)} µs; receipts ${p.receiptsUs.toFixed(0)} µs; room list page ${p.roomListUs.toFixed(0)} µs ${p.roomListBytes} B (whole list ${p.roomListAllBytes} B)`,
      );
    }
    return points;
  } finally {
    probe.disconnect();
    await rk.close();
    await new Promise<void>((done) => io.close(() => done()));
  }
}

type Rk = ReturnType<typeof createRoomkit<typeof contract>>;

/** Connects a client as `user` and waits for its welcome. */
async function client(url: string, user: string): Promise<Socket> {
  const socket = connect(url, { auth: { user }, transports: ["websocket"], reconnection: false, forceNew: true });
  await new Promise<void>((done, fail) => {
    socket.once("rk:welcome", () => done());
    socket.once("connect_error", fail);
  });
  return socket;
}

async function measureSize(rk: Rk, url: string, probe: Socket, n: number, options: CurveOptions): Promise<CurvePoint> {
  const { reps } = options;
  const { stores } = rk;
  const now = Date.now();
  const room = `room:crowd${n}` as const;
  await rk.rooms.create({ owner: "probe", channel: room });
  for (let i = 0; i < n; i++) {
    const userId = `m${i}`;
    await stores.rooms.putMember(room, { userId, role: "member", muted: false, joinedAt: now });
    await stores.presence.add({ channel: room, userId, connId: `fake-${n}-${i}`, info: { name: `Member ${i}` } });
    await stores.readState.mark(userId, room, i % 50);
  }
  const subscribe = await timed(probe, reps, "rk:subscribe", { channel: room });
  const fullList = await rk.presence(room);
  const receipts = await timed(probe, reps, "rk:receipts", { channel: room });
  // A user of its own per size, in exactly n rooms.
  const owner = `lister${n}`;
  for (let i = 0; i < n; i++) {
    const channel = `room:of${n}-${i}`;
    await stores.rooms.create({ channel, name: channel, owner, open: false, createdAt: now }, [
      { userId: owner, role: "owner", muted: false, joinedAt: now },
    ]);
  }
  const lister = await client(url, owner);
  try {
    const list = await timed(lister, reps, "rk:room:list", options.roomListLimit === undefined ? {} : { limit: options.roomListLimit });
    return {
      n,
      ackBytes: JSON.stringify(subscribe.ack).length,
      fullListBytes: JSON.stringify(fullList).length,
      ackUs: subscribe.us,
      receiptsUs: receipts.us,
      roomListUs: list.us,
      roomListBytes: JSON.stringify(list.ack).length,
      roomListRooms: (list.ack.rooms as unknown[]).length,
      roomListAllBytes: JSON.stringify(await rk.rooms.list(owner)).length,
    };
  } finally {
    lister.disconnect();
  }
}
