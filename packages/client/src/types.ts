import type {
  AnyContract,
  BodyInputOf,
  BodyOf,
  ChannelId,
  FamilyName,
  FamilyOfKind,
  KindOf,
  MemberInfoOf,
  Message,
  ReceiptPush,
  RoomMember,
  RoomPush,
  RoomRole,
  RoomkitError,
  SignalData,
  SignalName,
  UnreadCount,
} from "@roomkit/protocol";
import type { Sendable } from "./attachments.js";
import type { Listenable } from "./emitter.js";
import type { ChangeOf, MessageOperations } from "./operation-types.js";
import type { Presence } from "./presence.js";

/**
 * Where a channel handle's subscription stands.
 *
 * - `subscribing`: asked for (or being restored after a drop); messages are held until it completes.
 * - `subscribed`: live: messages arrive in seq order, exactly once.
 * - `unsubscribed`: the app unsubscribed, or the user left or was removed from the room.
 * - `failed`: the server refused the subscription (`error` event; e.g. `FORBIDDEN`).
 */
export type SubscriptionStatus = "subscribing" | "subscribed" | "unsubscribed" | "failed";

/** A signal as a listener receives it: which one, its data, and who sent it. */
export type SignalEvent<C extends AnyContract, F extends FamilyName<C>> = {
  [S in SignalName<C, F>]: { channel: string; name: S; data: SignalData<C, F, S>; from: string };
}[SignalName<C, F>];

/** The data argument of `signal(name, data)`: optional when the signal's data may be `undefined`. */
export type SignalArgs<C extends AnyContract, F extends FamilyName<C>, S extends SignalName<C, F>> =
  undefined extends SignalData<C, F, S> ? [data?: SignalData<C, F, S>] : [data: SignalData<C, F, S>];

/**
 * A read mark in a room or DM: `userId` has read up to `seq` (0: nothing yet). The `receipt`
 * event gives one when it moves; `receipts()` gives where every member's stands.
 */
export type Receipt = Omit<ReceiptPush, "v">;

/** A room membership change (see `RoomPush` in the protocol for each `type`), with its channel id typed. */
export type RoomEvent<Id extends string = string> = Omit<RoomPush, "v" | "channel"> & { channel: Id };

/** After a (re)subscription: `recovered` is `undefined` on a first subscribe, else whether the gap was replayed. */
export interface SubscribedEvent {
  recovered: boolean | undefined;
  /** The last seq delivered. */
  seq: number;
  epoch: string;
}

/**
 * The server could not replay what was missed (`recovered: false`: a restarted in-memory
 * server, or a gap older than retention). The handle reloaded the latest page of history:
 * show `messages` instead of what was shown before; live messages continue after them.
 */
export interface ResetEvent<Body> {
  messages: Message<Body>[];
  /** More history lies before `messages`. */
  hasMore: boolean;
  epoch: string;
}

/** What every channel handle emits. */
export type ChannelEvents<C extends AnyContract, F extends FamilyName<C>> = {
  /** A message, in seq order, exactly once. */
  message: [message: Message<BodyOf<C, F>>];
  /** A change to a message (edit, delete, reaction), in seq order with messages, exactly once; already folded ones dropped. */
  change: [change: ChangeOf<C, F>];
  signal: [signal: SignalEvent<C, F>];
  receipt: [receipt: Receipt];
  reset: [reset: ResetEvent<BodyOf<C, F>>];
  subscribed: [info: SubscribedEvent];
  /** The server refused the subscription; the handle is `failed`. */
  error: [error: RoomkitError];
};

/** What a room handle emits besides {@link ChannelEvents}. */
export type RoomChannelEvents<C extends AnyContract, F extends FamilyName<C>> = ChannelEvents<C, F> & {
  /** A membership change in this room: joined, left, kicked, role, muted, unmuted. */
  room: [event: RoomEvent<ChannelId<C, F>>];
};

/** Per-send options; the defaults come from `createClient`'s `send` options. */
export interface SendOptions {
  /** How long one attempt waits for its ack. */
  timeoutMs?: number;
  /** Attempts after the first one, on a timeout or `UNAVAILABLE` (a drop does not use one up). */
  retries?: number;
  /** Your own idempotency key (1-64 printable ASCII), e.g. one you kept across a page reload. */
  clientId?: string;
}

