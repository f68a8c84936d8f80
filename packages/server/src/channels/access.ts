import { RoomkitError, resolveChannel } from "@roomkit/protocol";
import type { ParseResult, ResolvedChannel, RoomMember } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { ChannelRef, FamilyPolicy } from "../options.js";
import type { AnyContract } from "@roomkit/protocol";
import { stepsOf } from "./access-table.js";
import type { Action, Step } from "./access-table.js";

/** Channel ids already resolved, per contract: a busy channel is parsed once, not on every request. */
const resolvedIds = new WeakMap<AnyContract, Map<string, ResolvedChannel>>();
const MAX_RESOLVED = 10_000;

/** The channel ids already resolved against this context's contract. */
function knownIds(ctx: Context): Map<string, ResolvedChannel> {
  let known = resolvedIds.get(ctx.contract);
  if (!known) resolvedIds.set(ctx.contract, (known = new Map()));
  return known;
}

/** Resolves a channel id against the contract, once per id: later calls get the same frozen object. */
function resolveCached(ctx: Context, id: unknown): ParseResult<ResolvedChannel> {
  const known = knownIds(ctx);
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
  // A known id (every message on a busy channel) costs one lookup and no result object.
  const hit = typeof id === "string" ? knownIds(ctx).get(id) : undefined;
  if (hit) return hit;
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

/** What an access decision learned on the way: a room's stored member, for the room operations that rank by role. */
export interface Grant {
  member?: RoomMember;
}

interface Decision {
  ctx: Context;
  session: Session;
  ch: ResolvedChannel;
  action: Action;
  policy: FamilyPolicy<AnyContract> | undefined;
  grant: Grant;
}

const wanted: Record<Action, string> = {
  subscribe: "subscribing",
  read: "reading",
  publish: "publishing",
  signal: "sending signals",
  edit: "editing",
  delete: "deleting",
  react: "reacting",
  manage: "managing the room",
  join: "joining",
  create: "creating the room",
};

/** Waits for a policy callback only when it answered with a promise; false is `FORBIDDEN`. */
function ask(verdict: boolean | Promise<boolean>, refusal: string): void | Promise<void> {
  if (typeof (verdict as Partial<Promise<boolean>> | null)?.then !== "function") {
    if (!verdict) throw forbidden(refusal);
    return;
  }
  return Promise.resolve(verdict).then((yes) => {
    if (!yes) throw forbidden(refusal);
  });
}

/** Each step of ACCESS (access-table.ts); a synchronous step returns nothing, so a decision of only those awaits nothing. */
const STEPS: Record<Step, (d: Decision) => void | Promise<void>> = {
  subscribed: ({ session, ch, action }) => {
    if (!session.socket.rooms.has(ch.id)) throw forbidden(`subscribe to "${ch.id}" before ${wanted[action]}`);
  },
  policyRequired: ({ ch, policy }) => {
    if (!policy?.authorize) throw forbidden(`${ch.kind} channel "${ch.id}" needs an authorize policy on the server`);
  },
  authorize: ({ session, ch, policy }) =>
    policy?.authorize && ask(policy.authorize(session.user as never, refOf(ch)), `not authorized for "${ch.id}"`),
  parties: ({ session, ch }) => {
    if (!ch.parties?.includes(session.user.id)) throw forbidden(`"${ch.id}" is another pair's conversation`);
  },
  member: async (d) => {
    const member = await d.ctx.stores.rooms.member(d.ch.id, d.session.user.id);
    if (!member) throw forbidden(`not a member of room "${d.ch.id}"`);
    d.grant = { member };
  },
  unmuted: ({ ch, grant }) => {
    if (grant.member?.muted) throw forbidden(`you are muted in "${ch.id}"`);
  },
  publisher: ({ session, ch, policy }) =>
    policy?.publish && ask(policy.publish(session.user as never, refOf(ch)), `not allowed to publish to "${ch.id}"`),
};

/**
 * The one access decision: throws `FORBIDDEN` unless the connection may do `action` on `ch`,
 * by the steps ACCESS (access-table.ts) gives its kind and family policy, in order. A kind without the
 * action is `INVALID`. Every request that names a channel calls it; the server API does not.
 *
 * @example
 * await assertAccess(ctx, session, "signal", resolve(ctx, "dm:bob|mallory")); // FORBIDDEN when authorize refuses the pair
 */
export async function assertAccess(ctx: Context, session: Session, action: Action, ch: ResolvedChannel): Promise<Grant> {
  return decideAccess(ctx, session, action, ch);
}

/** No step learnt anything: shared, so a decision of only synchronous steps that learns nothing allocates nothing for its grant. */
const NOTHING: Grant = Object.freeze({});

/**
 * {@link assertAccess}, answered at once (a grant, or a thrown error) when every step is
 * synchronous, as a DM's are with no policy or a synchronous one: a promise only from the
 * first step that returned one.
 *
 * @example
 * const grant = decideAccess(ctx, session, "publish", ch);
 * if (grant instanceof Promise) await grant;
 */
export function decideAccess(ctx: Context, session: Session, action: Action, ch: ResolvedChannel): Grant | Promise<Grant> {
  const policy = policyOf(ctx, ch);
  const steps = stepsOf(ch.kind, action, policy?.publish !== undefined);
  if (!steps) throw new RoomkitError("INVALID", `"${ch.id}" is a ${ch.kind} channel: it has no ${wanted[action]}`);
  const d: Decision = { ctx, session, ch, action, policy, grant: NOTHING };
  for (let i = 0; i < steps.length; i++) {
    const pending = STEPS[steps[i]!](d);
    if (pending) return finish(d, steps, i, pending);
  }
  return d.grant;
}

/** The rest of a decision, from the step at `i` that answered with a promise. */
async function finish(d: Decision, steps: readonly Step[], i: number, pending: Promise<void>): Promise<Grant> {
  await pending;
  for (let next = i + 1; next < steps.length; next++) {
    const step = STEPS[steps[next]!](d);
    if (step) await step;
  }
  return d.grant;
}
