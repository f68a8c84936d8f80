import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { Message, PresencePush } from "@roomkit/protocol";
import { collect, connectUser, eventually, next, ok, request } from "./support/nodes.js";
import { ownRedis } from "./support/redis-server.js";
import type { OwnRedis } from "./support/redis-server.js";
import { startRoomkitNode } from "./support/roomkit-node.js";
import type { RoomkitNode } from "./support/roomkit-node.js";
import { needRedisServer } from "./support/services.js";

const binary = needRedisServer();

describe.runIf(binary)("when Redis goes away and comes back", () => {
  let redis: OwnRedis;
  let nodes: RoomkitNode[];
  const sockets: Socket[] = [];
  const user = async (node: RoomkitNode, id: string) => {
    const socket = await connectUser(node.url, id);
    sockets.push(socket);
    return socket;
  };
  const dm = "dm:alice|bob";
  /** Publishes until the store takes it, the same clientId every try: a retry never stores twice. */
  const publishWhenBack = async (socket: Socket, text: string) => {
    let ack = await request(socket, "rk:publish", { channel: dm, body: { text }, clientId: text });
    for (let i = 0; !ack.ok && i < 100; i++) {
      expect(ack.error.code).toBe("UNAVAILABLE");
      await new Promise((done) => setTimeout(done, 100));
      ack = await request(socket, "rk:publish", { channel: dm, body: { text }, clientId: text });
    }
    if (!ack.ok) throw new Error(`still refused: ${ack.error.code}`);
    return ack.message as Message;
  };

  beforeAll(async () => {
    redis = await ownRedis(binary as string);
    const options = { url: redis.url, prefix: "outage:", commandTimeoutMs: 500, presence: { heartbeatMs: 200, nodeTtlMs: 10_000 } };
    nodes = [await startRoomkitNode({ ...options, nodeId: "a" }), await startRoomkitNode({ ...options, nodeId: "b" })];
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await redis?.start().catch(() => undefined);
    for (const node of nodes ?? []) await node.close();
    await redis?.destroy();
  });

  it("refuses with UNAVAILABLE while it is down, crashes nothing, loses nothing acknowledged, and serves again", async () => {
    const [a, b] = nodes as [RoomkitNode, RoomkitNode];
    const alice = await user(a, "alice");
    const bob = await user(b, "bob");
    for (const s of [alice, bob]) await ok(s, "rk:subscribe", { channel: "lobby:main" });
    const atBob = collect<{ message: Message }>(bob, "rk:message");
    const fay = await user(b, "fay");
    await ok(fay, "rk:subscribe", { channel: "lobby:main" });
    const faysLeave = next(alice, "rk:presence", (p) => p.leaves.some((m: { userId: string }) => m.userId === "fay"));
    for (let i = 1; i <= 3; i++) await ok(alice, "rk:publish", { channel: dm, body: { text: `before ${i}` } });
    await eventually(() => expect(atBob).toHaveLength(3));
    const { epoch } = await ok(bob, "rk:subscribe", { channel: dm });

    await redis.stop();
    for (const [socket, event, payload] of [
      [alice, "rk:publish", { channel: dm, body: { text: "during" } }],
      [bob, "rk:history", { channel: dm }],
      [bob, "rk:presence", { channel: "lobby:main" }],
      [alice, "rk:subscribe", { channel: "lobby:other" }],
      [bob, "rk:unread", {}],
    ] as const) {
      const ack = await request(socket, event, payload);
      expect(ack).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    }
    // A connection made now cannot be set up (its rooms are in Redis): it is closed, to be retried.
    const late = connect(a.url, { auth: { user: "carol" }, transports: ["websocket"], reconnection: false, forceNew: true });
    sockets.push(late);
    expect(await new Promise((done) => late.once("disconnect", done))).toBe("transport close");
    // Fay leaves while her removal cannot be stored: it is retried, and announced, once Redis is back.
    fay.disconnect();
    await new Promise((done) => setTimeout(done, 500)); // past the grace period

    await redis.start();
    const after = await publishWhenBack(alice, "after");
    expect(after.seq).toBe(4);
    await eventually(() => expect(atBob.map((p) => p.message.seq)).toEqual([1, 2, 3, 4]));
    const page = await ok(bob, "rk:history", { channel: dm });
    expect(page.messages.map((m: Message) => m.body)).toEqual([
      { text: "before 1" },
      { text: "before 2" },
      { text: "before 3" },
      { text: "after" },
    ]);
    expect(await ok(bob, "rk:subscribe", { channel: dm })).toMatchObject({ epoch, seq: 4 });
    expect((await faysLeave).channel).toBe("lobby:main");
    const { members } = await ok(bob, "rk:presence", { channel: "lobby:main" });
    expect(members.map((m: { userId: string }) => m.userId).sort()).toEqual(["alice", "bob"]);
    const carol = await user(b, "carol");
    const heard = next<PresencePush>(alice, "rk:presence", (p) => [...p.joins, ...p.leaves].some((m) => m.userId === "carol"));
    await ok(carol, "rk:subscribe", { channel: "lobby:main" });
    expect((await heard).joins.map((m) => m.userId)).toContain("carol");
  });

  it("times out on a Redis that hangs, and stores a retried send once when it answers again", async () => {
    const [a] = nodes as [RoomkitNode];
    const alice = await user(a, "alice");
    redis.freeze();
    const hung = await request(alice, "rk:publish", { channel: dm, body: { text: "frozen" }, clientId: "frozen" });
    expect(hung).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    redis.thaw();
    const stored = await publishWhenBack(alice, "frozen");
    const page = await ok(alice, "rk:history", { channel: dm, limit: 100 });
    expect(page.messages.filter((m: Message) => m.clientId === "frozen")).toEqual([stored]);
  });

  it("heals presence and starts new epochs when Redis comes back empty", async () => {
    const [a, b] = nodes as [RoomkitNode, RoomkitNode];
    const dora = await user(a, "dora");
    const erin = await user(b, "erin");
    for (const s of [dora, erin]) await ok(s, "rk:subscribe", { channel: "lobby:fresh" });
    await ok(dora, "rk:subscribe", { channel: "chat:fresh" });
    await ok(dora, "rk:publish", { channel: "chat:fresh", body: { text: "forgotten" } });
    const { epoch } = await ok(erin, "rk:subscribe", { channel: "chat:fresh" });

    const returns = collect<PresencePush>(dora, "rk:presence");
    await redis.crash();
    await redis.start();
    // Each node finds its heartbeat gone, puts its own connections back and announces them.
    await eventually(() => expect(returns.flatMap((p) => p.joins).map((m) => m.userId)).toContain("erin"));
    const { members } = await ok(erin, "rk:presence", { channel: "lobby:fresh" });
    expect(members.map((m: { userId: string }) => m.userId).sort()).toEqual(["dora", "erin"]);
    const resumed = await ok(erin, "rk:subscribe", { channel: "chat:fresh", since: 1, epoch });
    expect(resumed).toMatchObject({ recovered: false, seq: 0 });
    expect(resumed.epoch).not.toBe(epoch);
  });
});
