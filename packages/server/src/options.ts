import type { Socket } from "socket.io";
import type {
  AnyContract,
  ErrorCode,
  FamilyName,
  FamilyOfKind,
  MemberInfoOf,
  Message,
  ProfileOf,
  ResolvedChannel,
  RoomPush,
  UnknownFamily,
  User,
} from "@roomkit/protocol";
import type { Stores } from "./stores/types.js";
import type { MetricsCollector } from "./metrics/recorder.js";

/** The Socket.IO handshake of a connecting client (`auth`, `headers`, `query`, `address`...). */
export type Handshake = Socket["handshake"];
type MaybePromise<T> = T | Promise<T>;

/** The authenticated user of a connection, as `authenticate` returned it. */
export type AuthUser<C extends AnyContract> = User<ProfileOf<C>>;

/** What policy callbacks learn about the channel being asked for. */
export type ChannelRef = Pick<ResolvedChannel, "id" | "family" | "name" | "kind">;

/**
 * Server-side policy of one family. Kinds without a callback use the defaults of docs/concepts.md.
 * (Callbacks take `User<ProfileOf<C>>`, the same type as {@link AuthUser}, spelt out so that type
 * errors print the profile rather than the whole contract.)
 */
export interface FamilyPolicy<C extends AnyContract, F extends FamilyName<C> = FamilyName<C>> {
  /**
   * May this user use the channel? Required for private and presence (else all are refused); an
   * extra condition for the other kinds. Asked by every request on the channel except those that
   * rely on a subscription, which it admitted (docs/protocol.md §4.2, the access table).
   */
  authorize?: (user: User<ProfileOf<C>>, channel: ChannelRef) => MaybePromise<boolean>;
  /**
   * Who may publish. Default: subscribers (public, private, presence). Return false to refuse.
   * For a one-to-many feed: `publish: (user) => user.profile.role === "announcer"`.
   */
  publish?: (user: User<ProfileOf<C>>, channel: ChannelRef) => MaybePromise<boolean>;
  /** presence and room: the info other members see for this user (default: the profile). */
  memberInfo?: (user: User<ProfileOf<C>>, channel: ChannelRef) => MaybePromise<MemberInfoOf<C, F>>;
}

/** The `channels` option: a policy per declared family. */
export type ChannelPolicies<C extends AnyContract> = { [F in FamilyName<C>]?: FamilyPolicy<C, F> };

/**
 * `P` with each key that is not a family of `C` typed as a message naming it and the declared
 * families, so a misspelt family is a short compile error instead of a silently unused policy.
 */
export type CheckedPolicies<C extends AnyContract, P> = P & { [K in Exclude<keyof P, FamilyName<C>>]: UnknownFamily<C, K & string> };

/** A draft message offered to `hooks.beforeMessage`. */
export interface MessageDraft {
  channel: ChannelRef;
  /** The sender's user id, or `$system`. */
  from: string;
  body: unknown;
}

/** What `beforeMessage` may answer: nothing (store as is), a new body, or a refusal. */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing must type-check as a result
export type BeforeMessageResult = void | undefined | { body: unknown } | { reject: string; code?: ErrorCode };

/** An edit or a delete offered to `hooks.beforeChange`, after its policy and body checks passed. */
export type ChangeDraft =
  | { type: "edit"; channel: ChannelRef; by: string; message: Message; body: unknown }
  | { type: "delete"; channel: ChannelRef; by: string; message: Message };

/** What `beforeChange` may answer: nothing (go ahead), a new body for an edit, or a refusal. */
export type BeforeChangeResult = void | undefined | { body: unknown } | { reject: string; code?: ErrorCode };

/**
 * Lifecycle hooks for the app's own code. What `beforeMessage` throws fails that publish (a
 * `RoomkitError` keeps its code, anything else is `INTERNAL`); what the others throw is logged.
 */
