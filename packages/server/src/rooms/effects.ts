import { PROTOCOL_VERSION, userRoom } from "@roomkit/protocol";
import type { RoomPush } from "@roomkit/protocol";
import type { Context } from "../context.js";
import { logger } from "../log.js";
import { evictFromPresence } from "../presence/presence.js";

const log = logger("rooms");

type Change = Omit<RoomPush, "v" | "channel">;

/** Tells a room's subscribers and every device of the affected user about a membership change. */
export function announceRoomChange(ctx: Context, channel: string, change: Change): void {
  const push: RoomPush = { v: PROTOCOL_VERSION, channel, ...change };
  ctx.io.to([channel, userRoom(change.userId)]).emit("rk:room", push);
  log("%s %s %s by %s", channel, change.type, change.userId, change.by ?? "-");
}

/** Every connection of the user, on any node, starts receiving the room's messages. */
export function connectMember(ctx: Context, channel: string, userId: string): void {
  ctx.io.in(userRoom(userId)).socketsJoin(channel);
}

/**
 * Every connection of the user, on any node, stops receiving the room at once, and the user
 * leaves its presence list.
 */
export async function disconnectMember(ctx: Context, channel: string, userId: string): Promise<void> {
  ctx.io.in(userRoom(userId)).socketsLeave(channel);
  await evictFromPresence(ctx, channel, userId);
}
