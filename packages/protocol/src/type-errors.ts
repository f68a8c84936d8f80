// Readable compile errors: where a value is wrong, the expected type is a sentence that names
// the family (or kind) and what the contract declares, instead of the whole contract type.
import type { ContractDefinition, FamilyName } from "./contract.js";

type LastOf<U> = (U extends unknown ? (last: () => U) => void : never) extends (last: infer I) => void
  ? I extends () => infer L
    ? L
    : never
  : never;

/**
 * A union of names as one comma-separated string type, for messages: `"a" | "b"` is `"a, b"`.
 *
 * @example
 * type Declared = JoinNames<"dm" | "room">; // "dm, room" (in declaration order, usually)
 */
export type JoinNames<U extends string, Done extends string = ""> = [U] extends [never]
  ? Done
  : JoinNames<Exclude<U, LastOf<U>>, Done extends "" ? LastOf<U> & string : `${LastOf<U> & string}, ${Done}`>;

/** The message of a compile error for a family the contract does not declare. */
export type UnknownFamily<C extends ContractDefinition, F extends string> = `unknown family: ${F}; declared: ${JoinNames<FamilyName<C>>}`;

/**
 * A channel id argument checked against the families in `Allowed`: `Id` itself when it fits,
 * else an error message naming its family and the families that fit.
 */
export type CheckedChannelId<
  C extends ContractDefinition,
  Id extends string,
  Allowed extends string,
  What extends string,
> = Id extends `${infer F}:${string}`
  ? F extends Allowed
    ? Id
    : F extends FamilyName<C>
      ? `${F} has no ${What}; families with ${What}: ${JoinNames<Allowed & FamilyName<C>> extends "" ? "none" : JoinNames<Allowed & FamilyName<C>>}`
      : UnknownFamily<C, F>
  : `a channel id is <family>:<name>; declared families: ${JoinNames<FamilyName<C>>}`;

/**
 * The channel ids of family `F` when `F` is one of `Allowed`, else nothing: with {@link WrongChannelId},
 * the parameter type of a call that infers a family from a channel id. Unlike a
 * {@link CheckedChannelId} alone, it also takes a generic `ChannelId<C, F>` of the caller's.
 *
 * @example
 * declare function channel<F extends string, const Id extends string = never>(
 *   id: ChannelIdOf<F, FamilyName<C>> | WrongChannelId<C, Id, FamilyName<C>, "channels">,
 * ): Handle<F & FamilyName<C>>;
 */
export type ChannelIdOf<F extends string, Allowed extends string> = `${F & Allowed}:${string}`;

/**
 * Nothing when `Id` is a channel id of a family in `Allowed`; else the message of
 * {@link CheckedChannelId}, which a compile error then shows as the parameter's type.
 */
export type WrongChannelId<C extends ContractDefinition, Id extends string, Allowed extends string, What extends string> =
  Id extends ChannelIdOf<string, Allowed & FamilyName<C>> ? never : CheckedChannelId<C, Id, Allowed, What>;
