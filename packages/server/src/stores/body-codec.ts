import { Buffer } from "node:buffer";
import { asBytes, isBinary } from "@roomkit/protocol";
import { logger } from "../log.js";

const log = logger("stores:body");

type Path = Array<string | number>;
/** Where a binary value sat in the body, and its bytes in base64. */
type Binary = [Path, string];

/** A body as a store keeps it: its JSON, with the bytes of any binary values beside it. */
export type EncodedBody = [unknown] | [unknown, Binary[]];

// Keys that lead into prototypes: a stored path never steps through them, whatever the record says.
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Sets an own data property: unlike `target[key] = value`, a `__proto__` key stays a key. */
function defineOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function containsBinary(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== "object" || depth > 64) return false;
  if (isBinary(value)) return true;
  for (const item of Object.values(value)) if (containsBinary(item, depth + 1)) return true;
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
  for (const [key, item] of Object.entries(value)) defineOwn(copy, key, withoutBinary(item, [...path, key], found));
  return copy;
}

/**
 * Encodes a message body for a store that keeps JSON (Redis, PostgreSQL, your own): the bytes of
 * binary values (attachments) travel beside the JSON as `[json, [[path, base64], ...]]`, never
 * inside it, so no body can pass itself off as binary.
 *
 * @example
 * const stored = JSON.stringify(encodeBody({ text: "hi", image: { type: "image/png", data: bytes } }));
 * const body = decodeBody(JSON.parse(stored)); // image.data is a Buffer again
 */
export function encodeBody(body: unknown): EncodedBody {
  if (!containsBinary(body)) return [body];
  const found: Binary[] = [];
  const json = withoutBinary(body, [], found);
  return [json, found];
}

/** Whether `holder[step]` is a slot the record itself made: an own property or item, never a prototype's. */
function ownSlot(holder: unknown, step: unknown): holder is Record<string | number, unknown> {
  if (typeof holder !== "object" || holder === null || isBinary(holder)) return false;
  if (Array.isArray(holder)) return typeof step === "number" && Number.isInteger(step) && step >= 0 && step < holder.length;
  return typeof step === "string" && !PROTOTYPE_KEYS.has(step) && Object.hasOwn(holder, step);
}

/** Puts `bytes` at `path` inside `body`, where the encoder left a `null`; false if the path leads anywhere else. */
function place(body: unknown, path: unknown[], bytes: Buffer): boolean {
  let holder: unknown = body;
  for (let i = 0; i < path.length - 1; i++) {
    if (!ownSlot(holder, path[i])) return false;
    holder = holder[path[i] as string | number];
  }
  const last = path[path.length - 1];
  if (!ownSlot(holder, last) || holder[last as string | number] !== null) return false;
  defineOwn(holder, last as string | number, bytes);
  return true;
}

/**
 * The inverse of {@link encodeBody}: binary values come back as `Buffer`s where they were. A
 * stored path that does not lead to the encoder's `null` through own properties (a record
 * written by hand, a `__proto__` step) is skipped and its `null` stays: nothing outside the
 * body is ever written.
 *
 * @example
 * const body = decodeBody(JSON.parse(row.body));
 */
export function decodeBody(encoded: EncodedBody): unknown {
  const [json, binaries] = encoded;
  if (!Array.isArray(binaries)) return json;
  let body = json;
  for (const entry of binaries as unknown[]) {
    const [path, base64] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (!Array.isArray(path) || typeof base64 !== "string") {
      log("skipped a malformed binary entry");
      continue;
    }
    const bytes = Buffer.from(base64, "base64");
    if (path.length === 0 && body === null) body = bytes;
    else if (path.length === 0 || !place(body, path, bytes)) log("skipped a binary at a path that leaves the body: %j", path);
  }
  return body;
}
