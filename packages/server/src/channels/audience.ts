import { userRoom } from "@roomkit/protocol";
import type { ResolvedChannel } from "@roomkit/protocol";
import type { BroadcastOperator, DefaultEventsMap } from "socket.io";
import type { Context } from "../context.js";

/**
 * The Socket.IO rooms a channel's pushes go to: a DM reaches every device of its two users,
 * any other channel its subscribers.
 */
export function audienceRooms(ch: ResolvedChannel): string | string[] {
  return ch.parties ? ch.parties.map(userRoom) : ch.id;
}

/** A broadcast operator for everyone who hears `ch`, on every node. */
export function audience(ctx: Context, ch: ResolvedChannel): BroadcastOperator<DefaultEventsMap, unknown> {
  return ctx.io.to(audienceRooms(ch));
}
