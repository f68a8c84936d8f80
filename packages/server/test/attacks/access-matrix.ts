import type { ChannelKind, RequestName } from "@roomkit/protocol";
import { Requests } from "@roomkit/protocol";
import type { RoomkitOptions } from "@roomkit/server";
import type { TestContract } from "../support/contract.js";

/**
 * The policies the access table is run under. Each gives every family of the test channels the
 * same policy (a refusing one refuses mallory); the last two are room roles (mallory muted, mallory an admin) with no policy.
 */
export const POLICIES = ["none", "authorize-false", "authorize-true", "publish-false", "room-muted", "room-admin"] as const;
export type PolicyName = (typeof POLICIES)[number];

type Channels = NonNullable<RoomkitOptions<TestContract>["channels"]>;
type Verdict = (user: { id: string }) => boolean;
const every = (policy: { authorize?: Verdict; publish?: Verdict }): Channels =>
  ({ news: policy, team: policy, lobby: policy, room: policy, dm: policy }) as Channels;
// A policy that refuses says no to mallory only, so everyone else (the DM the suite checks after each test) is served.
const notMallory: Verdict = (user) => user.id !== "mallory";

export const POLICY_CHANNELS: Record<PolicyName, Channels> = {
  none: {},
  "authorize-false": every({ authorize: notMallory }),
  "authorize-true": every({ authorize: () => true }),
  "publish-false": every({ authorize: () => true, publish: notMallory }),
  "room-muted": {},
  "room-admin": {},
};

/** The channel mallory acts on, per kind: she is a DM party and a plain room member (alice owns the room, carol is a member). */
export const CHANNELS = {
  public: "news:feed",
  private: "team:t",
  presence: "lobby:l",
  room: "room:matrix",
  dm: "dm:bob|mallory",
} as const satisfies Record<ChannelKind, string>;
const FAMILY: Record<ChannelKind, string> = { public: "news", private: "team", presence: "lobby", room: "room", dm: "dm" };
const SIGNAL: Record<ChannelKind, [string, unknown]> = {
  public: ["react", { emoji: "+1" }],
  private: ["typing", undefined],
  presence: ["typing", undefined],
  room: ["typing", undefined],
  dm: ["typing", { on: true }],
};

const O = "ok";
const F = "FORBIDDEN";
const I = "INVALID";
const N = "NOT_FOUND";
/** Expected outcome per policy, in {@link POLICIES} order; rows of other kinds than room stop after `publish-false`. */
type Outcomes = readonly string[];
type ByKind = Record<ChannelKind, Outcomes>;

const same = (o: Outcomes): ByKind => ({ public: o, private: o, presence: o, room: [...o, o[0]!, o[0]!], dm: o });
const roomOnly = (room: Outcomes): ByKind => ({
  public: [I, I, I, I],
  private: [I, I, I, I],
  presence: [I, I, I, I],
  room,
  dm: [I, I, I, I],
});
const body = (k: ChannelKind) => (k === "public" ? { headline: "h" } : { text: "hi" });
/**
 * A change to seq 1, which is mallory's own message wherever her publish (just before) was
 * accepted: where the access table lets her through but nothing was stored, seq 1 is NOT_FOUND.
 */
const reacting: ByKind = {
  public: [O, F, O, N],
  private: [F, F, O, N],
  presence: [F, F, O, N],
  room: [O, F, O, N, F, O],
  dm: [O, F, O, N],
};

/** What reading a channel needs: the subscribe row of docs/protocol.md §4.2. */
const reading: ByKind = { public: [O, F, O, O], private: [F, F, O, O], presence: [F, F, O, O], room: [O, F, O, O, O, O], dm: [O, F, O, O] };

export interface MatrixRow {
  payload: (kind: ChannelKind) => unknown;
  expect: ByKind;
}

/**
 * Every request of the wire, with what mallory gets for it on each kind under each policy. Typed
 * by `RequestName`, so a request added to `Requests` without a row does not compile (and the
 * test also checks it at run time).
 */
