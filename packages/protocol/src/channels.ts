/** The five kinds of channel. The kind decides who may subscribe and publish. */
export type ChannelKind = "public" | "private" | "presence" | "room" | "dm";

/** All channel kinds. */
export const CHANNEL_KINDS: readonly ChannelKind[] = ["public", "private", "presence", "room", "dm"];

/** A channel id split in its parts: `room:42` is family `room`, name `42`. */
export interface ParsedChannel {
  id: string;
  family: string;
  name: string;
}

/** The outcome of parsing something that should be a channel id. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const FAMILY = /^[a-z][a-z0-9_-]{0,31}$/;
const NAME = /^[A-Za-z0-9_.@=+~-]{1,128}$/;
const USER_ID = /^[A-Za-z0-9_.@=+~-]{1,64}$/;

/** Separates the two user ids of a DM channel name. It can never appear in a user id. */
export const DM_SEPARATOR = "|";

/** The sender of messages published by the server itself; no user id can take this value. */
export const SYSTEM_SENDER = "$system";

/** The personal Socket.IO room every socket of a user joins. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/**
 * True when `value` can be a user id: 1 to 64 characters of `A-Z a-z 0-9 _ . @ = + ~ -`.
 *
 * @example
 * isValidUserId("alice@example.com"); // true
 * isValidUserId("a|b");               // false: "|" separates DM parties
 */
export function isValidUserId(value: unknown): value is string {
  return typeof value === "string" && USER_ID.test(value);
}

/** True when `value` can be a channel family name: `[a-z][a-z0-9_-]{0,31}`. */
export function isValidFamily(value: unknown): value is string {
  return typeof value === "string" && FAMILY.test(value);
}

/**
 * Splits a channel id into family and name, or says why it is not one. The family is checked
 * for shape only; whether the app declared it is the contract's business.
 *
 * @example
 * parseChannel("room:42");   // { ok: true, value: { id: "room:42", family: "room", name: "42" } }
 * parseChannel("room");      // { ok: false, reason: "channel id must be <family>:<name>" }
 */
export function parseChannel(id: unknown): ParseResult<ParsedChannel> {
  if (typeof id !== "string") return { ok: false, reason: "channel id must be a string" };
  const colon = id.indexOf(":");
  if (colon < 0) return { ok: false, reason: "channel id must be <family>:<name>" };
  const family = id.slice(0, colon);
  const name = id.slice(colon + 1);
  if (!FAMILY.test(family)) {
    return { ok: false, reason: `family "${family.slice(0, 40)}" must match [a-z][a-z0-9_-]{0,31}` };
  }
  if (name.includes(DM_SEPARATOR)) {
    const parties = parseDmName(name);
    if (!parties.ok) return parties;
    return { ok: true, value: { id, family, name } };
  }
  if (!NAME.test(name)) {
    return { ok: false, reason: "channel name must be 1-128 characters of A-Z a-z 0-9 _ . @ = + ~ -" };
  }
  return { ok: true, value: { id, family, name } };
}

/** Joins a family and a name into a channel id, checking both. Throws on a bad part. */
export function formatChannel(family: string, name: string): string {
  const id = `${family}:${name}`;
  const parsed = parseChannel(id);
  if (!parsed.ok) throw new TypeError(`invalid channel id "${id}": ${parsed.reason}`);
  return id;
}

/**
 * The canonical DM channel id of two users: their ids sorted by UTF-16 code units and joined
 * with `|`, so `dmChannel(a, b) === dmChannel(b, a)`.
 *
 * @example
 * dmChannel("bob", "alice");        // "dm:alice|bob"
 * dmChannel("bob", "alice", "chat"); // "chat:alice|bob"
 */
export function dmChannel(a: string, b: string, family = "dm"): string {
  if (!isValidUserId(a) || !isValidUserId(b)) throw new TypeError(`invalid user id in dm("${a}", "${b}")`);
  if (a === b) throw new TypeError("a DM needs two different users");
  const [first, second] = a < b ? [a, b] : [b, a];
  return formatChannel(family, `${first}${DM_SEPARATOR}${second}`);
}

/**
 * The two users of a DM channel name (`alice|bob`), or why it is not one: both must be valid
 * user ids, different, and in canonical (sorted) order.
 */
export function parseDmName(name: string): ParseResult<[string, string]> {
  const parts = name.split(DM_SEPARATOR);
  if (parts.length !== 2) return { ok: false, reason: "a DM channel name is <userA>|<userB>" };
  const [a, b] = parts as [string, string];
  if (!isValidUserId(a) || !isValidUserId(b)) return { ok: false, reason: "a DM channel names two valid user ids" };
  if (a === b) return { ok: false, reason: "a DM needs two different users" };
  if (!(a < b)) return { ok: false, reason: `DM ids are canonical: use "${b}${DM_SEPARATOR}${a}"` };
  return { ok: true, value: [a, b] };
}

/** For a DM channel name, the other party of `userId`, or `undefined` when `userId` is not in it. */
export function dmPeer(name: string, userId: string): string | undefined {
  const parties = parseDmName(name);
  if (!parties.ok) return undefined;
  const [a, b] = parties.value;
  if (a === userId) return b;
  if (b === userId) return a;
  return undefined;
}
