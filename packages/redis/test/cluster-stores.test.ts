import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeStoreConformance } from "@roomkit/server/testing";
import type { PresenceChange } from "@roomkit/server";
import { RedisPresenceStore, redisStores } from "@roomkit/redis";
import type { RedisStores } from "@roomkit/redis";
import { clusterCommands } from "../src/cluster-client.js";
import type { RedisClusterClient } from "../src/cluster-client.js";
import { keyPart, slotOf } from "../src/keys.js";
import { ownCluster } from "./support/cluster.js";
import type { OwnCluster } from "./support/cluster.js";
import { eventually } from "./support/nodes.js";
import { uniquePrefix } from "./support/redis.js";
import { needRedisServer } from "./support/services.js";

const binary = needRedisServer();

/** Every key under `prefix` on each primary, by port. */
async function keysByPrimary(cluster: OwnCluster, client: RedisClusterClient, prefix: string): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>();
  for (const master of client.masters) {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, page] = (await cluster.on(master.port, ["SCAN", cursor, "MATCH", `${prefix}*`, "COUNT", "1000"])) as [string, string[]];
      keys.push(...page);
      cursor = next;
    } while (cursor !== "0");
    found.set(master.port, keys);
  }
  return found;
}

describe.runIf(binary)("the Redis stores on a Redis Cluster of three primaries", () => {
  let cluster: OwnCluster;
  let client: RedisClusterClient;
  beforeAll(async () => {
    cluster = await ownCluster(binary as string, { primaries: 3 });
    client = await cluster.client();
  }, 60_000);
  afterAll(() => cluster?.destroy());

  describeStoreConformance(
    "redis cluster",
    () => redisStores({ client, prefix: uniquePrefix("cluster-conformance"), messages: { maxPerChannel: 200 } }),
    { retention: { maxPerChannel: 200 }, cleanup: (stores) => (stores as RedisStores).close() },
  );

  it("puts each channel's, room's and user's keys in one hash tag, and spreads them over every primary", async () => {
    const prefix = uniquePrefix("cluster-layout");
    const stores = redisStores({ client, prefix });
    for (let i = 0; i < 30; i++) {
      const channel = `room:r${i}`;
      await stores.rooms.create({ channel, name: "n", owner: `u${i}`, open: false, createdAt: 0 }, [
        { userId: `u${i}`, role: "owner", muted: false, joinedAt: 0 },
      ]);
      await stores.messages.append({ channel, from: `u${i}`, body: { i }, sentAt: 1, clientId: "c" });
      await stores.presence.add({ channel, userId: `u${i}`, connId: `c${i}`, info: null });
    }
    const byPrimary = await keysByPrimary(cluster, client, prefix);
    expect([...byPrimary.values()].every((keys) => keys.length > 0)).toBe(true);
    // Every key but the heartbeats' one zset is in the hash tag of its channel, room, user or node.
    for (const keys of byPrimary.values()) for (const key of keys) if (key !== `${prefix}nodes`) expect(key).toMatch(/^[^{}]*\{[^{}]+\}/);
    expect(await stores.rooms.roomsOf("u7")).toEqual(["room:r7"]);
    await stores.close();
  });

  it("raises the sender's read mark in the append's own script when the channel and the user share a slot", async () => {
    const prefix = uniquePrefix("cluster-mark");
    const stores = redisStores({ client, prefix });
    const channel = "dm:a|b";
    let sender = "a";
    for (let i = 0; slotOf(keyPart(sender)) !== slotOf(keyPart(channel)); i++) sender = `user-${i}`;
    const scripts = async () => {
      let calls = 0;
      for (const master of client.masters) {
        const stats = String(await cluster.on(master.port, ["INFO", "commandstats"]));
        calls += Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0) + Number(/cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0);
      }
      return calls;
    };
    const before = await scripts();
    const { message } = await stores.messages.append({ channel, from: sender, body: 1, sentAt: 1 });
    // The server's mark after the message is answered from what the append did: no call to Redis.
    expect(await stores.readState.mark(sender, channel, message.seq)).toBe(message.seq);
    expect(await scripts()).toBe(before + 1);
    expect(await stores.readState.get(sender, channel)).toBe(message.seq);
    // Another user's append in that channel (another slot, most likely) leaves the mark to the server.
    const other = await stores.messages.append({ channel, from: "b", body: 2, sentAt: 2 });
    expect(await stores.readState.mark("b", channel, other.message.seq)).toBe(other.message.seq);
    await stores.close();
  });

  it("sweeps a dead node's connections from channels on every primary, each departure reported once", async () => {
    const prefix = uniquePrefix("cluster-sweep");
    const presence = { heartbeatMs: 100, nodeTtlMs: 400 };
    const doomedClient = await cluster.client();
    const doomed = new RedisPresenceStore(clusterCommands(doomedClient), { prefix, ...presence, nodeId: "doomed" });
    const sweepers = [0, 1].map(() => new RedisPresenceStore(clusterCommands(client), { prefix, ...presence }));
    const seen: PresenceChange[] = [];
    for (const s of sweepers) s.onChange((change) => seen.push(change));
    const channels = Array.from({ length: 12 }, (_, i) => `presence:p${i}`);
    for (const channel of channels) await doomed.add({ channel, userId: "gone", connId: `c-${channel}`, info: { n: 1 } });
    await sweepers[0]!.add({ channel: channels[0]!, userId: "stays", connId: "s", info: null });
    doomedClient.destroy(); // its heartbeat stops: dead to the others
    await eventually(() => expect(seen.map((c) => c.channel).sort()).toEqual([...channels].sort()), 15_000);
    expect(seen.every((c) => c.type === "leave" && c.member.userId === "gone")).toBe(true);
    for (const channel of channels)
      expect((await sweepers[1]!.members(channel)).map((m) => m.userId)).toEqual(channel === channels[0] ? ["stays"] : []);
    await doomed.close();
    await Promise.all(sweepers.map((s) => s.close()));
  });

  it("never ran a command that needs every node (KEYS, SCAN, FLUSH) on any primary", async () => {
    for (const master of client.masters) {
      const stats = String(await cluster.on(master.port, ["INFO", "commandstats"]));
      // The test's own key listing above is the only SCAN: one call per primary per listing.
      expect(stats).not.toMatch(/cmdstat_keys:/);
      expect(stats).not.toMatch(/cmdstat_flush/);
      expect(Number(/cmdstat_scan:calls=(\d+)/.exec(stats)?.[1] ?? 0)).toBeLessThanOrEqual(1);
    }
  });
});
