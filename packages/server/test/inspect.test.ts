import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { RoomkitError, isBinary } from "@roomkit/protocol";
import { DEFAULT_LIMITS } from "../src/options.js";
import type { RoomkitLimits } from "../src/options.js";
import { inspectPayload } from "../src/requests/inspect.js";

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** What the old check measured: JSON.stringify with each binary value as `null`. */
function stringifiedBytes(value: unknown): number {
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    return isBinary(this[key]) ? null : v;
  });
  return json === undefined ? 0 : Buffer.byteLength(json);
}

function errorOf(run: () => unknown): RoomkitError {
  try {
    run();
  } catch (err) {
    if (err instanceof RoomkitError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

const limits = (overrides: Partial<RoomkitLimits> = {}): RoomkitLimits => ({ ...DEFAULT_LIMITS, ...overrides });

const nest = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe("inspectPayload: JSON bytes", () => {
  const samples: [string, unknown][] = [
    ["plain ASCII", { channel: "room:42", body: { text: "hello" } }],
    ["escapes", { body: { text: 'say "hi" \\ \n\t\r\b\f \u0000 \u001f \u007f' } }],
    ["multi-byte text", { body: { text: "é ü 中文 🎉 \u2028 \u2029", clé: "ß" } }],
    ["lone surrogates", { body: { a: "\ud800", b: "x\udfffy", c: "\udbff\udbff\udc00" } }],
    ["numbers", { body: [0, -0, 1.5, -2e-7, 1e21, 123456789012345680000, Number.MAX_VALUE, NaN, Infinity, -Infinity] }],
    ["literals", { body: [true, false, null, "", [], {}, [[]], { a: {} }] }],
    [
      "undefined, functions and symbols",
      { body: { a: undefined, b: () => 1, c: Symbol("s"), d: [undefined, () => 1, Symbol("t")], e: 1 } },
    ],
    [
      "toJSON and boxed primitives",
      { body: { at: new Date(0), n: Object(5), s: Object("x"), b: Object(false), own: { toJSON: () => ["y"] } } },
    ],
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
    ["sparse arrays", { body: [1, , 3] }],
    [
      "attachments",
      { body: { text: "look", image: { type: "image/png", data: png, name: "a.png" }, more: [{ type: "image/png", data: png }] } },
    ],
    ["a scalar payload", "just a string"],
  ];

  it.each(samples)("%s: exactly the UTF-8 length of JSON.stringify, binary as null", (_name, value) => {
    const inspection = inspectPayload(value, limits());
    expect(inspection.bytes).toBe(stringifiedBytes(value));
    if (typeof value === "object" && value !== null) {
      for (const [key, field] of Object.entries(value)) expect(inspection.field(key).bytes, key).toBe(stringifiedBytes(field));
    }
  });

  it("matches JSON.stringify on 2,000 random values with random UTF-16 strings (seeded)", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const text = () =>
      String.fromCharCode(
        ...Array.from({ length: Math.floor(random() * 12) }, () => {
          const r = random();
          return r < 0.5 ? Math.floor(random() * 0x80) : r < 0.8 ? Math.floor(random() * 0x10000) : 0xd800 + Math.floor(random() * 0x800);
        }),
      );
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 4 || r < 0.4) return [text(), random() * 1e6 - 5e5, Math.floor(random() * 100), true, null][Math.floor(random() * 5)];
      if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [text(), value(depth + 1)]));
    };
    for (let i = 0; i < 2000; i++) {
      const payload = { field: value(0) };
      if (JSON.stringify(payload).match(/"(__proto__|constructor|prototype|_placeholder)":/)) continue;
      expect(inspectPayload(payload, limits()).bytes, JSON.stringify(payload)).toBe(stringifiedBytes(payload));
    }
  });

  it("gives each top-level field its own size, attachments and attachment bytes", () => {
    const inspection = inspectPayload(
      { channel: "dm:a|b", body: { a: { type: "image/png", data: png }, b: [{ type: "image/png", data: png }] } },
      limits(),
    );
    const body = inspection.field("body");
    expect(body.attachments.map((a) => a.data)).toEqual([png, png]);
    expect(body.attachmentBytes).toBe(2 * png.length);
    expect(inspection.field("channel")).toMatchObject({ bytes: 8, attachments: [] });
    expect(inspection.field("missing")).toEqual({ bytes: 0, attachments: [], attachmentBytes: 0 });
  });

  it("refuses a payload over requestBytes as TOO_LARGE with the limit, counting to the byte", () => {
    const payload = { pad: "x".repeat(100) }; // {"pad":"x…x"} = 110 bytes
    expect(inspectPayload(payload, limits({ requestBytes: 110 })).bytes).toBe(110);
    const err = errorOf(() => inspectPayload(payload, limits({ requestBytes: 109 })));
    expect(err).toMatchObject({ code: "TOO_LARGE", details: { limit: 109 } });
    expect(errorOf(() => inspectPayload({ pad: "é".repeat(60) }, limits({ requestBytes: 100 }))).code).toBe("TOO_LARGE");
  });
});

