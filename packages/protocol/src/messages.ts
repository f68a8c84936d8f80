/** What every message carries, deleted or not. */
export interface MessageCommon {
  id: string;
  channel: string;
  seq: number;
  from: string;
  sentAt: number;
  /** The sender's idempotency key, when it gave one. */
  clientId?: string;
  /**
   * The seq of the last change folded into this message (an edit, a delete, a reaction, a reply
   * to it); its own `seq` when none. A change applies to it only when `change.seq > version`.
   */
  version: number;
  /** A reply: the seq of its thread's root, a message of the same channel. */
  replyTo?: number;
  /** A thread's root: how many replies it has and when the latest was sent; absent when none. */
  replies?: ReplySummary;
}

/** A message that is not deleted: it has its body as it is now (its latest edit). */
export interface LiveMessage<Body = unknown> extends MessageCommon {
  body: Body;
  /** When the body was last edited. */
  editedAt?: number;
  /** Its reactions in the order they were first added, each counted; absent when none. */
  reactions?: ReactionCount[];
  deleted?: undefined;
}

/**
 * A deleted message, a tombstone: who deleted it and when. Its body is gone from every store,
 * so it has no `body`, `editedAt` or `reactions`; its `replies`, `replyTo` and `clientId` stay.
 */
export interface DeletedMessage extends MessageCommon {
  deleted: Deletion;
  body?: undefined;
  editedAt?: undefined;
  reactions?: undefined;
}

/**
 * A stored message as every subscriber receives it: a {@link LiveMessage}, or a
 * {@link DeletedMessage} (test `message.deleted` before reading `body`).
 *
 * `seq` is assigned by the server per channel, gap-free and increasing from 1; `from` is the
 * authenticated sender (or {@link SYSTEM_SENDER}); `sentAt` is the server's clock in epoch ms.
 *
 * @example
 * const text = message.deleted ? "(deleted)" : message.body.text;
 */
export type Message<Body = unknown> = LiveMessage<Body> | DeletedMessage;

/** Who deleted a message and when (server time). */
export interface Deletion {
  by: string;
  at: number;
}

/** One reaction on a message: how many users gave it, and whether the reading user is one of them. */
export interface ReactionCount {
  reaction: string;
  count: number;
  mine: boolean;
}

/** A thread root's replies: their count (deleted ones included) and the `sentAt` of the latest. */
export interface ReplySummary {
  count: number;
  lastAt: number;
}

/** A user with the profile `authenticate` gave them. */
export interface User<Profile = unknown> {
  id: string;
  profile: Profile;
}

/** One user in a presence list; a user with many tabs is one member. */
export interface PresenceMember<Info = unknown> {
  userId: string;
  info: Info;
}

/** A member's role in a room: an owner (one), admins, and members. */
export type RoomRole = "owner" | "admin" | "member";

/** A room as stored. */
export interface RoomInfo {
  channel: string;
  name: string;
  owner: string;
  /** An open room can be joined by any user; a closed one only by invitation. */
  open: boolean;
  createdAt: number;
}

/** One stored member of a room. */
export interface RoomMember {
  userId: string;
  role: RoomRole;
  muted: boolean;
  joinedAt: number;
}

/** A room seen by one of its members. */
export interface RoomSummary extends RoomInfo {
  role: RoomRole;
  muted: boolean;
}

/** The read state of one channel for one user. */
export interface UnreadCount {
  channel: string;
  /** The highest seq the user has read (0 when none). */
  lastRead: number;
  /** The channel's latest seq (of a message or a change). */
  latest: number;
  /**
   * The messages with seq above `lastRead`: change entries (edits, deletes, reactions) are not
   * counted. Seqs older than the store keeps count as messages.
   */
  unread: number;
}

/** One user's read mark in a room or DM: they have read up to `seq` (0 when nothing yet). */
export interface ReadMark {
  userId: string;
  seq: number;
}

/**
 * A binary attachment inside a message body. It travels as Socket.IO binary, never base64.
 * The server checks `type` against the bytes themselves.
 */
export interface Attachment {
  /** MIME type, checked against the bytes (e.g. `image/png`). */
  type: string;
  /** The bytes: `Uint8Array` (a Node `Buffer` is one) or `ArrayBuffer` (what browsers receive). */
  data: Uint8Array | ArrayBuffer;
  name?: string;
}
