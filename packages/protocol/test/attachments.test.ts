import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { SNIFFABLE_TYPES, asBytes, checkAttachmentBytes, isAttachment, isBinary, sniffType } from "@roomkit/protocol";
import { GENUINE, GIF, JPEG, PNG_SIGNATURE, POLYGLOTS, WEBP, pdf, png, pngChunk } from "./support/images.js";

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

const reasonOf = (type: string, data: Uint8Array): string | undefined => {
  const check = checkAttachmentBytes(type, data);
  return check.ok ? undefined : check.reason;
};
const concat = (...parts: (Uint8Array | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : p)));

describe("checkAttachmentBytes", () => {
  it.each(Object.entries(GENUINE))("accepts a genuine %s, as a Buffer, an ArrayBuffer or a view", (type, data) => {
    expect(checkAttachmentBytes(type, data)).toEqual({ ok: true });
    expect(checkAttachmentBytes(type, Uint8Array.from(data).buffer)).toEqual({ ok: true });
    expect(checkAttachmentBytes(type, concat("xx", data).subarray(2))).toEqual({ ok: true });
  });

  it("has a genuine sample of every sniffable type", () => {
    expect(Object.keys(GENUINE).sort()).toEqual([...SNIFFABLE_TYPES].sort());
  });

  it.each(Object.entries(POLYGLOTS))("refuses %s, whose first bytes pass a sniff", (_what, [type, data]) => {
    expect(sniffType(data)).toBe(type);
    expect(reasonOf(type, data)).toEqual(expect.any(String));
  });

  it("refuses bytes of another type, and types it cannot check", () => {
    expect(reasonOf("image/png", JPEG)).toBe('its bytes are "image/jpeg"');
    expect(reasonOf("image/png", Buffer.from("<svg onload=alert(1)>"))).toBe("its bytes are not a known type");
    expect(reasonOf("text/html", Buffer.from("<p>"))).toBe('"text/html" is not a type whose bytes can be checked');
    expect(reasonOf("__proto__", png())).toMatch(/not a type/);
  });

  describe("PNG", () => {
    const [signature, ihdr, idat, iend] = [PNG_SIGNATURE, png().subarray(8, 33), png().subarray(33, -12), png().subarray(-12)];
    it.each([
      ["bytes after IEND", concat(png(), "<script>alert(1)</script>"), /bytes after its IEND/],
      ["a chunk before IHDR", concat(signature, pngChunk("tEXt", Buffer.from("a\0b")), ihdr, idat, iend), /13-byte IHDR/],
      ["an IHDR of 12 bytes", concat(signature, pngChunk("IHDR", Buffer.alloc(12, 1)), idat, iend), /13-byte IHDR/],
      ["a width of 0", png({ width: 0 }), /width or height is 0/],
      ["no IDAT", concat(signature, ihdr, iend), /no IDAT/],
      [
        "a chunk length past the end",
        concat(signature, ihdr, Buffer.from([0, 0x10, 0, 0]), idat.subarray(4), iend),
        /"IDAT" chunk runs past the end/,
      ],
      [
        "a chunk length over 2^31 - 1",
        concat(signature, ihdr, Buffer.from([0x80, 0, 0, 0]), idat.subarray(4), iend),
        /malformed chunk at byte 33/,
      ],
      [
        "a chunk type that is not letters",
        concat(signature, ihdr, pngChunk("<scr", Buffer.alloc(0)), idat, iend),
        /malformed chunk at byte 33/,
      ],
      ["an IEND with data", concat(signature, ihdr, idat, pngChunk("IEND", Buffer.from("x"))), /IEND chunk is not empty/],
      ["no IEND", concat(signature, ihdr, idat), /ends before its IEND/],
    ])("refuses %s", (_what, data, reason) => {
      expect(reasonOf("image/png", data)).toMatch(reason);
    });

    it("accepts HTML inside a text chunk: framing is not content (docs/protocol.md §13)", () => {
      expect(checkAttachmentBytes("image/png", png({ comment: "<script>alert(1)</script>" }))).toEqual({ ok: true });
    });
  });

  describe("JPEG", () => {
    const scan = JPEG.indexOf(Buffer.from([0xff, 0xda]));
    const frame = JPEG.indexOf(Buffer.from([0xff, 0xc0]));
    it.each([
      ["bytes after EOI", concat(JPEG, "<script>"), /EOI/],
      [
        "a signature, HTML, then FF D9",
        concat(Buffer.from([0xff, 0xd8, 0xff]), "<html><script>alert(1)</script>", Buffer.from([0xff, 0xd9])),
        /runs past the end/,
      ],
      ["no frame header before the scan", concat(JPEG.subarray(0, frame), JPEG.subarray(frame + 19)), /no frame header/],
      ["a segment cut short", JPEG.subarray(0, scan + 6), /runs past the end/],
      ["an EOI before the scan", concat(JPEG.subarray(0, 2), Buffer.from([0xff, 0xd9])), /marker FFD9 before its scan/],
      ["a byte that is not a marker between segments", concat(JPEG.subarray(0, 20), "x", JPEG.subarray(20)), /no marker at byte 20/],
    ])("refuses %s", (_what, data, reason) => {
      expect(reasonOf("image/jpeg", data)).toMatch(reason);
    });

    it("accepts fill bytes before a marker, and script in a comment segment", () => {
      expect(checkAttachmentBytes("image/jpeg", concat(JPEG.subarray(0, 20), Buffer.from([0xff, 0xff]), JPEG.subarray(20)))).toEqual({
        ok: true,
      });
      const comment = Buffer.from("<script>alert(1)</script>");
      const com = concat(Buffer.from([0xff, 0xfe, 0, comment.length + 2]), comment);
      expect(checkAttachmentBytes("image/jpeg", concat(JPEG.subarray(0, 2), com, JPEG.subarray(2)))).toEqual({ ok: true });
    });
  });

  describe("GIF", () => {
    const comment = (text: string) => concat(Buffer.from([0x21, 0xfe, text.length]), text, Buffer.from([0]));
    it.each([
      ["bytes after the trailer", concat(GIF, "alert(1)"), /bytes after its trailer/],
      ["no image", concat(GIF.subarray(0, 27), Buffer.from([0x3b])), /no image/],
      [
        "a colour table past the end",
        concat(GIF.subarray(0, 10), Buffer.from([0x87, 0, 0]), Buffer.alloc(20), Buffer.from([0x3b])),
        /trailer|ends inside/,
      ],
      ["an image descriptor cut short", concat(GIF.subarray(0, 32), Buffer.from([0x3b])), /ends inside/],
      ["an unknown block", concat(GIF.subarray(0, -1), "<", Buffer.from([0x3b])), /unknown block 0x3c/],
    ])("refuses %s", (_what, data, reason) => {
      expect(reasonOf("image/gif", data)).toMatch(reason);
    });

    it("accepts the older GIF87a, and script in a comment extension", () => {
      expect(checkAttachmentBytes("image/gif", concat("GIF87a", GIF.subarray(6)))).toEqual({ ok: true });
      expect(checkAttachmentBytes("image/gif", concat(GIF.subarray(0, 19), comment("<script>"), GIF.subarray(19)))).toEqual({ ok: true });
    });
  });

  describe("WebP", () => {
    const withSize = (data: Buffer, size: number) => {
      const copy = Buffer.from(data);
      copy.writeUInt32LE(size, 4);
      return copy;
    };
    it.each([
      ["a RIFF size one short", withSize(WEBP, WEBP.length - 9), /RIFF size/],
      ["bytes after the last chunk", withSize(concat(WEBP, "<script>"), WEBP.length - 8), /RIFF size/],
      ["bytes after the last chunk, counted in the RIFF size", withSize(concat(WEBP, "<html>"), WEBP.length + 6 - 8), /do not end/],
      ["a first chunk that is not VP8, VP8L or VP8X", concat(WEBP.subarray(0, 12), "ICCP", WEBP.subarray(16)), /first chunk/],
      [
        "a VP8L chunk without its signature",
        concat(WEBP.subarray(0, 20), Buffer.from([0]), WEBP.subarray(21)),
        /VP8L chunk has no signature/,
      ],
      ["a VP8 chunk without a key frame", concat(WEBP.subarray(0, 12), "VP8 ", WEBP.subarray(16)), /key frame/],
    ])("refuses %s", (_what, data, reason) => {
      expect(reasonOf("image/webp", data)).toMatch(reason);
    });
  });

  describe("PDF", () => {
    const body = pdf();
    it.each([
      ["HTML after %%EOF", concat(body, "<script>alert(1)</script>"), /does not end with %%EOF/],
      ["%PDF-3.0", concat("%PDF-3.0", body.subarray(8)), /header/],
      ["%PDF-1 with no minor version", concat("%PDF-1\n", body.subarray(9)), /header/],
      ["no startxref", Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), /startxref/],
      ["a startxref past the end", Buffer.from("%PDF-1.7\nstartxref\n99999\n%%EOF"), /startxref/],
      ["%%EOF more than 1 KiB before the end", concat(body, " ".repeat(1100)), /last 1 KiB/],
    ])("refuses %s", (_what, data, reason) => {
      expect(reasonOf("application/pdf", data)).toMatch(reason);
    });

    it("accepts PDF 2.0, and whitespace after %%EOF", () => {
      expect(checkAttachmentBytes("application/pdf", pdf("2.0"))).toEqual({ ok: true });
      expect(checkAttachmentBytes("application/pdf", concat(body, "\r\n \0\t"))).toEqual({ ok: true });
    });
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
