import type { Context } from "../context.js";
import type { RateLimit, RoomkitLimits } from "../options.js";
import { TokenBuckets } from "./token-bucket.js";

/**
 * The rate buckets one user shares across all their connections on this node: `limits.userPublish`,
 * `limits.userSignal`, `limits.userRequest` and `limits.roomCreate`.
 */
export class UserBuckets extends TokenBuckets<"publish" | "signal" | "request" | "roomCreate"> {
  publish = 0;
  signal = 0;
  request = 0;
  roomCreate = 0;
}

interface UserQuota {
  /** Made on the user's first request, not at the handshake: an idle connection costs nothing here. */
  buckets?: UserBuckets;
  /** Handshakes admitted but not yet connected, so concurrent ones count against the cap. */
  admitting: number;
  /** Forgets the user once their buckets are full again; armed while they have no connection. */
  forget?: ReturnType<typeof setTimeout> | undefined;
}

const quotas = new WeakMap<Context, Map<string, UserQuota>>();

function quotasOf(ctx: Context): Map<string, UserQuota> {
  let byUser = quotas.get(ctx);
  if (!byUser) quotas.set(ctx, (byUser = new Map()));
  return byUser;
}

function quotaOf(ctx: Context, userId: string): UserQuota {
  const byUser = quotasOf(ctx);
  let quota = byUser.get(userId);
  // Every field from the start: one added later would move them all out of the object.
  if (!quota) byUser.set(userId, (quota = { buckets: undefined, admitting: 0, forget: undefined }));
  if (quota.forget) quota.forget = void clearTimeout(quota.forget);
  return quota;
}

/** The user's buckets on this node. */
export function userBuckets(ctx: Context, userId: string): UserBuckets {
  const quota = quotaOf(ctx, userId);
  if (quota.buckets) return quota.buckets;
  return (quota.buckets = new UserBuckets());
}

/**
 * Admits one more connection of `userId` unless they hold `limits.connectionsPerUser` already
 * (counting handshakes admitted a moment ago). Returns false when the cap is reached.
 */
export function admitConnection(ctx: Context, userId: string): boolean {
  const quota = quotaOf(ctx, userId);
  const live = ctx.sessions.get(userId)?.size ?? 0;
  if (live + quota.admitting >= ctx.limits.connectionsPerUser) {
    idle(ctx, userId);
    return false;
  }
  quota.admitting++;
  // Socket.IO connects an admitted socket on a later tick; by the next turn it is a session, or gone.
  setImmediate(() => {
    quota.admitting--;
    idle(ctx, userId);
  });
  return true;
}

/** Longest time a bucket takes to refill: a user forgotten sooner could reconnect to a full bucket. */
function refillMs(limits: RoomkitLimits): number {
  const all: RateLimit[] = [limits.userPublish, limits.userSignal, limits.userRequest, limits.roomCreate];
  return Math.ceil(Math.max(...all.map((l) => (l.burst / l.rate) * 1000)));
}

/**
 * Called when a user may have no connection left on this node: a user with no buckets is
 * forgotten now, one with buckets once they have refilled.
 */
export function idle(ctx: Context, userId: string): void {
  const byUser = quotasOf(ctx);
  const quota = byUser.get(userId);
  if (!quota || quota.forget || quota.admitting > 0 || ctx.sessions.has(userId)) return;
  if (!quota.buckets) return void byUser.delete(userId);
  quota.forget = setTimeout(() => byUser.delete(userId), refillMs(ctx.limits));
  quota.forget.unref();
}

/** Drops every user's quota timers (server shutdown). */
export function forgetQuotas(ctx: Context): void {
  for (const quota of quotasOf(ctx).values()) clearTimeout(quota.forget);
  quotas.delete(ctx);
}
