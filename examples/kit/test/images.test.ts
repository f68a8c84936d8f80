import { Buffer } from "node:buffer";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encode as encodePng } from "fast-png";
import jpeg from "jpeg-js";
import omggif from "omggif";
import { checkAttachmentBytes } from "@roomkit/protocol";
import { GIF, pngChunk } from "../../../packages/protocol/test/support/images.js";
import { MAX_IMAGE_SIDE, verifyImage } from "../src/images.js";

/** A `width` × `height` RGBA gradient. */
function pixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i * 37) % 256, (i * 11) % 256, 128, 255], i * 4);
  return data;
}

const PNG = Buffer.from(encodePng({ width: 6, height: 4, data: pixels(6, 4), channels: 4, depth: 8 }));
const JPEG = jpeg.encode({ width: 16, height: 8, data: pixels(16, 8) }, 80).data;

function gif(): Buffer {
  const out = Buffer.alloc(1024);
  const writer = new omggif.GifWriter(out, 4, 4, { palette: [0x000000, 0xff0000, 0x00ff00, 0x0000ff] });
  for (let frame = 0; frame < 2; frame++)
    writer.addFrame(
      0,
      0,
      4,
      4,
      Array.from({ length: 16 }, (_, i) => (i + frame) % 4),
      { delay: 10 },
    );
  return out.subarray(0, writer.end());
}

/** The PNG's IDAT replaced by `data`, with a correct CRC: framed like a PNG, whatever its pixels. */
function withIdat(data: Buffer): Buffer {
  const at = PNG.indexOf("IDAT") - 4;
  const length = PNG.readUInt32BE(at);
  return Buffer.concat([PNG.subarray(0, at), pngChunk("IDAT", data), PNG.subarray(at + 12 + length)]);
}

/** Bytes that pass Roomkit's framing check: what the hook is for is what that check cannot see. */
function framed(type: string, data: Buffer): Buffer {
  expect(checkAttachmentBytes(type, data), `${type} framing`).toEqual({ ok: true });
  return data;
}

describe("verifyImage, the example servers' verifyAttachment", () => {
  it.each([
    ["image/png", PNG],
    ["image/jpeg", JPEG],
    ["image/gif", gif()],
    ["image/gif", GIF],
  ])("accepts a genuine %s, decoded to its last pixel", (type, data) => {
    expect(verifyImage({ type, data: framed(type, data) })).toBe(true);
  });

  it("accepts an interlaced PNG, whose pixel data is the seven Adam7 passes", () => {
    const header = Buffer.from([0, 0, 0, 3, 0, 0, 0, 3, 8, 2, 0, 0, 1]); // 3 x 3, 8-bit RGB, interlaced
    // Passes 1, 4, 5, 6 (two rows) and 7 of a 3 x 3 image: 1, 1, 2, 1 + 1, and 3 pixels a row, each row after its filter byte.
    const passes = Buffer.alloc(4 + 4 + 7 + 4 * 2 + 10);
    const interlaced = Buffer.concat([
      PNG.subarray(0, 8),
      pngChunk("IHDR", header),
      pngChunk("IDAT", deflateSync(passes)),
      PNG.subarray(-12),
    ]);
    expect(verifyImage({ type: "image/png", data: framed("image/png", interlaced) })).toBe(true);
    const oneShort = Buffer.concat([
      PNG.subarray(0, 8),
      pngChunk("IHDR", header),
      pngChunk("IDAT", deflateSync(passes.subarray(1))),
      PNG.subarray(-12),
    ]);
    expect(verifyImage({ type: "image/png", data: oneShort })).toEqual({ reject: "the PNG's pixel data is not its size" });
  });

  it("refuses a PNG whose compressed pixels are not zlib data", () => {
    const verdict = verifyImage({ type: "image/png", data: framed("image/png", withIdat(Buffer.from("<script>alert(1)</script>"))) });
    expect(verdict).toEqual({ reject: expect.stringMatching(/^the image does not decode: /) });
  });

  it("refuses a PNG whose pixel data inflates to fewer rows than its size", () => {
    const rows = Buffer.alloc((6 * 4 + 1) * 3); // 3 of its 4 rows of RGBA
    expect(verifyImage({ type: "image/png", data: framed("image/png", withIdat(deflateSync(rows))) })).toEqual({
      reject: "the PNG's pixel data is not its size",
    });
  });

  it("refuses a PNG zlib bomb (100 KB of IDAT inflating to 100 MB) inflating no more than its size, RSS growth under 50 MB", () => {
    const bomb = withIdat(deflateSync(Buffer.alloc(100e6), { level: 9 }));
    const rss = process.memoryUsage().rss;
    expect(verifyImage({ type: "image/png", data: framed("image/png", bomb) })).toEqual({
      reject: expect.stringMatching(/does not decode/),
    });
    const after = process.memoryUsage().rss;
    console.log(`zlib bomb of ${bomb.length} bytes: RSS ${Math.round(rss / 1e6)} MB before, ${Math.round(after / 1e6)} MB after`);
    expect(after - rss).toBeLessThan(50e6);
  });

  it("refuses a PNG with a chunk whose CRC is wrong", () => {
    const corrupt = Buffer.from(PNG);
    corrupt[PNG.indexOf("IDAT") + 6]! ^= 0xff;
    expect(verifyImage({ type: "image/png", data: framed("image/png", corrupt) })).toEqual({
      reject: expect.stringMatching(/does not decode/),
    });
  });

  it("refuses a JPEG whose Huffman tables are gone, though its segments and EOI are in place", () => {
    const dht = JPEG.indexOf(Buffer.from([0xff, 0xc4]));
    const length = JPEG.readUInt16BE(dht + 2);
    const corrupt = Buffer.concat([JPEG.subarray(0, dht), JPEG.subarray(dht + 2 + length)]);
    expect(verifyImage({ type: "image/jpeg", data: framed("image/jpeg", corrupt) })).toEqual({
      reject: expect.stringMatching(/does not decode/),
    });
  });

  it(`refuses absurd sizes before decoding: over ${MAX_IMAGE_SIDE} pixels a side, or over 16 million pixels`, () => {
    const sized = (width: number, height: number) => {
      const data = Buffer.from(PNG);
      data.writeUInt32BE(width, 16);
      data.writeUInt32BE(height, 20);
      return data;
    };
    expect(verifyImage({ type: "image/png", data: sized(MAX_IMAGE_SIDE + 1, 1) })).toEqual({
      reject: "the image is over 8000 pixels wide or tall",
    });
    expect(verifyImage({ type: "image/png", data: sized(5000, 5000) })).toEqual({ reject: "the image is over 16 million pixels" });
    const hugeGif = Buffer.from(GIF);
    hugeGif.writeUInt16LE(8000, 6);
    hugeGif.writeUInt16LE(8000, 8);
    expect(verifyImage({ type: "image/gif", data: hugeGif })).toEqual({ reject: "the image is over 16 million pixels" });
  });

  it("refuses types it has no decoder for", () => {
    expect(verifyImage({ type: "image/webp", data: new Uint8Array(16) })).toEqual({
      reject: 'this server does not accept "image/webp" attachments',
    });
    expect(verifyImage({ type: "__proto__", data: new Uint8Array(16) })).toEqual({
      reject: 'this server does not accept "__proto__" attachments',
    });
  });
});
