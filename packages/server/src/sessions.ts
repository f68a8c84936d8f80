import type { User } from "@roomkit/protocol";
import type { Socket } from "socket.io";
import type { Context, Session } from "./context.js";
import { ConnectionBuckets } from "./limits/token-bucket.js";
import { idle } from "./limits/user-quotas.js";
import type { UserBuckets } from "./limits/user-quotas.js";
import { SmallSet } from "./small-set.js";

/**
 * What the server keeps about one live connection: a class with its fields set at once, so
 * every session has one shape and holds them in the object itself.
 */
class LiveSession implements Session {
  readonly socket: Socket;
  readonly user: User;
  readonly buckets = new ConnectionBuckets();
  readonly presence = new SmallSet<string>();
  subscriptions = 0;
  /** Set on the connection's first request (requests/dispatch.ts); declared here so every session keeps one shape. */
  userBuckets: UserBuckets | undefined = undefined;

  constructor(socket: Socket, user: User) {
    this.socket = socket;
    this.user = user;
  }
}

/** A new connection's session (not registered yet: see {@link addSession}). */
export function createSession(socket: Socket, user: User): Session {
  return new LiveSession(socket, user);
}

/** Registers a live connection under its user. */
export function addSession(ctx: Context, session: Session): void {
  const own = ctx.sessions.get(session.user.id);
  if (own) own.add(session);
  else ctx.sessions.set(session.user.id, new SmallSet(session));
}

export function removeSession(ctx: Context, session: Session): void {
  const own = ctx.sessions.get(session.user.id);
  if (!own?.delete(session)) return;
  if (own.size > 0) return;
  ctx.sessions.delete(session.user.id);
  idle(ctx, session.user.id);
}

/** The user's connections on this node. */
export function sessionsOf(ctx: Context, userId: string): Iterable<Session> {
  return ctx.sessions.get(userId) ?? [];
}

/** Every connection on this node. */
export function allSessions(ctx: Context): Session[] {
  return [...ctx.sessions.values()].flatMap((own) => [...own]);
}
