import { MAX_ATTACHMENTS, RoomkitError } from "@roomkit/protocol";

/** Binary data a send accepts: a `File` or `Blob`, an `ArrayBuffer`, or any typed array (a Node `Buffer` is a `Uint8Array`). */
export type BinaryInput = Blob | ArrayBuffer | ArrayBufferView;

/**
 * A body as `send` accepts it: wherever the contract says `Uint8Array` or `ArrayBuffer`
 * (an attachment's `data`), any {@link BinaryInput} will do.
 */
export type Sendable<T> = T extends Uint8Array | ArrayBuffer ? BinaryInput : T extends object ? { [K in keyof T]: Sendable<T[K]> } : T;

const MAX_DEPTH = 32;

const isBlob = (value: unknown): value is Blob => typeof Blob !== "undefined" && value instanceof Blob;

function isPlain(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Rebuilds plain objects and arrays along the way only where `leaf` changed something. */
function mapLeaves(value: unknown, depth: number, leaf: (v: unknown) => unknown): unknown {
  const mapped = leaf(value);
  if (mapped !== value || !isPlain(value) || depth >= MAX_DEPTH) return mapped;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = mapLeaves(item, depth + 1, leaf);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = mapLeaves(item, depth + 1, leaf);
    if (next !== item) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

/**
 * Makes a body ready for the wire: every `Blob` / `File` is read into a `Uint8Array`, and
 * typed arrays other than `Uint8Array` become `Uint8Array` views. Socket.IO then sends the
 * bytes as binary frames, never base64. A body with more than 10 binary values is refused
 * here (`TOO_LARGE`, `details.limit`), before it is sent: a stock Socket.IO parser would close
 * the connection on it instead of answering.
 *
 * @example
 * const body = await toWireBody({ text: "look", image: { type: "image/png", data: file } });
 */
export async function toWireBody(body: unknown): Promise<unknown> {
  const blobs: Blob[] = [];
  let binaries = 0;
  mapLeaves(body, 0, (v) => {
    if (isBlob(v)) blobs.push(v);
    if (isBlob(v) || v instanceof ArrayBuffer || ArrayBuffer.isView(v)) binaries++;
    return v;
  });
  if (binaries > MAX_ATTACHMENTS) {
    throw new RoomkitError("TOO_LARGE", `a message carries at most ${MAX_ATTACHMENTS} attachments`, { limit: MAX_ATTACHMENTS });
  }
  const read = new Map<Blob, Uint8Array>();
  await Promise.all(blobs.map(async (blob) => read.set(blob, new Uint8Array(await blob.arrayBuffer()))));
  return mapLeaves(body, 0, (v) => {
    if (isBlob(v)) return read.get(v);
    if (ArrayBuffer.isView(v) && !(v instanceof Uint8Array)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return v;
  });
}

/**
 * Makes a received body match its contract type: binary arrives as `ArrayBuffer` in browsers
 * (and `Buffer` in Node); it is handed out as `Uint8Array` everywhere.
 *
 * @example
 * const body = fromWireBody(push.message.body); // body.image.data instanceof Uint8Array
 */
export function fromWireBody<T>(body: T): T {
  return mapLeaves(body, 0, (v) => (v instanceof ArrayBuffer ? new Uint8Array(v) : v)) as T;
}

/** A received message with its body made to match its contract type (see {@link fromWireBody}). */
export function fromWireMessage<M extends { body?: unknown }>(message: M): M {
  if (message.body === undefined) return message;
  const body = fromWireBody(message.body);
  return body === message.body ? message : { ...message, body };
}
