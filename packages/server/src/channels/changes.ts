import { PROTOCOL_VERSION, RoomkitError, SYSTEM_SENDER } from "@roomkit/protocol";
import type { ChangeEntry, ChangePush, ChangeResult, Message, ResolvedChannel, RoomRole } from "@roomkit/protocol";
import type { Context } from "../context.js";
import type { ChangeDraft } from "../options.js";
import type { ChangeInput, ChangeOutcome } from "../stores/types.js";
import type { FieldStats } from "../requests/inspect.js";
import { logger } from "../log.js";
import { refOf } from "./access.js";
import { audience } from "./audience.js";
import { checkBody, liveTarget } from "./publish.js";

const log = logger("changes");

/**
 * Who makes a change: a user (the message rules apply: their own messages, a room's owner and
 * admins delete any, the edit window) or the system (`$system`, all rights).
 */
export interface ChangeActor {
  /** The user id, or `$system`. */
  by: string;
  /** The user's role when the channel is a room they are a member of. */
  role?: RoomRole | undefined;
  /** The connection making it: its ack carries the change, so the push skips it. */
  senderSocket?: string;
}

const isSystem = (actor: ChangeActor) => actor.by === SYSTEM_SENDER;

function assertMayEdit(ctx: Context, actor: ChangeActor, message: Message, now: number): void {
  if (isSystem(actor)) return;
  if (message.from !== actor.by) throw new RoomkitError("FORBIDDEN", "only its author can edit a message");
  const windowMs = ctx.options.messages?.editWindowMs;
  if (windowMs !== undefined && now - message.sentAt > windowMs) {
    throw new RoomkitError("FORBIDDEN", `messages can be edited for ${windowMs} ms after they are sent`, { editWindowMs: windowMs });
  }
}

function assertMayDelete(actor: ChangeActor, message: Message): void {
  if (isSystem(actor) || message.from === actor.by || actor.role === "owner" || actor.role === "admin") return;
  throw new RoomkitError("FORBIDDEN", "only its author, or a room's owner or admins, can delete a message");
}

/** Asks `hooks.beforeChange`; returns the body to store for an edit. */
async function askBeforeChange(ctx: Context, draft: ChangeDraft): Promise<unknown> {
  const body = draft.type === "edit" ? draft.body : undefined;
  const hook = ctx.hooks.beforeChange;
  if (!hook) return body;
  const verdict = await hook(draft);
  if (!verdict) return body;
  if ("reject" in verdict) throw new RoomkitError(verdict.code ?? "FORBIDDEN", String(verdict.reject).slice(0, 200));
  return draft.type === "edit" ? verdict.body : undefined;
}

/** Stores a change and pushes its entry to the channel's audience (but the connection that made it). */
async function storeChange(ctx: Context, ch: ResolvedChannel, input: ChangeInput, actor: ChangeActor): Promise<ChangeResult> {
  const outcome: ChangeOutcome = await ctx.stores.messages.change(input);
  switch (outcome.status) {
    case "applied":
      break;
    case "unchanged":
      return { changed: false };
    case "missing":
      throw new RoomkitError("NOT_FOUND", `no message at seq ${input.target} in "${ch.id}"`);
    case "deleted":
      throw new RoomkitError("CONFLICT", `the message at seq ${input.target} was deleted`);
    case "full":
      throw new RoomkitError("RATE_LIMITED", `a message has at most ${ctx.limits.reactionsPerMessage} different reactions`, {
        limit: ctx.limits.reactionsPerMessage,
      });
  }
  const change: ChangeEntry = outcome.change;
  const push: ChangePush = { v: PROTOCOL_VERSION, change };
  const to = audience(ctx, ch);
  (actor.senderSocket === undefined ? to : to.except(actor.senderSocket)).emit("rk:change", push);
  if (log.enabled) log("%s %s seq %d of %d by %s", ch.id, change.type, change.seq, change.target, change.by);
  return { changed: true, change };
}

/**
 * Edits the message at `seq`: the author's rule and the edit window, the body through the checks
 * of a new message ({@link checkBody}), `beforeChange`, then the store. Channel policy is the caller's.
 */
export async function editMessage(
  ctx: Context,
  ch: ResolvedChannel,
  seq: number,
  body: unknown,
  actor: ChangeActor,
  inspected?: FieldStats,
): Promise<ChangeResult> {
  const now = Date.now();
  const message = await liveTarget(ctx, ch, seq);
  assertMayEdit(ctx, actor, message, now);
  const checked = await checkBody(ctx, ch, actor.by, body, inspected);
  const stored = await askBeforeChange(ctx, { type: "edit", channel: refOf(ch), by: actor.by, message, body: checked });
  return storeChange(ctx, ch, { type: "edit", channel: ch.id, target: seq, by: actor.by, at: now, body: stored }, actor);
}

/** Deletes the message at `seq` for good: its author, a room's owner or admin, or the system; then `beforeChange`. */
export async function deleteMessage(ctx: Context, ch: ResolvedChannel, seq: number, actor: ChangeActor): Promise<ChangeResult> {
  const message = await liveTarget(ctx, ch, seq);
  assertMayDelete(actor, message);
  await askBeforeChange(ctx, { type: "delete", channel: refOf(ch), by: actor.by, message });
  return storeChange(ctx, ch, { type: "delete", channel: ch.id, target: seq, by: actor.by, at: Date.now() }, actor);
}

/** A reaction the family accepts: `INVALID` outside its declared list. */
export function assertReactionAllowed(ch: ResolvedChannel, reaction: string): void {
  const list = ch.definition.reactions;
  if (list && !list.includes(reaction)) {
    throw new RoomkitError("INVALID", `"${ch.family}" accepts only the reactions ${list.join(" ")}`, { accepted: [...list] });
  }
}

/** Adds (`react`) or removes (`unreact`) the actor's one reaction: one store call, idempotent. */
export function setReaction(
  ctx: Context,
  ch: ResolvedChannel,
  seq: number,
  reaction: string,
  type: "react" | "unreact",
  actor: ChangeActor,
): Promise<ChangeResult> {
  assertReactionAllowed(ch, reaction);
  const input: ChangeInput = {
    type,
    channel: ch.id,
    target: seq,
    by: actor.by,
    at: Date.now(),
    reaction,
    maxReactions: ctx.limits.reactionsPerMessage,
  };
  return storeChange(ctx, ch, input, actor);
}
