import { RoomkitError, isAttachment, isBinary } from "@roomkit/protocol";
import type { Attachment } from "@roomkit/protocol";
import type { RoomkitLimits } from "../options.js";

/** What the inspection learnt about the value of one top-level field of a payload. */
export interface FieldStats {
  /** The value's length as JSON in UTF-8 bytes, exactly what `JSON.stringify` writes with each binary value as `null`. */
  readonly bytes: number;
  /** The attachments in the value (objects with a string `type` and a binary `data`), in JSON order. */
  readonly attachments: readonly Attachment[];
  /** The bytes of their `data`, summed. */
  readonly attachmentBytes: number;
}

/** The result of {@link inspectPayload}: the payload is within every bound and holds no forbidden key. */
export interface Inspection {
  /** The whole payload's length as JSON (see {@link FieldStats.bytes}). */
  readonly bytes: number;
  /** Values counted: the payload itself, every property value and every array item. */
  readonly nodes: number;
  /** The stats of a top-level field; a field that is absent has 0 bytes and no attachments. */
  field(name: string): FieldStats;
}

interface Stats {
  /** The top-level field these are the stats of. */
  readonly name: string;
  bytes: number;
  /** {@link NONE} until the field's first attachment: most fields have none. */
  attachments: Attachment[];
  attachmentBytes: number;
}

const NONE = Object.freeze([]) as readonly Attachment[] as Attachment[];
const EMPTY: FieldStats = Object.freeze({ bytes: 0, attachments: NONE, attachmentBytes: 0 });

/** One open object or array of the walk. */
interface Frame {
  readonly container: Record<string, unknown> | unknown[];
  /** The object's own enumerable keys (what `JSON.stringify` writes); `undefined` for an array. */
  readonly keys: string[] | undefined;
  readonly length: number;
  /** 0 for the payload, 1 for a top-level field's value, one more per object or array inside. */
  readonly level: number;
  /** An attachment: its `data` may be binary. */
  readonly attachment: boolean;
  next: number;
  written: number;
}

// Printable ASCII but `"` and `\`: JSON writes such a string as is, one byte per character.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The UTF-8 length of `s` as a JSON string, quotes and escapes included. */
export function jsonStringBytes(s: string): number {
  if (PLAIN.test(s)) return s.length + 2;
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x22 || c === 0x5c) n += 2;
      else if (c >= 0x20) n += 1;
      // \b \t \n \f \r have two-character escapes; other controls are \u00XX.
      else n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    } else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff)
      n += 6; // a lone surrogate is written as \uDXXX
    else n += 3;
  }
  return n;
}

/** The length of a number as JSON: an integer's digits are counted without making its string. */
function numberBytes(n: number): number {
  if (!Number.isSafeInteger(n)) return Number.isFinite(n) ? String(n).length : 4;
  // -0 is written "0".
  const negative = n < 0;
  const a = negative ? -n : n;
  let digits = 1;
  for (let next = 10; a >= next && digits < 16; next *= 10) digits++;
  return negative ? digits + 1 : digits;
}

function scalarBytes(value: unknown): number {
  switch (typeof value) {
    case "string":
      return jsonStringBytes(value);
    case "number":
      return numberBytes(value);
    case "boolean":
      return value ? 4 : 5;
    default:
      return 4; // null
  }
}

/** What `JSON.stringify` writes in place of `value`: its `toJSON(key)`, a boxed primitive unboxed. */
function jsonValue(value: unknown, key: string | number): unknown {
  if (typeof value === "object" && value !== null && !isBinary(value)) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") value = toJSON.call(value, String(key));
    if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  }
  if (typeof value === "bigint") throw new RoomkitError("INVALID", "a bigint has no JSON form");
  return value;
}

/** Keys that would reach an object's prototype machinery, and the key of Socket.IO's binary placeholders. */
function checkKey(key: string, field: string | undefined): void {
  if (key === "__proto__" || key === "constructor" || key === "prototype" || key === "_placeholder") {
    throw new RoomkitError("INVALID", `the key "${key}" is not allowed${where(field)}`, { key });
  }
}

const where = (field: string | undefined) => (field === undefined ? "" : ` (in "${field.slice(0, 32)}")`);

/**
 * Inspects a request payload before anything else reads it: one iterative walk (no depth can
 * overflow the stack) in `JSON.stringify`'s order, which stops at the first rule broken:
 *
 * - a key `__proto__`, `constructor`, `prototype` or `_placeholder`, at any depth: `INVALID`;
 * - a binary value anywhere but as the `data` of an attachment: `INVALID`;
 * - an object or array deeper than `limits.depth` levels, counted from each top-level field's
 *   value (the field `{"a":[1]}` is 2 levels, a string 0): `INVALID`, `details.limit`;
 * - more than `limits.nodes` values (the payload, every property, every item; an object or
 *   array counts all its entries as it opens): `TOO_LARGE`, `details.limit`;
 * - JSON over `limits.requestBytes` UTF-8 bytes, binary counted as `null`, checked as each
 *   piece is counted: `TOO_LARGE`, `details.limit`.
 *
 * On the way it sizes each top-level field and collects its attachments (docs/protocol.md §3).
 *
 * @example
 * const inspection = inspectPayload({ channel: "room:42", body: { text: "hi" } }, limits);
 * inspection.field("body").bytes; // 13, the length of {"text":"hi"}
 */
