import { RoomkitError } from "@roomkit/protocol";
import { asRoomkitError, clientError, failureOf } from "./errors.js";
import { backoffDelay, sleep } from "./timing.js";

/** One channel's queue in the outbox: it says when its sends may go out. */
export interface OutboxLane {
  /**
   * Resolves once a send may go out on the current connection (connected, and the channel's
   * subscription settled), with the channel id and that connection's generation; rejects when
   * it never can (the client closed or was refused).
   */
  ready(): Promise<{ channel: string; generation: number }>;
}

export interface OutboxOptions {
  /** Most sends waiting (queued or in flight) at once; more are refused with `outbox-full`. */
  limit: number;
  /** Backoff between retries after a timeout or `UNAVAILABLE`. */
  retryMinMs: number;
  retryMaxMs: number;
}

/**
 * One operation (a send, an edit, a delete, a reaction): its input being made wire-ready, one
 * attempt at it, and how hard to try. `retried` tells an attempt that an earlier one went out
 * (its answer may have been lost), e.g. so that a retried delete reads `CONFLICT` as done.
 */
export interface OutgoingSend<Input = unknown, Result = unknown> {
  input: Promise<Input>;
  attempt(channel: string, input: Input, timeoutMs: number, retried: boolean): Promise<Result>;
  timeoutMs: number;
  retries: number;
}

interface Entry extends OutgoingSend {
  resolve(result: unknown): void;
  reject(error: RoomkitError): void;
}

const DEFAULT_RETRY_AFTER_MS = 100;

/**
 * Every send and change goes through the outbox: one at a time per channel, in the order they
 * were made, whether the client is online or not. Those made offline wait for the connection; an
 * attempt cut by a drop is made again after it. A send keeps its `clientId`, which the server
 * dedupes, so a retry can never be stored twice; an edit retried stores the same body again,
 * a delete retried reads `CONFLICT` as done, and reactions are idempotent. Each resolves with
 * its ack's result or rejects.
 */
export class Outbox {
  readonly #lanes = new Map<OutboxLane, Entry[]>();
  #size = 0;

  constructor(private readonly options: OutboxOptions) {}

  /** Sends waiting, queued or in flight. */
  get size(): number {
    return this.#size;
  }

  send<Input, Result>(lane: OutboxLane, send: OutgoingSend<Input, Result>): Promise<Result> {
    if (this.#size >= this.options.limit) {
      send.input.catch(() => undefined);
      return Promise.reject(clientError("outbox-full", `the outbox is full: ${this.#size} sends are waiting`));
    }
    return new Promise<Result>((resolve, reject) => {
      const entry = { ...send, resolve, reject } as unknown as Entry;
      this.#size++;
      const queue = this.#lanes.get(lane);
      if (queue) return void queue.push(entry);
      this.#lanes.set(lane, [entry]);
      void this.#drain(lane);
    });
  }

  async #drain(lane: OutboxLane): Promise<void> {
    const queue = this.#lanes.get(lane)!;
    while (queue.length > 0) {
      const entry = queue[0]!;
      try {
        entry.resolve(await this.#deliver(lane, entry));
      } catch (err) {
        entry.reject(asRoomkitError(err));
      }
      queue.shift();
      this.#size--;
    }
    this.#lanes.delete(lane);
  }

  async #deliver(lane: OutboxLane, entry: Entry): Promise<unknown> {
    const input = await entry.input;
    let failures = 0;
    let lastGeneration = -1;
    let sent = false;
    for (;;) {
      const { channel, generation } = await lane.ready();
      // Retries are counted per connection: a send that waited out a drop starts afresh.
      if (generation !== lastGeneration) failures = 0;
      lastGeneration = generation;
      try {
        const attempt = entry.attempt(channel, input, entry.timeoutMs, sent);
        sent = true;
        return await attempt;
      } catch (err) {
        if (failureOf(err) === "disconnected") continue;
        if (err instanceof RoomkitError && err.code === "RATE_LIMITED") {
          const wait = err.details?.retryAfterMs;
          await sleep(typeof wait === "number" && wait > 0 ? wait : DEFAULT_RETRY_AFTER_MS);
          continue;
        }
        const retryable = failureOf(err) === "timeout" || (err instanceof RoomkitError && err.code === "UNAVAILABLE");
        if (!retryable || failures >= entry.retries) throw err;
        await sleep(backoffDelay(failures++, this.options.retryMinMs, this.options.retryMaxMs));
      }
    }
  }
}
