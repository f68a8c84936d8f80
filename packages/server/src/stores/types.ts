import type { ChangeEntry, Message, PresenceMember, RoomInfo, RoomMember } from "@roomkit/protocol";

/** What the server gives {@link MessageStore.append}; the store assigns `id` and `seq`. */
export interface AppendInput {
  channel: string;
  from: string;
  body: unknown;
  sentAt: number;
  clientId?: string;
  /**
   * A reply: its thread root's seq (the server resolved a reply to a reply to the root). The
   * root, when kept, counts the reply in `replies` and takes its seq as `version`.
   */
  replyTo?: number;
}

export interface AppendResult {
  message: Message;
  /** True when `(channel, from, clientId)` was stored before: `message` is that first one. */
  duplicate: boolean;
}

/** A page request. `after` and `before` are exclusive; with neither, the latest `limit`. */
export interface RangeQuery {
  after?: number;
  before?: number;
  limit: number;
  /** Only the replies whose `replyTo` is this seq. */
  thread?: number;
  /** The user whose reactions are `mine`; without one, none is. */
  reader?: string;
}

export interface RangeResult {
  /** Ascending seq, messages only (change entries are never in a page), each as it is now. */
  messages: Message[];
  /** More messages exist beyond this page in the direction asked. */
  hasMore: boolean;
}

/** The entries of a replay: seqs in `(after, after + limit]`. */
export interface ReplayQuery {
  after: number;
  limit: number;
  reader?: string;
}

/** Every kept seq of a replay, split by kind: messages as they are now, change entries as stored. Both ascending. */
export interface ReplayResult {
  messages: Message[];
  changes: ChangeEntry[];
}

/** What every change names: the channel, the target message's seq, who changes it and when. */
interface ChangeTarget {
  channel: string;
  target: number;
  by: string;
  at: number;
}

/** A change for {@link MessageStore.change}; the server has checked policy and the body. */
export type ChangeInput =
  | (ChangeTarget & { type: "edit"; body: unknown })
  | (ChangeTarget & { type: "delete" })
  | (ChangeTarget & { type: "react" | "unreact"; reaction: string; maxReactions: number });

/**
 * What a change did: `applied` (stored at a new seq), or why not: `unchanged` (the reaction was
 * already given, or not given, by that user: nothing stored), `missing` (no message at `target`:
 * never stored, no longer kept, or a change entry), `deleted` (the target is a tombstone), `full`
 * (a new reaction on a message with `maxReactions` distinct ones).
 */
export type ChangeOutcome = { status: "applied"; change: ChangeEntry } | { status: "unchanged" | "missing" | "deleted" | "full" };

/** The messages of a channel after a seq, for unread counts. */
export interface MessageCount {
  /** The stream's latest seq. */
  latest: number;
  /** Messages (not change entries) with seq above the one asked; seqs no longer kept count as messages. */
  messages: number;
}

/** A channel and the seq to count its messages after, for {@link MessageStore.countAfterMany}. */
export interface CountQuery {
  channel: string;
  seq: number;
}

/** Where a channel's stream stands. */
export interface StreamInfo {
  /** Stable for the life of the stream's history; a new epoch means seqs started again. */
  epoch: string;
  /** The latest seq, 0 when nothing was ever stored. */
  latest: number;
  /** The lowest seq still kept; `latest + 1` when nothing is kept. */
  oldest: number;
}

/**
 * Ordered, deduplicated message history per channel, with the changes to its messages.
 *
 * Contract (checked by the conformance suite): seqs start at 1 and grow by 1 per stored
 * message or change entry per channel, even under concurrent appends and changes; a repeated
 * `(channel, from, clientId)` returns the first message (as it is now) with `duplicate: true`
 * and stores nothing; appends to one channel resolve in seq order. Retention counts entries,
 * messages and changes alike. Each method is one atomic operation (one round trip on a remote store).
 */
