/**
 * A stored message as every subscriber receives it.
 *
 * `seq` is assigned by the server per channel, gap-free and increasing from 1; `from` is the
 * authenticated sender (or {@link SYSTEM_SENDER}); `sentAt` is the server's clock in epoch ms.
 */
export interface Message<Body = unknown> {
  id: string;
  channel: string;
  seq: number;
  from: string;
  body: Body;
  sentAt: number;
  /** The sender's idempotency key, when it gave one. */
  clientId?: string;
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
  /** The channel's latest seq. */
  latest: number;
  /** `latest - lastRead`, never below 0. */
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