describe("inspectPayload: shape", () => {
  it('counts levels from each top-level field\'s value: {"a":[1]} is 2', () => {
    expect(() => inspectPayload({ body: { a: [1] } }, limits({ depth: 2 }))).not.toThrow();
    expect(errorOf(() => inspectPayload({ body: { a: [[1]] } }, limits({ depth: 2 })))).toMatchObject({
      code: "INVALID",
      details: { limit: 2 },
    });
    expect(() => inspectPayload({ body: nest(32) }, limits())).not.toThrow();
    expect(errorOf(() => inspectPayload({ body: nest(33) }, limits())).code).toBe("INVALID");
  });

  it("walks a 100,000-deep value without recursion, and refuses 10,000 levels as INVALID", () => {
    expect(errorOf(() => inspectPayload({ data: nest(10_000) }, limits())).code).toBe("INVALID");
    const deep = nest(100_000);
    expect(inspectPayload({ data: deep }, limits({ depth: 200_000, nodes: 200_000, requestBytes: 1e6 })).bytes).toBe(8 + 200_001 + 1);
  });

  it("counts every value: the payload, each property and each item; over nodes is TOO_LARGE", () => {
    // payload + channel + body + a + 3 items = 7
    expect(inspectPayload({ channel: "x", body: { a: [1, 2, 3] } }, limits()).nodes).toBe(7);
    expect(() => inspectPayload({ channel: "x", body: { a: [1, 2, 3] } }, limits({ nodes: 7 }))).not.toThrow();
    expect(errorOf(() => inspectPayload({ channel: "x", body: { a: [1, 2, 3] } }, limits({ nodes: 6 })))).toMatchObject({
      code: "TOO_LARGE",
      details: { limit: 6 },
    });
    expect(errorOf(() => inspectPayload({ pad: new Array(2 ** 31) }, limits())).code).toBe("TOO_LARGE");
  });

  it.each(["__proto__", "constructor", "prototype", "_placeholder"])("refuses the key %s anywhere as INVALID", (key) => {
    const own = (k: string, v: unknown) => JSON.parse(`{${JSON.stringify(k)}:${JSON.stringify(v)}}`) as object;
    for (const payload of [own(key, 1), { body: own(key, { x: 1 }) }, { data: [[own(key, null)]] }, { a: { b: own(key, {}) } }]) {
      expect(
        errorOf(() => inspectPayload(payload, limits())),
        JSON.stringify(payload),
      ).toMatchObject({ code: "INVALID", details: { key } });
    }
  });

  it("refuses binary outside an attachment's data, and counts attachments only where they are", () => {
    expect(errorOf(() => inspectPayload({ body: { raw: png } }, limits())).code).toBe("INVALID");
    expect(errorOf(() => inspectPayload({ body: { type: "image/png", data: png, extra: png } }, limits())).code).toBe("INVALID");
    expect(errorOf(() => inspectPayload({ type: "image/png", data: png }, limits())).code).toBe("INVALID");
    expect(errorOf(() => inspectPayload(png, limits())).code).toBe("INVALID");
    expect(inspectPayload({ body: { type: "image/png", data: "iVBORw0KGgo=" } }, limits()).field("body").attachments).toEqual([]);
  });
});