/** A page request: `before` pages back in time, `after` forward; with neither, the latest page. */
export interface HistoryQuery {
  /** Messages with seq below this, the newest first taken. */
  before?: number;
  /** Messages with seq above this, the oldest first taken. */
  after?: number;
  /** At most this many (default 50; the server refuses more than its `history.maxPage`). */
  limit?: number;
  /** Only the replies of the thread whose root has this seq (the root itself is not in the page). */
  thread?: number;
  /**
   * End the page right where this handle's `message` events begin (waiting for the
   * subscription if need be): the page and the live messages then have no gap and no overlap.
   * The first page of a conversation view.
   */
  untilSubscribed?: boolean;
}

/** A page of history, in ascending seq order. */
export interface HistoryPage<Body> {
  messages: Message<Body>[];
  /** More messages lie beyond this page in the direction asked. */
  hasMore: boolean;
}

/** What every channel handle can do. */
export interface ChannelBase<C extends AnyContract, F extends FamilyName<C>, Events extends ChannelEvents<C, F>, Id = ChannelId<C, F>>
  extends Listenable<Events>,
    MessageOperations<C, F> {
  /** The channel id, e.g. `room:42`. */
  readonly id: Id;
  readonly status: SubscriptionStatus;
  /** The last seq delivered to `message` listeners (or the latest seq at the first subscribe). */
  readonly seq: number;
  /** Whether the last resubscription replayed everything missed; `undefined` before any. */
  readonly recovered: boolean | undefined;
  /**
   * Resolves when subscribed (at once if already); rejects with the server's refusal. Handles
   * subscribe by themselves when opened: call this to wait, or to subscribe again after `unsubscribe`.
   *
   * @example
   * const news = rk.channel("news:front-page");
   * await news.subscribe(); // throws RoomkitError FORBIDDEN when not allowed
   */
  subscribe(): Promise<void>;
  /**
   * Stops receiving messages and leaves presence; a room membership is kept. The handle stays
   * shared: `rk.channel(id)` returns it again and subscribes it, replaying what was missed.
   *
   * @example
   * await news.unsubscribe();
   */
  unsubscribe(): Promise<void>;
  /**
   * Sends a message. Resolves with the stored message; rejects with a {@link RoomkitError}
   * (the server's, or `UNAVAILABLE` with `details.failure` for timeouts and a full outbox).
   * Offline sends wait in the outbox; each attempt reuses one `clientId`, so retries never
   * store twice.
   *
   * @example
   * const message = await dm.send({ text: "hi" });
   * await dm.send({ image: { type: "image/png", data: fileInput.files[0] } });
   */
  send(body: Sendable<BodyInputOf<C, F>>, options?: SendOptions): Promise<Message<BodyOf<C, F>>>;
  /**
   * Sends an ephemeral signal to the channel's other listeners (not stored). Fire and forget,
   * or await it to learn of a refusal.
   *
   * @example
   * dm.signal("typing", { on: true });
   */
  signal<S extends SignalName<C, F>>(name: S, ...data: SignalArgs<C, F, S>): Promise<void>;
  /**
   * A page of stored messages, ascending. Page back with `before: page.messages[0].seq`.
   *
   * @example
   * room.on("message", append);
   * let page = await room.history({ untilSubscribed: true, limit: 30 }); // then the live messages
   * if (page.hasMore) page = await room.history({ before: page.messages[0]!.seq, limit: 30 });
   */
  history(query?: HistoryQuery): Promise<HistoryPage<BodyOf<C, F>>>;
  /**
   * Marks messages read up to `seq` (default: the last delivered); other members of rooms and
   * DMs get a receipt. Resolves with the read mark.
   *
   * @example
   * dm.on("message", (m) => { render(m); if (document.hasFocus()) dm.markRead(m.seq); });
   */
  markRead(seq?: number): Promise<number>;
  /**
   * This channel's unread count for the user.
   *
   * @example
   * const { unread } = await dm.unread();
   */
  unread(): Promise<UnreadCount>;
}

/** A public or private channel. */
export interface BasicChannel<C extends AnyContract, F extends FamilyName<C>> extends ChannelBase<C, F, ChannelEvents<C, F>> {}

