import { Buffer } from "node:buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStores } from "@roomkit/redis";
import type { RedisClient } from "../src/client.js";
import { ok, startServer } from "../../server/test/support/harness.js";
import type { Harness } from "../../server/test/support/harness.js";
import { expectServing } from "../../server/test/support/refusals.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { needRedis } from "./support/services.js";
import { png as genuinePng } from "../../server/test/support/png.js";

const redis = await needRedis();

const png = genuinePng(8);
const builtins = () => [Object.prototype, Array.prototype, Function.prototype].map((p) => Reflect.ownKeys(p).map(String).sort().join());

// Records that reached Redis some other way (an older version, a script, another app on the
// keys): whatever they say, reading them must not write outside their own body.
describe.runIf(redis)("a poisoned record planted in Redis", () => {
  let client: RedisClient;
  let prefix: string;
  let h: Harness;
  beforeAll(async () => {
    client = await testClient();
    prefix = uniquePrefix("poisoned");
    h = await startServer({ stores: redisStores({ client, prefix }) });
  });
  afterAll(async () => {
    await h?.close();
    await deleteKeys(client, prefix);
    await client.close();
  });

  it("is read back through rk:history without touching Object.prototype; the other messages stay readable", async () => {
    const before = builtins();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    const channel = "dm:alice|bob";
    for (const text of ["one", "two", "three", "four"]) await ok(alice, "rk:publish", { channel, body: { text } });
    await ok(alice, "rk:publish", { channel, body: { text: "five", image: { type: "image/png", data: png } } });

    // The store's layout (message-lua.ts): list `<prefix>msg/{<channel>}/log` of
    // "<seq> <storedAt> m <replyTo> <keyLength> <dedupeKey><headLength> <head><body>".
    const log = `${prefix}msg/{${channel}}/log`;
    const entries = (await client.sendCommand(["LRANGE", log, "0", "-1"])) as string[];
    expect(entries).toHaveLength(5);
    const plant = async (index: number, body: string, binaries: string) => {
      const [seq, storedAt] = entries[index]!.split(" ");
      const head = `["${index}-planted","mallory",1,null]`;
      await client.sendCommand(["LSET", log, String(index), `${seq} ${storedAt} m 0 0 ${head.length} ${head}[${body},${binaries}]`]);
    };
    const b64 = png.toString("base64");
    await plant(1, '{"__proto__":{"type":"image/png","data":null}}', `[[["__proto__","data"],"${b64}"]]`);
    await plant(2, "{}", `[[["constructor","prototype","x"],"${b64}"],[["__proto__","data"],"${b64}"]]`);
    await plant(3, '{"text":"a"}', `[[["toString","call"],"${b64}"],"junk",[[], 5]]`);

    const page = await ok(bob, "rk:history", { channel, limit: 50 });
    expect(builtins()).toEqual(before);
    expect(({} as Record<string, unknown>).data).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const messages = page.messages as { seq: number; body: Record<string, unknown> }[];
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(messages[0]!.body).toEqual({ text: "one" });
    expect(messages[3]!.body).toEqual({ text: "a" });
    expect(messages[4]!.body).toMatchObject({ text: "five", image: { type: "image/png" } });
    expect(Buffer.from((messages[4]!.body.image as { data: Uint8Array }).data)).toEqual(png);
    // The server still serves everyone: publishes are accepted and delivered.
    await expectServing(h.client);
  });
});
