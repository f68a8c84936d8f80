import type { ChangeEntry, Message, PresenceMember, RoomkitError } from "@roomkit/protocol";
import { fromWireMessage } from "./attachments.js";
import type { Connection } from "./connection.js";
import type { Emitter } from "./emitter.js";
import { asRoomkitError, clientError, failureOf, isTransient } from "./errors.js";
import type { ResolvedOptions } from "./options.js";
import { isChange } from "./folding.js";
import { fromWireChange } from "./operations.js";
import type { StreamEntry } from "./ordering.js";
import { Sequencer } from "./ordering.js";
import type { PresenceDiff } from "./presence.js";
import { PresenceList } from "./presence.js";
import { request } from "./request.js";
import type { Deferred } from "./timing.js";
import { backoffDelay, deferred, timer } from "./timing.js";
import type { HistoryPage, HistoryQuery, Receipt, ResetEvent, RoomEvent, SubscribedEvent, SubscriptionStatus } from "./types.js";

/** The events of every kind of handle, untyped by contract (the public types narrow them). */
export type HandleEvents = {
  message: [message: Message];
  change: [change: ChangeEntry];
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

type Buffered = { entry: StreamEntry } | { presence: PresenceDiff };

/** A replay of the stream after a seq (`rk:subscribe { since }`, §6.1). */
interface Replay {
  recovered: boolean;
  hasMore: boolean;
  entries: StreamEntry[];
}

/**
 * Keeps one channel subscribed across connections while it is wanted. The first subscribe
 * sets the baseline seq; each later one asks for the gap `since` the last seq delivered
 * (subscribing again from the last seq replayed while the replay says `hasMore`, §6.1), or
 * reloads the latest page on `recovered: false`. Pushes that arrive while a subscribe (and its
 * continuation) is out are held and applied after it: messages and change entries through the
 * {@link Sequencer} (seq order, no duplicates), presence diffs after the snapshot. A change
 * already folded into a message delivered before it (a replayed message's `version`) is dropped.
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
  /** Messages delivered with changes already folded in: their seq → `version`, until the stream passes it. */
  readonly #folded = new Map<number, number>();
  /** Settles when this connection's subscription is done (or not wanted): sends wait for it. */
  #settled: Deferred<void> = deferred();
  #subscribed: Deferred<void> = deferred();

  constructor(host: SubscriptionHost) {
    this.#host = host;
    this.#sequencer = new Sequencer(
      {
        deliver: (entry) => this.#deliver(entry),
        fetchAfter: async (after) => {
          const replay = await this.#replay(after);
          if (!replay.recovered) return [];
          return replay.entries;
        },
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
    this.#receive(fromWireMessage(message));
  }

  receiveChange(change: ChangeEntry): void {
    this.#receive(fromWireChange(change));
  }

  #receive(entry: StreamEntry): void {
    if (!this.#wanted) return;
    if (this.#live) this.#sequencer.offer(entry);
    else this.#buffer.push({ entry });
  }

  receivePresence(diff: PresenceDiff): void {
    if (!this.#wanted) return;
    if (this.#live) this.presence.apply(diff);
    else this.#buffer.push({ presence: diff });
  }

  /**
   * A message or change known from its ack (the server does not push them back to this
   * connection): it takes its place by seq, held like a push while a subscribe is out.
   */
  acknowledged(entry: StreamEntry): void {
    this.#receive(entry);
  }

  #deliver(entry: StreamEntry): void {
    if (isChange(entry)) {
      const version = this.#folded.get(entry.target);
      if (version !== undefined && entry.seq <= version) return;
    } else if (entry.version > entry.seq) this.#folded.set(entry.seq, entry.version);
    for (const [seq, version] of this.#folded) if (version <= entry.seq) this.#folded.delete(seq);
    if (isChange(entry)) this.#host.events.emit("change", entry);
    else this.#host.events.emit("message", entry);
  }

  /** The stream after `since`, replayed by subscribing again (idempotent for a channel we are in). */
  async #replay(since: number): Promise<Replay> {
    const { connection, options } = this.#host;
    const payload = { channel: this.#host.channel()!, since, ...(this.#epoch === undefined ? {} : { epoch: this.#epoch }) };
    const ack = await request(connection.socket, "rk:subscribe", payload, options.requestTimeoutMs);
    return { recovered: ack.recovered === true, hasMore: ack.hasMore === true, entries: replayed(ack) };
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
        for (const entry of replayed(ack)) this.#sequencer.offer(entry);
        if (ack.hasMore) recovered = await this.#catchUp(stale);
        if (stale()) return;
      }
      if (recovered === false) {
        const size = options.resetPageSize;
        const page = await this.#host.page(size === undefined ? {} : { limit: size });
        if (stale()) return;
        this.#folded.clear();
        this.#sequencer.reset((this.#baseline = Math.max(ack.seq, page.messages.at(-1)?.seq ?? 0)));
        this.#host.events.emit("reset", { ...page, epoch: ack.epoch });
      }
      this.#epoch = ack.epoch;
      this.#synced = true;
      this.#recovered = recovered;
      this.#retries = 0;
      this.#goLive(ack.members);
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
   * Continues a replay the server cut short (`hasMore`: its attachments or bytes filled a packet)
   * by subscribing again from the last seq replayed, until `hasMore` is false (§6.1); later
   * entries come as pushes, held until `#goLive`. False when retention dropped part of the gap
   * meanwhile, so the caller reloads instead.
   */
  async #catchUp(stale: () => boolean): Promise<boolean> {
    for (;;) {
      const from = this.#sequencer.last;
      const replay = await this.#replay(from);
      if (stale()) return true;
      if (!replay.recovered) return false;
      for (const entry of replay.entries) this.#sequencer.offer(entry);
      if (!replay.hasMore) return true;
      if (this.#sequencer.last === from) return false;
    }
  }

  #goLive(members: PresenceMember[] | undefined): void {
    const buffered = this.#buffer;
    this.#buffer = [];
    this.#live = true;
    if (members)
      this.presence.reset(
        members,
        buffered.flatMap((b) => ("presence" in b ? [b.presence] : [])),
      );
    for (const b of buffered) if ("entry" in b) this.#sequencer.offer(b.entry);
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

/** The entries of a subscribe ack's replay, messages and changes, ready for the sequencer. */
function replayed(ack: { messages: Message[]; changes?: ChangeEntry[] }): StreamEntry[] {
  return [...ack.messages.map(fromWireMessage), ...(ack.changes ?? []).map(fromWireChange)];
}
