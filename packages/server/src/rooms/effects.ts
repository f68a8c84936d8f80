import { PROTOCOL_VERSION, userRoom } from "@roomkit/protocol";
import type { ResolvedChannel, RoomPush } from "@roomkit/protocol";
import type { Context } from "../context.js";
import { callHook } from "../hooks.js";
import { logger } from "../log.js";
import { enterPresence, evictFromPresence } from "../presence/presence.js";
import { sessionsOf } from "../sessions.js";

const log = logger("rooms");

type Change = Omit<RoomPush, "v" | "channel">;

/** Tells a room's subscribers, every device of the affected user, and `hooks.roomChanged` about a membership change. */
export function announceRoomChange(ctx: Context, channel: string, change: Change): void {
  const push: RoomPush = { v: PROTOCOL_VERSION, channel, ...change };
  ctx.io.to([channel, userRoom(change.userId)]).emit("rk:room", push);
  callHook("roomChanged", ctx.hooks.roomChanged, { channel, ...change });
  log("%s %s %s by %s", channel, change.type, change.userId, change.by ?? "-");
}

/**
 * A new member: every connection of the user, on any node, starts receiving the room's messages;
 * those on this node are counted in its presence, as they would be on reconnecting. The history
 * from before they joined does not count as unread.
 */
export async function connectMember(ctx: Context, ch: ResolvedChannel, userId: string): Promise<void> {
  ctx.io.in(userRoom(userId)).socketsJoin(ch.id);
  for (const session of sessionsOf(ctx, userId)) await enterPresence(ctx, session, ch);
  const { latest } = await ctx.stores.messages.stream(ch.id);
  if (latest > 0) await ctx.stores.readState.mark(userId, ch.id, latest);
}

/**
 * Every connection of the user, on any node, stops receiving the room at once, and the user
 * leaves its presence list.
 */
export async function disconnectMember(ctx: Context, channel: string, userId: string): Promise<void> {
  ctx.io.in(userRoom(userId)).socketsLeave(channel);
  await evictFromPresence(ctx, channel, userId);
}
