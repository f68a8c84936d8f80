import { Buffer } from "node:buffer";
import fc from "fast-check";
import { Requests } from "@roomkit/protocol";
import type { RequestName } from "@roomkit/protocol";
import { RawJson } from "../support/raw-socket.js";
import { HOSTILE_KEYS, anyString, edgeNumber, hostileValue, own, pollutingBody } from "./fuzz-values.js";

// Every request's payload (docs/protocol.md §6) as the attacker writes it: well formed, one
// field wrong, a hostile key at some depth, or any value at all.

/** The isolated user: in no channel the attacker can publish or signal to, and named by no arbitrary. */
export const BYSTANDER = "bystander-q7";
/** The attacker, and the users it may legitimately reach (never the bystander). */
export const ATTACKER = "mallory";
export const USERS = ["alice", "bob", "carol", ATTACKER] as const;

/** The world's channels, one of each kind the attacker is in, is not in, or cannot name. */
export const CHANNELS = {
  /** The attacker's: its DM with alice, a room it owns (alice a member), an open room of alice's. */
  mine: ["dm:alice|mallory", "room:mal", "room:open", "chat:general", "lobby:main", "news:front"],
  /** Others': another pair's DM, the bystander's DM and closed room, the bystander's private channel. */
  others: ["dm:alice|bob", `dm:${BYSTANDER}|carol`, "room:vault", "team:a-team", "room:nope"],
  /** Ids that do not resolve or are not canonical. */
  malformed: [
    "dm:mallory|alice",
    "dm:mallory|mallory",
    `dm:carol|${BYSTANDER}`,
    `user:${BYSTANDER}`,
    "user:mallory",
    "nope:x",
    "room",
    ":",
    "",
    "room:",
    "dm:",
    "room:a|b",
    "ROOM:x",
    "room:x:y",
    `room:${"x".repeat(300)}`,
  ],
};
const FAMILIES = ["dm", "room", "news", "chat", "team", "lobby", "user", "nope", "Room", "_x"];

const userId = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...USERS) }, fc.stringMatching(/^[A-Za-z0-9_.@=+~-]{1,64}$/), anyString);

export const channelId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CHANNELS.mine, ...CHANNELS.others) },
  { weight: 2, arbitrary: fc.constantFrom(...CHANNELS.malformed) },
  fc.tuple(fc.constantFrom(...FAMILIES), fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.@=+~-]{1,20}$/), anyString)).map(([f, n]) => `${f}:${n}`),
  fc.tuple(fc.constantFrom(...USERS), fc.constantFrom(...USERS)).map(([a, b]) => `dm:${a}|${b}`),
);
/** Mostly the attacker's own channels, so well-formed requests get past policy as well. */
const ownChannel = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CHANNELS.mine) }, channelId);

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const goodBody = fc.oneof(
  fc.record({ text: fc.string({ minLength: 1, maxLength: 50 }) }),
  fc.record({ headline: fc.string({ maxLength: 50 }) }),
  fc.record({
    text: fc.constant("look"),
    image: fc.record({ type: fc.constant("image/png"), data: fc.constant(PNG), name: fc.string({ maxLength: 10 }) }),
  }),
);

/** One request the world's users can make and that must succeed, so the runs are seen to reach past policy. */
export const REACHABLE: Record<RequestName, unknown> = {
  "rk:subscribe": { channel: "chat:general" },
  "rk:unsubscribe": { channel: "chat:general" },
  "rk:publish": { channel: "dm:alice|mallory", body: { text: "hi" } },
  "rk:signal": { channel: "dm:alice|mallory", name: "poke", data: { on: true } },
  "rk:history": { channel: "dm:alice|mallory" },
  "rk:presence": { channel: "lobby:main" },
  "rk:read": { channel: "dm:alice|mallory", seq: 1 },
  "rk:unread": {},
  "rk:receipts": { channel: "dm:alice|mallory" },
  // The world's DM holds alice's message (seq 1) and the attacker's own (seq 2).
  "rk:edit": { channel: "dm:alice|mallory", seq: 2, body: { text: "edited" } },
  "rk:delete": { channel: "dm:alice|mallory", seq: 2 },
  "rk:react": { channel: "dm:alice|mallory", seq: 1, reaction: "👍" },
  "rk:unreact": { channel: "dm:alice|mallory", seq: 1, reaction: "👍" },
  "rk:room:create": { name: "fuzz" },
  "rk:room:invite": { channel: "room:mal", userId: "carol" },
  "rk:room:join": { channel: "room:open" },
  "rk:room:leave": { channel: "room:open" },
  "rk:room:kick": { channel: "room:mal", userId: "bob" },
  "rk:room:role": { channel: "room:mal", userId: "alice", role: "admin" },
  "rk:room:mute": { channel: "room:mal", userId: "alice", muted: true },
  "rk:room:list": {},
  "rk:room:members": { channel: "room:mal" },
};

