/**
 * The framing of each sniffable type, checked in one pass over its chunks, blocks or segments:
 * each function returns `undefined` when the bytes are framed like the type, else why not.
 * None of them decodes pixels or pages (docs/protocol.md §13 says what that leaves open).
 */
export type FramingCheck = (b: Uint8Array) => string | undefined;

const u16be = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number): number => b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
const u32le = (b: Uint8Array, at: number): number => b[at + 3]! * 0x1000000 + ((b[at + 2]! << 16) | (b[at + 1]! << 8) | b[at]!);
const text = (b: Uint8Array, at: number, length: number): string => String.fromCharCode(...b.subarray(at, at + length));
const isLetter = (c: number | undefined): boolean => c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
const isChunkType = (b: Uint8Array, at: number): boolean =>
  isLetter(b[at]) && isLetter(b[at + 1]) && isLetter(b[at + 2]) && isLetter(b[at + 3]);

/** PNG: IHDR first (13 bytes, non-zero size), chunk lengths walking to an IEND that ends the data, an IDAT before it. */
export const pngFraming: FramingCheck = (b) => {
  if (b.length < 8 + 25 || u32be(b, 8) !== 13 || text(b, 12, 4) !== "IHDR") return "a PNG must start with a 13-byte IHDR chunk";
  if (u32be(b, 16) === 0 || u32be(b, 20) === 0) return "the PNG's width or height is 0";
  let at = 8;
  let sawData = false;
  while (at + 12 <= b.length) {
    const length = u32be(b, at);
    if (length > 0x7fffffff || !isChunkType(b, at + 4)) return `the PNG has a malformed chunk at byte ${at}`;
    const type = text(b, at + 4, 4);
    const end = at + 12 + length;
    if (end > b.length) return `the PNG's "${type}" chunk runs past the end of the data`;
    if (type === "IDAT") sawData = true;
    if (type === "IEND") {
      if (length !== 0) return "the PNG's IEND chunk is not empty";
      if (!sawData) return "the PNG has no IDAT chunk";
      return end === b.length ? undefined : `the PNG has ${b.length - end} bytes after its IEND chunk`;
    }
    at = end;
  }
  return "the PNG ends before its IEND chunk";
};

// Markers with no length field: TEM and RST0-7. SOF0-15 are C0-CF less DHT (C4), JPG (C8) and DAC (CC).
const standalone = (m: number): boolean => m === 0x01 || (m >= 0xd0 && m <= 0xd7);
const isFrame = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** JPEG: SOI, marker segments whose lengths walk to a start of scan with a frame header before it, EOI as the last two bytes. */
export const jpegFraming: FramingCheck = (b) => {
  let at = 2;
  let sawFrame = false;
  for (;;) {
    if (at >= b.length || b[at] !== 0xff) return `the JPEG has no marker at byte ${at}`;
    while (b[at] === 0xff) at++; // fill bytes may precede a marker
    const marker = b[at++];
    if (marker === undefined) return "the JPEG ends inside a marker";
    if (standalone(marker)) continue;
    if (marker === 0x00 || marker === 0xd8 || marker === 0xd9)
      return `the JPEG has marker FF${marker.toString(16).toUpperCase().padStart(2, "0")} before its scan`;
    if (at + 2 > b.length) return "the JPEG ends inside a marker segment";
    const length = u16be(b, at);
    if (length < 2 || at + length > b.length) return `the JPEG's segment at byte ${at - 2} runs past the end of the data`;
    if (isFrame(marker)) sawFrame = true;
    at += length;
    if (marker === 0xda) break;
  }
  if (!sawFrame) return "the JPEG has no frame header (SOF) before its scan";
  if (b.length < at + 2 || b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9) return "the JPEG does not end with its EOI marker (FF D9)";
  return undefined;
};

/** Skips a GIF's data sub-blocks (a size byte, that many bytes, until a 0), returning the offset after them or -1. */
function skipSubBlocks(b: Uint8Array, at: number): number {
  while (at < b.length) {
    const size = b[at]!;
    at += 1 + size;
    if (size === 0) return at;
  }
  return -1;
}

/** GIF: header, logical screen descriptor and its colour table, then image and extension blocks to the trailer (0x3B) as the last byte. */
export const gifFraming: FramingCheck = (b) => {
  if (b.length < 14) return "the GIF is shorter than its header and screen descriptor";
  const table = (packed: number) => (packed & 0x80 ? 3 << ((packed & 7) + 1) : 0);
  let at = 13 + table(b[10]!);
  let images = 0;
  while (at < b.length) {
    const block = b[at]!;
    if (block === 0x3b) {
      if (images === 0) return "the GIF has no image";
      return at === b.length - 1 ? undefined : `the GIF has ${b.length - at - 1} bytes after its trailer`;
    }
    if (block === 0x2c) {
      if (at + 11 > b.length) return "the GIF ends inside an image descriptor";
      at = skipSubBlocks(b, at + 10 + table(b[at + 9]!) + 1);
      images++;
    } else if (block === 0x21) {
      at = skipSubBlocks(b, at + 2);
    } else {
      return `the GIF has an unknown block 0x${block.toString(16)} at byte ${at}`;
    }
    if (at < 0) return "the GIF ends inside a block";
  }
  return "the GIF does not end with its trailer (0x3B)";
};

/** WebP: the RIFF size is the data length - 8, `WEBP`, a VP8/VP8L/VP8X first chunk, and chunks that walk to the end exactly. */
export const webpFraming: FramingCheck = (b) => {
  if (b.length < 20 || u32le(b, 4) !== b.length - 8) return "the WebP's RIFF size is not the length of the data";
  const first = text(b, 12, 4);
  if (first !== "VP8 " && first !== "VP8L" && first !== "VP8X") return "the WebP's first chunk is not VP8, VP8L or VP8X";
  if (first === "VP8 " && !((b[20]! & 1) === 0 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a))
    return "the WebP's VP8 chunk has no key frame";
  if (first === "VP8L" && b[20] !== 0x2f) return "the WebP's VP8L chunk has no signature";
  let at = 12;
  while (at + 8 <= b.length) at += 8 + u32le(b, at + 4) + (u32le(b, at + 4) & 1);
  return at === b.length ? undefined : "the WebP's chunks do not end where the data ends";
};

const PDF_SPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);

/** PDF: `%PDF-1.x` or `%PDF-2.x`, and `startxref`, an offset inside the file and `%%EOF` at the end (then only whitespace), in the last 1 KiB. */
export const pdfFraming: FramingCheck = (b) => {
  const digit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
  if (!(b[5] === 0x31 || b[5] === 0x32) || b[6] !== 0x2e || !digit(b[7])) return "the PDF's header is not %PDF-1.x or %PDF-2.x";
  let end = b.length;
  while (end > 0 && b.length - end <= 1024 && PDF_SPACE.has(b[end - 1]!)) end--;
  if (b.length - end > 1019) return "the PDF's %%EOF is not within its last 1 KiB";
  const tail = text(b, Math.max(0, end - 1024), Math.min(end, 1024));
  if (!tail.endsWith("%%EOF")) return "the PDF does not end with %%EOF (only whitespace may follow it)";
  const trailer = /startxref[\0\t\n\f\r ]+(\d{1,10})[\0\t\n\f\r ]+%%EOF$/.exec(tail);
  if (!trailer || Number(trailer[1]) >= b.length) return "the PDF has no startxref with an offset inside the file before its %%EOF";
  return undefined;
};
