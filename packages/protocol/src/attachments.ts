import type { Attachment } from "./messages.js";

/**
 * The most attachments one message may carry: a stock Socket.IO parser accepts at most 10 binary
 * parts in one packet and closes the connection on more, without an ack.
 */
export const MAX_ATTACHMENTS = 10;

/** The types {@link sniffType} recognises by their leading bytes. */
export const SNIFFABLE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"] as const;

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

/** True when `value` has the {@link Attachment} shape: a string `type` and binary `data`. */
export function isAttachment(value: unknown): value is Attachment {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === "string" && isBinary(v.data);
}