export function inspectPayload(payload: unknown, limits: RoomkitLimits): Inspection {
  return new PayloadWalk(limits).run(payload);
}

/** The state of one walk; once done, it is the {@link Inspection}. */
class PayloadWalk implements Inspection {
  bytes = 0;
  nodes = 1;
  readonly #limits: RoomkitLimits;
  readonly #stack: Frame[] = [];
  // Few fields per payload: a list costs less than a Map.
  readonly #stats: Stats[] = [];
  /** The top-level field being walked, and where its value started. */
  #name: string | undefined;
  #current: Stats | undefined;
  #start = 0;

  constructor(limits: RoomkitLimits) {
    this.#limits = limits;
  }

  field(name: string): FieldStats {
    for (const stats of this.#stats) if (stats.name === name) return stats;
    return EMPTY;
  }

  run(payload: unknown): this {
    const root = jsonValue(payload, "");
    if (root === undefined || typeof root === "function" || typeof root === "symbol") return this;
    const stack = this.#stack;
    this.#visit(root, undefined, undefined);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (stack.length === 1 && this.#current) {
        this.#current.bytes = this.bytes - this.#start;
        this.#current = undefined;
      }
      if (frame.next === frame.length) {
        stack.pop();
        this.#add(1);
        continue;
      }
      const i = frame.next++;
      const key = frame.keys?.[i];
      if (key !== undefined) checkKey(key, stack.length === 1 ? undefined : this.#name);
      const raw = key === undefined ? (frame.container as unknown[])[i] : (frame.container as Record<string, unknown>)[key];
      const value = jsonValue(raw, key ?? i);
      if (value === undefined || typeof value === "function" || typeof value === "symbol") {
        // JSON leaves such a property out, and writes null for such an item.
        if (key === undefined) this.#add((frame.written++ > 0 ? 1 : 0) + 4);
        continue;
      }
      this.#add((frame.written++ > 0 ? 1 : 0) + (key === undefined ? 0 : jsonStringBytes(key) + 1));
      if (stack.length === 1 && key !== undefined) this.#startField(key);
      this.#visit(value, frame, key);
    }
    return this;
  }

  #startField(name: string): void {
    this.#name = name;
    this.#current = { name, bytes: 0, attachments: NONE, attachmentBytes: 0 };
    this.#stats.push(this.#current);
    this.#start = this.bytes;
  }

  #add(n: number): void {
    this.bytes += n;
    const limit = this.#limits.requestBytes;
    if (this.bytes > limit) throw new RoomkitError("TOO_LARGE", `the request is over ${limit} bytes of JSON`, { limit });
  }

  /** Writes one value: a scalar at once, an object or array as a new frame. */
  #visit(value: unknown, parent: Frame | undefined, key: string | undefined): void {
    const limits = this.#limits;
    if (typeof value !== "object" || value === null) {
      // A string's JSON is at least its length + 2: a huge one is refused before it is scanned.
      if (typeof value === "string" && this.bytes + value.length + 2 > limits.requestBytes) this.#add(value.length + 2);
      return this.#add(scalarBytes(value));
    }
    if (isBinary(value)) {
      if (!parent?.attachment || key !== "data") throw new RoomkitError("INVALID", "binary data must sit in an attachment: { type, data }");
      return this.#add(4);
    }
    const level = parent ? parent.level + 1 : 0;
    if (level > limits.depth) {
      throw new RoomkitError("INVALID", `objects and arrays nest deeper than ${limits.depth} levels${where(this.#name)}`, {
        limit: limits.depth,
      });
    }
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    const length = keys ? keys.length : (value as unknown[]).length;
    // Every property and item counts as the object or array is opened, before any is read.
    this.nodes += length;
    if (this.nodes > limits.nodes) {
      throw new RoomkitError("TOO_LARGE", `the request holds more than ${limits.nodes} values`, { limit: limits.nodes });
    }
    const attachment = level > 0 && keys !== undefined && isAttachment(value) && Object.hasOwn(value, "data");
    if (attachment && this.#current) {
      if (this.#current.attachments === NONE) this.#current.attachments = [];
      this.#current.attachments.push(value as Attachment);
      this.#current.attachmentBytes += (value as Attachment).data.byteLength;
    }
    this.#stack.push({ container: value as Frame["container"], keys, length, level, attachment, next: 0, written: 0 });
    this.#add(1);
  }
}
