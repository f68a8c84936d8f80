import type {
  AnyContract,
  BodyOf,
  FamilyName,
  FamilyOfKind,
  KindOf,
  Message,
  ReceiptPush,
  RoomMember,
  RoomPush,
  RoomRole,
  RoomkitError,
  UnreadCount,
} from "@roomkit/protocol";
import type { Sendable } from "./attachments.js";
import type { Listenable } from "./emitter.js";
import type { FamilyOf, FamilyTypes, SignalNameOf } from "./family.js";
import type { FamilyChange, MessageOperations } from "./operation-types.js";
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

/** A signal of a family as a listener receives it: which one, its data, and who sent it. */
export type FamilySignal<T extends FamilyTypes> = {
  [S in SignalNameOf<T>]: { channel: string; name: S; data: T["signals"][S & keyof T["signals"]]; from: string };
}[SignalNameOf<T>];

/** A signal of family `F` of contract `C` as a listener receives it. */
export type SignalEvent<C extends AnyContract, F extends FamilyName<C>> = FamilySignal<FamilyOf<C, F>>;

/** The data argument of `signal(name, data)`: optional when the signal's data may be `undefined`. */
export type SignalArgs<T extends FamilyTypes, S extends SignalNameOf<T>> = undefined extends T["signals"][S & keyof T["signals"]]
  ? [data?: T["signals"][S & keyof T["signals"]]]
  : [data: T["signals"][S & keyof T["signals"]]];

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

/** What every channel handle of a family emits. */
export type FamilyEvents<T extends FamilyTypes> = {
  /** A message, in seq order, exactly once. */
  message: [message: Message<T["body"]>];
  /** A change to a message (edit, delete, reaction), in seq order with messages, exactly once; already folded ones dropped. */
  change: [change: FamilyChange<T>];
  signal: [signal: FamilySignal<T>];
  receipt: [receipt: Receipt];
  reset: [reset: ResetEvent<T["body"]>];
  subscribed: [info: SubscribedEvent];
  /** The server refused the subscription; the handle is `failed`. */
  error: [error: RoomkitError];
};

/** What every channel handle of family `F` of contract `C` emits. */
export type ChannelEvents<C extends AnyContract, F extends FamilyName<C>> = FamilyEvents<FamilyOf<C, F>>;

/** What a room handle emits besides {@link FamilyEvents}. */
export type RoomFamilyEvents<T extends FamilyTypes> = FamilyEvents<T> & {
  /** A membership change in this room: joined, left, kicked, role, muted, unmuted. */
  room: [event: RoomEvent<T["id"]>];
};

/** What a room handle of family `F` of contract `C` emits. */
export type RoomChannelEvents<C extends AnyContract, F extends FamilyName<C>> = RoomFamilyEvents<FamilyOf<C, F>>;

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

/** What every channel handle can do, typed by its family (see {@link FamilyTypes}). */
export interface HandleBase<T extends FamilyTypes, Events extends FamilyEvents<T>, Id = T["id"]>
  extends Listenable<Events>,
    MessageOperations<T> {
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
  send(body: Sendable<T["input"]>, options?: SendOptions): Promise<Message<T["body"]>>;
  /**
   * Sends an ephemeral signal to the channel's other listeners (not stored). Fire and forget,
   * or await it to learn of a refusal.
   *
   * @example
   * dm.signal("typing", { on: true });
   */
  signal<S extends SignalNameOf<T>>(name: S, ...data: SignalArgs<T, S>): Promise<void>;
  /**
   * A page of stored messages, ascending. Page back with `before: page.messages[0].seq`.
   *
   * @example
   * room.on("message", append);
   * let page = await room.history({ untilSubscribed: true, limit: 30 }); // then the live messages
   * if (page.hasMore) page = await room.history({ before: page.messages[0]!.seq, limit: 30 });
   */
  history(query?: HistoryQuery): Promise<HistoryPage<T["body"]>>;
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
export interface BasicHandle<T extends FamilyTypes> extends HandleBase<T, FamilyEvents<T>> {}

/** A presence channel: a channel with a members list. */
export interface PresenceHandle<T extends FamilyTypes> extends HandleBase<T, FamilyEvents<T>> {
  /** Who is here now, and join / leave / change events. */
  readonly presence: Presence<T["member"]>;
}

/**
 * A DM channel. Its `id` is known once the connection has said who the user is
 * (`undefined` before, when opened with `rk.dm(peer)` before connecting).
 */
export interface DmHandle<T extends FamilyTypes> extends HandleBase<T, FamilyEvents<T>, T["id"] | undefined> {
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
export interface RoomHandle<T extends FamilyTypes> extends HandleBase<T, RoomFamilyEvents<T>> {
  readonly presence: Presence<T["member"]>;
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

/** The handle of a public or private family `F` of contract `C`. */
export type BasicChannel<C extends AnyContract, F extends FamilyName<C>> = BasicHandle<FamilyOf<C, F>>;

/** The handle of a presence family `F` of contract `C`. */
export type PresenceChannel<C extends AnyContract, F extends FamilyName<C>> = PresenceHandle<FamilyOf<C, F>>;

/** The handle of a DM family `F` of contract `C`. */
export type DmChannel<C extends AnyContract, F extends FamilyName<C>> = DmHandle<FamilyOf<C, F>>;

/** The handle of a room family `F` of contract `C`. */
export type RoomChannel<C extends AnyContract, F extends FamilyName<C>> = RoomHandle<FamilyOf<C, F>>;

/**
 * The handle type of family `F` of contract `C`, by its kind: a `RoomHandle`, `PresenceHandle`,
 * `DmHandle` or `BasicHandle` of the family's {@link FamilyOf}.
 *
 * @example
 * type Room = Channel<typeof contract, "room">; // RoomHandle<{ kind: "room"; id: `room:${string}`; ... }>
 */
export type Channel<C extends AnyContract, F extends FamilyName<C>> = [KindOf<C, F>] extends ["room"]
  ? RoomHandle<FamilyOf<C, F>>
  : [KindOf<C, F>] extends ["presence"]
    ? PresenceHandle<FamilyOf<C, F>>
    : [KindOf<C, F>] extends ["dm"]
      ? DmHandle<FamilyOf<C, F>>
      : BasicHandle<FamilyOf<C, F>>;

/** The room families of a contract. */
export type RoomFamily<C extends AnyContract> = FamilyOfKind<C, "room">;

/** The DM families of a contract. */
export type DmFamily<C extends AnyContract> = FamilyOfKind<C, "dm">;

/** A message of any declared family, as the client-wide `inbox` event gives it. */
export type AnyMessage<C extends AnyContract> = { [F in FamilyName<C>]: Message<BodyOf<C, F>> }[FamilyName<C>];
