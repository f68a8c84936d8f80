import type { ChannelKind, ParsedChannel, ParseResult } from "./channels.js";
import { CHANNEL_KINDS, DM_SEPARATOR, isValidFamily, parseChannel, parseDmName } from "./channels.js";
import { isValidReaction } from "./changes.js";
import type { InferInput, InferOutput, Shape } from "./schema.js";

/** How a contract declares one channel family. */
export interface FamilyDefinition {
  /** Decides who may subscribe and publish; see the table in docs/concepts.md. */
  readonly kind: ChannelKind;
  /** The message body: a Standard Schema (checked at runtime) or `type<T>()` (not checked). */
  readonly body?: Shape;
  /** Ephemeral signals by name (`typing`, `cursor`), each with the shape of its data. */
  readonly signals?: Readonly<Record<string, Shape>>;
  /** Presence member info (presence and room kinds). Defaults to the user profile. */
  readonly member?: Shape;
  /**
   * The reactions messages of this family accept, a closed list (`["👍", "❤️"] as const`);
   * without one, any reaction of 1–32 characters (see `isValidReaction`).
   */
  readonly reactions?: readonly string[];
}

/** What {@link defineContract} accepts. */
export interface ContractDefinition {
  /** The user profile that `authenticate` returns and other users see. */
  readonly user?: Shape;
  /** Channel families by name; the name is the prefix of the channel ids (`room` in `room:42`). */
  readonly channels: Readonly<Record<string, FamilyDefinition>>;
}

/** Any contract; the constraint of every generic that takes one. */
export type AnyContract = ContractDefinition;

// `user:<id>` is every user's personal Socket.IO room (see userRoom): a channel family of that
// name would let anyone subscribe to another user's DMs and pushes.
const RESERVED_FAMILIES: readonly string[] = ["user"];

/**
 * Declares the app's channel families, message bodies, signals and profiles once, for the
 * server and the client. Throws a `TypeError` on a malformed declaration (a bug in the app),
 * including a family named `user`, which is reserved.
 *
 * @example
 * import { z } from "zod";
 * export const contract = defineContract({
 *   user: type<{ name: string }>(),
 *   channels: {
 *     dm: { kind: "dm", body: z.object({ text: z.string().max(4000) }), signals: { typing: type<null>() } },
 *     room: { kind: "room", body: z.object({ text: z.string() }) },
 *     news: { kind: "public", body: z.object({ headline: z.string() }) },
 *     lobby: { kind: "presence" },
 *   },
 * });
 */
export function defineContract<const C extends ContractDefinition>(contract: C): C {
  if (typeof contract !== "object" || contract === null || typeof contract.channels !== "object" || contract.channels === null) {
    throw new TypeError("defineContract: expected { channels: { <family>: { kind } } }");
  }
  for (const [family, def] of Object.entries(contract.channels)) {
    if (!isValidFamily(family)) throw new TypeError(`defineContract: family "${family}" must match [a-z][a-z0-9_-]{0,31}`);
    if (RESERVED_FAMILIES.includes(family)) {
      throw new TypeError(`defineContract: family "${family}" is reserved: "${family}:<id>" is each user's personal room`);
    }
    if (!CHANNEL_KINDS.includes(def?.kind)) {
      throw new TypeError(`defineContract: family "${family}" has kind "${String(def?.kind)}"; use one of ${CHANNEL_KINDS.join(", ")}`);
    }
    checkReactionList(family, def.reactions);
  }
  return contract;
}

function checkReactionList(family: string, reactions: unknown): void {
  if (reactions === undefined) return;
  if (
    !Array.isArray(reactions) ||
    reactions.length === 0 ||
    !reactions.every(isValidReaction) ||
    new Set(reactions).size !== reactions.length
  ) {
    throw new TypeError(`defineContract: family "${family}" reactions must be a non-empty list of distinct reactions of 1-32 characters`);
  }
}

/** A channel id resolved against a contract. */
export interface ResolvedChannel extends ParsedChannel {
  kind: ChannelKind;
  definition: FamilyDefinition;
  /** For DM channels, the two users in canonical order. */
  parties?: [string, string];
}

