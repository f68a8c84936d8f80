import type { Message, PresenceMember, RoomkitError } from "@roomkit/protocol";
import { fromWireMessage } from "./attachments.js";
import type { Connection } from "./connection.js";
import type { Emitter } from "./emitter.js";
import { asRoomkitError, clientError, failureOf, isTransient } from "./errors.js";
import type { ResolvedOptions } from "./options.js";
import { Sequencer } from "./ordering.js";
import type { PresenceDiff, SnapshotPage } from "./presence.js";
import { PresenceList } from "./presence.js";
import { request } from "./request.js";
import type { Deferred } from "./timing.js";
import { backoffDelay, deferred, timer } from "./timing.js";
import type { HistoryPage, HistoryQuery, Receipt, ResetEvent, RoomEvent, SubscribedEvent, SubscriptionStatus } from "./types.js";

/** The events of every kind of handle, untyped by contract (the public types narrow them). */
export type HandleEvents = {
  message: [message: Message];
  signal: [signal: { channel: string; name: string; data: unknown; from: string }];
  receipt: [receipt: Receipt];
  reset: [reset: ResetEvent<unknown>];
  subscribed: [info: SubscribedEvent];
  error: [error: RoomkitError];
  room: [event: RoomEvent];
};

/** What a subscription needs from its handle and client. */
export interface SubscriptionHost {
  readonly connection: Connection;
  readonly options: ResolvedOptions;
  readonly events: Emitter<HandleEvents>;
  /** The channel id; `undefined` for a DM opened before the user is known. */
  channel(): string | undefined;
  /** A page of history on the current connection (no waiting). */
  page(query: Omit<HistoryQuery, "untilSubscribed">): Promise<HistoryPage<unknown>>;
}

type Buffered = { message: Message } | { presence: PresenceDiff };

/**
 * Keeps one channel subscribed across connections while it is wanted. The first subscribe
 * sets the baseline seq; each later one asks for the gap `since` the last seq delivered (paging
 * on through history when the replay says `hasMore`), or reloads the latest page on
 * `recovered: false`. Pushes that arrive while a subscribe (and its paging) is out are held and
 * applied after it: messages through the {@link Sequencer} (seq order, no duplicates), presence
 * diffs after the snapshot.
 */
export class Subscription {
  readonly presence = new PresenceList();
  readonly #host: SubscriptionHost;
  readonly #sequencer: Sequencer;
  #status: SubscriptionStatus = "subscribing";
  #wanted = true;
  /** Pushes go straight through; otherwise they wait in `#buffer` for a subscribe ack. */
  #live = false;
  #buffer: Buffered[] = [];
  #epoch: string | undefined;
  /** A first subscribe succeeded, so the last seq is a point to recover from. */
  #synced = false;
  #recovered: boolean | undefined;
  /** The last seq of this stream not delivered live (set by the first subscribe and by each reset). */
  #baseline: number | undefined;
  /** The generation whose subscribe is in flight. */
  #syncing: number | undefined;
  #retries = 0;
  /** Settles when this connection's subscription is done (or not wanted): sends wait for it. */
  #settled: Deferred<void> = deferred();
  #subscribed: Deferred<void> = deferred();