/** A presence channel: a channel with a members list. */
export interface PresenceChannel<C extends AnyContract, F extends FamilyName<C>> extends ChannelBase<C, F, ChannelEvents<C, F>> {
  /** Who is here now, and join / leave / change events. */
  readonly presence: Presence<MemberInfoOf<C, F>>;
}

/**
 * A DM channel. Its `id` is known once the connection has said who the user is
 * (`undefined` before, when opened with `rk.dm(peer)` before connecting).
 */
export interface DmChannel<C extends AnyContract, F extends FamilyName<C>>
  extends ChannelBase<C, F, ChannelEvents<C, F>, ChannelId<C, F> | undefined> {
  /**
   * Where both users have read to now: for "Seen" after a (re)load, since `receipt` events only
   * tell of moves while connected. Yours is in it too; `seq` is 0 for who has read nothing.
   *
   * @example
   * const theirs = (await dm.receipts()).find((r) => r.userId !== rk.user?.id);
   * showSeen(theirs?.seq ?? 0);                 // then keep it current:
   * dm.on("receipt", (r) => { if (r.userId !== rk.user?.id) showSeen(r.seq); });
   */
  receipts(): Promise<Receipt[]>;
}

/** A room: a presence list, membership operations and membership events. */
export interface RoomChannel<C extends AnyContract, F extends FamilyName<C>> extends ChannelBase<C, F, RoomChannelEvents<C, F>> {
  readonly presence: Presence<MemberInfoOf<C, F>>;
  /**
   * Adds a user to the room (owners and admins, unless the server lets members invite).
   * @example
   * await room.invite("dave");
   */
  invite(userId: string): Promise<RoomMember>;
  /**
   * Removes a member of a lower role; they lose the room on every device.
   * @example
   * await room.kick("mallory");
   */
  kick(userId: string): Promise<void>;
  /**
   * Leaves the room (an owner hands it to the longest-standing admin or member).
   * @example
   * await room.leave();
   */
  leave(): Promise<void>;
  /**
   * Makes a member an admin or a member again (the owner only).
   * @example
   * await room.setRole("bob", "admin");
   */
  setRole(userId: string, role: Exclude<RoomRole, "owner">): Promise<RoomMember>;
  /**
   * Mutes (or with `false`, unmutes) a member: they still read, but may not send.
   * @example
   * await room.mute("bob");
   */
  mute(userId: string, muted?: boolean): Promise<RoomMember>;
  /**
   * The stored members with their roles (online or not; `presence` says who is online).
   * @example
   * const admins = (await room.members()).filter((m) => m.role !== "member");
   */
  members(): Promise<RoomMember[]>;
  /**
   * Where each stored member has read to now, in join order (`seq` 0 for who has read nothing;
   * a room of over 500 members answers for the first 500). `receipt` events tell of later moves.
   * @example
   * const marks = new Map((await room.receipts()).map((r) => [r.userId, r.seq]));
   * room.on("receipt", (r) => marks.set(r.userId, Math.max(marks.get(r.userId) ?? 0, r.seq)));
   * const seenBy = (seq: number) => [...marks].filter(([id, read]) => id !== rk.user?.id && read >= seq).length;
   */
  receipts(): Promise<Receipt[]>;
}

/** The handle type of a family, by its kind. */
export type Channel<C extends AnyContract, F extends FamilyName<C>> = [KindOf<C, F>] extends ["room"]
  ? RoomChannel<C, F>
  : [KindOf<C, F>] extends ["presence"]
    ? PresenceChannel<C, F>
    : [KindOf<C, F>] extends ["dm"]
      ? DmChannel<C, F>
      : BasicChannel<C, F>;

/** The room families of a contract. */
export type RoomFamily<C extends AnyContract> = FamilyOfKind<C, "room">;

/** The DM families of a contract. */
export type DmFamily<C extends AnyContract> = FamilyOfKind<C, "dm">;

/** A message of any declared family, as the client-wide `inbox` event gives it. */
export type AnyMessage<C extends AnyContract> = { [F in FamilyName<C>]: Message<BodyOf<C, F>> }[FamilyName<C>];
