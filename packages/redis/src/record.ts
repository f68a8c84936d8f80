import { Buffer } from "node:buffer";
import { asBytes, isBinary } from "@roomkit/protocol";

type Path = Array<string | number>;
/** Where a binary value sat in the body, and its bytes in base64. */
type Binary = [Path, string];

function containsBinary(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== "object" || depth > 64) return false;
  if (isBinary(value)) return true;
  for (const key in value) if (containsBinary((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/** A JSON-safe copy of `value` with each binary value replaced by `null` and listed in `found`. */
function withoutBinary(value: unknown, path: Path, found: Binary[]): unknown {
  if (value === null || typeof value !== "object") return value;
  if (isBinary(value)) {
    found.push([path, Buffer.from(asBytes(value)).toString("base64")]);
    return null;
  }
  if (Array.isArray(value)) return value.map((item, i) => withoutBinary(item, [...path, i], found));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = withoutBinary(item, [...path, key], found);
  return copy;
}

/**
 * Encodes a value as JSON that keeps binary data (attachments): the bytes travel beside the JSON
 * as `[json, [[path, base64], ...]]`, never inside it, so no body can pass itself off as binary.
 */
export function encodeBody(body: unknown): [unknown] | [unknown, Binary[]] {
  if (!containsBinary(body)) return [body];
  const found: Binary[] = [];
  const json = withoutBinary(body, [], found);
  return [json, found];
}

/** The inverse of {@link encodeBody}: binary values come back as `Buffer`s where they were. */
export function decodeBody(encoded: [unknown] | [unknown, Binary[]]): unknown {
  const [json, binaries] = encoded;
  if (!binaries) return json;
  let body = json;
  for (const [path, base64] of binaries) {
    const bytes = Buffer.from(base64, "base64");
    if (path.length === 0) {
      body = bytes;
      continue;
    }
    let holder = body as Record<string | number, unknown>;
    for (const step of path.slice(0, -1)) holder = holder[step] as Record<string | number, unknown>;
    holder[path[path.length - 1]!] = bytes;
  }
  return body;
}