export const MATRIX: Record<RequestName, MatrixRow> = {
  [Requests.subscribe]: { payload: (k) => ({ channel: CHANNELS[k] }), expect: reading },
  [Requests.publish]: {
    payload: (k) => ({ channel: CHANNELS[k], body: body(k) }),
    expect: { public: [O, F, O, F], private: [F, F, O, F], presence: [F, F, O, F], room: [O, F, O, F, F, O], dm: [O, F, O, F] },
  },
  [Requests.signal]: {
    payload: (k) => ({ channel: CHANNELS[k], name: SIGNAL[k][0], ...(SIGNAL[k][1] === undefined ? {} : { data: SIGNAL[k][1] }) }),
    expect: { public: [O, F, O, O], private: [F, F, O, O], presence: [F, F, O, O], room: [O, F, O, O, F, O], dm: [O, F, O, O] },
  },
  [Requests.history]: { payload: (k) => ({ channel: CHANNELS[k] }), expect: reading },
  [Requests.presence]: {
    payload: (k) => ({ channel: CHANNELS[k] }),
    expect: { ...reading, public: [I, I, I, I], private: [I, I, I, I], dm: [I, I, I, I] },
  },
  [Requests.read]: { payload: (k) => ({ channel: CHANNELS[k], seq: 0 }), expect: reading },
  [Requests.unread]: { payload: (k) => ({ channels: [CHANNELS[k]] }), expect: reading },
  [Requests.receipts]: {
    payload: (k) => ({ channel: CHANNELS[k] }),
    expect: { ...reading, public: [I, I, I, I], private: [I, I, I, I], presence: [I, I, I, I] },
  },
  // Editing needs the publish row; reacting the listeners' row (not a muted member); deleting the read row, then authorship.
  [Requests.edit]: {
    payload: (k) => ({ channel: CHANNELS[k], seq: 1, body: body(k) }),
    expect: { public: [O, F, O, F], private: [F, F, O, F], presence: [F, F, O, F], room: [O, F, O, F, F, O], dm: [O, F, O, F] },
  },
  [Requests.react]: { payload: (k) => ({ channel: CHANNELS[k], seq: 1, reaction: "👍" }), expect: reacting },
  [Requests.unreact]: { payload: (k) => ({ channel: CHANNELS[k], seq: 1, reaction: "👍" }), expect: reacting },
  [Requests.delete]: {
    payload: (k) => ({ channel: CHANNELS[k], seq: 1 }),
    expect: { public: [O, F, O, N], private: [F, F, O, N], presence: [F, F, O, N], room: [O, F, O, N, N, O], dm: [O, F, O, N] },
  },
  [Requests.roomMembers]: { payload: (k) => ({ channel: CHANNELS[k] }), expect: roomOnly([O, F, O, O, O, O]) },
  [Requests.roomList]: { payload: () => ({}), expect: same([O, O, O, O]) },
  [Requests.roomInvite]: { payload: (k) => ({ channel: CHANNELS[k], userId: "dave" }), expect: roomOnly([F, F, F, F, F, O]) },
  [Requests.roomRole]: { payload: (k) => ({ channel: CHANNELS[k], userId: "carol", role: "admin" }), expect: roomOnly([F, F, F, F, F, F]) },
  [Requests.roomMute]: { payload: (k) => ({ channel: CHANNELS[k], userId: "carol", muted: true }), expect: roomOnly([F, F, F, F, F, O]) },
  [Requests.roomKick]: { payload: (k) => ({ channel: CHANNELS[k], userId: "carol" }), expect: roomOnly([F, F, F, F, F, O]) },
  [Requests.roomJoin]: { payload: (k) => ({ channel: CHANNELS[k] }), expect: roomOnly([O, F, O, O, O, O]) },
  [Requests.roomCreate]: { payload: (k) => ({ family: FAMILY[k] }), expect: roomOnly([O, F, O, O, O, O]) },
  [Requests.unsubscribe]: { payload: (k) => ({ channel: CHANNELS[k] }), expect: same([O, O, O, O]) },
  [Requests.roomLeave]: { payload: (k) => ({ channel: CHANNELS[k] }), expect: roomOnly([O, O, O, O, O, O]) },
};

/** The order mallory sends them in: subscribe first (later rows rely on it), what changes the room last. */
export const ORDER = Object.keys(MATRIX) as RequestName[];
