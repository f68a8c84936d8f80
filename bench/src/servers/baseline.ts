import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import type { Socket } from "socket.io";
import { isChatBody } from "../contract.js";
import type { RoomSpec } from "../contract.js";
import { handleDmChanges } from "./baseline-changes.js";
import { MemoryHistory, RedisHistory } from "./baseline-history.js";
import type { History } from "./baseline-history.js";
import { PostgresHistory } from "./baseline-postgres.js";
import { linkRedis } from "./redis-link.js";
import type { BenchServer, ServerOptions } from "./types.js";

type Reply = (answer: object) => void;
const USER = /^[A-Za-z0-9_.@=+~-]{1,64}$/;
const refuse = (ack: Reply, code: string, message: string) => ack({ ok: false, error: { code, message } });

/** The canonical id of a DM conversation, as the careful user keys their history. */
const dmKey = (a: string, b: string) => (a < b ? `dm:${a}|${b}` : `dm:${b}|${a}`);

/**
 * The same chat on plain Socket.IO, written by hand the way Socket.IO's private-messaging example
 * does it: auth middleware, a room per user, rooms for groups, a history with server-stamped
 * sender and seq, acks, and a `sync` to catch up after a reconnect.
 */
export async function startBaseline(options: ServerOptions): Promise<BenchServer> {
  const http = createServer();
  const io = new Server(http, { transports: ["websocket"], serveClient: false });
  const link = options.redis ? await linkRedis(io, options.redis.url, options.redis.prefix, options.redis.adapter) : undefined;
  const pg = options.postgres ? await PostgresHistory.open(options.postgres.url, options.postgres.schema) : undefined;
  const history: History = pg ?? (link ? new RedisHistory(link.client, options.redis!.prefix) : new MemoryHistory());
  // Group membership lives where the app keeps it; on two nodes each node is told the same rooms.
  const groups = new Map<string, Set<string>>();
  const groupsOf = new Map<string, string[]>();

  io.use((socket, next) => {
    const user = (socket.handshake.auth as { user?: unknown }).user;
    if (typeof user !== "string" || !USER.test(user)) return next(new Error("unauthorized"));
    socket.data.user = user;
    next();
  });

  io.on("connection", (socket: Socket) => {
    const me = socket.data.user as string;
    socket.join(`user:${me}`);
    for (const group of groupsOf.get(me) ?? []) socket.join(group);

    socket.on("dm", async (req: { to?: unknown; body?: unknown }, ack: Reply) => {
      if (typeof ack !== "function") return;
      const { to, body } = req ?? {};
      if (typeof to !== "string" || !USER.test(to) || to === me) return refuse(ack, "INVALID", "bad recipient");
      if (!isChatBody(body)) return refuse(ack, "INVALID", "bad body");
      const message = await history.append(dmKey(me, to), me, body);
      socket.to(`user:${to}`).to(`user:${me}`).emit("message", message);
      ack({ ok: true, message });
    });

    handleDmChanges(socket, me, history, dmKey);

    socket.on("group", async (req: { room?: unknown; body?: unknown }, ack: Reply) => {
      if (typeof ack !== "function") return;
      const { room, body } = req ?? {};
      if (typeof room !== "string" || !groups.get(room)?.has(me)) return refuse(ack, "FORBIDDEN", "not a member");
      if (!isChatBody(body)) return refuse(ack, "INVALID", "bad body");
      const message = await history.append(room, me, body);
      socket.to(room).emit("message", message);
      ack({ ok: true, message });
    });

    socket.on("sync", async (req: { channel?: unknown; since?: unknown }, ack: Reply) => {
      if (typeof ack !== "function") return;
      const { channel, since } = req ?? {};
      if (typeof channel !== "string") return refuse(ack, "INVALID", "bad channel");
      const isDm = channel.startsWith("dm:");
      if (isDm ? !channel.slice(3).split("|").includes(me) : !groups.get(channel)?.has(me)) return refuse(ack, "FORBIDDEN", "not yours");
      if (!isDm) socket.join(channel);
      if (since === undefined) return ack({ ok: true, seq: (await history.since(channel)).seq, messages: [] });
      if (typeof since !== "number") return refuse(ack, "INVALID", "bad since");
      ack({ ok: true, ...(await history.since(channel, since)) });
    });
  });

  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  return {
    port: (http.address() as AddressInfo).port,
    async createRooms(rooms: RoomSpec[]) {
      for (const room of rooms) {
        groups.set(room.id, new Set(room.members));
        for (const m of room.members) groupsOf.set(m, [...(groupsOf.get(m) ?? []), room.id]);
      }
    },
    connections: () => io.engine.clientsCount,
    async close() {
      await new Promise<void>((done) => io.close(() => done()));
      await link?.close();
      await pg?.close();
    },
  };
}
