import { RoomkitError } from "@roomkit/protocol";

interface Waiting<I, O> {
  item: I;
  done: (result: O) => void;
  fail: (err: unknown) => void;
}

/** One lane: at most one batch in flight, the next one gathering behind it. */
interface Lane<I, O> {
  queue: Array<Waiting<I, O>>;
  busy: boolean;
}

export interface GroupCommitOptions {
  /** Batches in flight at once, each for its own share of the channels. Default 4. */
  lanes?: number;
  /** Items per batch at most. Default 256. */
  maxBatch?: number;
}

/**
 * Group commit: items that arrive while a batch is being written wait and go together in the
 * next one, so throughput is not one transaction per message. Items are split into lanes by a
 * key (the channel): one lane has one batch in flight, so a channel's items are written, and
 * resolve, in arrival order. When a batch fails for a reason other than `UNAVAILABLE`, its
 * items are retried one by one, so one bad item fails alone.
 */
export class GroupCommit<I, O> {
  readonly #lanes: Array<Lane<I, O>>;
  readonly #maxBatch: number;
  readonly #write: (items: I[]) => Promise<O[]>;

  constructor(write: (items: I[]) => Promise<O[]>, options: GroupCommitOptions = {}) {
    const lanes = options.lanes ?? 4;
    this.#maxBatch = options.maxBatch ?? 256;
    if (!(Number.isInteger(lanes) && lanes >= 1)) throw new TypeError("lanes must be a positive integer");
    if (!(Number.isInteger(this.#maxBatch) && this.#maxBatch >= 1)) throw new TypeError("maxBatch must be a positive integer");
    this.#lanes = Array.from({ length: lanes }, () => ({ queue: [], busy: false }));
    this.#write = write;
  }

  /** Queues `item` on the lane of `key`; resolves once the batch holding it committed. */
  push(key: string, item: I): Promise<O> {
    const lane = this.#lanes[laneOf(key, this.#lanes.length)]!;
    return new Promise<O>((done, fail) => {
      lane.queue.push({ item, done, fail });
      if (!lane.busy) void this.#drain(lane);
    });
  }

  async #drain(lane: Lane<I, O>): Promise<void> {
    lane.busy = true;
    while (lane.queue.length > 0) {
      const batch = lane.queue.splice(0, this.#maxBatch);
      await this.#commit(batch);
    }
    lane.busy = false;
  }

  async #commit(batch: Array<Waiting<I, O>>): Promise<void> {
    try {
      const results = await this.#write(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.done(results[i]!);
    } catch (err) {
      if (batch.length === 1 || (err instanceof RoomkitError && err.code === "UNAVAILABLE")) {
        for (const w of batch) w.fail(err);
        return;
      }
      for (const w of batch) await this.#commit([w]);
    }
  }
}

/** A stable lane for a key (FNV-1a). */
function laneOf(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}
