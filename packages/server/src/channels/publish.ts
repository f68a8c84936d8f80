import { PROTOCOL_VERSION, RoomkitError, validate } from "@roomkit/protocol";
import type { Message, MessagePush, PublishResult, ResolvedChannel } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { Payload } from "../requests/fields.js";
import { optionalClientId, optionalInt } from "../requests/fields.js";
import { logger } from "../log.js";
import { audience, audienceRooms } from "./audience.js";
import { assertAccess, refOf, resolve } from "./access.js";
import { inspectBody } from "./body.js";
import { verifyAttachments } from "./attachment-hook.js";
import type { FieldStats, Inspection } from "../requests/inspect.js";
import { inspectPayload } from "../requests/inspect.js";

const log = logger("publish");

/** What {@link storeAndBroadcast} needs beyond the channel. */
export interface PublishInput {
  from: string;
  body: unknown;
  clientId?: string;
  /** The sending connection: its ack carries the message, so the broadcast skips it. */
  senderSocket?: string;
  /** The body's stats from its request's inspection; without them (the server API) the body is inspected here. */
  inspected?: FieldStats;
  /** The seq of the message this one replies to. */
  replyTo?: number;
}

async function applyBeforeMessage(ctx: Context, ch: ResolvedChannel, from: string, body: unknown): Promise<unknown> {
  const hook = ctx.hooks.beforeMessage;
  if (!hook) return body;
  const verdict = await hook({ channel: refOf(ch), from, body });
  if (!verdict) return body;
  if ("reject" in verdict) throw new RoomkitError(verdict.code ?? "FORBIDDEN", verdict.reject);
  return verdict.body;
}

/**
 * The checks every body takes, of a new message or an edit, from a socket or from the server
 * API: size and attachments, the family's schema, then `verifyAttachment` on each attachment.
 * Returns the body as the schema gave it.
 */
export async function checkBody(ctx: Context, ch: ResolvedChannel, from: string, body: unknown, inspected?: FieldStats): Promise<unknown> {
  // App code often relays user input: a body from the server API gets the inspection a client's does.
  const stats = inspected ?? inspectPayload({ body }, ctx.limits).field("body");
  const attachments = inspectBody(body, stats, ctx.limits);
  const checked = await validate(ch.definition.body, body);
  if (!checked.ok) {
    throw new RoomkitError("INVALID", `the body does not match "${ch.family}": ${checked.issues[0]?.message ?? "invalid"}`, {
      issues: checked.issues,
    });
  }
  if (ctx.hooks.verifyAttachment) await verifyAttachments(ctx.hooks.verifyAttachment, ch, from, attachments);
  return checked.value;
}

/**
 * The message at `seq` that a change or a reply acts on, as it is now: `NOT_FOUND` when no
 * message is kept there (a change entry's seq included), `CONFLICT` when it was deleted.
 */
export async function liveTarget(ctx: Context, ch: ResolvedChannel, seq: number, reader?: string): Promise<Message> {
  const message = await ctx.stores.messages.get(ch.id, seq, reader);
  if (!message) throw new RoomkitError("NOT_FOUND", `no message at seq ${seq} in "${ch.id}"`);
  if (message.deleted) throw new RoomkitError("CONFLICT", `the message at seq ${seq} was deleted`);
  return message;
}

/**
 * The one path every message takes, from a socket or from the server API: find the thread a
 * reply joins, {@link checkBody}, then `beforeMessage`, append (deduplicated by `clientId`),
 * broadcast once, and move the sender's read mark. Policy is the caller's job.
 */
export async function storeAndBroadcast(ctx: Context, ch: ResolvedChannel, input: PublishInput): Promise<Message> {
  // A reply to a reply joins its root's thread: threads are one level deep.
  const replyTo = input.replyTo === undefined ? undefined : await liveTarget(ctx, ch, input.replyTo).then((m) => m.replyTo ?? m.seq);
  const checked = await checkBody(ctx, ch, input.from, input.body, input.inspected);
  // Without the hook, no extra async step per message.
  const body = ctx.hooks.beforeMessage ? await applyBeforeMessage(ctx, ch, input.from, checked) : checked;
  const { message, duplicate } = await ctx.stores.messages.append({
    channel: ch.id,
    from: input.from,
    body,
    sentAt: Date.now(),
    ...(input.clientId === undefined ? {} : { clientId: input.clientId }),
    ...(replyTo === undefined ? {} : { replyTo }),
  });
  if (duplicate) {
    log("duplicate %s seq %d clientId %s", ch.id, message.seq, input.clientId);
    return message;
  }
  const push: MessagePush = { v: PROTOCOL_VERSION, message };
  const to = audience(ctx, ch);
  (input.senderSocket === undefined ? to : to.except(input.senderSocket)).emit("rk:message", push);
  if (log.enabled) log("%s seq %d from %s to %o", ch.id, message.seq, input.from, audienceRooms(ch));
  const marked = trackReadState(ctx, ch, message);
  if (marked) await marked;
  return message;
}

/**
 * The sender has read their own message (a mark coalesced per tick with the sender's other
 * messages there); a DM's first message starts the peer's unread count.
 */
function trackReadState(ctx: Context, ch: ResolvedChannel, message: Message): Promise<unknown> | undefined {
  const own = message.from.startsWith("$") ? undefined : ctx.readMarks.raise(message.from, ch.id, message.seq);
  if (!ch.parties || message.seq !== 1) return own;
  const marks: Promise<unknown>[] = ch.parties.map((party) => ctx.stores.readState.mark(party, ch.id, 0));
  if (own) marks.push(own);
  return Promise.all(marks);
}

/** `rk:publish`: policy for the connection's user, then {@link storeAndBroadcast}. A `from` in the payload is ignored. */
export async function publish(ctx: Context, session: Session, p: Payload, inspection: Inspection): Promise<PublishResult> {
  const ch = resolve(ctx, p.channel);
  const clientId = optionalClientId(p);
  const replyTo = optionalInt(p, "replyTo", 1);
  await assertAccess(ctx, session, "publish", ch);
  const message = await storeAndBroadcast(ctx, ch, {
    from: session.user.id,
    body: p.body,
    senderSocket: session.socket.id,
    inspected: inspection.field("body"),
    ...(clientId === undefined ? {} : { clientId }),
    ...(replyTo === undefined ? {} : { replyTo }),
  });
  return { message };
}
