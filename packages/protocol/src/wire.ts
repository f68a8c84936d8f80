import type { ChangeEntry } from "./changes.js";
import type { ErrorPayload } from "./errors.js";
import type { ChannelKind } from "./channels.js";
import type { Message, PresenceMember, ReadMark, RoomInfo, RoomMember, RoomRole, RoomSummary, UnreadCount, User } from "./messages.js";

/** The protocol version; `rk:welcome` carries it and every push envelope has `v`. */
export const PROTOCOL_VERSION = 1;

/** Requests: `socket.emit(name, payload, ack)` from client to server. */
export const Requests = {
  subscribe: "rk:subscribe",
  unsubscribe: "rk:unsubscribe",
  publish: "rk:publish",
  signal: "rk:signal",
  history: "rk:history",
  presence: "rk:presence",
  read: "rk:read",
  unread: "rk:unread",
  receipts: "rk:receipts",
  edit: "rk:edit",
  delete: "rk:delete",
  react: "rk:react",
  unreact: "rk:unreact",
  roomCreate: "rk:room:create",
  roomInvite: "rk:room:invite",
  roomJoin: "rk:room:join",
  roomLeave: "rk:room:leave",
  roomKick: "rk:room:kick",
  roomRole: "rk:room:role",
  roomMute: "rk:room:mute",
  roomList: "rk:room:list",
  roomMembers: "rk:room:members",
} as const;

/** Pushes: `socket.on(name, envelope)` events from server to client, never acknowledged. */
export const Pushes = {
  welcome: "rk:welcome",
  message: "rk:message",
  change: "rk:change",
  presence: "rk:presence",
  signal: "rk:signal",
  receipt: "rk:receipt",
  room: "rk:room",
  bye: "rk:bye",
} as const;

export type RequestName = (typeof Requests)[keyof typeof Requests];
export type PushName = (typeof Pushes)[keyof typeof Pushes];

/** Every acknowledgement: success with fields, or a typed error. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorPayload };

// ---- Request payloads and their results ----

export interface SubscribeRequest {
  channel: string;
  /** The last seq the client saw; the server replays what came after it. */
  since?: number;
  /** The stream epoch the client's `since` belongs to (from an earlier subscribe ack). */
  epoch?: string;
}
export interface SubscribeResult {
  channel: string;
  kind: ChannelKind;
  /** The channel's latest seq at the moment of subscribing. */
  seq: number;
  /** Identifies this stream's history; a different epoch means seqs started over. */
  epoch: string;
  /** With `since`: true when the gap is replayed (`messages` and `changes`), false when it cannot be. */
  recovered?: boolean;
  /**
   * With `since`: true when the replay was cut short (with `recovered: true`), because its
   * attachments would not fit in one packet (10). `messages` and `changes` then cover the oldest
   * part of the gap, up to the highest seq among them: subscribe again with that seq as `since`
   * until an ack says `hasMore: false`. False otherwise.
   */
  hasMore?: boolean;
  /**
   * With `since` and `recovered`: the messages after `since`, in seq order, as they are now
   * (edits, deletes, reactions and replies folded in; all of them unless `hasMore`).
   */
  messages: Message[];
  /**
   * With `since` and `recovered`: the change entries after `since`, in seq order, including those
   * to messages older than `since`. Fold each into its target by the `version` rule; `[]` otherwise.
   */
  changes: ChangeEntry[];
  /**
   * Presence and room channels: who is online now, in the order they entered: everyone, or the
   * first `presence.pageSize` (default 100) when `membersNext` is present.
   */
  members?: PresenceMember[];
  /** Presence and room channels: how many users are online now (`members` may list only some). */
  memberCount?: number;
  /** Present when more members follow `members`: pass it as `after` to `rk:presence` for the next page. */
  membersNext?: string;
}

export interface UnsubscribeRequest {
  channel: string;
}

export interface PublishRequest {
  channel: string;
  body: unknown;
  /** An idempotency key (1-64 chars): a retry with the same key returns the stored message. */
  clientId?: string;
  /** Makes the message a reply in the thread of this message (a reply's seq means its root's thread). */
  replyTo?: number;
}
export interface PublishResult {
  message: Message;
}

export interface SignalRequest {
  channel: string;
  name: string;
  data?: unknown;
}

export interface HistoryRequest {
  channel: string;
  /** Messages with seq below this, the newest first taken (a page back in time). */
  before?: number;
  /** Messages with seq above this, the oldest first taken (a page forward). */
  after?: number;
  /** At most this many: default 50; more than the server's `history.maxPage` (default 100) is `INVALID`. */
  limit?: number;
  /** Only the replies of this thread root, paged the same way. */
  thread?: number;
}
export interface HistoryResult {
  /** Always in ascending seq order. */
  messages: Message[];
  /**
   * True when more messages lie beyond this page in the direction asked, including when the page
   * ended early because its attachments would not fit in one packet (10).
   */
  hasMore: boolean;
}