type Field = { arb: fc.Arbitrary<unknown>; required?: true };
const seq = fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 20 }) }, edgeNumber);
const reaction = fc.oneof({ weight: 3, arbitrary: fc.constantFrom("👍", "❤️", "+1") }, fc.string({ maxLength: 40 }), anyString);

/** Each request's fields with values that pass their checks (docs/protocol.md §6). */
export const FIELDS: Record<RequestName, Record<string, Field>> = {
  "rk:subscribe": {
    channel: { arb: ownChannel, required: true },
    since: { arb: seq },
    epoch: { arb: fc.string({ minLength: 1, maxLength: 64 }) },
  },
  "rk:unsubscribe": { channel: { arb: ownChannel, required: true } },
  "rk:publish": {
    channel: { arb: ownChannel, required: true },
    body: { arb: fc.oneof({ weight: 4, arbitrary: goodBody }, pollutingBody), required: true },
    clientId: { arb: fc.stringMatching(/^[\x21-\x7e]{1,64}$/) },
    replyTo: { arb: seq },
  },
  "rk:signal": {
    channel: { arb: ownChannel, required: true },
    name: { arb: fc.constantFrom("typing", "poke", "react", "nope"), required: true },
    data: { arb: fc.oneof(fc.record({ on: fc.boolean() }), fc.record({ emoji: fc.string({ maxLength: 8 }) })) },
  },
  "rk:history": {
    channel: { arb: ownChannel, required: true },
    before: { arb: seq },
    after: { arb: seq },
    limit: { arb: fc.integer({ min: 1, max: 100 }) },
    thread: { arb: seq },
  },
  "rk:presence": { channel: { arb: ownChannel, required: true } },
  "rk:read": { channel: { arb: ownChannel, required: true }, seq: { arb: seq, required: true } },
  "rk:unread": { channels: { arb: fc.array(ownChannel, { maxLength: 5 }) } },
  "rk:receipts": { channel: { arb: ownChannel, required: true } },
  "rk:edit": {
    channel: { arb: ownChannel, required: true },
    seq: { arb: seq, required: true },
    body: { arb: fc.oneof({ weight: 4, arbitrary: goodBody }, pollutingBody), required: true },
  },
  "rk:delete": { channel: { arb: ownChannel, required: true }, seq: { arb: seq, required: true } },
  "rk:react": {
    channel: { arb: ownChannel, required: true },
    seq: { arb: seq, required: true },
    reaction: { arb: reaction, required: true },
  },
  "rk:unreact": {
    channel: { arb: ownChannel, required: true },
    seq: { arb: seq, required: true },
    reaction: { arb: reaction, required: true },
  },
  "rk:room:create": {
    channel: {
      arb: fc.oneof(fc.constantFrom("room:vault", "room:mal", "room:open"), fc.stringMatching(/^room:[a-z0-9]{1,12}$/), channelId),
    },
    family: { arb: fc.constantFrom("room", "dm", "nope") },
    name: { arb: fc.string({ minLength: 1, maxLength: 100 }) },
    members: { arb: fc.array(fc.constantFrom(...USERS), { maxLength: 4 }) },
    open: { arb: fc.boolean() },
  },
  "rk:room:invite": { channel: { arb: ownChannel, required: true }, userId: { arb: userId, required: true } },
  "rk:room:join": { channel: { arb: ownChannel, required: true } },
  "rk:room:leave": { channel: { arb: ownChannel, required: true } },
  "rk:room:kick": { channel: { arb: ownChannel, required: true }, userId: { arb: userId, required: true } },
  "rk:room:role": {
    channel: { arb: ownChannel, required: true },
    userId: { arb: userId, required: true },
    role: { arb: fc.constantFrom("admin", "member", "owner"), required: true },
  },
  "rk:room:mute": {
    channel: { arb: ownChannel, required: true },
    userId: { arb: userId, required: true },
    muted: { arb: fc.boolean(), required: true },
  },
  "rk:room:list": {},
  "rk:room:members": { channel: { arb: ownChannel, required: true } },
};