export interface MessageStore {
  append(input: AppendInput): Promise<AppendResult>;
  /**
   * Optional: {@link append} answered at once, for a store that needs no I/O to append (the
   * memory store). When a store has it, the server calls it instead of `append` on the publish
   * path, so a message waits for no promise. It must do exactly what `append` does (the same
   * checks, seq, dedupe and result), throwing where `append` would reject. A store that cannot
   * answer synchronously leaves it out.
   *
   * @example
   * const { message } = store.appendSync?.(input) ?? (await store.append(input));
   */
  appendSync?: ((input: AppendInput) => AppendResult) | undefined;
  /** A page of messages as they are now (history, or one thread). */
  range(channel: string, query: RangeQuery): Promise<RangeResult>;
  /** Every kept entry in a span of seqs (recovery). */
  replay(channel: string, query: ReplayQuery): Promise<ReplayResult>;
  /** The message at `seq` as it is now; `undefined` when none is kept there (a change entry's seq included). */
  get(channel: string, seq: number, reader?: string): Promise<Message | undefined>;
  /**
   * Applies a change to a kept message and stores its entry at the next seq, atomically: an edit
   * replaces the body and sets `editedAt`; a delete removes the body, `editedAt` and reactions, and
   * the body of every stored edit entry of that message; a reaction is added or removed for one
   * user (one of each per user); each sets the target's `version` to the entry's seq.
   */
  change(input: ChangeInput): Promise<ChangeOutcome>;
  /** How many messages came after `seq`. */
  countAfter(channel: string, seq: number): Promise<MessageCount>;
  /**
   * Optional: {@link countAfter} for many channels at once, in the order asked (one query on a
   * database, for a user's unread counts). Without it the server calls `countAfter` per channel.
   */
  countAfterMany?(queries: CountQuery[]): Promise<MessageCount[]>;
  stream(channel: string): Promise<StreamInfo>;
  close?(): Promise<void>;
}

/**
 * A page of a list kept in join order (presence members, room members, a user's rooms). `after` is the `next`
 * of the page before; without it, the page starts at the first member.
 */
export interface PageQuery {
  /** A cursor from an earlier page's `next`. A cursor this store did not make gives an empty page, never an error. */
  after?: string;
  /** At most this many members, at least 1. */
  limit: number;
}

/**
 * One page of a list in join order, with the size of the whole list. A cursor stays valid while
 * members come and go: the next page starts after this page's last member in join order, and
 * members who joined since are at the end.
 */
export interface MemberPage<T> {
  members: T[];
  /** How many members the whole list has now. */
  count: number;
  /** Present when more members follow this page: pass it as `after` for the next one. */
  next?: string;
}

/** One room of a user, with their membership in it (see {@link RoomStore.membershipPage}). */
export interface RoomMembership {
  room: RoomInfo;
  member: RoomMember;
}

/** One connection of a user in a presence channel. */
export interface PresenceEntry {
  channel: string;
  userId: string;
  /** The connection (socket id); a user has one entry per connection. */
  connId: string;
  info: unknown;
}

/** A presence change a store made on its own, not in answer to a call (see {@link PresenceStore.onChange}). */
export interface PresenceChange {
  type: "join" | "leave";
  channel: string;
  member: PresenceMember;
}

/**
 * Who is in each presence channel, aggregated by user: `add` says whether this is the user's
 * first connection there, `remove` whether it was the last.
 */
export interface PresenceStore {
  add(entry: PresenceEntry): Promise<{ first: boolean }>;
  /** `member` is the user as they were listed, returned when `last` is true. */
  remove(channel: string, userId: string, connId: string): Promise<{ last: boolean; member?: PresenceMember }>;
  /** Removes every connection of a user (kicked from a room); returns the member when there was one. */
  removeUser(channel: string, userId: string): Promise<PresenceMember | undefined>;
  members(channel: string): Promise<PresenceMember[]>;
  /**
   * A page of the channel's members, one per user, in the order their first connection entered
   * (a user who left and came back is at the end), with the member count: reads only the page,
   * whatever the channel's size (subscribe acks and `rk:presence` are answered from it).
   */
  page(channel: string, query: PageQuery): Promise<MemberPage<PresenceMember>>;
  /**
   * Optional, for stores shared by many nodes: calls `listener` for the changes the store makes
   * on its own (the members of a node that died, swept out), each reported on exactly one node,
   * which announces it. Returns a function that stops listening.
   */
  onChange?(listener: (change: PresenceChange) => void): () => void;
  close?(): Promise<void>;
}