/** `rk:edit`: a new body for one of your messages. */
export interface EditRequest {
  channel: string;
  seq: number;
  body: unknown;
}
/** `rk:delete`: removes a message's body for good. */
export interface DeleteRequest {
  channel: string;
  seq: number;
}
/** `rk:react` / `rk:unreact`: adds or removes your one reaction of this kind. */
export interface ReactRequest {
  channel: string;
  seq: number;
  reaction: string;
}
/** The ack of a change: the stored change entry, or `changed: false` for a reaction that was already so (nothing stored). */
export type ChangeResult = { changed: true; change: ChangeEntry } | { changed: false };

/** A page of a presence or room channel's members: the first, or the one after `after`. */
export interface PresenceRequest {
  channel: string;
  /** A cursor: the `next` of the page before (or the subscribe ack's `membersNext`). */
  after?: string;
  /** At most this many members, 1 to the server's `presence.pageSize` (the default). */
  limit?: number;
}
export interface PresenceResult {
  /** One per user, in the order they entered. */
  members: PresenceMember[];
  /** How many users are online now. */
  count: number;
  /** Present when more members follow: pass it as `after`. */
  next?: string;
}

export interface ReadRequest {
  channel: string;
  seq: number;
}
export interface ReadResult {
  lastRead: number;
}

export interface UnreadRequest {
  channels?: string[];
}
export interface UnreadResult {
  channels: UnreadCount[];
  total: number;
}

/** A room or DM (other kinds have no receipts: `INVALID`); needs the right to subscribe. */
export interface ReceiptsRequest {
  channel: string;
}
/**
 * Where each member's read mark stands now (`rk:receipt` pushes announce later moves): a DM's
 * two users in id order; a room's stored members in join order, at most the first 500. A
 * member who has read nothing is listed with `seq: 0`.
 */
export interface ReceiptsResult {
  receipts: ReadMark[];
}

export interface RoomCreateRequest {
  /** The room's channel id; when absent, the server makes one in `family`. */
  channel?: string;
  /** The room family, when `channel` is absent and the contract has more than one. */
  family?: string;
  name?: string;
  /** Users added as members at once. */
  members?: string[];
  open?: boolean;
}
export interface RoomResult {
  room: RoomSummary;
}
export interface RoomTargetRequest {
  channel: string;
  userId: string;
}
export interface RoomChannelRequest {
  channel: string;
}
export interface RoomRoleRequest {
  channel: string;
  userId: string;
  role: Exclude<RoomRole, "owner">;
}
export interface RoomMuteRequest {
  channel: string;
  userId: string;
  muted: boolean;
}
export interface RoomMemberResult {
  member: RoomMember;
}
/** A page of your rooms: the first, or the one after `after`. */
export interface RoomListRequest {
  /** A cursor: the `next` of the page before. */
  after?: string;
  /** At most this many rooms, 1 to 500 (the default). */
  limit?: number;
}
export interface RoomListResult {
  /** In the order you joined them, each with your role. */
  rooms: RoomSummary[];
  /** How many rooms you are a member of. */
  count: number;
  /** Present when more rooms follow: pass it as `after`. */
  next?: string;
}
/** A page of a room's stored members: the first, or the one after `after`. */
export interface RoomMembersRequest {
  channel: string;
  /** A cursor: the `next` of the page before. */
  after?: string;
  /** At most this many members, 1 to 500 (the default). */
  limit?: number;
}
export interface RoomMembersResult {
  /** In join order. */
  members: RoomMember[];
  /** How many members the room has. */
  count: number;
  /** Present when more members follow: pass it as `after`. */
  next?: string;
}

// ---- Push envelopes ----

export interface WelcomePush<Profile = unknown> {
  v: typeof PROTOCOL_VERSION;
  protocol: typeof PROTOCOL_VERSION;
  user: User<Profile>;
}
export interface MessagePush<Body = unknown> {
  v: typeof PROTOCOL_VERSION;
  message: Message<Body>;
}
/** A change entry as it is stored: to every listener of the channel but the connection that made it (its ack carries it). */
export interface ChangePush<Body = unknown> {
  v: typeof PROTOCOL_VERSION;
  change: ChangeEntry<Body>;
}
/**
 * Presence changes of one channel, gathered for the server's `presence.batchMs` and sent as one
 * push (so a crowd arriving is a few pushes, not one per member per subscriber).
 * - `joins` / `leaves`: the net changes since the channel's last push, the last change of each
 *   user winning (a join then a leave inside one batch is one leave). A user appears at most
 *   once in a push, in one of the two lists.
 * - Apply them as idempotent set operations: a join adds or replaces the user's entry, a leave
 *   removes it if present. Applying a push twice, or one that overlaps a subscribe snapshot (the
 *   joining connection hears its own join), changes nothing, so a client applies the pushes that
 *   arrive during and after a subscribe on top of its snapshot safely.
 */
