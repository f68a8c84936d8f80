import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import { isChatBody } from "../contract.js";
import type { RoomSpec } from "../contract.js";
import type { BenchServer } from "./types.js";

const USER = /^[A-Za-z0-9_.@=+~-]{1,64}$/;

interface Frame {
  op?: string;
  id?: number;
  to?: string;
  room?: string;
  channel?: string;
  body?: unknown;
}

/**
 * The floor: the same messages relayed over raw `ws` with JSON frames. A user from the URL, a
 * seq per channel, a reply per request; no history, no recovery, no Socket.IO.
 */
export async function startWsRelay(): Promise<BenchServer> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const sockets = new Map<string, Set<WebSocket>>();
  const members = new Map<string, Set<string>>();
  const listeners = new Map<string, Set<WebSocket>>();
  const seqs = new Map<string, number>();
  const stamp = (channel: string) => {
    const seq = (seqs.get(channel) ?? 0) + 1;
    seqs.set(channel, seq);
    return seq;
  };

  wss.on("connection", (ws, req) => {
    const me = new URL(req.url ?? "/", "http://localhost").searchParams.get("user") ?? "";
    if (!USER.test(me)) return ws.close(1008, "unauthorized");
    const mine = sockets.get(me) ?? new Set();
    sockets.set(me, mine.add(ws));
    const joined = new Set<string>();
    const reply = (id: number | undefined, answer: object) => ws.send(JSON.stringify({ op: "ack", id, ...answer }));

    ws.on("message", (data) => {
      let f: Frame;
      try {
        f = JSON.parse(String(data)) as Frame;
      } catch {
        return;
      }
      if (f.op === "dm" && typeof f.to === "string" && USER.test(f.to) && isChatBody(f.body)) {
        const channel = f.to < me ? `dm:${f.to}|${me}` : `dm:${me}|${f.to}`;
        const message = { channel, seq: stamp(channel), from: me, body: f.body, sentAt: Date.now() };
        const out = JSON.stringify({ op: "message", message });
        for (const peer of sockets.get(f.to) ?? []) peer.send(out);
        return reply(f.id, { ok: true, seq: message.seq });
      }
      if (f.op === "room" && typeof f.room === "string" && members.get(f.room)?.has(me) && isChatBody(f.body)) {
        const message = { channel: f.room, seq: stamp(f.room), from: me, body: f.body, sentAt: Date.now() };
        const out = JSON.stringify({ op: "message", message });
        for (const peer of listeners.get(f.room) ?? []) if (peer !== ws) peer.send(out);
        return reply(f.id, { ok: true, seq: message.seq });
      }
      if (f.op === "sub" && typeof f.channel === "string") {
        if (!f.channel.startsWith("dm:")) {
          if (!members.get(f.channel)?.has(me)) return reply(f.id, { ok: false, error: { code: "FORBIDDEN" } });
          listeners.get(f.channel)?.add(ws);
          joined.add(f.channel);
        }
        return reply(f.id, { ok: true, seq: seqs.get(f.channel) ?? 0 });
      }
      reply(f.id, { ok: false, error: { code: "INVALID" } });
    });

    ws.on("close", () => {
      mine.delete(ws);
      if (mine.size === 0) sockets.delete(me);
      for (const room of joined) listeners.get(room)?.delete(ws);
    });
  });

  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  return {
    port: (http.address() as AddressInfo).port,
    async createRooms(rooms: RoomSpec[]) {
      for (const room of rooms) {
        members.set(room.id, new Set(room.members));
        listeners.set(room.id, new Set());
      }
    },
    connections: () => wss.clients.size,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}
