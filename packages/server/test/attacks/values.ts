import { Buffer } from "node:buffer";
import { expect, it } from "vitest";
import { defineContract, type } from "@roomkit/protocol";
import type { RoomkitOptions } from "@roomkit/server";
import { contract } from "../support/contract.js";
import type { TestContract } from "../support/contract.js";
import { ok } from "../support/harness.js";
import type { Client, Harness } from "../support/harness.js";
import { RawSocket } from "../support/raw-socket.js";
import { expectNothingDelivered, record, refused } from "../support/refusals.js";
import { attackServers } from "./env.js";
import { png as genuinePng } from "../support/png.js";
import type { AttackEnv } from "./env.js";

const png = genuinePng(8);

// A family whose body and signal the app trusts (type-only, no schema strips keys): only
// Roomkit's own inspection stands between a client's value and the store.
const valuesContract = defineContract({
  ...contract,
  channels: { ...contract.channels, open: { kind: "public", body: type<unknown>(), signals: { any: type<unknown>() } } },
});

/** `JSON.parse` makes `__proto__` an own key, as Socket.IO's parser does with what a client sends. */
const parsed = (json: string): unknown => JSON.parse(json);
/** Nested arrays, `levels` deep, as JSON text (no recursion on either side). */
const deepJson = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
const image = () => ({ type: "image/png", data: png });