export interface PresencePush<Info = unknown> {
  v: typeof PROTOCOL_VERSION;
  channel: string;
  joins: PresenceMember<Info>[];
  leaves: PresenceMember<Info>[];
  /** How many users the channel had when the push went out; absent when the server could not read it. */
  count?: number;
}
export interface SignalPush<Data = unknown> {
  v: typeof PROTOCOL_VERSION;
  channel: string;
  name: string;
  from: string;
  data?: Data;
}
export interface ReceiptPush {
  v: typeof PROTOCOL_VERSION;
  channel: string;
  userId: string;
  seq: number;
}

/**
 * A room membership change. Sent to the room's subscribers and to the affected user's devices.
 * - `created`: the room exists and the user is its owner.
 * - `joined`: `userId` became a member (invited by `by`, or on their own in an open room).
 * - `left`: `userId` left; `kicked`: `by` removed `userId`.
 * - `role`: `userId` has a new `role`; `muted` / `unmuted`: `by` changed whether `userId` may publish.
 */
export interface RoomPush {
  v: typeof PROTOCOL_VERSION;
  channel: string;
  type: "created" | "joined" | "left" | "kicked" | "role" | "muted" | "unmuted";
  userId: string;
  by?: string;
  role?: RoomRole;
  room?: RoomInfo;
}

/**
 * Why the server is closing a connection, sent in `rk:bye` just before it disconnects.
 * - `shutdown`: the server is stopping; reconnect (to another node) later.
 */
/**
 * Why the server closed a connection:
 * - `shutdown`: the server is stopping (`rk:bye` is sent first);
 * - `slow-consumer`: the connection did not drain what was sent to it (over
 *   `limits.outboundHardBytes`, or not draining for `limits.outboundStallMs`). `rk:bye` is sent
 *   first but rarely arrives: reconnect and recover with `since`.
 */
export type CloseReason = "shutdown" | "slow-consumer";
export interface ByePush {
  v: typeof PROTOCOL_VERSION;
  reason: CloseReason;
  message: string;
}

// ---- Socket.IO event maps (untyped bodies; the client SDK narrows them from the contract) ----

type AckFn<T extends object> = (ack: Ack<T>) => void;

/** Events a client emits. Use as `Socket<ServerToClientEvents, ClientToServerEvents>`. */
export interface ClientToServerEvents {
  "rk:subscribe": (req: SubscribeRequest, ack: AckFn<SubscribeResult>) => void;
  "rk:unsubscribe": (req: UnsubscribeRequest, ack: AckFn<object>) => void;
  "rk:publish": (req: PublishRequest, ack: AckFn<PublishResult>) => void;
  "rk:signal": (req: SignalRequest, ack: AckFn<object>) => void;
  "rk:history": (req: HistoryRequest, ack: AckFn<HistoryResult>) => void;
  "rk:presence": (req: PresenceRequest, ack: AckFn<PresenceResult>) => void;
  "rk:read": (req: ReadRequest, ack: AckFn<ReadResult>) => void;
  "rk:unread": (req: UnreadRequest, ack: AckFn<UnreadResult>) => void;
  "rk:receipts": (req: ReceiptsRequest, ack: AckFn<ReceiptsResult>) => void;
  "rk:edit": (req: EditRequest, ack: AckFn<ChangeResult>) => void;
  "rk:delete": (req: DeleteRequest, ack: AckFn<ChangeResult>) => void;
  "rk:react": (req: ReactRequest, ack: AckFn<ChangeResult>) => void;
  "rk:unreact": (req: ReactRequest, ack: AckFn<ChangeResult>) => void;
  "rk:room:create": (req: RoomCreateRequest, ack: AckFn<RoomResult>) => void;
  "rk:room:invite": (req: RoomTargetRequest, ack: AckFn<RoomMemberResult>) => void;
  "rk:room:join": (req: RoomChannelRequest, ack: AckFn<RoomResult>) => void;
  "rk:room:leave": (req: RoomChannelRequest, ack: AckFn<object>) => void;
  "rk:room:kick": (req: RoomTargetRequest, ack: AckFn<object>) => void;
  "rk:room:role": (req: RoomRoleRequest, ack: AckFn<RoomMemberResult>) => void;
  "rk:room:mute": (req: RoomMuteRequest, ack: AckFn<RoomMemberResult>) => void;
  "rk:room:list": (req: RoomListRequest, ack: AckFn<RoomListResult>) => void;
  "rk:room:members": (req: RoomMembersRequest, ack: AckFn<RoomMembersResult>) => void;
}

/** Events a server pushes. */
export interface ServerToClientEvents {
  "rk:welcome": (push: WelcomePush) => void;
  "rk:message": (push: MessagePush) => void;
  "rk:change": (push: ChangePush) => void;
  "rk:presence": (push: PresencePush) => void;
  "rk:signal": (push: SignalPush) => void;
  "rk:receipt": (push: ReceiptPush) => void;
  "rk:room": (push: RoomPush) => void;
  "rk:bye": (push: ByePush) => void;
}
