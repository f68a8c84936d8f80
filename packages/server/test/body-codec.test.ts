import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { decodeBody, encodeBody } from "../src/stores/body-codec.js";

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const base64 = png.toString("base64");

/** Object.prototype and the other built-ins, as they must stay. */
const builtins = () => [Object.prototype, Array.prototype, Function.prototype].map((p) => Reflect.ownKeys(p).map(String).sort().join());
/** A record as the store would read it back: parsed JSON, so `__proto__` keys are own properties. */
const stored = (json: string, binaries: [unknown[], string][]) =>
  JSON.parse(JSON.stringify([JSON.parse(json), binaries])) as [unknown, [[], string][]];

describe("decodeBody with records written by hand", () => {
  const before = builtins();

  it.each([
    ["a __proto__ step into a body without one", "{}", ["__proto__", "data"]],
    ["a __proto__ step into a body with an own __proto__ key", '{"__proto__":{"type":"image/png","data":null}}', ["__proto__", "data"]],
    ["constructor.prototype", "{}", ["constructor", "prototype", "x"]],
    ["an inherited method", "{}", ["toString", "x"]],
    ["a __proto__ key at the end", '{"a":{}}', ["a", "__proto__"]],
    ["a prototype key at the end", '{"a":{"prototype":null}}', ["a", "prototype"]],
    ["a path into an array's prototype", '{"a":[null]}', ["a", "constructor", "x"]],
    ["an index past an array's end", '{"a":[]}', ["a", 5]],
    ["a slot that holds data, not the encoder's null", '{"a":{"data":"kept"}}', ["a", "data"]],
  ])("%s: skipped, nothing outside the body changes", (_name, json, path) => {
    const body = decodeBody(stored(json, [[path, base64]])) as Record<string, unknown>;
    expect(builtins()).toEqual(before);
    expect(({} as Record<string, unknown>).data).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(JSON.stringify(body)).toBe(JSON.stringify(JSON.parse(json)));
  });

  it("skips a malformed entry and still places the good ones", () => {
    const [json] = stored('{"a":{"type":"image/png","data":null},"b":null}', []);
    const body = decodeBody([
      json,
      [["not", "an entry"], [["a", "data"], base64], [["b"], 42], "junk", [["b"], base64]] as never,
    ]) as Record<string, { data?: Buffer }>;
    expect(body.a!.data).toEqual(png);
    expect(body.b).toEqual(png);
    expect(builtins()).toEqual(before);
  });
});

describe("encodeBody", () => {
  it("copies a __proto__ key as a key: the copy's prototype stays Object.prototype", () => {
    const body = JSON.parse('{"__proto__":{"type":"image/png","data":null},"ok":{"type":"image/png","data":null}}') as Record<
      string,
      Record<string, unknown>
    >;
    body.ok!.data = png;
    Object.defineProperty(body, "__proto__", {
      value: { type: "image/png", data: png },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const [json, binaries] = encodeBody(body) as [Record<string, unknown>, [unknown[], string][]];
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.hasOwn(json, "__proto__")).toBe(true);
    expect(binaries.map(([path]) => path)).toEqual([
      ["__proto__", "data"],
      ["ok", "data"],
    ]);
    // Read back, the attachment under __proto__ stays null; the other one is restored.
    const decoded = decodeBody(JSON.parse(JSON.stringify([json, binaries])) as never) as Record<string, Record<string, unknown>>;
    expect(decoded.ok!.data).toEqual(png);
    expect(Object.getOwnPropertyDescriptor(decoded, "__proto__")?.value).toEqual({ type: "image/png", data: null });
    expect(({} as Record<string, unknown>).data).toBeUndefined();
  });

  it("round-trips attachments at any position", () => {
    const body = {
      text: "hi",
      images: [
        { type: "image/png", data: png },
        { type: "image/png", data: png },
      ],
      cover: { data: png },
    };
    const decoded = decodeBody(JSON.parse(JSON.stringify(encodeBody(body))) as never);
    expect(decoded).toEqual(body);
    expect(decodeBody(JSON.parse(JSON.stringify(encodeBody(png))) as never)).toEqual(png);
  });
});
