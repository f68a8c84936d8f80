import { Buffer } from "node:buffer";
import { inflateSync } from "node:zlib";
import { decode as decodePng } from "fast-png";
import jpeg from "jpeg-js";
import omggif from "omggif";

/**
 * The example servers' image check, for Roomkit's `hooks.verifyAttachment`: it decodes every
 * pixel with a pure-JavaScript decoder, so a file that only looks like an image is refused. WebP
 * is left out: no decoder for it is plain JavaScript.
 */
export const DECODED_IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif"];

/** Widest or tallest image accepted, in pixels. */
export const MAX_IMAGE_SIDE = 8000;
/** Most pixels in one image, and decoded for it (all frames of a GIF together): 16 million is 64 MB as RGBA. */
export const MAX_IMAGE_PIXELS = 16_000_000;

type Verdict = true | { reject: string };

function sizeVerdict(width: number, height: number, pixels = width * height): Verdict {
  if (width < 1 || height < 1) return { reject: "the image has no pixels" };
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return { reject: `the image is over ${MAX_IMAGE_SIDE} pixels wide or tall` };
  if (Math.max(width * height, pixels) > MAX_IMAGE_PIXELS) return { reject: `the image is over ${MAX_IMAGE_PIXELS / 1e6} million pixels` };
  return true;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The exact length of a PNG's inflated pixel data (filter byte + row, per row of each pass), from its IHDR. */
function inflatedLength(width: number, height: number, bitDepth: number, colorType: number, interlaced: boolean): number {
  const rowBytes = (w: number) => Math.ceil((w * (CHANNELS[colorType] ?? 4) * bitDepth) / 8) + 1;
  if (!interlaced) return rowBytes(width) * height;
  let total = 0;
  for (const [x, y, dx, dy] of ADAM7) {
    const w = Math.ceil((width - x) / dx);
    const h = Math.ceil((height - y) / dy);
    if (w > 0 && h > 0) total += rowBytes(w) * h;
  }
  return total;
}

/** The data of a PNG's IDAT chunks, joined. */
function idatOf(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at + 12 <= bytes.length; at += 12 + bytes.readUInt32BE(at)) {
    if (bytes.toString("latin1", at + 4, at + 8) === "IDAT") parts.push(bytes.subarray(at + 8, at + 8 + bytes.readUInt32BE(at)));
  }
  return Buffer.concat(parts);
}

// Each decoder reads the size first and decodes only within the bounds, then every pixel.
const decoders: Record<string, (bytes: Buffer) => Verdict> = {
  "image/png": (bytes) => {
    // The server checked that IHDR comes first: its fields start at byte 16.
    if (bytes.length < 29) return { reject: "the PNG is too short" };
    const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    const size = sizeVerdict(width, height);
    if (size !== true) return size;
    // fast-png inflates without a bound: first prove the pixel data inflates to exactly its size (no zlib bomb).
    const expected = inflatedLength(width, height, bytes[24]!, bytes[25]!, bytes[28] === 1);
    if (inflateSync(idatOf(bytes), { maxOutputLength: expected }).length !== expected)
      return { reject: "the PNG's pixel data is not its size" };
    decodePng(bytes, { checkCrc: true }); // unfilters every row, checking each chunk's CRC
    return true;
  },
  "image/jpeg": (bytes) => {
    const image = jpeg.decode(bytes, {
      useTArray: true,
      tolerantDecoding: false,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: 512,
    });
    return sizeVerdict(image.width, image.height);
  },
  "image/gif": (bytes) => {
    const gif = new omggif.GifReader(bytes); // walks every block
    const frames = Array.from({ length: gif.numFrames() }, (_, i) => gif.frameInfo(i));
    if (frames.some((f) => f.x + f.width > gif.width || f.y + f.height > gif.height))
      return { reject: "a GIF frame lies outside the image" };
    const size = sizeVerdict(
      gif.width,
      gif.height,
      frames.reduce((sum, f) => sum + f.width * f.height, 0),
    );
    if (size !== true) return size;
    const pixels = new Uint8Array(gif.width * gif.height * 4);
    for (let i = 0; i < frames.length; i++) gif.decodeAndBlitFrameRGBA(i, pixels);
    return true;
  },
};

/**
 * Decodes an image attachment fully; `true` when it decodes within the size bounds, else a
 * refusal with the reason, which the sender gets in their `INVALID` ack. It runs on the event
 * loop (a 16-megapixel PNG takes about a second, a JPEG two or three): a busy app decodes in a
 * worker (`node:worker_threads`) instead.
 *
 * @example
 * createRoomkit(io, {
 *   contract,
 *   limits: { attachmentTypes: DECODED_IMAGE_TYPES },
 *   hooks: { verifyAttachment: verifyImage },
 * });
 */
export function verifyImage({ type, data }: { type: string; data: Uint8Array }): Verdict {
  const decode = Object.hasOwn(decoders, type) ? decoders[type] : undefined;
  if (!decode) return { reject: `this server does not accept "${type}" attachments` };
  try {
    return decode(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  } catch (err) {
    return { reject: `the image does not decode: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200) };
  }
}
