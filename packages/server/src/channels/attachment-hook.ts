import { RoomkitError, asBytes } from "@roomkit/protocol";
import type { Attachment, ResolvedChannel } from "@roomkit/protocol";
import type { RoomkitHooks } from "../options.js";
import { refOf } from "./access.js";

/**
 * Offers each attachment of a body (as the inspection found them) to the app's `verifyAttachment`, in order. Only
 * `true` accepts it; `false`, `{ reject }` or anything else refuses the message as INVALID. What
 * the hook throws goes on as it is (a `RoomkitError` keeps its code, the rest answers INTERNAL).
 */
export async function verifyAttachments(
  hook: NonNullable<RoomkitHooks["verifyAttachment"]>,
  ch: ResolvedChannel,
  from: string,
  attachments: readonly Attachment[],
): Promise<void> {
  for (const { type, data } of attachments) {
    const verdict: unknown = await hook({ channel: refOf(ch), from, type, data: asBytes(data) });
    if (verdict === true) continue;
    const reject = typeof verdict === "object" && verdict !== null ? (verdict as { reject?: unknown }).reject : undefined;
    throw new RoomkitError("INVALID", typeof reject === "string" ? reject : `the server refused the "${type}" attachment`);
  }
}
