import { PROTOCOL_VERSION, RoomkitError } from "@roomkit/protocol";
import type { ReadMark, ReadResult, ReceiptPush, ReceiptsResult, ResolvedChannel, UnreadCount, UnreadResult } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import { assertAccess, resolve, tryResolve } from "../channels/access.js";
import { audience } from "../channels/audience.js";
import type { Payload } from "../requests/fields.js";
import { requiredInt } from "../requests/fields.js";

const MAX_CHANNELS = 100;

/** A room answers the read marks of at most this many members: the first by join order. */
const MAX_RECEIPTS = 500;

/**
 * `rk:read`: raises the user's read mark (never past the latest seq, never down). In rooms and
 * DMs the other members receive a read receipt when the mark moves.
 */
export async function markRead(ctx: Context, session: Session, p: Payload): Promise<ReadResult> {
  const ch = resolve(ctx, p.channel);
  const seq = requiredInt(p, "seq", 0);
  await assertAccess(ctx, session, "read", ch);
  const { latest } = await ctx.stores.messages.stream(ch.id);
  const target = Math.min(seq, latest);
  const before = await ctx.stores.readState.get(session.user.id, ch.id);
  if (target <= before) return { lastRead: before };
  const lastRead = await ctx.stores.readState.mark(session.user.id, ch.id, target);
  if (lastRead > before && (ch.kind === "room" || ch.kind === "dm")) {
    const push: ReceiptPush = { v: PROTOCOL_VERSION, channel: ch.id, userId: session.user.id, seq: lastRead };
    audience(ctx, ch).emit("rk:receipt", push);
  }
  return { lastRead };
}

/**
 * Unread counts of the given channels, or of every channel the user reads: rooms, DMs, and
 * marked ones. With `session` (a connection asking), marked private channels are re-checked.
 */
export async function unreadCounts(ctx: Context, userId: string, channels?: string[], session?: Session): Promise<UnreadResult> {
  const marks = await ctx.stores.readState.all(userId);
  const list = channels ?? (await readableChannels(ctx, userId, marks, session));
  const queries = list.map((channel) => ({ channel, seq: marks.get(channel) ?? 0 }));
  // Change entries are not counted: an edit or a reaction never makes a channel unread.
  const store = ctx.stores.messages;
  const found = store.countAfterMany
    ? await store.countAfterMany(queries)
    : await Promise.all(queries.map((q) => store.countAfter(q.channel, q.seq)));
  const counts: UnreadCount[] = queries.map(({ channel, seq }, i) => {
    const { latest, messages } = found[i]!;
    return { channel, lastRead: Math.min(seq, latest), latest, unread: messages };
  });
  return { channels: counts, total: counts.reduce((sum, c) => sum + c.unread, 0) };
}

/** Rooms the user is in, and marked channels other than rooms they have since left. */
async function readableChannels(ctx: Context, userId: string, marks: Map<string, number>, session?: Session): Promise<string[]> {
  const rooms = new Set(await ctx.stores.rooms.roomsOf(userId));
  const marked = await Promise.all(
    [...marks.keys()].map(async (id) => {
      const ch = tryResolve(ctx, id);
      if (!ch) return undefined;
      if (ch.kind === "room") return rooms.has(id) ? id : undefined;
      if (!session || (ch.kind !== "private" && ch.kind !== "presence")) return id;
      return assertAccess(ctx, session, "read", ch).then(
        () => id,
        () => undefined,
      );
    }),
  );
  return [...new Set([...marked.filter((id): id is string => id !== undefined), ...rooms])];
}

/** `rk:unread`: the user's counts; explicitly named channels must be readable by them. */
export async function unread(ctx: Context, session: Session, p: Payload): Promise<UnreadResult> {
  if (p.channels === undefined) return unreadCounts(ctx, session.user.id, undefined, session);
  if (!Array.isArray(p.channels) || p.channels.length > MAX_CHANNELS) {
    throw new RoomkitError("INVALID", `"channels" must be an array of at most ${MAX_CHANNELS} channel ids`);
  }
  const resolved = p.channels.map((id) => resolve(ctx, id));
  await Promise.all(resolved.map((ch) => assertAccess(ctx, session, "read", ch)));
  return unreadCounts(ctx, session.user.id, [...new Set(resolved.map((ch) => ch.id))]);
}

/** Resolves a room or DM id, or throws `INVALID`: only their members see each other's receipts. */
function receiptChannel(ctx: Context, id: unknown): ResolvedChannel {
  const ch = resolve(ctx, id);
  if (ch.kind !== "room" && ch.kind !== "dm") {
    throw new RoomkitError("INVALID", `"${ch.id}" is a ${ch.kind} channel, which has no read receipts`);
  }
  return ch;
}

/**
 * Where each user of a room or DM has read to: a DM's two users in id order, a room's stored
 * members in join order (the first {@link MAX_RECEIPTS}). A user with no mark is listed at 0.
 */
async function marksOf(ctx: Context, ch: ResolvedChannel): Promise<ReadMark[]> {
  // Reads only what it answers: one page of members, then their marks in one batched lookup.
  const users =
    ch.kind === "dm"
      ? [...(ch.parties ?? [])]
      : (await ctx.stores.rooms.memberPage(ch.id, { limit: MAX_RECEIPTS })).members.map((m) => m.userId);
  const seqs = await ctx.stores.readState.getMany(ch.id, users);
  return users.map((userId, i) => ({ userId, seq: seqs[i] ?? 0 }));
}

/** The read marks of a room or DM, for the server API (no access check: the app's own code asks). */
export function readMarks(ctx: Context, channel: unknown): Promise<ReadMark[]> {
  return marksOf(ctx, receiptChannel(ctx, channel));
}

/** `rk:receipts`: the read marks of a room or DM the user may subscribe to, for a client that (re)loads. */
export async function receipts(ctx: Context, session: Session, p: Payload): Promise<ReceiptsResult> {
  const ch = receiptChannel(ctx, p.channel);
  await assertAccess(ctx, session, "read", ch);
  return { receipts: await marksOf(ctx, ch) };
}