function wellFormed(event: RequestName): fc.Arbitrary<Record<string, unknown>> {
  const fields = FIELDS[event];
  const arbs = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.arb]));
  const requiredKeys = Object.entries(fields).flatMap(([k, f]) => (f.required ? [k] : []));
  return fc.record(arbs, { requiredKeys });
}

/** An object or array the fuzz may look into: not bytes, not raw JSON text. */
export const isContainer = (v: unknown): v is object =>
  typeof v === "object" && v !== null && !(v instanceof Uint8Array) && !(v instanceof RawJson);

/** A copy of `value` with `key: inner` set in the object reached by `path` (indexes into children, wrapped). */
function insertAt(value: unknown, path: number[], key: string, inner: unknown): unknown {
  if (!isContainer(value)) return own([[key, inner]]);
  const entries: [string, unknown][] = Object.entries(value);
  const step = path[0];
  const children = entries.filter(([, v]) => isContainer(v));
  const copy = (entries: [string, unknown][]) => (Array.isArray(value) ? entries.map(([, v]) => v) : own(entries));
  if (step === undefined || children.length === 0)
    return Array.isArray(value) ? [...value, own([[key, inner]])] : own([...entries, [key, inner]]);
  const [childKey] = children[step % children.length]!;
  return copy(entries.map(([k, v]) => [k, k === childKey ? insertAt(v, path.slice(1), key, inner) : v]));
}

/** A payload that passes its checks: the one {@link REACHABLE} gets past policy too, so a wrong field there reaches deepest. */
const validPayload = (event: RequestName) => fc.oneof(fc.constant(REACHABLE[event] as Record<string, unknown>), wellFormed(event));

/** One field of a valid payload replaced by a hostile value, dropped, or a hostile field added. */
function oneFieldWrong(event: RequestName) {
  const fields = Object.keys(FIELDS[event]);
  const key = fc.oneof(
    { weight: fields.length ? 6 : 0, arbitrary: fc.constantFrom(...fields, "") },
    fc.constantFrom(...HOSTILE_KEYS, "from", "seq", "userId"),
  );
  return fc.tuple(validPayload(event), key, hostileValue, fc.boolean()).map(([payload, key, value, drop]) => {
    const entries = Object.entries(payload).filter(([k]) => k !== key);
    return own(drop ? entries : [...entries, [key, value]]);
  });
}

/** A well-formed payload with a hostile key at some depth (in the body, the data, the members list...). */
function hostileKeyInside(event: RequestName) {
  return fc
    .tuple(validPayload(event), fc.array(fc.nat(), { maxLength: 4 }), fc.constantFrom(...HOSTILE_KEYS), hostileValue)
    .map(([payload, path, key, value]) => insertAt(payload, path, key, value));
}

/** Everything the attacker sends as `event`'s payload. */
export function payloadFor(event: RequestName): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 2, arbitrary: wellFormed(event) },
    { weight: 5, arbitrary: oneFieldWrong(event) },
    { weight: 3, arbitrary: hostileKeyInside(event) },
    { weight: 1, arbitrary: hostileValue },
  );
}

export const REQUESTS: RequestName[] = Object.values(Requests);

const deep = (depth: number) => new RawJson(`${"[".repeat(depth)}1${"]".repeat(depth)}`, `array nested ${depth} deep`);

/**
 * The known attacks on `event`, run first on every seed: its {@link REACHABLE} payload as is,
 * with each field nested 10,000 deep (finding 8), with `__proto__` and `constructor.prototype`
 * keys at the top, and (for a publish) the bodies of findings 1 and 2a.
 */
export function corpus(event: RequestName): unknown[] {
  const base = REACHABLE[event] as Record<string, unknown>;
  const entries = Object.entries(base);
  const fields = [...new Set([...Object.keys(FIELDS[event]), ...Object.keys(base)])];
  const found = [
    base,
    ...fields.map((field) => own([...entries.filter(([k]) => k !== field), [field, deep(10_000)]])),
    own([...entries, ["__proto__", { polluted: true }]]),
    own([...entries, ["constructor", { prototype: { polluted: true } }]]),
  ];
  if (event !== "rk:publish" && event !== "rk:edit") return found;
  const image = { type: "image/png", data: PNG };
  return [
    ...found,
    { ...base, body: own([["__proto__", image]]) },
    { ...base, body: { text: "hi", image: own([["__proto__", { data: PNG }]]) } },
    { ...base, body: { text: "hi", spliced: { _placeholder: true, num: 0 } } },
  ];
}
