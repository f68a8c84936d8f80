import { randomBytes, randomUUID } from "node:crypto";
import type { Message } from "@roomkit/protocol";
import type { AppendInput, AppendResult, MessageStore, RangeQuery, RangeResult, StreamInfo } from "../types.js";
import { checkAppendInput, checkRangeQuery } from "../checks.js";

export interface MemoryMessageStoreOptions {
  /** Messages kept per channel; older ones are dropped. Default 1000. */
  maxPerChannel?: number;
  /** Messages stored longer ago than this are dropped. Default: kept until `maxPerChannel` drops them. */
  maxAgeMs?: number;
  /** How many `clientId`s per channel are remembered for dedupe. Default 10 000. */
  dedupeWindow?: number;
  /** The clock `maxAgeMs` is measured with. Default `Date.now`. */
  now?: () => number;
}

interface Stream {
  latest: number;
  /** Kept messages are `messages[head..]`, with seqs `latest - kept + 1 .. latest`. */
  messages: Message[];
  storedAt: number[];
  head: number;
  clientIds: Map<string, Message>;
}

/**
 * Message history in process memory: the embedded default, lost on restart.
 *
 * @example
 * const store = new MemoryMessageStore({ maxPerChannel: 500 });
 * const { message } = await store.append({ channel: "room:1", from: "alice", body: "hi", sentAt: Date.now() });
 * const { messages } = await store.range("room:1", { after: message.seq - 1, limit: 50 });
 */
export class MemoryMessageStore implements MessageStore {
  readonly #streams = new Map<string, Stream>();
  // One epoch per store: its history starts and ends with the process, for every channel alike.
  readonly #epoch = randomBytes(9).toString("base64url");
  readonly #maxPerChannel: number;
  readonly #maxAgeMs: number;
  readonly #dedupeWindow: number;
  readonly #now: () => number;

  constructor(options: MemoryMessageStoreOptions = {}) {
    this.#maxPerChannel = options.maxPerChannel ?? 1000;
    this.#maxAgeMs = options.maxAgeMs ?? Infinity;
    this.#dedupeWindow = options.dedupeWindow ?? 10_000;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#maxPerChannel) || this.#maxPerChannel < 1) throw new TypeError("maxPerChannel must be a positive integer");
    if (!(this.#maxAgeMs > 0)) throw new TypeError("maxAgeMs must be a positive number");
    if (!Number.isInteger(this.#dedupeWindow) || this.#dedupeWindow < 0) throw new TypeError("dedupeWindow must be a non-negative integer");
  }

  async append(input: AppendInput): Promise<AppendResult> {
    const { channel, from, body, sentAt, clientId } = input;
    checkAppendInput(input);

    const stream = this.#touch(channel);
    const key = clientId === undefined ? undefined : JSON.stringify([from, clientId]);
    const first = key === undefined ? undefined : stream.clientIds.get(key);
    if (first) return { message: { ...first }, duplicate: true };

    const message: Message = { id: randomUUID(), channel, seq: stream.latest + 1, from, body, sentAt };
    if (clientId !== undefined) message.clientId = clientId;
    stream.latest = message.seq;
    stream.messages.push(message);
    stream.storedAt.push(this.#now());
    if (key !== undefined && this.#dedupeWindow > 0) {
      stream.clientIds.set(key, message);
      if (stream.clientIds.size > this.#dedupeWindow) stream.clientIds.delete(stream.clientIds.keys().next().value!);
    }
    this.#trim(stream);
    return { message: { ...message }, duplicate: false };
  }

  async range(channel: string, query: RangeQuery): Promise<RangeResult> {
    const { after, before, limit } = query;
    checkRangeQuery(query);

    const stream = this.#streams.get(channel);
    if (!stream) return { messages: [], hasMore: false };
    this.#trim(stream);
    const oldest = this.#oldest(stream);
    const last = Math.min(stream.latest, before === undefined ? Infinity : before - 1);
    let from: number;
    let to: number;
    let hasMore: boolean;
    if (after !== undefined) {
      from = Math.max(oldest, after + 1);
      to = Math.min(last, from + limit - 1);
      hasMore = to < last;
    } else {
      to = last;
      from = Math.max(oldest, to - limit + 1);
      hasMore = from > oldest;
    }
    if (from > to) return { messages: [], hasMore };
    const start = stream.head + (from - oldest);
    const messages = stream.messages.slice(start, start + (to - from + 1)).map((m) => ({ ...m }));
    return { messages, hasMore };
  }

  async stream(channel: string): Promise<StreamInfo> {
    const stream = this.#streams.get(channel);
    // Asking about a channel nobody wrote to stores nothing: clients cannot grow memory by asking.
    if (!stream) return { epoch: this.#epoch, latest: 0, oldest: 1 };
    this.#trim(stream);
    return { epoch: this.#epoch, latest: stream.latest, oldest: this.#oldest(stream) };
  }

  #touch(channel: string): Stream {
    let stream = this.#streams.get(channel);
    if (!stream) {
      stream = { latest: 0, messages: [], storedAt: [], head: 0, clientIds: new Map() };
      this.#streams.set(channel, stream);
    }
    return stream;
  }

  #oldest(stream: Stream): number {
    return stream.latest - (stream.messages.length - stream.head) + 1;
  }

  #trim(stream: Stream): void {
    const kept = () => stream.messages.length - stream.head;
    while (kept() > this.#maxPerChannel) stream.head++;
    const expired = this.#now() - this.#maxAgeMs;
    while (kept() > 0 && stream.storedAt[stream.head]! < expired) stream.head++;
    // Dropping the front lazily keeps a trim O(1); compacting once half is dead keeps memory bounded.
    if (stream.head > 0 && stream.head * 2 >= stream.messages.length) {
      stream.messages.splice(0, stream.head);
      stream.storedAt.splice(0, stream.head);
      stream.head = 0;
    }
  }
}
