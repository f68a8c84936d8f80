import { Buffer } from "node:buffer";
import { crc32, deflateSync } from "node:zlib";

/**
 * Small genuine files of each sniffable type, made here or kept as their bytes, and the
 * polyglots an attacker makes of them: the tests of the framing checks and of the server use them.
 */

/** One PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A decodable RGB PNG, `width` × `height` pixels; `comment` adds a tEXt chunk of that text (to pad it, or to hide things in). */
export function png({ width = 2, height = 2, comment }: { width?: number; height?: number; comment?: string } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width * 3 + 1)] = 0; // filter type 0 on each row
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", header),
    ...(comment === undefined ? [] : [pngChunk("tEXt", Buffer.from(`Comment\0${comment}`, "latin1"))]),
    pngChunk("IDAT", deflateSync(rows)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** An 8 × 8 baseline JPEG (made with jpeg-js `encode`, quality 50). */
export const JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2MBERISGBUYLxoaL2NCOEJjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY//AABEIAAgACAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AIVsvau54o0jl3kf/9k=",
  "base64",
);

/** A 1 × 1 GIF89a: screen descriptor, a two-colour table, a graphic control extension, one image, the trailer. */
export const GIF = Buffer.concat([
  Buffer.from("GIF89a", "latin1"),
  Buffer.from([1, 0, 1, 0, 0x80, 0, 0]), // 1 x 1, a global table of 2 colours
  Buffer.from([0, 0, 0, 0xff, 0xff, 0xff]),
  Buffer.from([0x21, 0xf9, 4, 1, 0, 0, 0, 0]), // graphic control extension: colour 0 is transparent
  Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]), // image descriptor at 0,0, 1 x 1
  Buffer.from([2, 2, 0x44, 0x01, 0]), // LZW minimum code size 2, one sub-block of 2 bytes, terminator
  Buffer.from([0x3b]),
]);

/** A 1 × 1 lossless WebP (RIFF, `WEBP`, one VP8L chunk). */
export const WEBP = Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");

/** A one-page PDF with a correct cross-reference table, `startxref` and `%%EOF`. */
export function pdf(version = "1.7"): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
  ];
  let body = `%PDF-${version}\n`;
  const offsets = objects.map((object, i) => {
    const at = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return at;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) body += `${String(at).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** A genuine small file of each sniffable type. */
export const GENUINE = {
  "image/png": png(),
  "image/jpeg": JPEG,
  "image/gif": GIF,
  "image/webp": WEBP,
  "application/pdf": pdf(),
} as const;

const HTML = "<!doctype html><html><body><script>alert(document.domain)</script></body></html>";

/**
 * The polyglots of finding 10: a signature that passes a first-bytes sniff, then a payload a
 * browser runs (the GIF one is JavaScript that even ends in `;`, the GIF trailer byte).
 */
export const POLYGLOTS = {
  "GIF89a + JavaScript": ["image/gif", Buffer.from("GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);", "latin1")],
  "a PNG signature + HTML": ["image/png", Buffer.concat([PNG_SIGNATURE, Buffer.from(HTML)])],
  "%PDF- + HTML": ["application/pdf", Buffer.from(`%PDF-1.4\n${HTML}`)],
  "a truncated PNG": ["image/png", png().subarray(0, -12)],
  "a JPEG without its EOI": ["image/jpeg", JPEG.subarray(0, -2)],
  "a GIF without its trailer": ["image/gif", GIF.subarray(0, -1)],
} as const satisfies Record<string, readonly [string, Buffer]>;
