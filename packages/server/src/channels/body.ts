import { Buffer } from "node:buffer";
import { RoomkitError, asBytes, checkAttachmentBytes, isAttachment, isBinary } from "@roomkit/protocol";
import type { RoomkitLimits } from "../options.js";

const MAX_DEPTH = 32;

interface Walk {
  binaryBytes: number;
}

function walk(value: unknown, depth: number, limits: RoomkitLimits, acc: Walk): void {
  if (value === null || typeof value !== "object") return;
  if (depth > MAX_DEPTH) throw new RoomkitError("INVALID", `the body nests deeper than ${MAX_DEPTH} levels`);
  if (isBinary(value)) throw new RoomkitError("INVALID", "binary data must sit in an attachment: { type, data }");
  if (isAttachment(value)) {
    checkAttachment(value.type, asBytes(value.data), limits);
    acc.binaryBytes += value.data.byteLength;
    if (acc.binaryBytes > limits.attachmentBytes) {
      throw new RoomkitError("TOO_LARGE", `attachments are over ${limits.attachmentBytes} bytes`, { limit: limits.attachmentBytes });
    }
    return;
  }
  for (const key in value) walk((value as Record<string, unknown>)[key], depth + 1, limits, acc);
}

function checkAttachment(declared: string, bytes: Uint8Array, limits: RoomkitLimits): void {
  if (!limits.attachmentTypes.includes(declared)) {
    throw new RoomkitError("INVALID", `attachment type "${declared.slice(0, 64)}" is not accepted`, {
      accepted: [...limits.attachmentTypes],
    });
  }
  const framing = checkAttachmentBytes(declared, bytes);
  if (!framing.ok) throw new RoomkitError("INVALID", `attachment "${declared}" is refused: ${framing.reason}`);
}

// JSON.stringify hands a replacer Buffer#toJSON()'s output, so look at the holder's raw value.
function withoutBinary(this: Record<string, unknown>, key: string, value: unknown): unknown {
  return isBinary(this[key]) ? null : value;
}

function refuseBinary(this: Record<string, unknown>, key: string, value: unknown): unknown {
  if (isBinary(this[key])) throw new RoomkitError("INVALID", "signals carry no binary data");
  return value;
}

/**
 * Checks a message body before validation: not empty, JSON within `bodyBytes`, binary only in
 * attachments whose declared type matches their bytes and whose total is within `attachmentBytes`.
 */
export function inspectBody(body: unknown, limits: RoomkitLimits): void {
  if (body === undefined) throw new RoomkitError("INVALID", '"body" is required');
  const acc: Walk = { binaryBytes: 0 };
  walk(body, 0, limits, acc);
  const json = JSON.stringify(body, acc.binaryBytes > 0 ? withoutBinary : undefined);
  if (Buffer.byteLength(json) > limits.bodyBytes) {
    throw new RoomkitError("TOO_LARGE", `the body is over ${limits.bodyBytes} bytes`, { limit: limits.bodyBytes });
  }
}

/** Checks signal data: JSON within `signalBytes`, no binary. */
export function inspectSignalData(data: unknown, limits: RoomkitLimits): void {
  if (data === undefined) return;
  const json = JSON.stringify(data, refuseBinary);
  if (json !== undefined && Buffer.byteLength(json) > limits.signalBytes) {
    throw new RoomkitError("TOO_LARGE", `signal data is over ${limits.signalBytes} bytes`, { limit: limits.signalBytes });
  }
}
