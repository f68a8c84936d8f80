import type { ChangeEntry, Message, RoomkitError } from "@roomkit/protocol";
import type { Listenable } from "./emitter.js";
import { asRoomkitError } from "./errors.js";
import { countReply, foldChange, foldMessage } from "./folding.js";
import type { PendingSends } from "./pending.js";
import type { HandleEvents } from "./subscription.js";
import type { HistoryPage, HistoryQuery } from "./types.js";
import type { MessageView, ViewOptions, ViewSnapshot } from "./view-types.js";

/** What a view needs from its channel handle. */
export interface ViewSource extends Listenable<HandleEvents> {
  readonly me: string | undefined;
  readonly pending: PendingSends;
  /** Resolves once subscribed; rejects with the refusal. */
  subscribe(): Promise<void>;
  history(query: HistoryQuery): Promise<HistoryPage<unknown>>;
}

/**
 * The view of {@link MessageView}: a map of messages by seq, covering every seq from `#floor`
 * on (older ones come with `loadOlder`), folded as the handle delivers messages and changes in
 * seq order. Pages are merged by the folding rule; changes that arrive while a page is out are
 * folded again after it (the page may have been read before them).
 */
export class ChannelView implements MessageView {
  readonly thread: number | undefined;
  readonly #source: ViewSource;
  readonly #pageSize: number | undefined;
  readonly #messages = new Map<number, Message>();
  readonly #listeners = new Set<(value: ViewSnapshot) => void>();
  readonly #stops: (() => void)[] = [];
  /** The oldest seq covered; `undefined` until the first page. */
  #floor: number | undefined;
  #hasOlder = false;
  #loads = 0;
  #error: RoomkitError | undefined;
  /** Bumped by each reset: pages asked for before it are dropped. */
  #round = 0;
  /** Changes seen while a page is out, folded again over the page. */
  #recent: ChangeEntry[] = [];
  #snapshot: ViewSnapshot | undefined;
  #closed = false;
  readonly #onClose: () => void;

  constructor(source: ViewSource, options: ViewOptions, onClose: () => void) {
    this.#source = source;
    this.thread = options.thread;
    this.#pageSize = options.pageSize;
    this.#onClose = onClose;
    this.#stops.push(
      source.on("message", (m) => this.#receiveMessage(m)),
      source.on("change", (c) => this.#receiveChange(c)),
      source.on("reset", () => void this.#reload().catch(() => undefined)),
      source.pending.list.subscribe(() => this.#changed()),
    );
    void this.#reload().catch(() => undefined);
  }

  get current(): ViewSnapshot {
    this.#snapshot ??= this.#snap();
    return this.#snapshot;
  }

  get hasOlder(): boolean {
    return this.#hasOlder;
  }

  get loading(): boolean {
    return this.#loads > 0;
  }

  readonly subscribe = (listener: (value: ViewSnapshot) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  async loadOlder(): Promise<void> {
    if (!this.#hasOlder || this.#loads > 0 || this.#closed || this.#floor === undefined) return;
    await this.#load({ before: this.#floor }, false);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of this.#stops) stop();
    this.#listeners.clear();
    this.#onClose();
  }

  /** Loads the latest page afresh (first, and after `recovered: false`), dropping what was held. */
  async #reload(): Promise<void> {
    this.#round++;
    this.#messages.clear();
    this.#floor = undefined;
    this.#hasOlder = false;
    this.#changed();
    await this.#load({}, true);
  }

  async #load(range: { before?: number }, fresh: boolean): Promise<void> {
    const round = this.#round;
    this.#loads++;
    this.#changed();
    try {
      if (fresh) await this.#source.subscribe();
      const query: HistoryQuery = { ...range };
      if (this.#pageSize !== undefined) query.limit = this.#pageSize;
      if (this.thread !== undefined) query.thread = this.thread;
      const page = await this.#source.history(query);
      if (round !== this.#round || this.#closed) return;
      this.#merge(page, fresh);
      this.#error = undefined;
    } catch (err) {
      if (round === this.#round) this.#error = asRoomkitError(err);
      throw this.#error ?? asRoomkitError(err);
    } finally {
      this.#loads--;
      if (this.#loads === 0) this.#recent = [];
      if (!this.#closed) this.#changed();
    }
  }

  #merge(page: HistoryPage<unknown>, fresh: boolean): void {
    for (const m of page.messages) this.#put(m);
    const first = page.messages[0]?.seq;
    if (fresh) this.#floor = first ?? (page.hasMore ? undefined : 0);
    else if (first !== undefined) this.#floor = Math.min(this.#floor ?? first, first);
    this.#hasOlder = page.hasMore;
    const floor = this.#floor;
    if (floor !== undefined) for (const seq of this.#messages.keys()) if (seq < floor) this.#messages.delete(seq);
    for (const change of this.#recent) this.#fold(change);
  }

  #receiveMessage(m: Message): void {
    if (this.#floor !== undefined && m.seq < this.#floor) return;
    if (this.thread !== undefined && m.replyTo !== this.thread) return;
    const isNew = !this.#messages.has(m.seq);
    if (!this.#put(m)) return;
    if (isNew && m.replyTo !== undefined) {
      const root = countReply(this.#messages.get(m.replyTo), m);
      if (root) this.#messages.set(root.seq, root);
    }
    this.#changed();
  }

  #receiveChange(change: ChangeEntry): void {
    if (this.#loads > 0) this.#recent.push(change);
    if (this.#fold(change)) this.#changed();
  }

  #put(m: Message): boolean {
    const next = foldMessage(this.#messages.get(m.seq), m);
    if (next) this.#messages.set(m.seq, next);
    return next !== undefined;
  }

  #fold(change: ChangeEntry): boolean {
    const held = this.#messages.get(change.target);
    const next = held && foldChange(held, change, this.#source.me);
    if (next) this.#messages.set(next.seq, next);
    return next !== undefined;
  }

  #changed(): void {
    this.#snapshot = undefined;
    if (this.#listeners.size === 0) return;
    const snapshot = this.current;
    for (const listener of [...this.#listeners]) {
      try {
        listener(snapshot);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  #snap(): ViewSnapshot {
    const messages = [...this.#messages.values()].sort((a, b) => a.seq - b.seq);
    const thread = this.thread;
    const all = this.#source.pending.list.current;
    const pending = thread === undefined ? all : all.filter((p) => p.replyTo === thread);
    const snapshot: ViewSnapshot = { messages, pending, hasOlder: this.#hasOlder, loading: this.#loads > 0 };
    return this.#error ? { ...snapshot, error: this.#error } : snapshot;
  }
}
