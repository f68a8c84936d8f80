import { Buffer } from "node:buffer";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RoomkitError } from "@roomkit/protocol";
import type { PresenceChange } from "@roomkit/server";
import { RedisMessageStore, RedisPresenceStore, RedisReadStateStore, RedisRoomStore, createRedisClient, redisStores } from "@roomkit/redis";
import type { RedisClient } from "../src/client.js";
import { deleteKeys, keysUnder, testClient, uniquePrefix } from "./support/redis.js";
import { tcpProxy } from "./support/proxy.js";
import { REDIS_URL, needRedis } from "./support/services.js";

const redis = await needRedis();
const input = (clientId?: string) => ({ channel: "room:1", from: "alice", body: "hi", sentAt: 0, clientId });

describe.runIf(redis)("redis stores beyond the conformance suite", () => {
  let client: RedisClient;
  let prefix = uniquePrefix("stores");
  const presences: RedisPresenceStore[] = [];
  /** A presence store of its own node, closed after the test. */
  const presenceNode = (nodeId: string, on = client, options = {}) => {
    const store = new RedisPresenceStore(on, { prefix, nodeId, heartbeatMs: 50, nodeTtlMs: 300, ...options });
    presences.push(store);
    return store;
  };

  beforeAll(async () => {
    client = await testClient();
  });
  afterEach(async () => {
    await Promise.all(presences.splice(0).map((p) => p.close()));
    await deleteKeys(client, prefix);
    prefix = uniquePrefix("stores");
  });
  afterAll(() => client.close());

  describe("messages", () => {
    it("with waitForReplicas, refuses an append no replica confirmed (UNAVAILABLE), and a retry returns the one stored", async () => {
      const replicas = Number(/connected_slaves:(\d+)/.exec(String(await client.sendCommand(["INFO", "replication"])))?.[1] ?? 0);
      const store = new RedisMessageStore(client, { prefix, waitForReplicas: replicas + 1, waitTimeoutMs: 50 });
      const refused = await store.append(input("w1")).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(RoomkitError);
      expect(refused).toMatchObject({ code: "UNAVAILABLE" });
      const plain = new RedisMessageStore(client, { prefix });
      const retried = await plain.append(input("w1"));
      expect(retried).toMatchObject({ duplicate: true, message: { seq: 1, clientId: "w1" } });
      expect(() => new RedisMessageStore(client, { waitForReplicas: -1 })).toThrow(TypeError);
    });

    it("drops messages stored longer ago than maxAgeMs, by its clock, and expires an idle channel", async () => {
      let now = 10_000;
      const store = new RedisMessageStore(client, { prefix, maxAgeMs: 1000, now: () => now });
      for (let i = 0; i < 3; i++) await store.append(input());
      now += 500;
      for (let i = 0; i < 2; i++) await store.append(input());
      now += 500;
      expect(await store.stream("room:1")).toMatchObject({ latest: 5, oldest: 1 });
      now += 1;
      expect(await store.stream("room:1")).toMatchObject({ latest: 5, oldest: 4 });
      expect((await store.range("room:1", { limit: 10 })).messages.map((m) => m.seq)).toEqual([4, 5]);
      now += 500;
      expect(await store.stream("room:1")).toMatchObject({ latest: 5, oldest: 6 });
      expect((await store.append(input())).message.seq).toBe(6);
      const ttl = (await client.sendCommand(["PTTL", `${prefix}msg/{room:1}/log`])) as number;
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1000);
      expect(await client.sendCommand(["PTTL", `${prefix}msg/{room:1}/meta`])).toBe(-1);
    });

    it("forgets the oldest clientIds beyond dedupeWindow, and still dedupes one whose message retention dropped", async () => {
      const store = new RedisMessageStore(client, { prefix, maxPerChannel: 2, dedupeWindow: 2 });
      const first = await store.append(input("k1"));
      for (let i = 0; i < 3; i++) await store.append(input());
      expect(await store.append(input("k1"))).toEqual({ message: first.message, duplicate: true });
      await store.append(input("k2"));
      await store.append(input("k3"));
      expect(await store.append(input("k3"))).toMatchObject({ duplicate: true, message: { seq: 6 } });
      expect(await store.append(input("k1"))).toMatchObject({ duplicate: false, message: { seq: 7 } });
    });

    it("stores a message once while it is kept, and copies it for dedupe only when retention drops it", async () => {
      let now = 0;
      const store = new RedisMessageStore(client, { prefix, maxPerChannel: 3, maxAgeMs: 1000, now: () => now });
      const dd = `${prefix}msg/{room:1}/dd`;
      const first = await store.append(input("k1"));
      expect(await client.sendCommand(["HGET", dd, JSON.stringify(["alice", "k1"])])).toBe("=1");
      expect(await store.append(input("k1"))).toEqual({ message: first.message, duplicate: true });
      for (let i = 0; i < 3; i++) await store.append(input());
      expect(await client.sendCommand(["HGET", dd, JSON.stringify(["alice", "k1"])])).toMatch(/^\n1 0 m 0 /);
      expect(await store.append(input("k1"))).toEqual({ message: first.message, duplicate: true });
      const aged = await store.append(input("k2"));
      now += 1001;
      await store.append(input());
      expect((await store.range("room:1", { limit: 10 })).messages.map((m) => m.seq)).toEqual([6]);
      expect(await store.append(input("k2"))).toEqual({ message: aged.message, duplicate: true });
    });

    it("keeps binary attachments as bytes, and never turns text that looks like the encoding into bytes", async () => {
      const store = new RedisMessageStore(client, { prefix });
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
      const body = { text: "look", images: [{ type: "image/png", data: png }], tricky: [{ a: 1 }, [[["x"], "aGk="]]] };
      const { message } = await store.append({ ...input(), body });
      const [stored] = (await store.range("room:1", { limit: 1 })).messages;
      expect(stored).toEqual(message);
      const image = (stored!.body as typeof body).images[0]!;
      expect(Buffer.isBuffer(image.data)).toBe(true);
      expect([...image.data]).toEqual([...png]);
      expect((stored!.body as typeof body).tricky).toEqual([{ a: 1 }, [[["x"], "aGk="]]]);
      const plain = await store.append({ ...input(), body: [{ x: 1 }, [[["x"], "aGk="]]] });
      expect((await store.range("room:1", { after: 1, limit: 1 })).messages[0]!.body).toEqual(plain.message.body);
    });

    it("stores nothing for a channel it is only asked about", async () => {
      const a = new RedisMessageStore(client, { prefix });
      const before = await a.stream("public:nobody-wrote");
      expect(await a.stream("public:nobody-wrote")).toEqual(before);
      expect(await client.keys(`${prefix}msg/*`)).toEqual([]);
      await a.append({ channel: "public:nobody-wrote", from: "alice", body: 1, sentAt: 1 });
      expect((await a.stream("public:nobody-wrote")).epoch).toBe(before.epoch);
    });

    it("shares one stream between store instances (nodes) and starts a new epoch only when Redis lost it", async () => {
      const a = new RedisMessageStore(client, { prefix });
      const b = new RedisMessageStore(client, { prefix });
      await a.append(input());
      expect((await b.append(input())).message.seq).toBe(2);
      const { epoch } = await a.stream("room:1");
      expect(await b.stream("room:1")).toEqual({ epoch, latest: 2, oldest: 1 });
      await deleteKeys(client, prefix);
      const after = await b.stream("room:1");
      expect(after).toMatchObject({ latest: 0, oldest: 1 });
      expect(after.epoch).not.toBe(epoch);
    });

    it("rejects bad input and bad options with a TypeError", async () => {
      const store = new RedisMessageStore(client, { prefix });
      await expect(store.range("room:1", { limit: -1 })).rejects.toThrow(TypeError);
      await expect(store.range("room:1", { after: 1.5, limit: 1 })).rejects.toThrow(TypeError);
      await expect(store.append({ ...input(), sentAt: Number.NaN })).rejects.toThrow(TypeError);
      await expect(store.append({ ...input(), from: "" })).rejects.toThrow(TypeError);
      await expect(store.stream("")).rejects.toThrow(TypeError);
      expect(() => new RedisMessageStore(client, { maxPerChannel: 0 })).toThrow(TypeError);
      expect(() => new RedisMessageStore(client, { maxAgeMs: -5 })).toThrow(TypeError);
      expect(() => new RedisMessageStore(client, { dedupeWindow: 1.5 })).toThrow(TypeError);
      expect(() => new RedisMessageStore(client, { prefix: "has space" })).toThrow(TypeError);
    });
  });

  describe("presence across nodes", () => {
    const changes = (store: RedisPresenceStore) => {
      const seen: string[] = [];
      store.onChange((c: PresenceChange) => seen.push(`${c.type} ${c.channel} ${c.member.userId} ${JSON.stringify(c.member.info)}`));
      return seen;
    };
    const until = async (check: () => boolean) => {
      while (!check()) await new Promise((done) => setTimeout(done, 20));
    };

    it("aggregates a user over nodes and lists members in join order", async () => {
      const [a, b] = [presenceNode("a"), presenceNode("b")];
      expect(await a.add({ channel: "presence:x", userId: "carol", connId: "c1", info: 1 })).toEqual({ first: true });
      expect(await b.add({ channel: "presence:x", userId: "alice", connId: "a1", info: 2 })).toEqual({ first: true });
      expect(await b.add({ channel: "presence:x", userId: "carol", connId: "c2", info: 3 })).toEqual({ first: false });
      expect(await a.members("presence:x")).toEqual([
        { userId: "carol", info: 3 },
        { userId: "alice", info: 2 },
      ]);
      expect(await a.remove("presence:x", "carol", "c1")).toEqual({ last: false });
      expect(await b.remove("presence:x", "carol", "c2")).toEqual({ last: true, member: { userId: "carol", info: 3 } });
      expect(a.nodeId).toMatch(/^a~/);
    });

    it("sweeps a dead node's members once, announced by exactly one of the nodes that sweep", async () => {
      const doomedClient = await testClient();
      const doomed = presenceNode("doomed", doomedClient);
      const [b, c] = [presenceNode("b"), presenceNode("c")];
      const seen = [changes(b), changes(c)];
      await doomed.add({ channel: "presence:x", userId: "dora", connId: "d1", info: { name: "Dora" } });
      await doomed.add({ channel: "presence:y", userId: "dora", connId: "d1", info: null });
      await doomed.add({ channel: "presence:x", userId: "erin", connId: "e1", info: "E" });
      await b.add({ channel: "presence:x", userId: "erin", connId: "e2", info: "E" });
      doomedClient.destroy(); // killed: no goodbye, the heartbeat just stops
      await until(() => seen.flat().length >= 2);
      await new Promise((done) => setTimeout(done, 400)); // more sweeps, which must find nothing
      expect(seen.flat().sort()).toEqual(['leave presence:x dora {"name":"Dora"}', "leave presence:y dora null"]);
      expect(await b.members("presence:x")).toEqual([{ userId: "erin", info: "E" }]);
      expect(await keysUnder(client, `${prefix}node/doomed`)).toEqual([]);
    });

    it("does not sweep while nobody listens, so a node that cannot announce takes nothing", async () => {
      const doomedClient = await testClient();
      const doomed = presenceNode("doomed", doomedClient);
      const quiet = presenceNode("quiet");
      await doomed.add({ channel: "presence:x", userId: "dora", connId: "d1", info: 1 });
      doomedClient.destroy();
      await new Promise((done) => setTimeout(done, 500));
      expect(await quiet.members("presence:x")).toEqual([{ userId: "dora", info: 1 }]);
      const seen = changes(quiet);
      await until(() => seen.length === 1);
      expect(seen).toEqual(["leave presence:x dora 1"]);
    });

    it("puts a node's connections back, announcing who returns, when it finds it was swept while cut off", async () => {
      const { port } = new URL(REDIS_URL);
      const network = await tcpProxy(() => [Number(port || 6379)]);
      const aClient = await testClient(`redis://127.0.0.1:${network.port}`);
      const a = presenceNode("a", aClient);
      const b = presenceNode("b");
      const seen = [changes(a), changes(b)];
      await a.add({ channel: "presence:x", userId: "ann", connId: "a1", info: "A" });
      await b.add({ channel: "presence:x", userId: "bea", connId: "b1", info: "B" });
      await a.add({ channel: "presence:x", userId: "bea", connId: "b2", info: "B" });
      network.cut();
      await until(() => seen[1]!.length === 1);
      expect(seen[1]).toEqual(['leave presence:x ann "A"']);
      expect((await b.members("presence:x")).map((m) => m.userId)).toEqual(["bea"]);
      network.heal();
      await until(() => seen[0]!.length === 1);
      expect(seen[0]).toEqual(['join presence:x ann "A"']);
      expect((await b.members("presence:x")).map((m) => m.userId).sort()).toEqual(["ann", "bea"]);
      expect(await a.remove("presence:x", "bea", "b2")).toEqual({ last: false });
      await a.close();
      aClient.destroy();
      await network.close();
    });

    it("removes its own connections when it closes, reporting the departures", async () => {
      const a = presenceNode("a");
      const b = presenceNode("b");
      const seen = changes(a);
      await a.add({ channel: "presence:x", userId: "ann", connId: "a1", info: null });
      await b.add({ channel: "presence:x", userId: "bea", connId: "b1", info: null });
      await a.close();
      expect(seen).toEqual(["leave presence:x ann null"]);
      expect(await b.members("presence:x")).toEqual([{ userId: "bea", info: null }]);
      expect(await client.sendCommand(["ZSCORE", `${prefix}nodes`, a.nodeId])).toBeNull();
    });

    it("checks its options", () => {
      expect(() => new RedisPresenceStore(client, { heartbeatMs: 1000, nodeTtlMs: 1500 })).toThrow(TypeError);
      expect(() => new RedisPresenceStore(client, { heartbeatMs: 0 })).toThrow(TypeError);
      expect(() => new RedisPresenceStore(client, { nodeId: "" })).toThrow(TypeError);
    });
  });

  describe("keys", () => {
    it("keeps every key under the prefix and escapes ids, so odd ids never share a key", async () => {
      const stores = redisStores({ client, prefix });
      const rooms = stores.rooms;
      const room = (channel: string) => ({ channel, name: "n", owner: "o", open: false, createdAt: 0 });
      await rooms.create(room("room:a/m"), []);
      await rooms.create(room("room:a"), [{ userId: "x", role: "owner", muted: false, joinedAt: 0 }]);
      expect(await rooms.members("room:a/m")).toEqual([]);
      expect(await rooms.get("room:a/m")).toEqual(room("room:a/m"));
      await stores.readState.mark("u/1", "room:a", 3);
      await stores.readState.mark("u%2F1", "room:a", 5);
      expect(await stores.readState.get("u/1", "room:a")).toBe(3);
      await stores.messages.append(input());
      await stores.presence.add({ channel: "presence:x", userId: "u", connId: "c", info: 0 });
      await stores.close();
      const keys = await keysUnder(client, prefix);
      expect(keys.length).toBeGreaterThan(5);
      expect(keys).toContain(`${prefix}room/{room:a%2Fm}`);
      expect(keys).toContain(`${prefix}read/{u%2F1}`);
      expect(keys).toContain(`${prefix}read/{u%252F1}`);
      expect(await new RedisReadStateStore(client, { prefix }).all("u/1")).toEqual(new Map([["room:a", 3]]));
      expect(new RedisRoomStore(client, { prefix })).toBeInstanceOf(RedisRoomStore);
    });
  });

  describe("when Redis cannot be reached", () => {
    it("fails every call at once with UNAVAILABLE, without waiting in a queue", async () => {
      const offline = createRedisClient({ url: "redis://127.0.0.1:1", name: "offline" });
      offline.connect().catch(() => undefined);
      const stores = redisStores({ client: offline, prefix });
      const calls: Array<Promise<unknown>> = [
        stores.messages.append(input()),
        stores.messages.range("room:1", { limit: 1 }),
        stores.messages.stream("room:1"),
        stores.presence.add({ channel: "presence:x", userId: "u", connId: "c", info: 0 }),
        stores.presence.members("presence:x"),
        stores.rooms.get("room:1"),
        stores.rooms.roomsOf("u"),
        stores.readState.mark("u", "room:1", 1),
        stores.readState.all("u"),
      ];
      for (const call of calls) {
        const err = await call.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(RoomkitError);
        expect(err).toMatchObject({ code: "UNAVAILABLE" });
      }
      await stores.close();
      offline.destroy();
    });
  });
});
