import { RoomkitError, asBytes, isAttachment, isBinary } from "@roomkit/protocol";
import type { Attachment, ResolvedChannel } from "@roomkit/protocol";
import type { RoomkitHooks } from "../options.js";
import { refOf } from "./access.js";

/** The attachments in a body, in document order; an attachment's own fields are not searched. */
function attachmentsIn(body: unknown): Attachment[] {
  const found: Attachment[] = [];
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== "object" || isBinary(value)) continue;
    if (isAttachment(value)) {
      found.push(value);
      continue;
    }
    const children = Object.values(value);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}

/**
 * Offers each attachment of a validated body to the app's `verifyAttachment`, in order. Only
 * `true` accepts it; `false`, `{ reject }` or anything else refuses the message as INVALID. What
 * the hook throws goes on as it is (a `RoomkitError` keeps its code, the rest answers INTERNAL).
 */
export async function verifyAttachments(
  hook: NonNullable<RoomkitHooks["verifyAttachment"]>,
  ch: ResolvedChannel,
  from: string,
  body: unknown,
): Promise<void> {
  for (const { type, data } of attachmentsIn(body)) {
    const verdict: unknown = await hook({ channel: refOf(ch), from, type, data: asBytes(data) });
    if (verdict === true) continue;
    const reject = typeof verdict === "object" && verdict !== null ? (verdict as { reject?: unknown }).reject : undefined;
    throw new RoomkitError("INVALID", typeof reject === "string" ? reject : `the server refused the "${type}" attachment`);
  }
}
