import { RoomkitError } from "@roomkit/protocol";
import type { PresenceMember, PresenceResult, ResolvedChannel, User } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import { assertAccess, policyOf, refOf, resolve, tryResolve } from "../channels/access.js";
import type { Payload } from "../requests/fields.js";
import { optionalInt, optionalString } from "../requests/fields.js";
import { callHook } from "../hooks.js";
import { logger } from "../log.js";
import { sessionsOf } from "../sessions.js";

const log = logger("presence");

/** True for the kinds that keep a members list. */
export function hasPresence(ch: ResolvedChannel): boolean {
  return ch.kind === "presence" || ch.kind === "room";
}

async function memberInfo(ctx: Context, session: Session, ch: ResolvedChannel): Promise<unknown> {
  const custom = policyOf(ctx, ch)?.memberInfo;
  return custom ? custom(session.user as never, refOf(ch)) : session.user.profile;
}

/**
 * Queues a change for the channel's next batched push (which reaches the joining connection
 * too: its snapshot has it already, and a join is idempotent), and runs the hook at once.
 */
function announce(ctx: Context, channel: string, type: "join" | "leave", member: PresenceMember): void {
  ctx.presenceBatch.add(channel, type, member);
  log("%s %s %s", channel, type, member.userId);
  const event = { channel, userId: member.userId, info: member.info };
  if (type === "join") callHook("memberJoined", ctx.hooks.memberJoined, event);
  else callHook("memberLeft", ctx.hooks.memberLeft, event);
}

/**
 * Entries being added, per connection and channel: a second caller waits for the first. A
 * connection has a map only while one is pending.
 */
const entering = new WeakMap<Session, Map<string, Promise<void>>>();

/**
 * Counts this connection in a channel's presence; the first connection of a user announces a
 * `join` (in the channel's next batched push). Idempotent per connection; resolves once the
 * connection is counted.
 */
export function enterPresence(ctx: Context, session: Session, ch: ResolvedChannel): Promise<void> {
  const inFlight = entering.get(session)?.get(ch.id);
  if (inFlight) return inFlight;
  if (session.presence.has(ch.id)) return Promise.resolve();
  session.presence.add(ch.id);
  let own = entering.get(session);
  if (!own) entering.set(session, (own = new Map()));
  const work = countConnection(ctx, session, ch).finally(() => {
    own.delete(ch.id);
    if (own.size === 0 && entering.get(session) === own) entering.delete(session);
  });
  own.set(ch.id, work);
  return work;
}

async function countConnection(ctx: Context, session: Session, ch: ResolvedChannel): Promise<void> {
  try {
    const info = await memberInfo(ctx, session, ch);
    const { first } = await ctx.stores.presence.add({ channel: ch.id, userId: session.user.id, connId: session.socket.id, info });
    if (first) announce(ctx, ch.id, "join", { userId: session.user.id, info });
  } catch (err) {
    // Not counted after all (store unavailable): a retried subscribe must try again.
    session.presence.delete(ch.id);
    throw err;
  }
}

/** Removes this connection from a channel's presence now; the user's last connection announces a `leave`. */
export async function leavePresence(ctx: Context, session: Session, channel: string): Promise<void> {
  if (!session.presence.delete(channel)) return;
  await removeConnection(ctx, channel, session.user.id, session.socket.id);
}

async function removeConnection(ctx: Context, channel: string, userId: string, connId: string): Promise<void> {
  const { last, member } = await ctx.stores.presence.remove(channel, userId, connId);
  if (last) announce(ctx, channel, "leave", member ?? { userId, info: null });
}

/**
 * A dropped connection leaves presence after the grace period, so a page reload (whose new
 * connection enters before the old one is removed) is neither a leave nor a join.
 */
export function dropPresence(ctx: Context, session: Session): void {
  const channels = [...session.presence];
  session.presence.clear();
  if (channels.length === 0) return;
  const run = () => {
    const work = Promise.all(channels.map((c) => removeConnection(ctx, c, session.user.id, session.socket.id)));
    void ctx.track(work.catch((err) => log("could not remove %s from presence: %O", session.socket.id, err)));
  };
  if (ctx.closing) return run();
  const timer = setTimeout(() => {
    ctx.graceTimers.delete(timer);
    run();
  }, ctx.graceMs);
  ctx.graceTimers.set(timer, run);
}

/** Removes a user from a channel's presence on every node (a kicked room member), announcing the `leave`. */
export async function evictFromPresence(ctx: Context, channel: string, userId: string): Promise<void> {
  for (const session of sessionsOf(ctx, userId)) session.presence.delete(channel);
  const member = await ctx.stores.presence.removeUser(channel, userId);
  if (member) announce(ctx, channel, "leave", member);
}

/**
 * A connection that joins a room's Socket.IO room is counted in its presence, whatever made it
 * join: its own subscribe, its reconnect, or a node (this one or another) adding the user as a
 * member with `socketsJoin`, which reaches the user's connections on every node.
 */
export function countRoomJoins(ctx: Context): void {
  ctx.io.of("/").adapter.on("join-room", (room: string, socketId: string) => {
    if (ctx.closing || !room.includes(":")) return;
    const ch = tryResolve(ctx, room);
    if (ch?.kind !== "room") return;
    const user = ctx.io.of("/").sockets.get(socketId)?.data.user as User | undefined;
    const session = user && [...sessionsOf(ctx, user.id)].find((s) => s.socket.id === socketId);
    if (!session) return;
    void ctx.track(enterPresence(ctx, session, ch).catch((err) => log("could not count %s in %s: %O", socketId, room, err)));
  });
}

/**
 * Announces the changes a shared presence store makes on its own, such as the members of a
 * node that died. Returns a function that stops it.
 */
export function watchPresenceStore(ctx: Context): () => void {
  const unwatch = ctx.stores.presence.onChange?.(({ type, channel, member }) => announce(ctx, channel, type, member));
  return unwatch ?? (() => undefined);
}

/** The members of a presence or room channel, one per user. */
export function presenceMembers(ctx: Context, channel: string): Promise<PresenceMember[]> {
  return ctx.stores.presence.members(channel);
}

/** A page of a presence or room channel's members, from the store's page (never the whole list). */
export async function presencePage(ctx: Context, channel: string, limit: number, after?: string): Promise<PresenceResult> {
  const page = await ctx.stores.presence.page(channel, after === undefined ? { limit } : { after, limit });
  return page.next === undefined ? { members: page.members, count: page.count } : page;
}

/** `rk:presence`: a page of who is in a presence or room channel the user may read. */
export async function presenceRequest(ctx: Context, session: Session, p: Payload): Promise<PresenceResult> {
  const ch = resolve(ctx, p.channel);
  const after = optionalString(p, "after", 64);
  const limit = optionalInt(p, "limit", 1, ctx.presencePage) ?? ctx.presencePage;
  if (!hasPresence(ch)) throw new RoomkitError("INVALID", `"${ch.id}" is a ${ch.kind} channel, which has no presence`);
  await assertAccess(ctx, session, "read", ch);
  return presencePage(ctx, ch.id, limit, after);
}
