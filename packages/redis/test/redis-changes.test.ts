import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisMessageStore } from "@roomkit/redis";
import type { RedisClient } from "../src/client.js";
import { deleteKeys, keysUnder, testClient, uniquePrefix } from "./support/redis.js";
import { needRedis } from "./support/services.js";

const redis = await needRedis();
const channel = "room:1";

/** Every value stored under `prefix`, whatever the key's type, as text. */
async function everything(client: RedisClient, prefix: string): Promise<string> {
  const dump: string[] = [];
  for (const key of await keysUnder(client, prefix)) {
    const type = (await client.sendCommand(["TYPE", key])) as string;
    const read = { string: ["GET"], list: ["LRANGE", "0", "-1"], hash: ["HGETALL"], set: ["SMEMBERS"], zset: ["ZRANGE", "0", "-1"] }[type];
    dump.push(key, JSON.stringify(await client.sendCommand([read![0]!, key, ...read!.slice(1)])));
  }
  return dump.join("\n");
}

describe.runIf(redis)("redis message store: changes at the level of keys", () => {
  let client: RedisClient;
  let prefix = uniquePrefix("changes");
  beforeAll(async () => {
    client = await testClient();
  });
  afterEach(async () => {
    await deleteKeys(client, prefix);
    prefix = uniquePrefix("changes");
  });
  afterAll(() => client.close());

  it("a delete leaves the body in no key: not the log, not its edits, not the dedupe copy once retention drops it", async () => {
    const store = new RedisMessageStore(client, { prefix, maxPerChannel: 4 });
    await store.append({ channel, from: "alice", body: { text: "secret-one" }, sentAt: 1, clientId: "k1" });
    await store.change({ type: "edit", channel, target: 1, by: "alice", at: 2, body: { text: "secret-two" } });
    await store.change({ type: "react", channel, target: 1, by: "bob", at: 3, reaction: "👍", maxReactions: 20 });
    expect(await everything(client, prefix)).toContain("secret-two");
    await store.change({ type: "delete", channel, target: 1, by: "alice", at: 4 });
    expect(await everything(client, prefix)).not.toMatch(/secret/);
    for (let i = 0; i < 4; i++) await store.append({ channel, from: "alice", body: "later", sentAt: 5 });
    const all = await everything(client, prefix);
    expect(all).not.toMatch(/secret/);
    expect(all).toContain("k1");
    const retry = await store.append({ channel, from: "alice", body: "again", sentAt: 9, clientId: "k1" });
    expect(retry).toMatchObject({ duplicate: true, message: { seq: 1, deleted: { by: "alice", at: 4 }, version: 4 } });
    expect(retry.message).not.toHaveProperty("body");
  });

  it("a message leaving the log takes its state, reactions and thread entries along", async () => {
    const store = new RedisMessageStore(client, { prefix, maxPerChannel: 3 });
    await store.append({ channel, from: "alice", body: "root", sentAt: 1 });
    await store.change({ type: "react", channel, target: 1, by: "bob", at: 2, reaction: "👍", maxReactions: 20 });
    await store.append({ channel, from: "bob", body: "reply", sentAt: 3, replyTo: 1 });
    const base = `${prefix}msg/{${channel}}/`;
    expect(await keysUnder(client, prefix)).toEqual(expect.arrayContaining([`${base}rx/1`, `${base}th/1`, `${base}st`]));
    for (let i = 0; i < 3; i++) await store.append({ channel, from: "alice", body: "more", sentAt: 4 });
    const keys = await keysUnder(client, prefix);
    expect(keys.filter((k) => k.includes("/rx/") || k.includes("/th/") || k.endsWith("/st"))).toEqual([]);
    expect(await client.sendCommand(["ZRANGE", `${base}ms`, "0", "-1"])).toEqual(["4", "5", "6"]);
  });

  it("expires a channel's change keys with its entries when idle (maxAgeMs)", async () => {
    let now = 0;
    const store = new RedisMessageStore(client, { prefix, maxAgeMs: 1000, now: () => now });
    await store.append({ channel, from: "alice", body: "root", sentAt: 0 });
    await store.change({ type: "react", channel, target: 1, by: "bob", at: 0, reaction: "👍", maxReactions: 20 });
    await store.append({ channel, from: "bob", body: "reply", sentAt: 0, replyTo: 1 });
    for (const key of ["rx/1", "th/1", "st", "ms", "log"]) {
      const ttl = (await client.sendCommand(["PTTL", `${prefix}msg/{${channel}}/${key}`])) as number;
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(1000);
    }
    now += 1001;
    expect(await store.get(channel, 1)).toBeUndefined();
  });
});
