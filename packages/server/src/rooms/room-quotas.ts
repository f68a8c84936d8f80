import { RoomkitError } from "@roomkit/protocol";
import type { Context } from "../context.js";
import { userBuckets } from "../limits/user-quotas.js";

/**
 * A well-formed `rk:room:create` spends a token of the user's `roomCreate` bucket on this node,
 * whatever comes next, so refused creates cannot probe room ids at the request rate.
 */
export function chargeRoomCreate(ctx: Context, userId: string): void {
  const wait = userBuckets(ctx, userId).take("roomCreate", ctx.limits.roomCreate);
  if (wait > 0) throw new RoomkitError("RATE_LIMITED", "too many rooms created; try again later", { retryAfterMs: wait });
}

/** A user adding themselves to a room (creating or joining it) must be under their own caps: `RATE_LIMITED` with `details.limit`. */
export async function assertRoomsLeft(ctx: Context, userId: string, owning: boolean): Promise<void> {
  const { owned, member } = await ctx.stores.rooms.countRooms(userId);
  const { roomsOwned, roomMemberships } = ctx.limits;
  if (owning && owned >= roomsOwned) {
    throw new RoomkitError("RATE_LIMITED", `a user may own at most ${roomsOwned} rooms`, { limit: roomsOwned });
  }
  if (member >= roomMemberships) {
    throw new RoomkitError("RATE_LIMITED", `a user may be in at most ${roomMemberships} rooms`, { limit: roomMemberships });
  }
}

/**
 * Users someone else adds must each have room for one more membership; when one has not, the
 * adder is refused (`FORBIDDEN`) and nobody is added: a full user is never pushed out of anything.
 */
export async function assertCanBeAdded(ctx: Context, userIds: readonly string[]): Promise<void> {
  const counts = await Promise.all(userIds.map((id) => ctx.stores.rooms.countRooms(id)));
  const full = userIds.find((_, i) => counts[i]!.member >= ctx.limits.roomMemberships);
  if (full !== undefined) throw new RoomkitError("FORBIDDEN", `"${full}" is in as many rooms as a user may be`, { userId: full });
}
