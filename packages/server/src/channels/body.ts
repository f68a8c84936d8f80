import { RoomkitError, asBytes, checkAttachmentBytes } from "@roomkit/protocol";
import type { Attachment, ResolvedChannel, Shape, TypeOnly } from "@roomkit/protocol";
import type { RoomkitLimits } from "../options.js";
import type { FieldStats } from "../requests/inspect.js";

function checkAttachment(declared: string, bytes: Uint8Array, limits: RoomkitLimits): void {
  if (!limits.attachmentTypes.includes(declared)) {
    throw new RoomkitError("INVALID", `attachment type "${declared.slice(0, 64)}" is not accepted`, {
      accepted: [...limits.attachmentTypes],
    });
  }
  const framing = checkAttachmentBytes(declared, bytes);
  if (!framing.ok) throw new RoomkitError("INVALID", `attachment "${declared}" is refused: ${framing.reason}`);
}

/**
 * Checks a message body from its inspection (requests/inspect.ts), in order: present; its JSON
 * within `bodyBytes`; at most `attachments` attachments, within `attachmentBytes` in all; each
 * of an accepted type that its bytes match. Returns the attachments.
 */
export function inspectBody(body: unknown, stats: FieldStats, limits: RoomkitLimits): readonly Attachment[] {
  if (body === undefined) throw new RoomkitError("INVALID", '"body" is required');
  if (stats.bytes > limits.bodyBytes) {
    throw new RoomkitError("TOO_LARGE", `the body is over ${limits.bodyBytes} bytes`, { limit: limits.bodyBytes });
  }
  if (stats.attachments.length > limits.attachments) {
    throw new RoomkitError("TOO_LARGE", `a message carries at most ${limits.attachments} attachments`, { limit: limits.attachments });
  }
  if (stats.attachmentBytes > limits.attachmentBytes) {
    throw new RoomkitError("TOO_LARGE", `attachments are over ${limits.attachmentBytes} bytes`, { limit: limits.attachmentBytes });
  }
  for (const attachment of stats.attachments) checkAttachment(attachment.type, asBytes(attachment.data), limits);
  return stats.attachments;
}

/** Checks signal data from its inspection: no binary, JSON within `signalBytes`. */
export function inspectSignalData(data: unknown, stats: FieldStats, limits: RoomkitLimits): void {
  if (data === undefined) return;
  if (stats.attachments.length > 0) throw new RoomkitError("INVALID", "signals carry no binary data");
  if (stats.bytes > limits.signalBytes) {
    throw new RoomkitError("TOO_LARGE", `signal data is over ${limits.signalBytes} bytes`, { limit: limits.signalBytes });
  }
}

type Schema = Exclude<Shape, TypeOnly<unknown>>;
type SchemaResult = Schema["~standard"] extends { validate(value: unknown): infer R } ? Awaited<R> : never;

/** A body its family's schema accepted: `value` is the body to store (the schema's output). */
export interface CheckedBody {
  readonly value: unknown;
}

const isSchema = (shape: unknown): shape is Schema => typeof shape === "object" && shape !== null && "~standard" in shape;

function accepted(ch: ResolvedChannel, result: SchemaResult): CheckedBody {
  if (!result.issues) return result;
  const issues = result.issues.map((issue) => ({
    path: issue.path ? issue.path.map((p) => String(typeof p === "object" ? p.key : p)).join(".") : "",
    message: issue.message,
  }));
  throw new RoomkitError("INVALID", `the body does not match "${ch.family}": ${issues[0]?.message ?? "invalid"}`, { issues });
}

/**
 * Checks a body against its family's schema (what `validate` of @roomkit/protocol does), at once
 * when the schema answers synchronously, as most do: a promise only when the schema gave one.
 * Throws (or rejects with) `INVALID` and the schema's issues; a type-only shape accepts anything.
 *
 * @example
 * const checked = validateBody(ch, { text: "hi" });
 * const body = checked instanceof Promise ? (await checked).value : checked.value;
 */
export function validateBody(ch: ResolvedChannel, body: unknown): CheckedBody | Promise<CheckedBody> {
  const shape: unknown = ch.definition.body;
  if (!isSchema(shape)) return { value: body };
  const result = shape["~standard"].validate(body);
  return result instanceof Promise ? result.then((r: SchemaResult) => accepted(ch, r)) : accepted(ch, result);
}