/**
 * Parses a channel id and finds its family in the contract; an undeclared family, or a name
 * that does not fit the family's kind, is an error with a reason.
 *
 * @example
 * resolveChannel(contract, "dm:alice|bob"); // { ok: true, value: { kind: "dm", parties: ["alice", "bob"], ... } }
 * resolveChannel(contract, "nope:1");       // { ok: false, reason: 'unknown channel family "nope"' }
 */
export function resolveChannel(contract: ContractDefinition, id: unknown): ParseResult<ResolvedChannel> {
  const parsed = parseChannel(id);
  if (!parsed.ok) return parsed;
  const { family, name } = parsed.value;
  const definition = Object.hasOwn(contract.channels, family) ? contract.channels[family] : undefined;
  if (!definition) return { ok: false, reason: `unknown channel family "${family}"` };
  if (definition.kind === "dm") {
    const parties = parseDmName(name);
    if (!parties.ok) return parties;
    return { ok: true, value: { ...parsed.value, kind: "dm", definition, parties: parties.value } };
  }
  if (name.includes(DM_SEPARATOR)) return { ok: false, reason: `"${DM_SEPARATOR}" is only allowed in DM channel names` };
  return { ok: true, value: { ...parsed.value, kind: definition.kind, definition } };
}

// ---- Types derived from a contract (used by the server's handlers and the client SDK) ----

type Channels<C extends ContractDefinition> = C["channels"];

/** The family names a contract declares. */
export type FamilyName<C extends ContractDefinition> = keyof Channels<C> & string;

/** The families of one kind. */
export type FamilyOfKind<C extends ContractDefinition, K extends ChannelKind> = {
  [F in FamilyName<C>]: Channels<C>[F]["kind"] extends K ? F : never;
}[FamilyName<C>];

/** The kind of a family. */
export type KindOf<C extends ContractDefinition, F extends FamilyName<C>> = Channels<C>[F]["kind"];

/** Any channel id of a declared family: `` `${family}:${string}` ``. */
export type ChannelId<C extends ContractDefinition, F extends FamilyName<C> = FamilyName<C>> = `${F}:${string}`;

/** The family of a channel id type. */
export type FamilyOfChannel<C extends ContractDefinition, Id extends string> = Id extends `${infer F}:${string}`
  ? F extends FamilyName<C>
    ? F
    : never
  : never;

/** The user profile type. */
export type ProfileOf<C extends ContractDefinition> = C["user"] extends Shape ? InferOutput<C["user"]> : Record<string, never>;

/** The body a family's messages carry (as stored and delivered). */
export type BodyOf<C extends ContractDefinition, F extends FamilyName<C>> = Channels<C>[F]["body"] extends Shape
  ? InferOutput<Channels<C>[F]["body"]>
  : unknown;

/** The body a client sends to a family (a schema's input). */
export type BodyInputOf<C extends ContractDefinition, F extends FamilyName<C>> = Channels<C>[F]["body"] extends Shape
  ? InferInput<Channels<C>[F]["body"]>
  : unknown;

/** The reactions a family accepts: its declared list's members, or any string. */
export type ReactionOf<
  C extends ContractDefinition,
  F extends FamilyName<C>,
> = Channels<C>[F]["reactions"] extends readonly (infer R extends string)[] ? R : string;

/** The signal names of a family. */
export type SignalName<C extends ContractDefinition, F extends FamilyName<C>> =
  Channels<C>[F]["signals"] extends Readonly<Record<string, Shape>> ? keyof Channels<C>[F]["signals"] & string : never;

/** The data of one signal. */
export type SignalData<C extends ContractDefinition, F extends FamilyName<C>, S extends SignalName<C, F>> =
  Channels<C>[F]["signals"] extends Readonly<Record<string, Shape>> ? InferOutput<Channels<C>[F]["signals"][S]> : never;

/** The info each presence member carries in a family: its `member` shape, or the user profile. */
export type MemberInfoOf<C extends ContractDefinition, F extends FamilyName<C>> = Channels<C>[F]["member"] extends Shape
  ? InferOutput<Channels<C>[F]["member"]>
  : ProfileOf<C>;