export interface RoomkitHooks {
  /** Runs before a message is stored: return `{ body }` to transform or `{ reject }` to refuse. */
  beforeMessage?: (draft: MessageDraft) => MaybePromise<BeforeMessageResult>;
  /**
   * Runs before an edit or a delete is stored, from a client or the server API, with the target
   * message as it is now (`by` is the user, or `$system`) and, for an edit, its new body once it
   * passed the family's schema. Return `{ reject }` to refuse (`FORBIDDEN`, or your `code`), or for
   * an edit `{ body }` to store another body (it is not validated again). `beforeMessage` is not
   * called for edits: a content filter belongs in both. What it throws fails the change like
   * `beforeMessage`. Reactions do not call it.
   * @example
   * beforeChange: ({ type, message }) => (type === "delete" && message.replies ? { reject: "threads stay" } : undefined)
   */
  beforeChange?: (draft: ChangeDraft) => MaybePromise<BeforeChangeResult>;
  /** A user became present in a presence or room channel (their first connection there). */
  memberJoined?: (event: { channel: string; userId: string; info: unknown }) => void;
  /**
   * Before another user (or the server) adds `userId` to a room: at creation with `members`, or
   * by an invitation. Return `false` or `{ reject }` to refuse (`FORBIDDEN`). Default: allowed,
   * since the added user can always leave. A user adding themselves (`rk:room:join`) is not asked.
   * @example
   * canAddMember: ({ userId, by }) => contacts.has(userId, by)
   */
  canAddMember?: (event: AddMemberEvent) => MaybePromise<boolean | { reject: string }>;
  /**
   * Checks each attachment of a message with a real decoder before the message is stored:
   * Roomkit's own check proves only that the bytes are framed like their type (signature,
   * structure, trailer: docs/protocol.md §13), not that they decode. Called once per attachment,
   * in body order, after the body passed its schema and before `beforeMessage`; for messages from
   * clients and from the server API alike. Return `true` to accept; `false` refuses the message
   * as `INVALID`, `{ reject }` as `INVALID` with that message, and so does any other answer. What
   * it throws fails the publish like `beforeMessage` (a `RoomkitError` keeps its code, anything
   * else is `INTERNAL` and logged). It runs on the event loop: keep it fast, or hand the work on.
   * @example
   * verifyAttachment: ({ type, data }) => {
   *   if (type !== "image/png") return true;
   *   try { PNG.sync.read(Buffer.from(data)); return true; } catch { return { reject: "the PNG does not decode" }; }
   * }
   */
  verifyAttachment?: (attachment: AttachmentCheck) => MaybePromise<boolean | { reject: string }>;
  /** A user left a presence or room channel (their last connection, after the grace period). */
  memberLeft?: (event: { channel: string; userId: string; info: unknown }) => void;
  /**
   * A room's membership changed: created, someone joined, was added, left or was removed, got a
   * role, was muted or unmuted. Called once per change, on the node that made it, with what the
   * room's members get in their `rk:room` push: the place to keep a durable record of it, e.g. a
   * line in the room's history from `rk.publish(channel, ...)`.
   * @example
   * roomChanged: ({ channel, type, userId, by }) => {
   *   if (type === "joined") void rk.publish(channel, { text: `${by ?? userId} added ${userId}` }).catch(console.error);
   * }
   */
  roomChanged?: (event: RoomChange) => void;
  /** The channel got its first subscriber on this node. */
  channelOccupied?: (event: { channel: string }) => void;
  /** The channel lost its last subscriber on this node. */
  channelVacated?: (event: { channel: string }) => void;
}

/** A change of a room's membership, told to {@link RoomkitHooks.roomChanged}: the `rk:room` push without `v`. */
export type RoomChange = Omit<RoomPush, "v">;

/** What {@link RoomkitHooks.canAddMember} is asked about. */
export interface AddMemberEvent {
  channel: ChannelRef;
  /** The user being added. */
  userId: string;
  /** Who adds them: a user id, or `undefined` for the app's own server code. */
  by: string | undefined;
  via: "create" | "invite";
}

/** An attachment offered to {@link RoomkitHooks.verifyAttachment}: its type accepted and its bytes framed like it. */
export interface AttachmentCheck {
  channel: ChannelRef;
  /** The sender's user id, or `$system`. */
  from: string;
  type: string;
  data: Uint8Array;
}

/** A token bucket: `rate` requests per second, bursts up to `burst`. */
export interface RateLimit {
  rate: number;
  burst: number;
}

/**
 * Every bound the server enforces on what clients send and on what it holds for them. Rate
 * limits apply per connection and, separately, per user across their connections on one node
 * (docs/security.md says how they add up across nodes).
 */
export interface RoomkitLimits {
  /** Largest body in bytes of JSON, attachments counted as `null`. Default 16 KiB. */
  bodyBytes: number;
  /** Largest total of attachment bytes in one message. Default 512 KiB (keep under `maxHttpBufferSize`). */
  attachmentBytes: number;
  /** Most attachments in one message; at most 10, the most binary parts a stock Socket.IO parser takes in one packet. Default 10. */
  attachments: number;
  /** Attachment MIME types accepted; each is checked against the bytes. Default: png, jpeg, gif, webp. */
  attachmentTypes: readonly string[];
  /** Deepest nesting of objects and arrays, counted from each top-level field's value (a body, signal data); `{"a":[1]}` is 2, deeper is `INVALID`. Default 32. */
  depth: number;
  /** Most values in one request payload (the payload, every property, every item), counted before anything else reads it; more is `TOO_LARGE`. Default 10 000. */
  nodes: number;
  /** Largest request payload in UTF-8 bytes of JSON, as `JSON.stringify` writes it with binary counted as `null`; more is `TOO_LARGE`. Default 64 KiB. */
  requestBytes: number;
  /** Per connection. Default 20/s, burst 40. */
  publish: RateLimit;
  /** Per connection. Default 10/s, burst 20. */
  signal: RateLimit;
  /** Every other request, per connection. Default 50/s, burst 100. */
  request: RateLimit;
  /** `rk:publish` per user, over all their connections on this node. Default 30/s, burst 60. */
  userPublish: RateLimit;
  /** `rk:signal` per user on this node. Default 15/s, burst 30. */
  userSignal: RateLimit;
  /** Every other request per user on this node. Default 100/s, burst 200. */
  userRequest: RateLimit;
  /** Largest signal data in bytes of JSON. Default 1 KiB. */
  signalBytes: number;
  /** Most channels one connection may subscribe to itself; the rooms it is in are not counted. Default 500. */
  subscriptions: number;
  /** Most connections one user may hold on one node; one more is refused at the handshake (`RATE_LIMITED`). Default 20. */
  connectionsPerUser: number;
  /** Rooms one user may create (`rk:room:create`), a bucket per user on this node. Default 10 per minute, burst 10. */
  roomCreate: RateLimit;
  /** Most rooms one user may own to create another (`RATE_LIMITED`). Default 100. */
  roomsOwned: number;
  /** Most rooms one user may be a member of: creating or joining one more is `RATE_LIMITED`; another user adding them is refused (`FORBIDDEN`). Default 1000. */
  roomMemberships: number;
  /** Bytes waiting to be written to one connection over which its signals and presence diffs are dropped. Default 1 MiB. */
  outboundSoftBytes: number;
  /** Bytes waiting to be written to one connection over which it is closed (`slow-consumer`). Default 8 MiB. */
  outboundHardBytes: number;
  /** A connection with bytes waiting that has not drained for this long is closed (`slow-consumer`), pongs or not. Default 30 s. */
  outboundStallMs: number;
  /** A binary packet whose parts have not all arrived after this long closes its connection. Default 10 s. */
  binaryPacketMs: number;
  /** Most distinct reactions on one message; a new one past it is `RATE_LIMITED` (`details.limit`). Default 20. */
  reactionsPerMessage: number;
}

