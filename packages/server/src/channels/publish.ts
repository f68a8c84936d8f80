import { PROTOCOL_VERSION, RoomkitError, validate } from "@roomkit/protocol";
import type { Message, MessagePush, PublishResult, ResolvedChannel } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { Payload } from "../requests/fields.js";
import { optionalClientId } from "../requests/fields.js";
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
 * The one path every message takes, from a socket or from the server API: check size and
 * attachments, validate against the family's schema, run `verifyAttachment` on each attachment
 * and then `beforeMessage`, append (deduplicated
 * by `clientId`), broadcast once, and move the sender's read mark. Policy is the caller's job.
 */
export async function storeAndBroadcast(ctx: Context, ch: ResolvedChannel, input: PublishInput): Promise<Message> {
  // App code often relays user input: a body from the server API gets the inspection a client's does.
  const stats = input.inspected ?? inspectPayload({ body: input.body }, ctx.limits).field("body");
  const attachments = inspectBody(input.body, stats, ctx.limits);
  const checked = await validate(ch.definition.body, input.body);
  if (!checked.ok) {
    throw new RoomkitError("INVALID", `the body does not match "${ch.family}": ${checked.issues[0]?.message ?? "invalid"}`, {
      issues: checked.issues,
    });
  }
  if (ctx.hooks.verifyAttachment) await verifyAttachments(ctx.hooks.verifyAttachment, ch, input.from, attachments);
  const body = await applyBeforeMessage(ctx, ch, input.from, checked.value);
  const { message, duplicate } = await ctx.stores.messages.append({
    channel: ch.id,
    from: input.from,
    body,
    sentAt: Date.now(),
    ...(input.clientId === undefined ? {} : { clientId: input.clientId }),
  });
  if (duplicate) {
    log("duplicate %s seq %d clientId %s", ch.id, message.seq, input.clientId);
    return message;
  }
  const push: MessagePush = { v: PROTOCOL_VERSION, message };
  const to = audience(ctx, ch);
  (input.senderSocket === undefined ? to : to.except(input.senderSocket)).emit("rk:message", push);
  if (log.enabled) log("%s seq %d from %s to %o", ch.id, message.seq, input.from, audienceRooms(ch));
  await trackReadState(ctx, ch, message);
  return message;
}

/** The sender has read their own message; a DM's first message starts the peer's unread count. */
async function trackReadState(ctx: Context, ch: ResolvedChannel, message: Message): Promise<void> {
  const marks: Promise<number>[] = [];
  if (ch.parties) {
    if (message.seq === 1) for (const party of ch.parties) marks.push(ctx.stores.readState.mark(party, ch.id, 0));
  }
  if (!message.from.startsWith("$")) marks.push(ctx.stores.readState.mark(message.from, ch.id, message.seq));
  await Promise.all(marks);
}

/** `rk:publish`: policy for the connection's user, then {@link storeAndBroadcast}. A `from` in the payload is ignored. */
export async function publish(ctx: Context, session: Session, p: Payload, inspection: Inspection): Promise<PublishResult> {
  const ch = resolve(ctx, p.channel);
  const clientId = optionalClientId(p);
  await assertAccess(ctx, session, "publish", ch);
  const message = await storeAndBroadcast(ctx, ch, {
    from: session.user.id,
    body: p.body,
    senderSocket: session.socket.id,
    inspected: inspection.field("body"),
    ...(clientId === undefined ? {} : { clientId }),
  });
  return { message };
}
