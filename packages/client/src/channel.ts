import type {
  ChangeEntry,
  DeleteChange,
  EditChange,
  Message,
  ReactionChange,
  ReceiptPush,
  RoomMember,
  RoomPush,
  RoomRole,
  RoomkitError,
  SignalPush,
  UnreadCount,
} from "@roomkit/protocol";
import { fromWireMessage } from "./attachments.js";
import type { Connection } from "./connection.js";
import { Emitter } from "./emitter.js";
import { clientError } from "./errors.js";
import { newClientId } from "./ids.js";
import type { ResolvedOptions } from "./options.js";
import type { Effort } from "./operations.js";
import { deleting, editing, publishing, reacting } from "./operations.js";
import type { Outbox, OutboxLane, OutgoingSend } from "./outbox.js";
import { PendingSends } from "./pending.js";
import type { PresenceDiff, PresenceList } from "./presence.js";
import type { RequestName, RequestPayload, RequestResult } from "./request.js";
import { request } from "./request.js";
import type { HandleEvents } from "./subscription.js";
import { Subscription } from "./subscription.js";
import { optional } from "./timing.js";
import type { HistoryPage, HistoryQuery, Receipt, SendOptions, SubscriptionStatus } from "./types.js";
import { ChannelView } from "./view.js";
import type { ViewOptions } from "./view-types.js";

/** What a handle needs from its client. */
export interface ChannelHost {
  readonly connection: Connection;
  readonly outbox: Outbox;
  readonly options: ResolvedOptions;
  /** Waits for the connection, then makes one request. */
  call<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<RequestResult<N>>;
}

/**
 * One channel, shared by everyone who opens it: the events, sends and requests of every
 * kind of handle (the public types show each kind its own part). Its {@link Subscription}
 * keeps it subscribed across connections.
 */
