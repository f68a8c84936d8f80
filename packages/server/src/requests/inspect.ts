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
  bytes: number;
  attachments: Attachment[];
  attachmentBytes: number;
}

const EMPTY: FieldStats = Object.freeze({ bytes: 0, attachments: Object.freeze([]) as readonly Attachment[], attachmentBytes: 0 });

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
    } else if (c >= 0xd800 && c <= 0xdfff) n += 6; // a lone surrogate is written as \uDXXX
    else n += 3;
  }
  return n;
}

function scalarBytes(value: unknown): number {
  switch (typeof value) {
    case "string": return jsonStringBytes(value);
    case "number": return Number.isFinite(value) ? String(value).length : 4;
    case "boolean": return value ? 4 : 5;
    default: return 4; // null
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
  const fields = new Map<string, Stats>();
  const stack: Frame[] = [];
  let bytes = 0;
  let nodes = 1;
  let name: string | undefined;
  let current: Stats | undefined;
  let start = 0;

  const add = (n: number) => {
    bytes += n;
    if (bytes > limits.requestBytes) {
      throw new RoomkitError("TOO_LARGE", `the request is over ${limits.requestBytes} bytes of JSON`, { limit: limits.requestBytes });
    }
  };

  /** Writes one value: a scalar at once, an object or array as a new frame. */
  const visit = (value: unknown, parent: Frame | undefined, key: string | undefined): void => {
    if (typeof value !== "object" || value === null) {
      // A string's JSON is at least its length + 2: a huge one is refused before it is scanned.
      if (typeof value === "string" && bytes + value.length + 2 > limits.requestBytes) add(value.length + 2);
      return add(scalarBytes(value));
    }
    if (isBinary(value)) {
      if (!parent?.attachment || key !== "data") throw new RoomkitError("INVALID", "binary data must sit in an attachment: { type, data }");
      return add(4);
    }
    const level = parent ? parent.level + 1 : 0;
    if (level > limits.depth) {
      throw new RoomkitError("INVALID", `objects and arrays nest deeper than ${limits.depth} levels${where(name)}`, { limit: limits.depth });
    }
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    const length = keys ? keys.length : (value as unknown[]).length;
    // Every property and item counts as the object or array is opened, before any is read.
    nodes += length;
    if (nodes > limits.nodes) {
      throw new RoomkitError("TOO_LARGE", `the request holds more than ${limits.nodes} values`, { limit: limits.nodes });
    }
    const attachment = level > 0 && keys !== undefined && isAttachment(value) && Object.hasOwn(value, "data");
    if (attachment && current) {
      current.attachments.push(value as Attachment);
      current.attachmentBytes += (value as Attachment).data.byteLength;
    }
    stack.push({ container: value as Frame["container"], keys, length, level, attachment, next: 0, written: 0 });
    add(1);
  };

  const root = jsonValue(payload, "");
  if (root === undefined || typeof root === "function" || typeof root === "symbol") return inspection(0, 1, fields);
  visit(root, undefined, undefined);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (stack.length === 1 && current) {
      current.bytes = bytes - start;
      current = undefined;
    }
    if (frame.next === frame.length) {
      stack.pop();
      add(1);
      continue;
    }
    const i = frame.next++;
    const key = frame.keys?.[i];
    if (key !== undefined) checkKey(key, stack.length === 1 ? undefined : name);
    const raw = key === undefined ? (frame.container as unknown[])[i] : (frame.container as Record<string, unknown>)[key];
    const value = jsonValue(raw, key ?? i);
    if (value === undefined || typeof value === "function" || typeof value === "symbol") {
      // JSON leaves such a property out, and writes null for such an item.
      if (key === undefined) add((frame.written++ > 0 ? 1 : 0) + 4);
      continue;
    }
    add((frame.written++ > 0 ? 1 : 0) + (key === undefined ? 0 : jsonStringBytes(key) + 1));
    if (stack.length === 1 && key !== undefined) {
      name = key;
      current = { bytes: 0, attachments: [], attachmentBytes: 0 };
      fields.set(key, current);
      start = bytes;
    }
    visit(value, frame, key);
  }
  return inspection(bytes, nodes, fields);
}

function inspection(bytes: number, nodes: number, fields: Map<string, Stats>): Inspection {
  return { bytes, nodes, field: (name) => fields.get(name) ?? EMPTY };
}
