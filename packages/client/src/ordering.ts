import type { ChangeEntry, Message } from "@roomkit/protocol";
import { timer } from "./timing.js";

/** One entry of a channel's stream: a message or a change entry (they share one seq). */
export type StreamEntry = Message | ChangeEntry;

/** What a {@link Sequencer} needs from its channel. */
export interface SequencerHost {
  /** Called once per seq, in seq order. */
  deliver(entry: StreamEntry): void;
  /** The stream's entries after `after`, ascending (a replay of `rk:subscribe { since }`). */
  fetchAfter(after: number): Promise<StreamEntry[]>;
  /** A gap can no longer be filled by a replay (retention dropped it): start over. */
  lost(): void;
}

/**
 * Makes one channel's stream, however its entries come (pushes, replays, send and change acks),
 * a single stream in seq order without duplicates. An entry ahead of the next expected seq is
 * held; entries from several server nodes may arrive out of order, so the gap gets
 * `gapTimeoutMs` to fill itself before it is fetched with a replay.
 */
export class Sequencer {
  #last = 0;
  readonly #held = new Map<number, StreamEntry>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #filling = false;
  /** Bumped by `clear`, so that a fill in flight for an older state is dropped. */
  #round = 0;

  constructor(
    private readonly host: SequencerHost,
    private readonly gapTimeoutMs: number,
  ) {}

  /** The last seq delivered (0 before any). */
  get last(): number {
    return this.#last;
  }

  /** Starts over from `last`: every seq up to it counts as delivered, and held messages are dropped. */
  reset(last: number): void {
    this.clear();
    this.#last = last;
  }

  /** Drops held messages and stops filling (the connection is gone: recovery will replay them). */
  clear(): void {
    this.#held.clear();
    this.#disarm();
    this.#round++;
  }

  /** Takes an entry from any source: delivers it (and what it unblocks), holds it, or drops a duplicate. */
  offer(entry: StreamEntry): void {
    const { seq } = entry;
    if (seq <= this.#last || this.#held.has(seq)) return;
    if (seq !== this.#last + 1) {
      this.#held.set(seq, entry);
      this.#arm();
      return;
    }
    this.#deliver(entry);
    for (let next = this.#held.get(this.#last + 1); next; next = this.#held.get(this.#last + 1)) {
      this.#held.delete(next.seq);
      this.#deliver(next);
    }
    if (this.#held.size === 0) this.#disarm();
  }

  #deliver(entry: StreamEntry): void {
    this.#last = entry.seq;
    this.host.deliver(entry);
  }

  #arm(): void {
    if (this.#timer !== undefined || this.#filling) return;
    this.#timer = timer(this.gapTimeoutMs, () => {
      this.#timer = undefined;
      void this.#fill();
    });
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #fill(): Promise<void> {
    const round = this.#round;
    this.#filling = true;
    try {
      while (this.#held.size > 0 && round === this.#round) {
        const from = this.#last;
        const entries = await this.host.fetchAfter(from);
        if (round !== this.#round) return;
        for (const entry of entries) this.offer(entry);
        if (this.#last === from) return this.host.lost();
      }
    } catch {
      // Offline or refused for now: a reconnect replays the gap, or the next timer tries again.
    } finally {
      this.#filling = false;
      if (round === this.#round && this.#held.size > 0) this.#arm();
    }
  }
}
