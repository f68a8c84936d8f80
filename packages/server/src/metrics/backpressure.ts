import type { Server } from "socket.io";
import { SLOW_ROOM } from "../transport/slow-consumers.js";
import type { Tally } from "./tally.js";

/** The part of a Socket.IO adapter read here: its rooms, and `apply`, which every broadcast runs through. */
interface Rooms {
  rooms: Map<string, Set<string>>;
  apply(opts: { rooms: Set<string>; except?: Set<string> }, callback: (socket: unknown) => void): void;
}

/** True when a broadcast to `rooms` (every socket when empty) would have reached `sid`, but for `except`. */
function reaches(adapter: Rooms, sid: string, rooms: Set<string>, except: Set<string>): boolean {
  for (const room of except) if (room !== SLOW_ROOM && adapter.rooms.get(room)?.has(sid)) return false;
  if (rooms.size === 0) return true;
  for (const room of rooms) if (adapter.rooms.get(room)?.has(sid)) return true;
  return false;
}

/**
 * Counts the deliveries that backpressure drops: the recipients a broadcast skips because they
 * are in {@link SLOW_ROOM} (signals and presence diffs do). It wraps the adapter's `apply`, which
 * runs for every broadcast on this node, its own or relayed from another node; while no
 * connection is slow the added cost is one room lookup per broadcast.
 */
export function countDroppedDeliveries(io: Server, dropped: Tally): void {
  const adapter = io.of("/").adapter as unknown as Rooms;
  const apply = adapter.apply;
  adapter.apply = function (opts, callback) {
    const slow = opts.except?.has(SLOW_ROOM) ? this.rooms.get(SLOW_ROOM) : undefined;
    if (slow?.size) {
      let skipped = 0;
      for (const sid of slow) if (reaches(this, sid, opts.rooms, opts.except!)) skipped++;
      if (skipped > 0) dropped.add(skipped);
    }
    apply.call(this, opts, callback);
  };
}
