import { RoomkitError, asBytes, checkAttachmentBytes } from "@roomkit/protocol";
import type { Attachment } from "@roomkit/protocol";
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
