import { RoomkitError, isValidReaction } from "@roomkit/protocol";
import type { ChangeResult } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { Payload } from "../requests/fields.js";
import { requiredInt } from "../requests/fields.js";
import type { Inspection } from "../requests/inspect.js";
import type { Grant } from "./access.js";
import { assertAccess, resolve } from "./access.js";
import type { ChangeActor } from "./changes.js";
import { assertReactionAllowed, deleteMessage, editMessage, setReaction } from "./changes.js";

const actorOf = (session: Session, grant: Grant): ChangeActor => ({
  by: session.user.id,
  role: grant.member?.role,
  senderSocket: session.socket.id,
});

/** `rk:edit`: a new body for the connection's user's own message. */
export async function edit(ctx: Context, session: Session, p: Payload, inspection: Inspection): Promise<ChangeResult> {
  const ch = resolve(ctx, p.channel);
  const seq = requiredInt(p, "seq", 1);
  if (p.body === undefined) throw new RoomkitError("INVALID", '"body" is required');
  const grant = await assertAccess(ctx, session, "edit", ch);
  return editMessage(ctx, ch, seq, p.body, actorOf(session, grant), inspection.field("body"));
}

/** `rk:delete`: the user's own message, or any message of a room they own or administer. */
export async function remove(ctx: Context, session: Session, p: Payload): Promise<ChangeResult> {
  const ch = resolve(ctx, p.channel);
  const seq = requiredInt(p, "seq", 1);
  const grant = await assertAccess(ctx, session, "delete", ch);
  return deleteMessage(ctx, ch, seq, actorOf(session, grant));
}

function reactionOf(p: Payload): string {
  const reaction = p.reaction;
  if (!isValidReaction(reaction)) {
    throw new RoomkitError("INVALID", '"reaction" must be 1-32 characters, without control characters or lone surrogates, not only spaces');
  }
  return reaction;
}

function reactionRequest(type: "react" | "unreact") {
  return async (ctx: Context, session: Session, p: Payload): Promise<ChangeResult> => {
    const ch = resolve(ctx, p.channel);
    const seq = requiredInt(p, "seq", 1);
    const reaction = reactionOf(p);
    assertReactionAllowed(ch, reaction);
    const grant = await assertAccess(ctx, session, "react", ch);
    return setReaction(ctx, ch, seq, reaction, type, actorOf(session, grant));
  };
}

/** `rk:react`: adds the user's reaction (once: a second time changes nothing). */
export const react = reactionRequest("react");
/** `rk:unreact`: removes it (removing one not given changes nothing). */
export const unreact = reactionRequest("unreact");
