import { Buffer } from "node:buffer";
import fc from "fast-check";
import { RawJson } from "../support/raw-socket.js";

// The values an attacker puts in a request field: everything JSON and Socket.IO can carry.

/** Keys that are paths into objects in JavaScript, and the placeholder Socket.IO's parser acts on. */
export const HOSTILE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "_placeholder",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "then",
] as const;
/** The keys the server must refuse wherever they appear (docs/protocol.md §3). */
export const REFUSED_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

/** An object with these own entries, `__proto__` as a key (as `JSON.parse` makes it), not the prototype. */
export function own(entries: [string, unknown][]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return obj;
}

/** Numbers at the edges; `NaN` and the infinities go over JSON as `null`. */
export const edgeNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    -0.5,
    1e308,
    -1e308,
    2 ** 53,
    2 ** 53 - 1,
    -(2 ** 53),
    2 ** 31,
    2 ** 32,
    Number.MIN_VALUE,
    1e-7,
    NaN,
    Infinity,
  ),
  fc.integer(),
  fc.double(),
);

/** A huge string, sent verbatim (see {@link RawJson}) so counterexamples stay readable. */
export const hugeString = fc
  .tuple(
    fc.constantFrom("x", "é", "🎉", "\u0000", "\u202e", "\ud800"),
    fc.oneof(fc.constantFrom(65, 129, 257, 16_385, 65_537), fc.noBias(fc.integer({ min: 65, max: 200_000 }))),
  )
  .map(([unit, n]) => new RawJson(JSON.stringify(unit.repeat(n)), `${JSON.stringify(unit)}.repeat(${n})`));

export const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "a|b", ":", "$system", "__proto__", "constructor", "null", "true", "0", "-0", "1e308", "é\u202e🎉"),
  hugeString,
);

/** Nesting from just past the limit to far past what a recursive walk survives, written as raw JSON. */
export const deepValue = fc
  .tuple(
    fc.oneof(fc.constantFrom(31, 32, 33, 10_000), fc.noBias(fc.integer({ min: 34, max: 20_000 }))),
    fc.constantFrom("array", "object", "mixed"),
    fc.constantFrom("__proto__", "a", "data"),
  )
  .map(([depth, shape, key]) => {
    const open = (i: number) => (shape === "array" || (shape === "mixed" && i % 2) ? "[" : `{"${key}":`);
    const close = (i: number) => (shape === "array" || (shape === "mixed" && i % 2) ? "]" : "}");
    let text = "1";
    const opens: string[] = [];
    const closes: string[] = [];
    for (let i = 0; i < depth; i++) {
      opens.push(open(i));
      closes.push(close(i));
    }
    text = opens.join("") + text + closes.reverse().join("");
    return new RawJson(text, `${shape} nested ${depth} deep by "${key}"`);
  });

/** Many keys or items at one level: past the node limit, and past what a key-by-key copy should do. */
export const wideValue = fc
  .tuple(fc.oneof(fc.constantFrom(10_001, 50_000), fc.noBias(fc.integer({ min: 100, max: 60_000 }))), fc.boolean())
  .map(([n, asArray]) => {
    const items = Array.from({ length: n }, (_, i) => (asArray ? "0" : `"k${i}":0`)).join(",");
    return new RawJson(asArray ? `[${items}]` : `{${items}}`, `${asArray ? "array" : "object"} ${n} wide`);
  });

/** Bytes: Socket.IO binary where a client should send JSON, or a real-looking attachment. */
export const binary = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.concat([PNG, bytes])),
);
export const attachment = fc.record({ type: fc.constantFrom("image/png", "image/gif", "text/html", "", "image/svg+xml"), data: binary });

/** An object shaped like a Socket.IO binary placeholder, which a reader's parser would splice bytes into. */
export const placeholder = fc.record({
  _placeholder: fc.constant(true),
  num: fc.oneof(fc.integer({ min: -1, max: 12 }), fc.constant("0")),
});

/** Any hostile value, nested a few levels, with hostile keys among ordinary ones at every level. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    edgeNumber,
    anyString,
    fc.constantFrom(true, false, null, undefined),
    binary,
    attachment,
    placeholder,
    { weight: 3, arbitrary: deepValue },
    { weight: 2, arbitrary: wideValue },
    fc.array(tie("value"), { maxLength: 5 }),
    tie("object"),
  ),
  object: fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...HOSTILE_KEYS),
          fc.constantFrom("type", "data", "text", "channel", "body", "on"),
          fc.string({ maxLength: 10 }),
        ),
        tie("value"),
      ),
      { maxLength: 5 },
    )
    .map(own),
})).value;

/** The exact shape of finding 1: an attachment under `__proto__`, which a decoder walking its path assigns onto `Object.prototype`. */
export const pollutingBody = fc
  .tuple(fc.constantFrom(...REFUSED_KEYS), binary)
  .map(([key, data]) => own([[key, { type: "image/png", data: Buffer.concat([PNG, data]) }]]));
