import type { Socket } from "socket.io";
import type {
  AnyContract, ErrorCode, FamilyName, FamilyOfKind, MemberInfoOf, ProfileOf, ResolvedChannel, User,
} from "@roomkit/protocol";
import type { Stores } from "./stores/types.js";

/** The Socket.IO handshake of a connecting client (`auth`, `headers`, `query`, `address`...). */
export type Handshake = Socket["handshake"];
type MaybePromise<T> = T | Promise<T>;

/** The authenticated user of a connection, as `authenticate` returned it. */
export type AuthUser<C extends AnyContract> = User<ProfileOf<C>>;

/** What policy callbacks learn about the channel being asked for. */
export type ChannelRef = Pick<ResolvedChannel, "id" | "family" | "name" | "kind">;

/** Server-side policy of one family. Kinds without a callback use the defaults of docs/concepts.md. */
export interface FamilyPolicy<C extends AnyContract, F extends FamilyName<C> = FamilyName<C>> {
  /** private and presence: may this user subscribe? Required for those kinds (else all are refused). */
  authorize?: (user: AuthUser<C>, channel: ChannelRef) => MaybePromise<boolean>;
  /**
   * Who may publish. Default: subscribers (public, private, presence). Return false to refuse.
   * For a one-to-many feed: `publish: (user) => user.profile.role === "announcer"`.
   */
  publish?: (user: AuthUser<C>, channel: ChannelRef) => MaybePromise<boolean>;
  /** presence and room: the info other members see for this user (default: the profile). */
  memberInfo?: (user: AuthUser<C>, channel: ChannelRef) => MaybePromise<MemberInfoOf<C, F>>;
}

/** A draft message offered to `hooks.beforeMessage`. */
export interface MessageDraft {
  channel: ChannelRef;
  /** The sender's user id, or `$system`. */
  from: string;
  body: unknown;
}

/** What `beforeMessage` may answer: nothing (store as is), a new body, or a refusal. */
export type BeforeMessageResult = void | undefined | { body: unknown } | { reject: string; code?: ErrorCode };

/**
 * Lifecycle hooks for the app's own code. What `beforeMessage` throws fails that publish (a
 * `RoomkitError` keeps its code, anything else is `INTERNAL`); what the others throw is logged.
 */
export interface RoomkitHooks {
  /** Runs before a message is stored: return `{ body }` to transform or `{ reject }` to refuse. */
  beforeMessage?: (draft: MessageDraft) => MaybePromise<BeforeMessageResult>;
  /** A user became present in a presence or room channel (their first connection there). */
  memberJoined?: (event: { channel: string; userId: string; info: unknown }) => void;
  /** A user left a presence or room channel (their last connection, after the grace period). */
  memberLeft?: (event: { channel: string; userId: string; info: unknown }) => void;
  /** The channel got its first subscriber on this node. */
  channelOccupied?: (event: { channel: string }) => void;
  /** The channel lost its last subscriber on this node. */
  channelVacated?: (event: { channel: string }) => void;
}

/** A token bucket: `rate` requests per second, bursts up to `burst`. */
export interface RateLimit {
  rate: number;
  burst: number;
}

export interface RoomkitLimits {
  /** Largest body in bytes of JSON, attachments not counted. Default 16 KiB. */
  bodyBytes: number;
  /** Largest total of attachment bytes in one message. Default 512 KiB (keep under `maxHttpBufferSize`). */
  attachmentBytes: number;
  /** Attachment MIME types accepted; each is checked against the bytes. Default: png, jpeg, gif, webp. */
  attachmentTypes: readonly string[];
  /** Per connection. Default 20/s, burst 40. */
  publish: RateLimit;
  /** Per connection. Default 10/s, burst 20. */
  signal: RateLimit;
  /** Every other request, per connection. Default 50/s, burst 100. */
  request: RateLimit;
  /** Largest signal data in bytes of JSON. Default 1 KiB. */
  signalBytes: number;
  /** Most channels one connection may subscribe to. Default 500. */
  subscriptions: number;
}

export interface RoomkitOptions<C extends AnyContract> {
  /** The contract shared with clients. */
  contract: C;
  /**
   * Establishes the user of a connection from its handshake (a token in `handshake.auth`, a
   * cookie...). Return `null` (or throw a `RoomkitError`) to refuse it. See also `jwtAuth`.
   */
  authenticate: (handshake: Handshake) => MaybePromise<AuthUser<C> | null | undefined>;
  /** Policy per family. */
  channels?: { [F in FamilyName<C>]?: FamilyPolicy<C, F> };
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
  };
  history?: {
    /** Largest page of `rk:history`. Default 100. */
    maxPage?: number;
    /** Largest gap replayed by `subscribe({ since })`; a larger one answers `recovered: false`. Default 1000. */
    maxReplay?: number;
  };
  rooms?: {
    /** The family `rk:room:create` uses when none is given (default: the first room family). */
    defaultFamily?: FamilyOfKind<C, "room">;
    /** Who may invite: owners and admins (default), or every member. */
    invite?: "admins" | "members";
  };
}

export const DEFAULT_LIMITS: RoomkitLimits = {
  bodyBytes: 16 * 1024,
  attachmentBytes: 512 * 1024,
  attachmentTypes: ["image/png", "image/jpeg", "image/gif", "image/webp"],
  publish: { rate: 20, burst: 40 },
  signal: { rate: 10, burst: 20 },
  request: { rate: 50, burst: 100 },
  signalBytes: 1024,
  subscriptions: 500,
};