  constructor(host: SubscriptionHost) {
    this.#host = host;
    this.#sequencer = new Sequencer(
      {
        deliver: (message) => host.events.emit("message", message),
        fetchAfter: (after) => host.page({ after }),
        lost: () => this.#resync(),
      },
      host.options.gapTimeoutMs,
    );
    if (host.connection.isConnected) this.connected(host.connection.generation);
  }

  get status(): SubscriptionStatus {
    return this.#status;
  }

  get seq(): number {
    return this.#sequencer.last;
  }

  get recovered(): boolean | undefined {
    return this.#recovered;
  }

  get wanted(): boolean {
    return this.#wanted;
  }

  /** Resolves once this connection's subscription is settled (at once when it is not wanted). */
  settled(): Promise<void> {
    return this.#wanted ? this.#settled.promise : Promise.resolve();
  }

  /** The last seq not delivered live, once the first subscribe is done (or never, when it fails). */
  async baseline(): Promise<number | undefined> {
    if (this.#baseline === undefined && this.#wanted) await this.#subscribed.promise.catch(() => undefined);
    return this.#baseline;
  }

  subscribe(): Promise<void> {
    if (this.#status === "subscribed") return Promise.resolve();
    if (!this.#wanted) {
      this.#wanted = true;
      this.#status = "subscribing";
      this.#live = false;
      this.#buffer = [];
      if (this.#settled.settled) this.#settled = deferred();
      if (this.#subscribed.settled) this.#subscribed = deferred();
      const { connection } = this.#host;
      if (connection.isConnected) this.connected(connection.generation);
    }
    return this.#subscribed.promise;
  }

  /** Stops: the app unsubscribed (`unsubscribed`), the user left the room, or the server refused (`failed`). */
  stop(status: "unsubscribed" | "failed", error?: RoomkitError): void {
    this.#wanted = false;
    this.#status = status;
    this.#live = false;
    this.#buffer = [];
    this.#syncing = undefined;
    this.#sequencer.clear();
    this.presence.clear();
    this.#settled.resolve();
    if (!this.#subscribed.settled) this.#subscribed.reject(error ?? clientError("closed", `unsubscribed from "${this.#host.channel()}"`));
  }

  fail(error: RoomkitError): void {
    this.stop("failed", error);
    this.#host.events.emit("error", error);
  }

  /** The connection is up (again): subscribe, recovering from the last seq seen. */
  connected(generation: number): void {
    if (this.#wanted && this.#host.channel() !== undefined) void this.#sync(generation);
  }

  /** The connection is gone: hold pushes until the next subscribe ack replays the gap. */
  disconnected(): void {
    this.#live = false;
    this.#buffer = [];
    this.#syncing = undefined;
    this.#sequencer.clear();
    if (!this.#wanted) return;
    this.#status = "subscribing";
    if (this.#settled.settled) this.#settled = deferred();
  }

  receiveMessage(message: Message): void {
    if (!this.#wanted) return;
    const normalized = fromWireMessage(message);
    if (this.#live) this.#sequencer.offer(normalized);
    else this.#buffer.push({ message: normalized });
  }

  receivePresence(diff: PresenceDiff): void {
    if (!this.#wanted) return;
    if (this.#live) this.presence.apply(diff);
    else this.#buffer.push({ presence: diff });
  }

  /** A message known from a send's ack: the ack may come before a push from another node. */
  acknowledged(message: Message): void {
    if (this.#live) this.#sequencer.offer(message);
  }

  async #sync(generation: number): Promise<void> {
    if (this.#syncing === generation) return;
    this.#syncing = generation;
    const { connection, options } = this.#host;
    const stale = () => this.#syncing !== generation || connection.generation !== generation || !this.#wanted;
    const channel = this.#host.channel()!;
    const since = this.#synced ? this.#sequencer.last : undefined;
    try {
      const ack = await request(
        connection.socket,
        "rk:subscribe",
        since === undefined ? { channel } : { channel, since, ...(this.#epoch === undefined ? {} : { epoch: this.#epoch }) },
        options.requestTimeoutMs,
      );
      if (stale()) return;
      let recovered = ack.recovered;
      if (since === undefined) this.#sequencer.reset((this.#baseline = ack.seq));
      else if (recovered) {
        for (const message of ack.messages) this.#sequencer.offer(fromWireMessage(message));
        if (ack.hasMore) recovered = await this.#catchUp(ack.seq, stale);
        if (stale()) return;
      }
      if (recovered === false) {
        const size = options.resetPageSize;
        const page = await this.#host.page(size === undefined ? {} : { limit: size });
        if (stale()) return;
        this.#sequencer.reset((this.#baseline = Math.max(ack.seq, page.messages.at(-1)?.seq ?? 0)));
        this.#host.events.emit("reset", { ...page, epoch: ack.epoch });
      }
      this.#epoch = ack.epoch;
      this.#synced = true;
      this.#recovered = recovered;
      this.#retries = 0;
      this.#goLive(ack.members, { count: ack.memberCount, ...(ack.membersNext === undefined ? {} : { next: ack.membersNext }) });
      this.#status = "subscribed";
      this.#settled.resolve();
      this.#subscribed.resolve();
      this.#host.events.emit("subscribed", { recovered, seq: this.seq, epoch: ack.epoch });
    } catch (err) {
      if (stale()) return;
      this.#syncing = undefined;
      // Dropped: the next connection subscribes again (unless the link still claims to be up).
      if (failureOf(err) === "disconnected" && !connection.isConnected) return;
      if (!isTransient(err)) return this.fail(asRoomkitError(err));
      const delay = backoffDelay(this.#retries++, options.reconnect.minDelayMs, options.reconnect.maxDelayMs);
      timer(delay, () => {
        if (this.#syncing === undefined && this.#wanted && connection.generation === generation) void this.#sync(generation);
      });
    }
  }

  /**
   * Pages the rest of a replay the server cut short (`hasMore`: its attachments filled a packet)
   * from history, up to the ack's `seq`; later messages come as pushes, held until `#goLive`.
   * False when retention dropped part of the gap meanwhile, so the caller reloads instead.
   */
  async #catchUp(target: number, stale: () => boolean): Promise<boolean> {
    for (;;) {
      const from = this.#sequencer.last;
      if (from >= target) return true;
      const page = await this.#host.page({ after: from, before: target + 1 });
      if (stale()) return true;
      for (const message of page.messages) this.#sequencer.offer(message);
      if (this.#sequencer.last === from) return false;
      if (!page.hasMore) return true;
    }
  }

  #goLive(members: PresenceMember[] | undefined, page: SnapshotPage): void {
    const buffered = this.#buffer;
    this.#buffer = [];
    this.#live = true;
    if (members)
      this.presence.reset(
        members,
        buffered.flatMap((b) => ("presence" in b ? [b.presence] : [])),
        page,
      );
    for (const b of buffered) if ("message" in b) this.#sequencer.offer(b.message);
  }

  /** History cannot fill a gap: subscribe again, which replays it or answers `recovered: false`. */
  #resync(): void {
    this.#live = false;
    this.#buffer = [];
    this.#syncing = undefined;
    const { connection } = this.#host;
    if (connection.isConnected) this.connected(connection.generation);
  }
}
