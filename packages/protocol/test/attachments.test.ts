import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { SNIFFABLE_TYPES, asBytes, isAttachment, isBinary, sniffType } from "@roomkit/protocol";

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

const samples = {
  "image/png": bytes([0x89], "PNG\r\n\x1a\n", [0, 0, 0, 13]),
  "image/jpeg": bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], "JFIF"),
  "image/gif": bytes("GIF89a", [1, 0, 1, 0]),
  "image/webp": bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "),
  "application/pdf": bytes("%PDF-1.7\n"),
} as const;

describe("sniffType", () => {
  it.each(Object.entries(samples))("recognises %s from its bytes", (mime, data) => {
    expect(sniffType(data)).toBe(mime);
  });

  it("covers every sniffable type", () => {
    expect(Object.keys(samples).sort()).toEqual([...SNIFFABLE_TYPES].sort());
  });

  it("recognises the older GIF87a", () => {
    expect(sniffType(bytes("GIF87a"))).toBe("image/gif");
  });

  it("reads an ArrayBuffer and a Node Buffer alike", () => {
    const png = samples["image/png"];
    expect(sniffType(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength))).toBe("image/png");
    expect(sniffType(Buffer.from(png))).toBe("image/png");
  });

  it.each([
    ["empty bytes", bytes()],
    ["text", bytes("hello, world")],
    ["a truncated PNG signature", bytes([0x89], "PNG\r\n")],
    ["a PNG signature off by one byte", bytes([0x89], "PNG\r\n\x1a\x0b")],
    ["two JPEG bytes", bytes([0xff, 0xd8])],
    ["RIFF that is not WEBP", bytes("RIFF", [0, 0, 0, 0], "WAVEfmt ")],
    ["a short RIFF", bytes("RIFF", [0, 0])],
    ["GIF90a", bytes("GIF90a")],
    ["%PDF without its dash", bytes("%PDF1.7")],
    ["an HTML page", bytes("<!doctype html><script>")],
  ])("says undefined for %s", (_what, data) => {
    expect(sniffType(data)).toBeUndefined();
  });

  it("reads the bytes of a view, not of the whole buffer under it", () => {
    const whole = bytes("xx", [...samples["image/gif"]]);
    expect(sniffType(whole)).toBeUndefined();
    expect(sniffType(whole.subarray(2))).toBe("image/gif");
  });
});

describe("asBytes", () => {
  it("views typed arrays, DataViews and ArrayBuffers as the same bytes, without copying", () => {
    const buffer = new ArrayBuffer(8);
    const u8 = new Uint8Array(buffer, 2, 4);
    expect(asBytes(u8)).toBe(u8);
    expect(asBytes(buffer).byteLength).toBe(8);
    const view = asBytes(new DataView(buffer, 1, 3));
    expect(view.buffer).toBe(buffer);
    expect([view.byteOffset, view.byteLength]).toEqual([1, 3]);
  });
});

describe("isBinary and isAttachment", () => {
  it("knows binary values", () => {
    for (const value of [new Uint8Array(1), Buffer.alloc(1), new ArrayBuffer(1), new DataView(new ArrayBuffer(1))]) {
      expect(isBinary(value)).toBe(true);
    }
    for (const value of [null, undefined, "bytes", [1, 2], { byteLength: 1 }, { type: "Buffer", data: [1] }]) {
      expect(isBinary(value)).toBe(false);
    }
  });

  it("knows the attachment shape", () => {
    expect(isAttachment({ type: "image/png", data: samples["image/png"] })).toBe(true);
    expect(isAttachment({ type: "image/png", data: new ArrayBuffer(2), name: "a.png" })).toBe(true);
    expect(isAttachment({ type: "image/png", data: "iVBORw0KGgo=" })).toBe(false);
    expect(isAttachment({ type: 5, data: new Uint8Array(1) })).toBe(false);
    expect(isAttachment({ data: new Uint8Array(1) })).toBe(false);
    expect(isAttachment(null)).toBe(false);
    expect(isAttachment(new Uint8Array(1))).toBe(false);
  });
});
