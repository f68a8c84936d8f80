import type { ReadStateStore } from "../stores/types.js";

interface Pending {
  userId: string;
  channel: string;
  seq: number;
  done: Promise<void>;
  settle: (err?: unknown) => void;
}

/**
 * The senders' read marks, coalesced per tick: marks of one user in one channel raised in the
 * same turn of the event loop are one store write, at the highest seq, made on the next turn.
 * Each caller waits for the write that covers its seq, so a publish is acknowledged only once
 * its sender's mark is stored: a mark the user can see is never behind a message they were told
 * is sent. A store with `markSync` (the memory store) is written at once instead: a write there
 * costs less than batching it, and the caller has nothing to wait for.
 */
export class ReadMarkBatch {
  readonly #store: ReadStateStore;
  #pending = new Map<string, Pending>();
  #scheduled = false;

  constructor(store: ReadStateStore) {
    this.#store = store;
  }

  /**
   * Raises the user's mark to at least `seq`. Returns `undefined` when the mark is already
   * stored (a store with `markSync`; a failure is thrown), else a promise that resolves once a
   * store write covering it is done (rejects if it failed).
   */
  raise(userId: string, channel: string, seq: number): Promise<void> | undefined {
    if (this.#store.markSync) {
      this.#store.markSync(userId, channel, seq);
      return undefined;
    }
    // A user id never holds a newline, so the key is unique per (user, channel).
    const key = `${userId}\n${channel}`;
    const pending = this.#pending.get(key);
    if (pending) {
      if (seq > pending.seq) pending.seq = seq;
      return pending.done;
    }
    let settle!: (err?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (err) => (err === undefined ? resolve() : reject(err));
    });
    this.#pending.set(key, { userId, channel, seq, done, settle });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    return done;
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = new Map();
    this.#scheduled = false;
    for (const p of batch.values()) {
      this.#store.mark(p.userId, p.channel, p.seq).then(
        () => p.settle(),
        (err: unknown) => p.settle(err ?? new Error("read mark failed")),
      );
    }
  }
}