/** How many rooms one user is in, for the per-user room caps. */
export interface RoomCounts {
  /** Rooms where the user's role is `owner`. */
  owned: number;
  /** Rooms the user is a member of, in any role (owned ones included). */
  member: number;
}

/** Stored rooms and their members. */
export interface RoomStore {
  /** Stores a new room with its first members; false (and nothing stored) when the channel is taken. */
  create(room: RoomInfo, members: RoomMember[]): Promise<boolean>;
  get(channel: string): Promise<RoomInfo | undefined>;
  update(room: RoomInfo): Promise<void>;
  /** Removes the room and all its members. */
  delete(channel: string): Promise<void>;
  member(channel: string, userId: string): Promise<RoomMember | undefined>;
  /** Members in the order they joined. */
  members(channel: string): Promise<RoomMember[]>;
  /**
   * A page of the members in the order they joined (a replaced member keeps their place), with
   * the member count: reads only the page, whatever the room's size (`rk:receipts` and
   * `rk:room:members` are answered from it). An unknown room is an empty page with count 0.
   */
  memberPage(channel: string, query: PageQuery): Promise<MemberPage<RoomMember>>;
  /** Adds or replaces a member. */
  putMember(channel: string, member: RoomMember): Promise<void>;
  /** True when the user was a member. */
  removeMember(channel: string, userId: string): Promise<boolean>;
  /** The room channels the user is a member of, in the order the user joined them. */
  roomsOf(userId: string): Promise<string[]>;
  /**
   * A page of the rooms the user is a member of, in the order the user joined them (a replaced
   * member keeps the room's place; a room left and joined again is at the end), each with the
   * room's info and the user's membership, and how many rooms the user is in: reads only the
   * page, whatever the user's number of rooms (`rk:room:list` is answered from it). A room
   * deleted meanwhile is left out of the page. An unknown user is an empty page with count 0.
   */
  membershipPage(userId: string, query: PageQuery): Promise<MemberPage<RoomMembership>>;
  /** How many rooms the user owns and is a member of, without listing them (one round trip on a remote store). */
  countRooms(userId: string): Promise<RoomCounts>;
  close?(): Promise<void>;
}

/** The last seq each user read per channel. */
export interface ReadStateStore {
  /**
   * Raises the user's last read seq to `seq` (never lowers it) and returns the result.
   * `mark(user, channel, 0)` starts tracking a channel without reading anything.
   */
  mark(userId: string, channel: string, seq: number): Promise<number>;
  /**
   * Optional: {@link mark} answered at once, for a store that needs no I/O (the memory store).
   * When a store has it, a sender's read mark is written as the message is published instead of
   * being batched to the next turn of the event loop. It must do exactly what `mark` does,
   * throwing where `mark` would reject.
   *
   * @example
   * const lastRead = store.markSync?.("alice", "room:42", 17) ?? (await store.mark("alice", "room:42", 17));
   */
  markSync?: ((userId: string, channel: string, seq: number) => number) | undefined;
  get(userId: string, channel: string): Promise<number>;
  /**
   * The last read seq of each of `userIds` in one channel, in the order given (0 for a user with
   * no mark), in one batched lookup (`rk:receipts` asks for up to 500 members at once).
   */
  getMany(channel: string, userIds: readonly string[]): Promise<number[]>;
  /** Every channel the user has read state for, with its last read seq. */
  all(userId: string): Promise<Map<string, number>>;
  close?(): Promise<void>;
}

/** The four stores a Roomkit server needs. */
export interface Stores {
  messages: MessageStore;
  presence: PresenceStore;
  rooms: RoomStore;
  readState: ReadStateStore;
}
