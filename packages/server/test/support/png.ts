import { Buffer } from "node:buffer";

/**
 * A PNG: its signature, an IHDR chunk for a 1x1 RGBA image, then `extra` bytes of filler
 * (`mark` fills them, so images can be told apart).
 */
export function png(extra = 32, mark = 0xab): Buffer<ArrayBuffer> {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const ihdr = [0, 0, 0, 13, ...Buffer.from("IHDR"), 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89];
  const head = [...signature, ...ihdr];
  const bytes = Buffer.alloc(head.length + extra, mark);
  bytes.set(head);
  return bytes;
}
