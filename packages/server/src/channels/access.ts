import { RoomkitError, resolveChannel } from "@roomkit/protocol";
import type { ParseResult, ResolvedChannel, User } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { ChannelRef, FamilyPolicy } from "../options.js";
import type { AnyContract } from "@roomkit/protocol";

/** Channel ids already resolved, per contract: a busy channel is parsed once, not on every request. */
const resolvedIds = new WeakMap<AnyContract, Map<string, ResolvedChannel>>();
const MAX_RESOLVED = 10_000;

/** Resolves a channel id against the contract, once per id: later calls get the same frozen object. */
function resolveCached(ctx: Context, id: unknown): ParseResult<ResolvedChannel> {
  let known = resolvedIds.get(ctx.contract);
  if (!known) resolvedIds.set(ctx.contract, (known = new Map()));
  const hit = typeof id === "string" ? known.get(id) : undefined;
  if (hit) return { ok: true, value: hit };
  const result = resolveChannel(ctx.contract, id);
  if (!result.ok) return result;
  if (known.size >= MAX_RESOLVED) known.clear();
  // Shared by every request on the channel from now on, so nobody may change it.
  const ch = Object.freeze({ ...result.value, ...(result.value.parties ? { parties: Object.freeze(result.value.parties) } : {}) });
  known.set(ch.id, ch as ResolvedChannel);
  return { ok: true, value: ch as ResolvedChannel };
}

/** Resolves a client-given channel id against the contract, or throws `INVALID` with the reason. */
export function resolve(ctx: Context, id: unknown): ResolvedChannel {
  const result = resolveCached(ctx, id);
  if (!result.ok) throw new RoomkitError("INVALID", result.reason);
  return result.value;
}

/** Resolves an id the server itself holds (a Socket.IO room, a stored key): `undefined` when it is not a channel of this contract. */
export function tryResolve(ctx: Context, id: unknown): ResolvedChannel | undefined {
  const result = resolveCached(ctx, id);
  return result.ok ? result.value : undefined;
}

/** The family's policy from the options, if the app gave one. */
export function policyOf(ctx: Context, ch: ResolvedChannel): FamilyPolicy<AnyContract> | undefined {
  return ctx.options.channels?.[ch.family];
}

export function refOf(ch: ResolvedChannel): ChannelRef {
  return { id: ch.id, family: ch.family, name: ch.name, kind: ch.kind };
}

const forbidden = (message: string) => new RoomkitError("FORBIDDEN", message);

/** Throws unless `user` may subscribe to (and read the history of) `ch`. */
export async function assertCanSubscribe(ctx: Context, user: User, ch: ResolvedChannel): Promise<void> {
  const policy = policyOf(ctx, ch);
  switch (ch.kind) {
    case "public":
      break;
    case "private":
    case "presence":
      if (!policy?.authorize) throw forbidden(`${ch.kind} channel "${ch.id}" needs an authorize policy on the server`);
      break;
    case "room": {
      const member = await ctx.stores.rooms.member(ch.id, user.id);
      if (!member) throw forbidden(`not a member of room "${ch.id}"`);
      break;
    }
    case "dm":
      if (!ch.parties?.includes(user.id)) throw forbidden(`"${ch.id}" is another pair's conversation`);
      break;
  }
  if (policy?.authorize && !(await policy.authorize(user as never, refOf(ch)))) {
    throw forbidden(`not authorized for "${ch.id}"`);
  }
}

/**
 * Throws unless the connection may publish to `ch`. Public, private and presence channels take
 * publishers from their subscribers unless a `publish` policy says otherwise; rooms take
 * unmuted members; DMs their two users.
 */
export async function assertCanPublish(ctx: Context, session: Session, ch: ResolvedChannel): Promise<void> {
  const { user, socket } = session;
  const policy = policyOf(ctx, ch);
  switch (ch.kind) {
    case "public":
      if (policy?.publish) break;
      if (!socket.rooms.has(ch.id)) throw forbidden(`subscribe to "${ch.id}" before publishing`);
      break;
    case "private":
    case "presence":
      if (!socket.rooms.has(ch.id)) throw forbidden(`subscribe to "${ch.id}" before publishing`);
      break;
    case "room": {
      const member = await ctx.stores.rooms.member(ch.id, user.id);
      if (!member) throw forbidden(`not a member of room "${ch.id}"`);
      if (member.muted) throw forbidden(`you are muted in "${ch.id}"`);
      break;
    }
    case "dm":
      await assertCanSubscribe(ctx, user, ch);
      break;
  }
  if (policy?.publish && !(await policy.publish(user as never, refOf(ch)))) {
    throw forbidden(`not allowed to publish to "${ch.id}"`);
  }
}

/** Throws unless the connection may send signals on `ch`: its subscribers, and the two users of a DM. */
export function assertCanSignal(session: Session, ch: ResolvedChannel): void {
  if (ch.kind === "dm") {
    if (!ch.parties?.includes(session.user.id)) throw forbidden(`"${ch.id}" is another pair's conversation`);
    return;
  }
  if (!session.socket.rooms.has(ch.id)) throw forbidden(`subscribe to "${ch.id}" before sending signals`);
}
