import type { Context, Session } from "./context.js";
import { idle } from "./limits/user-quotas.js";
import { SmallSet } from "./small-set.js";

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
