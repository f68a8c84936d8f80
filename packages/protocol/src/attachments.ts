import type { Attachment } from "./messages.js";
import type { FramingCheck } from "./attachment-framing.js";
import { gifFraming, jpegFraming, pdfFraming, pngFraming, webpFraming } from "./attachment-framing.js";

/**
 * The most attachments one message may carry: a stock Socket.IO parser accepts at most 10 binary
 * parts in one packet and closes the connection on more, without an ack.
 */
export const MAX_ATTACHMENTS = 10;

/** The types {@link sniffType} recognises by their leading bytes and {@link checkAttachmentBytes} checks the framing of. */
export const SNIFFABLE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"] as const;

/** A type in {@link SNIFFABLE_TYPES}. */
export type SniffableType = (typeof SNIFFABLE_TYPES)[number];

const FRAMING: Record<SniffableType, FramingCheck> = {
  "image/png": pngFraming,
  "image/jpeg": jpegFraming,
  "image/gif": gifFraming,
  "image/webp": webpFraming,
  "application/pdf": pdfFraming,
};

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

/** Views binary data as bytes without copying. */
export function asBytes(data: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** True for the binary values Socket.IO carries as binary: `ArrayBuffer` and typed arrays (Node's `Buffer`). */
export function isBinary(value: unknown): value is Uint8Array | ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/**
 * The MIME type that the bytes themselves say, from their magic numbers, or `undefined`.
 *
 * @example
 * sniffType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])); // "image/png"
 */
export function sniffType(data: Uint8Array | ArrayBuffer): string | undefined {
  const b = asBytes(data);
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, "PNG\r\n\x1a\n")) return "image/png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) return "image/gif";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "image/webp";
  if (ascii(b, 0, "%PDF-")) return "application/pdf";
  return undefined;
}

/** What {@link checkAttachmentBytes} found: framed like the declared type, or the reason they are not. */
export type AttachmentBytesCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks that bytes are framed like the declared type, in one pass: its signature, then its
 * structure and trailer (PNG: IHDR first, chunks walking to an IEND that ends the data; JPEG:
 * segments to the scan, EOI last; GIF: blocks to the trailer, the last byte; WebP: the RIFF size
 * and chunks; PDF: the header, and `startxref` and `%%EOF` at the end). So a signature with HTML
 * or script after it, or a truncated file, fails. It does not prove that the image decodes, that
 * no comment or metadata chunk holds script, or how a browser would sniff the bytes: see
 * docs/protocol.md §13.
 *
 * @example
 * checkAttachmentBytes("image/gif", gifBytes); // { ok: true }
 * checkAttachmentBytes("image/png", pngSignatureThenHtml); // { ok: false, reason: "a PNG must start with a 13-byte IHDR chunk" }
 */
export function checkAttachmentBytes(type: string, data: Uint8Array | ArrayBuffer): AttachmentBytesCheck {
  const b = asBytes(data);
  if (!Object.hasOwn(FRAMING, type)) return { ok: false, reason: `"${type.slice(0, 64)}" is not a type whose bytes can be checked` };
  const actual = sniffType(b);
  if (actual !== type) return { ok: false, reason: `its bytes are ${actual ? `"${actual}"` : "not a known type"}` };
  const reason = FRAMING[actual as SniffableType](b);
  return reason === undefined ? { ok: true } : { ok: false, reason };
}

/** True when `value` has the {@link Attachment} shape: a string `type` and binary `data`. */
export function isAttachment(value: unknown): value is Attachment {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === "string" && isBinary(v.data);
}