export interface RoomkitOptions<C extends AnyContract> {
  /** The contract shared with clients. */
  contract: C;
  /**
   * Establishes the user of a connection from its handshake (a token in `handshake.auth`, a
   * cookie...). Return `null` (or throw a `RoomkitError`) to refuse it. See also `jwtAuth`.
   */
  authenticate: (handshake: Handshake) => MaybePromise<AuthUser<C> | null | undefined>;
  /** Policy per family; a family the contract does not declare is an error (at compile time too). */
  channels?: ChannelPolicies<NoInfer<C>>;
  /** Defaults to in-memory stores (one process). */
  stores?: Partial<Stores>;
  hooks?: RoomkitHooks;
  limits?: Partial<RoomkitLimits>;
  presence?: {
    /** How long a user who dropped their last connection still counts as present. Default 3000 ms. */
    graceMs?: number;
    /**
     * How long presence changes are gathered before they go out as one push per channel;
     * 0 sends them on the next tick. Default 50 ms.
     */
    batchMs?: number;
    /**
     * The most members a subscribe ack or one `rk:presence` page lists (1 to 1000): a bigger
     * channel's ack carries the count, this many members and a cursor for the rest, so joining
     * a crowd costs the same whatever its size. Default 100.
     */
    pageSize?: number;
  };
  history?: {
    /** Largest page of `rk:history`. Default 100. */
    maxPage?: number;
    /** Largest gap replayed by `subscribe({ since })`; a larger one answers `recovered: false`. Default 1000. */
    maxReplay?: number;
  };
  messages?: {
    /**
     * How long after it was sent a user may edit their message; later is `FORBIDDEN`. Default:
     * no limit. The server API acting as the system is never bound by it.
     */
    editWindowMs?: number;
  };
  /**
   * Prometheus metrics: `roomkitMetrics()` from `@roomkit/server/metrics` (docs/operating.md).
   * Default: none, and nothing of them is loaded or run.
   */
  metrics?: MetricsCollector;
  rooms?: {
    /** The family `rk:room:create` uses when none is given (default: the first room family). */
    defaultFamily?: FamilyOfKind<C, "room">;
    /** Who may invite: owners and admins (default), or every member. */
    invite?: "admins" | "members";
    /**
     * May clients choose a new room's id (`rk:room:create` with `channel`)? Default `false`: the
     * server makes a random id, so creating a room tells nobody which ids exist. When `true`, a
     * taken id answers `CONFLICT` and so reveals that it exists.
     */
    clientIds?: boolean;
  };
}

export const DEFAULT_LIMITS: RoomkitLimits = {
  bodyBytes: 16 * 1024,
  attachmentBytes: 512 * 1024,
  attachments: 10,
  attachmentTypes: ["image/png", "image/jpeg", "image/gif", "image/webp"],
  depth: 32,
  nodes: 10_000,
  requestBytes: 64 * 1024,
  publish: { rate: 20, burst: 40 },
  signal: { rate: 10, burst: 20 },
  request: { rate: 50, burst: 100 },
  userPublish: { rate: 30, burst: 60 },
  userSignal: { rate: 15, burst: 30 },
  userRequest: { rate: 100, burst: 200 },
  signalBytes: 1024,
  subscriptions: 500,
  connectionsPerUser: 20,
  roomCreate: { rate: 10 / 60, burst: 10 },
  roomsOwned: 100,
  roomMemberships: 1000,
  outboundSoftBytes: 1024 * 1024,
  outboundHardBytes: 8 * 1024 * 1024,
  outboundStallMs: 30_000,
  binaryPacketMs: 10_000,
  reactionsPerMessage: 20,
};
