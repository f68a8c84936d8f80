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

type Operator = BroadcastOperator<DefaultEventsMap, unknown>;

/**
 * The operators made so far, per adapter (an app that swaps the adapter gets new ones) and
 * channel: an operator never changes (each modifier makes a new one), so a busy channel's is made once.
 */
const operators = new WeakMap<object, WeakMap<ResolvedChannel, Operator>>();

/** A broadcast operator for everyone who hears `ch`, on every node. */
export function audience(ctx: Context, ch: ResolvedChannel): Operator {
  const adapter = ctx.io.sockets.adapter;
  let byChannel = operators.get(adapter);
  if (!byChannel) operators.set(adapter, (byChannel = new WeakMap()));
  let operator = byChannel.get(ch);
  if (!operator) byChannel.set(ch, (operator = ctx.io.to(audienceRooms(ch) as string | string[])));
  return operator;
}
