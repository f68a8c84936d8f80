import { RoomkitError } from "@roomkit/protocol";
import type { ResolvedChannel, SubscribeResult } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import { enterPresence, hasPresence, leavePresence, presencePage } from "../presence/presence.js";
import type { Payload } from "../requests/fields.js";
import { optionalInt, optionalString } from "../requests/fields.js";
import { assertAccess, resolve } from "./access.js";
import { recover } from "./recovery.js";

/** Channels a connection subscribes to itself count against `limits.subscriptions`; the rooms its user is in do not. */
const counted = (ch: ResolvedChannel) => ch.kind !== "room" && ch.kind !== "dm";

/**
 * Joins the Socket.IO room of a channel (a DM is heard through the users' personal rooms).
 * Returns whether this call joined it, so a failure later can undo exactly that.
 */
function joinRoom(ctx: Context, session: Session, ch: ResolvedChannel): boolean {
  if (ch.kind === "dm" || session.socket.rooms.has(ch.id)) return false;
  if (counted(ch) && session.subscriptions >= ctx.limits.subscriptions) {
    throw new RoomkitError("RATE_LIMITED", `a connection may subscribe to at most ${ctx.limits.subscriptions} channels`, {
      limit: ctx.limits.subscriptions,
    });
  }
  session.socket.join(ch.id);
  if (counted(ch)) session.subscriptions++;
  return true;
}

/** Leaves a channel's Socket.IO room, uncounting it if this connection had subscribed to it. */
function leaveRoom(session: Session, ch: ResolvedChannel): void {
  if (counted(ch) && session.socket.rooms.has(ch.id)) session.subscriptions--;
  session.socket.leave(ch.id);
}

async function readStream(ctx: Context, session: Session, ch: ResolvedChannel, since?: number, epoch?: string): Promise<SubscribeResult> {
  if (since === undefined) {
    const stream = await ctx.stores.messages.stream(ch.id);
    return { channel: ch.id, kind: ch.kind, seq: stream.latest, epoch: stream.epoch, messages: [], changes: [] };
  }
  const r = await recover(ctx, ch.id, since, epoch, session.user.id);
  return {
    channel: ch.id,
    kind: ch.kind,
    seq: r.latest,
    epoch: r.epoch,
    recovered: r.recovered,
    hasMore: r.hasMore,
    messages: r.messages,
    changes: r.changes,
  };
}

/**
 * `rk:subscribe`: checks policy, joins the channel first (so nothing published from now on is
 * missed), then reads the stream: a gap since `since`, and the first page of presence members. A subscribe that
 * fails leaves the connection as it was.
 */
export async function subscribe(ctx: Context, session: Session, p: Payload): Promise<SubscribeResult> {
  const ch = resolve(ctx, p.channel);
  const since = optionalInt(p, "since", 0);
  const epoch = optionalString(p, "epoch", 64);
  await assertAccess(ctx, session, "subscribe", ch);
  const joined = joinRoom(ctx, session, ch);
  try {
    // A kick that landed while the join was pending must not leave the kicked connection in.
    if (joined && ch.kind === "room") await assertAccess(ctx, session, "subscribe", ch);
    if (hasPresence(ch)) await enterPresence(ctx, session, ch);
    const result = await readStream(ctx, session, ch, since, epoch);
    if (hasPresence(ch)) {
      // The first page only: an ack's size does not grow with the channel's.
      const page = await presencePage(ctx, ch.id, ctx.presencePage);
      result.members = page.members;
      result.memberCount = page.count;
      if (page.next !== undefined) result.membersNext = page.next;
    }
    return result;
  } catch (err) {
    if (joined) {
      leaveRoom(session, ch);
      await leavePresence(ctx, session, ch.id).catch(() => undefined);
    }
    throw err;
  }
}

/** `rk:unsubscribe`: leaves the channel and its presence at once. Unsubscribing from a room keeps the membership. */
export async function unsubscribe(ctx: Context, session: Session, p: Payload): Promise<object> {
  const ch = resolve(ctx, p.channel);
  leaveRoom(session, ch);
  await leavePresence(ctx, session, ch.id);
  return {};
}
