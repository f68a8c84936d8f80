import { userRoom } from "@roomkit/protocol";
import type { ResolvedChannel } from "@roomkit/protocol";
import type { BroadcastOperator, DefaultEventsMap } from "socket.io";
import type { Context } from "../context.js";

/** A DM's two user rooms, per resolved channel (those are cached and frozen, so each DM makes its pair once). */
const partyRooms = new WeakMap<ResolvedChannel, readonly string[]>();

/**
 * The Socket.IO rooms a channel's pushes go to: a DM reaches every device of its two users,
 * any other channel its subscribers.
 */
export function audienceRooms(ch: ResolvedChannel): string | readonly string[] {
  if (!ch.parties) return ch.id;
  let rooms = partyRooms.get(ch);
  if (!rooms) partyRooms.set(ch, (rooms = Object.freeze(ch.parties.map(userRoom))));
  return rooms;
}

/** A broadcast operator for everyone who hears `ch`, on every node. */
export function audience(ctx: Context, ch: ResolvedChannel): BroadcastOperator<DefaultEventsMap, unknown> {
  return ctx.io.to(audienceRooms(ch) as string | string[]);
}
