import { PROTOCOL_VERSION, RoomkitError } from "@roomkit/protocol";
import type { Message, MessagePush, PublishResult, ResolvedChannel } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { Payload } from "../requests/fields.js";
import { optionalClientId, optionalInt } from "../requests/fields.js";
import { logger } from "../log.js";
import type { AppendInput, AppendResult } from "../stores/types.js";
import { audience, audienceRooms } from "./audience.js";
import { decideAccess, refOf, resolve } from "./access.js";
import { inspectBody, validateBody } from "./body.js";
import type { CheckedBody } from "./body.js";
import { verifyAttachments } from "./attachment-hook.js";
import type { FieldStats, Inspection } from "../requests/inspect.js";
import { inspectPayload } from "../requests/inspect.js";

const log = logger("publish");

/** What {@link storeAndBroadcast} needs beyond the channel. */
export interface PublishInput {
  from: string;
  body: unknown;
  clientId?: string | undefined;
  /** The sending connection: its ack carries the message, so the broadcast skips it. */
  senderSocket?: string | undefined;
  /** The body's stats from its request's inspection; without them (the server API) the body is inspected here. */
  inspected?: FieldStats | undefined;
  /** The seq of the message this one replies to. */
  replyTo?: number | undefined;
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
 * {@link checkBody}, at once when nothing in it is asynchronous (the schema answers
 * synchronously and no attachment goes to `verifyAttachment`): a promise only when something was.
 */
function checkBodyNow(
  ctx: Context,
  ch: ResolvedChannel,
  from: string,
  body: unknown,
  inspected?: FieldStats,
): CheckedBody | Promise<CheckedBody> {
  // App code often relays user input: a body from the server API gets the inspection a client's does.
  const stats = inspected ?? inspectPayload({ body }, ctx.limits).field("body");
  const attachments = inspectBody(body, stats, ctx.limits);
  const checked = validateBody(ch, body);
  const verify = ctx.hooks.verifyAttachment;
  if (!verify || attachments.length === 0) return checked;
  return Promise.resolve(checked).then(async (result) => {
    await verifyAttachments(verify, ch, from, attachments);
    return result;
  });
}

/**
 * The checks every body takes, of a new message or an edit, from a socket or from the server
 * API: size and attachments, the family's schema, then `verifyAttachment` on each attachment.
 * Returns the body as the schema gave it.
 */
export async function checkBody(ctx: Context, ch: ResolvedChannel, from: string, body: unknown, inspected?: FieldStats): Promise<unknown> {
  return (await checkBodyNow(ctx, ch, from, body, inspected)).value;
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
 *
 * It answers at once, without a promise, when no step needs one: not a reply, no
 * `beforeMessage`, a synchronous schema, a store with `appendSync` and `markSync` (the memory
 * stores). Otherwise it returns a promise; either way errors are `RoomkitError`s, thrown or
 * rejected.
 */
export function storeAndBroadcast(ctx: Context, ch: ResolvedChannel, input: PublishInput): Message | Promise<Message> {
  if (input.replyTo !== undefined) return storeReply(ctx, ch, input, input.replyTo);
  return checkAndStore(ctx, ch, input, undefined);
}

/** A reply to a reply joins its root's thread: threads are one level deep. */
async function storeReply(ctx: Context, ch: ResolvedChannel, input: PublishInput, target: number): Promise<Message> {
  const root = await liveTarget(ctx, ch, target);
  return checkAndStore(ctx, ch, input, root.replyTo ?? root.seq);
}

function checkAndStore(ctx: Context, ch: ResolvedChannel, input: PublishInput, replyTo: number | undefined): Message | Promise<Message> {
  const checked = checkBodyNow(ctx, ch, input.from, input.body, input.inspected);
  // Without the hook and with a synchronous schema, no extra async step per message.
  if (checked instanceof Promise || ctx.hooks.beforeMessage) return checkLater(ctx, ch, input, replyTo, checked);
  return store(ctx, ch, input, replyTo, checked.value);
}

async function checkLater(
  ctx: Context,
  ch: ResolvedChannel,
  input: PublishInput,
  replyTo: number | undefined,
  checked: CheckedBody | Promise<CheckedBody>,
): Promise<Message> {
  const { value } = await checked;
  const body = ctx.hooks.beforeMessage ? await applyBeforeMessage(ctx, ch, input.from, value) : value;
  return store(ctx, ch, input, replyTo, body);
}

/** Appends, through the store's `appendSync` when it has one, then {@link broadcast}. */
function store(
  ctx: Context,
  ch: ResolvedChannel,
  input: PublishInput,
  replyTo: number | undefined,
  body: unknown,
): Message | Promise<Message> {
  const append: AppendInput = { channel: ch.id, from: input.from, body, sentAt: Date.now() };
  if (input.clientId !== undefined) append.clientId = input.clientId;
  if (replyTo !== undefined) append.replyTo = replyTo;
  const messages = ctx.stores.messages;
  const now = messages.appendSync;
  if (now) return broadcast(ctx, ch, input, now.call(messages, append));
  return messages.append(append).then((result) => broadcast(ctx, ch, input, result));
}

/** One push to the audience but the sending connection, then the read marks; a retried duplicate is not sent again. */
function broadcast(
  ctx: Context,
  ch: ResolvedChannel,
  input: PublishInput,
  { message, duplicate }: AppendResult,
): Message | Promise<Message> {
  if (duplicate) {
    log("duplicate %s seq %d clientId %s", ch.id, message.seq, input.clientId);
    return message;
  }
  const push: MessagePush = { v: PROTOCOL_VERSION, message };
  const to = audience(ctx, ch);
  (input.senderSocket === undefined ? to : to.except(input.senderSocket)).emit("rk:message", push);
  if (log.enabled) log("%s seq %d from %s to %o", ch.id, message.seq, input.from, audienceRooms(ch));
  const marked = trackReadState(ctx, ch, message);
  return marked ? marked.then(() => message) : message;
}

/**
 * The sender has read their own message (at once on a store with `markSync`, else a mark
 * coalesced per tick with the sender's other messages there); a DM's first message starts the
 * peer's unread count. `undefined` when nothing is left to wait for.
 */
function trackReadState(ctx: Context, ch: ResolvedChannel, message: Message): Promise<unknown> | undefined {
  const own = message.from.startsWith("$") ? undefined : ctx.readMarks.raise(message.from, ch.id, message.seq);
  if (!ch.parties || message.seq !== 1) return own;
  const marks: Promise<unknown>[] = ch.parties.map((party) => ctx.stores.readState.mark(party, ch.id, 0));
  if (own) marks.push(own);
  return Promise.all(marks);
}

const resultOf = (message: Message): PublishResult => ({ message });

/**
 * `rk:publish`: policy for the connection's user, then {@link storeAndBroadcast}. A `from` in the
 * payload is ignored. Answers at once when the policy and the store do.
 */
export function publish(ctx: Context, session: Session, p: Payload, inspection: Inspection): PublishResult | Promise<PublishResult> {
  const ch = resolve(ctx, p.channel);
  const input: PublishInput = {
    from: session.user.id,
    body: p.body,
    clientId: optionalClientId(p),
    replyTo: optionalInt(p, "replyTo", 1),
    senderSocket: session.socket.id,
    inspected: inspection.field("body"),
  };
  const access = decideAccess(ctx, session, "publish", ch);
  if (access instanceof Promise) return access.then(() => storeAndBroadcast(ctx, ch, input)).then(resultOf);
  const message = storeAndBroadcast(ctx, ch, input);
  return message instanceof Promise ? message.then(resultOf) : { message };
}