export class ChannelHandle implements OutboxLane {
  readonly #host: ChannelHost;
  readonly #events = new Emitter<HandleEvents>();
  readonly #subscription: Subscription;
  #views = 0;
  /** Sends not stored yet, for the views. */
  readonly pending = new PendingSends(() => this.#views > 0);
  #id: string | undefined;

  constructor(host: ChannelHost, id: string | undefined) {
    this.#host = host;
    this.#id = id;
    this.#subscription = new Subscription({
      connection: host.connection,
      options: host.options,
      events: this.#events,
      channel: () => this.#id,
      page: (query) => this.#page(query, false),
    });
  }

  get id(): string | undefined {
    return this.#id;
  }

  get status(): SubscriptionStatus {
    return this.#subscription.status;
  }

  get seq(): number {
    return this.#subscription.seq;
  }

  get recovered(): boolean | undefined {
    return this.#subscription.recovered;
  }

  /** The user's id, once known: whose reactions are `mine`. */
  get me(): string | undefined {
    return this.#host.connection.user?.id;
  }

  get presence(): PresenceList {
    return this.#subscription.presence;
  }

  /** Wanted by the app: pushes for this channel are its to deliver. */
  get active(): boolean {
    return this.#subscription.wanted;
  }

  on = this.#events.on.bind(this.#events);
  off = this.#events.off.bind(this.#events);

  subscribe(): Promise<void> {
    return this.#subscription.subscribe();
  }

  async unsubscribe(): Promise<void> {
    if (!this.#subscription.wanted) return;
    this.#subscription.stop("unsubscribed");
    const { connection, options } = this.#host;
    if (!connection.isConnected || this.#id === undefined) return;
    await request(connection.socket, "rk:unsubscribe", { channel: this.#id }, options.requestTimeoutMs).catch(() => undefined);
  }

  // ---- From the client: the connection, the user, and pushes ----

  connected(generation: number): void {
    this.#subscription.connected(generation);
  }

  disconnected(): void {
    this.#subscription.disconnected();
  }

  /** A DM opened before the user was known learns its id, or that it has none (a DM with oneself). */
  identify(id: string | RoomkitError): void {
    if (typeof id === "string") this.#id ??= id;
    else this.#subscription.fail(id);
  }

  receiveMessage(message: Message): void {
    this.#subscription.receiveMessage(message);
  }

  receiveChange(change: ChangeEntry): void {
    this.#subscription.receiveChange(change);
  }

  receivePresence(diff: PresenceDiff): void {
    this.#subscription.receivePresence(diff);
  }

  receiveSignal(push: SignalPush): void {
    if (this.active) this.#events.emit("signal", { channel: push.channel, name: push.name, data: push.data, from: push.from });
  }

  receiveReceipt(push: ReceiptPush): void {
    if (this.active) this.#events.emit("receipt", { channel: push.channel, userId: push.userId, seq: push.seq });
  }

  /** A membership change of this room: `me` leaving or being kicked ends the subscription; being added retries a failed one. */
  receiveRoom(push: RoomPush, me: string | undefined): void {
    const { v: _v, ...event } = push;
    if (push.userId === me && (push.type === "left" || push.type === "kicked")) this.#subscription.stop("unsubscribed");
    else if (push.userId === me && (push.type === "joined" || push.type === "created") && this.status === "failed") void this.subscribe();
    this.#events.emit("room", event);
  }

  // ---- Sends and requests ----

  /** Outbox lane: sends go out once connected and this channel's subscription has settled. */
  async ready(): Promise<{ channel: string; generation: number }> {
    const { connection } = this.#host;
    for (;;) {
      await connection.whenConnected();
      const generation = connection.generation;
      await this.#subscription.settled();
      if (connection.isConnected && connection.generation === generation) return { channel: await this.#channel(), generation };
    }
  }

  send(body: unknown, options: SendOptions = {}): Promise<Message> {
    return this.#publish(body, undefined, options);
  }

  reply(seq: number, body: unknown, options: SendOptions = {}): Promise<Message> {
    return this.#publish(body, seq, options);
  }

  edit(seq: number, body: unknown, options: SendOptions = {}): Promise<EditChange> {
    return this.#change(editing(() => this.#host.connection.socket, seq, body, this.#effort(options)));
  }

  delete(seq: number, options: SendOptions = {}): Promise<DeleteChange | undefined> {
    return this.#change(deleting(() => this.#host.connection.socket, seq, this.#effort(options)));
  }

  react(seq: number, reaction: string, options: SendOptions = {}): Promise<ReactionChange | undefined> {
    return this.#change(reacting(() => this.#host.connection.socket, "react", seq, reaction, this.#effort(options)));
  }

  unreact(seq: number, reaction: string, options: SendOptions = {}): Promise<ReactionChange | undefined> {
    return this.#change(reacting(() => this.#host.connection.socket, "unreact", seq, reaction, this.#effort(options)));
  }

  /** A live, folded view of this channel's messages (or of one thread's); `close()` it when done. */
  view(options: ViewOptions = {}): ChannelView {
    this.#views++;
    return new ChannelView(this, options, () => {
      if (--this.#views === 0) this.pending.dropFailed();
    });
  }

  #publish(body: unknown, replyTo: number | undefined, options: SendOptions): Promise<Message> {
    const clientId = options.clientId ?? newClientId();
    const fields = replyTo === undefined ? { clientId } : { clientId, replyTo };
    const run = () =>
      this.#host.outbox
        .send(
          this,
          publishing(() => this.#host.connection.socket, body, fields, this.#effort(options)),
        )
        .then((message) => {
          this.#subscription.acknowledged(message);
          return message;
        });
    return this.pending.track(clientId, body, replyTo, run);
  }

  async #change<R extends ChangeEntry | undefined>(operation: OutgoingSend<unknown, R>): Promise<R> {
    const change = await this.#host.outbox.send(this, operation);
    if (change) this.#subscription.acknowledged(change);
    return change;
  }

  #effort(options: SendOptions): Effort {
    const { send } = this.#host.options;
    return { timeoutMs: options.timeoutMs ?? send.timeoutMs, retries: options.retries ?? send.retries };
  }

  signal(name: string, data?: unknown): Promise<void> {
    const { connection, options } = this.#host;
    if (this.#id === undefined) return optional(Promise.reject(clientError("disconnected", "not connected yet: the signal was not sent")));
    const payload = { channel: this.#id, name, ...(data === undefined ? {} : { data }) };
    return optional(request(connection.socket, "rk:signal", payload, options.requestTimeoutMs).then(() => undefined));
  }

  async history(query: HistoryQuery = {}): Promise<HistoryPage<unknown>> {
    const { untilSubscribed, ...range } = query;
    if (untilSubscribed && range.before === undefined) {
      const baseline = await this.#subscription.baseline();
      if (baseline !== undefined) range.before = baseline + 1;
    }
    return this.#page(range, true);
  }

  markRead(seq?: number): Promise<number> {
    return optional(
      this.#channel()
        .then((channel) => this.#host.call("rk:read", { channel, seq: seq ?? this.seq }))
        .then((r) => r.lastRead),
    );
  }

  async unread(): Promise<UnreadCount> {
    const channel = await this.#channel();
    const { channels } = await this.#host.call("rk:unread", { channels: [channel] });
    return channels[0] ?? { channel, lastRead: 0, latest: 0, unread: 0 };
  }

  /** Every member's read mark (typed for room and DM handles only: other kinds have no receipts). */
  async receipts(): Promise<Receipt[]> {
    const channel = await this.#channel();
    const { receipts } = await this.#host.call("rk:receipts", { channel });
    return receipts.map(({ userId, seq }) => ({ channel, userId, seq }));
  }

  // ---- Room operations (typed for room handles only) ----

  invite(userId: string): Promise<RoomMember> {
    return this.#room("rk:room:invite", { userId }).then((r) => r.member);
  }

  async kick(userId: string): Promise<void> {
    await this.#room("rk:room:kick", { userId });
  }

  async leave(): Promise<void> {
    await this.#room("rk:room:leave", {});
    this.#subscription.stop("unsubscribed");
  }

  setRole(userId: string, role: Exclude<RoomRole, "owner">): Promise<RoomMember> {
    return this.#room("rk:room:role", { userId, role }).then((r) => r.member);
  }

  mute(userId: string, muted = true): Promise<RoomMember> {
    return this.#room("rk:room:mute", { userId, muted }).then((r) => r.member);
  }

  members(): Promise<RoomMember[]> {
    return this.#room("rk:room:members", {}).then((r) => r.members);
  }

  async #room<N extends RequestName>(name: N, fields: Omit<RequestPayload<N>, "channel">): Promise<RequestResult<N>> {
    const channel = await this.#channel();
    return this.#host.call(name, { ...fields, channel } as RequestPayload<N>);
  }

  /** A page of history: on the current connection (for the subscription), or once connected (for the app). */
  async #page(query: Omit<HistoryQuery, "untilSubscribed">, waitForConnection: boolean): Promise<HistoryPage<unknown>> {
    const { connection, options } = this.#host;
    const payload = { channel: await this.#channel(), ...query };
    const page = waitForConnection
      ? await this.#host.call("rk:history", payload)
      : await request(connection.socket, "rk:history", payload, options.requestTimeoutMs);
    return { messages: page.messages.map(fromWireMessage), hasMore: page.hasMore };
  }

  /** The channel id, once known: a DM opened before connecting learns it from `rk:welcome`. */
  async #channel(): Promise<string> {
    if (this.#id === undefined) await this.#host.connection.whenConnected();
    if (this.#id === undefined) throw clientError("closed", "the DM's channel could not be resolved");
    return this.#id;
  }
}