/** Findings 1, 2a and 8: client values are bounded, and their keys are data, before anything reads them. */
export function valueAttacks(env: AttackEnv): void {
  const servers = attackServers(env);
  const start = (options: Partial<RoomkitOptions<TestContract>> = {}): Promise<Harness> =>
    servers.start({ contract: valuesContract as unknown as TestContract, ...options });
  const subscribed = async (h: Harness, user: string, channel: string): Promise<Client> => {
    const socket = await h.client(user);
    await ok(socket, "rk:subscribe", { channel });
    return socket;
  };
  const historyOf = async (socket: Client, channel: string) =>
    (await ok(socket, "rk:history", { channel, limit: 50 })).messages as { body: unknown }[];

  it("finding 1: a body {__proto__: <png attachment>} is INVALID over raw frames and socket.io-client, and nothing is stored", async () => {
    const h = await start();
    const bob = await subscribed(h, "bob", "open:wall");
    const seen = record(bob);
    const raw = await RawSocket.connect(h.url, { user: "mallory" });
    expect(await raw.request(1, "rk:subscribe", { channel: "open:wall" })).toMatchObject({ ok: true });
    const framed = parsed('{"channel":"open:wall","body":{"__proto__":{"type":"image/png","data":{"_placeholder":true,"num":0}}}}');
    expect(await raw.requestBinary(2, "rk:publish", framed, [png])).toMatchObject({ ok: false, error: { code: "INVALID" } });
    const nested = parsed(
      '{"channel":"open:wall","body":{"photos":[{"__proto__":{"type":"image/png","data":{"_placeholder":true,"num":0}}}]}}',
    );
    expect(await raw.requestBinary(3, "rk:publish", nested, [png])).toMatchObject({ ok: false, error: { code: "INVALID" } });
    // A stock client loses a __proto__ key when it packs binary, so it can only send the bytes as JSON.
    const mallory = await subscribed(h, "mallory", "open:wall");
    await refused(
      mallory,
      "rk:publish",
      { channel: "open:wall", body: parsed(`{"__proto__":{"type":"image/png","data":${JSON.stringify([...png])}}}`) },
      "INVALID",
    );
    await expectNothingDelivered([bob, seen]);
    expect(await historyOf(bob, "open:wall")).toEqual([]);
    await raw.close();
  });

  it("constructor, prototype and __proto__ keys in bodies, signal data and other request fields are INVALID and change nothing", async () => {
    const h = await start();
    const bob = await subscribed(h, "bob", "open:wall");
    await ok(bob, "rk:subscribe", { channel: "dm:bob|mallory" });
    const seen = record(bob);
    const mallory = await subscribed(h, "mallory", "open:wall");
    const attempts: [string, unknown][] = [
      ["rk:publish", { channel: "open:wall", body: { note: { constructor: { prototype: { polluted: true } } } } }],
      ["rk:publish", { channel: "open:wall", body: [{ list: [{ prototype: 1 }] }] }],
      ["rk:publish", { channel: "dm:bob|mallory", body: { text: "hi", constructor: "x" } }],
      ["rk:publish", { channel: "dm:bob|mallory", body: parsed('{"text":"hi","__proto__":{"admin":true}}') }],
      ["rk:signal", { channel: "dm:bob|mallory", name: "typing", data: { on: true, prototype: {} } }],
      ["rk:signal", { channel: "open:wall", name: "any", data: parsed('{"deep":[{"__proto__":{"x":1}}]}') }],
      ["rk:signal", { channel: "open:wall", name: "any", data: { constructor: { name: "Object" } } }],
      ["rk:read", { channel: "dm:bob|mallory", seq: 0, meta: { constructor: 1 } }],
      ["rk:subscribe", parsed('{"channel":"lobby:main","__proto__":{"since":0}}')],
      ["rk:room:create", { name: "trap", constructor: { prototype: {} } }],
    ];
    for (const [event, payload] of attempts) await refused(mallory, event, payload, "INVALID");
    await expectNothingDelivered([bob, seen]);
    expect(await historyOf(bob, "open:wall")).toEqual([]);
    expect(await historyOf(bob, "dm:bob|mallory")).toEqual([]);
    expect((await ok(mallory, "rk:room:list", {})).rooms).toEqual([]);
    expect([...h.io.of("/").sockets.values()].some((s) => s.rooms.has("lobby:main"))).toBe(false);
  });

  it("a _placeholder object in a JSON body is INVALID, and a history page mixing images with other messages decodes in a stock socket.io-client", async () => {
    const h = await start();
    const alice = await subscribed(h, "alice", "open:gallery");
    for (let i = 0; i < 3; i++) {
      await ok(alice, "rk:publish", { channel: "open:gallery", body: { image: image() } });
      await ok(alice, "rk:publish", { channel: "open:gallery", body: { text: `caption ${i}` } });
    }
    const mallory = await subscribed(h, "mallory", "open:gallery");
    await refused(mallory, "rk:publish", { channel: "open:gallery", body: { x: { _placeholder: true, num: 9 } } }, "INVALID");
    await refused(mallory, "rk:publish", { channel: "open:gallery", body: { _placeholder: true, num: 0 } }, "INVALID");
    await refused(mallory, "rk:publish", { channel: "open:gallery", body: [{ list: [{ _placeholder: true, num: 1 }] }] }, "INVALID");
    const carol = await h.client("carol");
    const messages = await historyOf(carol, "open:gallery");
    expect(messages).toHaveLength(6);
    expect(messages.filter((m) => Buffer.isBuffer((m.body as { image?: { data: unknown } }).image?.data))).toHaveLength(3);
    expect(carol.connected).toBe(true);
  });

  it("10,000-deep signal data, body and other fields are INVALID, not INTERNAL, and the connection stays", async () => {
    const h = await start();
    const bob = await subscribed(h, "bob", "open:wall");
    const seen = record(bob);
    const raw = await RawSocket.connect(h.url, { user: "mallory" });
    expect(await raw.request(1, "rk:subscribe", { channel: "open:wall" })).toMatchObject({ ok: true });
    const deep = deepJson(10_000);
    const frames = [
      `["rk:signal",{"channel":"dm:bob|mallory","name":"typing","data":${deep}}]`,
      `["rk:signal",{"channel":"open:wall","name":"any","data":{"a":${deep}}}]`,
      `["rk:publish",{"channel":"open:wall","body":${deep}}]`,
      `["rk:publish",{"channel":"dm:bob|mallory","body":{"text":"hi","pad":${deep}}}]`,
      `["rk:read",{"channel":"dm:bob|mallory","seq":0,"extra":${deep}}]`,
      `["rk:subscribe",{"channel":${deep}}]`,
      `["rk:history",${deep}]`,
    ];
    for (const [i, frame] of frames.entries()) {
      raw.send(`42${10 + i}${frame}`);
      expect(await raw.ack(10 + i), frame.slice(0, 40)).toMatchObject({ ok: false, error: { code: "INVALID" } });
    }
    expect(raw.closed).toBe(false);
    await expectNothingDelivered([bob, seen]);
    expect(await historyOf(bob, "open:wall")).toEqual([]);
    await raw.close();
  });

  it("a request with more than limits.nodes values is TOO_LARGE, however its bytes are spread", async () => {
    const h = await start();
    const mallory = await subscribed(h, "mallory", "open:wall");
    const bob = await subscribed(h, "bob", "open:wall");
    const seen = record(bob);
    const many = Array.from({ length: 12_000 }, () => 0);
    const err = await refused(mallory, "rk:read", { channel: "dm:bob|mallory", seq: 0, many }, "TOO_LARGE");
    expect(err.details).toEqual({ limit: 10_000 });
    await refused(mallory, "rk:publish", { channel: "open:wall", body: { many } }, "TOO_LARGE");
    await refused(
      mallory,
      "rk:signal",
      { channel: "open:wall", name: "any", data: Object.fromEntries(many.map((_, i) => [`k${i}`, 0])) },
      "TOO_LARGE",
    );
    await expectNothingDelivered([bob, seen]);
    expect(await historyOf(bob, "open:wall")).toEqual([]);
  });

  it("a request over limits.requestBytes of JSON is TOO_LARGE with the limit, in any field", async () => {
    const h = await start();
    const mallory = await h.client("mallory");
    const pad = "x".repeat(70_000);
    for (const [event, payload] of [
      ["rk:subscribe", { channel: "open:wall", pad }],
      ["rk:read", { channel: "dm:bob|mallory", seq: 0, meta: { notes: [pad] } }],
      ["rk:room:create", { name: "big", extra: pad }],
    ] as const) {
      const err = await refused(mallory, event, payload, "TOO_LARGE");
      expect(err.details).toEqual({ limit: 64 * 1024 });
    }
    expect([...h.io.of("/").sockets.values()].some((s) => s.rooms.has("open:wall"))).toBe(false);
    expect((await ok(mallory, "rk:room:list", {})).rooms).toEqual([]);
  });

  it("a message over limits.attachments (3) is TOO_LARGE with the limit and not stored; 3 pass", async () => {
    const h = await start({ limits: { attachments: 3 } });
    const alice = await subscribed(h, "alice", "open:wall");
    const err = await refused(
      alice,
      "rk:publish",
      { channel: "open:wall", body: { images: [image(), image(), image(), image()] } },
      "TOO_LARGE",
    );
    expect(err.details).toEqual({ limit: 3 });
    await refused(
      alice,
      "rk:publish",
      { channel: "open:wall", body: { a: image(), b: { c: [image(), image()] }, d: image() } },
      "TOO_LARGE",
    );
    await ok(alice, "rk:publish", { channel: "open:wall", body: { images: [image(), image(), image()] } });
    const stored = await historyOf(alice, "open:wall");
    expect(stored).toHaveLength(1);
    expect((stored[0]!.body as { images: unknown[] }).images).toHaveLength(3);
  });

  it("the server API inspects app-given bodies like a client's: prototype keys, depth and attachments", async () => {
    const h = await start({ limits: { attachments: 3 } });
    const rk = h.rk as unknown as {
      publish(channel: string, body: unknown): Promise<unknown>;
      sendDirect(from: string, to: string, body: unknown): Promise<unknown>;
    };
    const bob = await subscribed(h, "bob", "open:wall");
    const seen = record(bob);
    let deep: unknown = { text: "bottom" };
    for (let i = 0; i < 10_000; i++) deep = { deep };
    await expect(rk.publish("open:wall", parsed('{"__proto__":{"type":"image/png","data":null}}'))).rejects.toMatchObject({
      code: "INVALID",
    });
    await expect(rk.publish("open:wall", { a: { constructor: 1 } })).rejects.toMatchObject({ code: "INVALID" });
    await expect(rk.publish("open:wall", { images: [image(), image(), image(), image()] })).rejects.toMatchObject({ code: "TOO_LARGE" });
    await expect(rk.sendDirect("alice", "bob", deep)).rejects.toMatchObject({ code: "INVALID" });
    await expect(rk.sendDirect("alice", "bob", { text: "x", meta: { _placeholder: true, num: 0 } })).rejects.toMatchObject({
      code: "INVALID",
    });
    await expectNothingDelivered([bob, seen]);
    expect(await historyOf(bob, "open:wall")).toEqual([]);
    expect(await historyOf(bob, "dm:alice|bob")).toEqual([]);
  });
}
