import type {
  AnyContract,
  BodyInputOf,
  BodyOf,
  ChannelId,
  ChannelKind,
  FamilyName,
  KindOf,
  MemberInfoOf,
  ReactionOf,
  SignalData,
  SignalName,
} from "@roomkit/protocol";

/**
 * One channel family of a contract, resolved once: what its handles are typed by. The handle
 * types (`RoomHandle<T>`, `DmHandle<T>`...) are generic on this rather than on the contract, so
 * that a type error prints the family, e.g.
 * `RoomHandle<{ kind: "room"; id: `room:${string}`; body: { text: string }; ... }>`, and not the
 * whole contract. {@link FamilyOf} makes one from a contract.
 */
export interface FamilyTypes {
  /** The family's kind: `public`, `private`, `presence`, `room` or `dm`. */
  kind: ChannelKind;
  /** Its channel ids: `` `${family}:${string}` ``. */
  id: string;
  /** The body of its messages as received (the body schema's output). */
  body: unknown;
  /** The body a send or an edit takes (the body schema's input). */
  input: unknown;
  /** Its signals: each name with its data. */
  signals: object;
  /** What each presence member carries: the family's `member` shape, or the user profile. */
  member: unknown;
  /** The reactions it accepts: its declared list's members, or any string. */
  reaction: string;
}

/** A type as a plain object type: what an error prints is its fields, not the alias and its arguments. */
type Resolved<T> = T extends object ? { [K in keyof T]: T[K] } : never;

/**
 * The {@link FamilyTypes} of family `F` of contract `C`.
 *
 * @example
 * type Room = FamilyOf<typeof contract, "room">; // { kind: "room"; id: `room:${string}`; body: { text: string }; ... }
 * declare const room: RoomHandle<Room>;           // the same type as RoomChannel<typeof contract, "room">
 */
export type FamilyOf<C extends AnyContract, F extends FamilyName<C>> = Resolved<{
  kind: KindOf<C, F>;
  id: ChannelId<C, F>;
  body: BodyOf<C, F>;
  input: BodyInputOf<C, F>;
  signals: { [S in SignalName<C, F>]: SignalData<C, F, S> };
  member: MemberInfoOf<C, F>;
  reaction: ReactionOf<C, F>;
}>;

/** The signal names of a family. */
export type SignalNameOf<T extends FamilyTypes> = keyof T["signals"] & string;
