import { randomBytes, randomUUID } from "node:crypto";
import type { Message } from "@roomkit/protocol";
import type {
  AppendInput,
  AppendResult,
  ChangeInput,
  ChangeOutcome,
  MessageCount,
  MessageStore,
  RangeQuery,
  RangeResult,
  ReplayQuery,
  ReplayResult,
  StreamInfo,
} from "../types.js";
import { checkAppendInput, checkChangeInput, checkRangeQuery, checkReplayQuery } from "../checks.js";
import type { Entry, StoredMessage } from "./message-state.js";
import { applyChange, copyChange, present } from "./message-state.js";
import { countAbove, pageOf } from "./seq-pages.js";

export interface MemoryMessageStoreOptions {
  /** Entries (messages and change entries) kept per channel; older ones are dropped. Default 1000. */
  maxPerChannel?: number;
  /** Entries stored longer ago than this are dropped. Default: kept until `maxPerChannel` drops them. */
  maxAgeMs?: number;
  /** How many `clientId`s per channel are remembered for dedupe. Default 10 000. */
  dedupeWindow?: number;
  /** The clock `maxAgeMs` is measured with. Default `Date.now`. */
  now?: () => number;
}

interface Stream {
  latest: number;
  /** Kept entries are `entries[head..]`, with seqs `latest - kept + 1 .. latest`. */
  entries: Entry[];
  head: number;
  /** The seqs of the kept messages, ascending. */
  messageSeqs: number[];
  /** Thread root seq -> the seqs of its kept replies, ascending. */
  threads: Map<number, number[]>;
  clientIds: Map<string, StoredMessage>;
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
    return this.#append(input);
  }

  /**
   * {@link append} at once (see `MessageStore.appendSync`): the memory store needs no I/O, so
   * the publish path awaits nothing here. It is undefined in a subclass that overrides
   * `append`, so the server goes through the override.
   */
  get appendSync(): ((input: AppendInput) => AppendResult) | undefined {
    return this.append === MemoryMessageStore.prototype.append ? this.#appendNow : undefined;
  }

  readonly #appendNow = (input: AppendInput): AppendResult => this.#append(input);

  #append(input: AppendInput): AppendResult {
    const { channel, from, body, sentAt, clientId, replyTo } = input;
    checkAppendInput(input);

    const stream = this.#touch(channel);
    const key = clientId === undefined ? undefined : JSON.stringify([from, clientId]);
    const first = key === undefined ? undefined : stream.clientIds.get(key);
    if (first) return { message: present(first, from), duplicate: true };

    const seq = stream.latest + 1;
    const message: Message = { id: randomUUID(), channel, seq, from, body, sentAt, version: seq };
    if (clientId !== undefined) message.clientId = clientId;
    if (replyTo !== undefined) message.replyTo = replyTo;
    const stored: StoredMessage = { message };
    this.#push(stream, { seq, storedAt: this.#now(), message: stored });
    stream.messageSeqs.push(seq);
    if (replyTo !== undefined) this.#countReply(stream, replyTo, message);
    if (key !== undefined && this.#dedupeWindow > 0) {
      stream.clientIds.set(key, stored);
      if (stream.clientIds.size > this.#dedupeWindow) stream.clientIds.delete(stream.clientIds.keys().next().value!);
    }
    this.#trim(stream);
    return { message: present(stored, from), duplicate: false };
  }

  async range(channel: string, query: RangeQuery): Promise<RangeResult> {
    checkRangeQuery(query);
    const stream = this.#streams.get(channel);
    if (!stream) return { messages: [], hasMore: false };
    this.#trim(stream);
    const seqs = query.thread === undefined ? stream.messageSeqs : (stream.threads.get(query.thread) ?? []);
    const page = pageOf(seqs, query);
    const messages = page.seqs.map((seq) => present(this.#entry(stream, seq)!.message!, query.reader));
    return { messages, hasMore: page.hasMore };
  }

  async replay(channel: string, query: ReplayQuery): Promise<ReplayResult> {
    checkReplayQuery(query);
    const result: ReplayResult = { messages: [], changes: [] };
    const stream = this.#streams.get(channel);
    if (!stream) return result;
    this.#trim(stream);
    const to = Math.min(stream.latest, query.after + query.limit);
    for (let seq = Math.max(query.after + 1, this.#oldest(stream)); seq <= to; seq++) {
      const entry = this.#entry(stream, seq)!;
      if (entry.message) result.messages.push(present(entry.message, query.reader));
      else result.changes.push(copyChange(entry.change));
    }
    return result;
  }

  async get(channel: string, seq: number, reader?: string): Promise<Message | undefined> {
    const stream = this.#streams.get(channel);
    if (!stream) return undefined;
    this.#trim(stream);
    const stored = this.#entry(stream, seq)?.message;
    return stored && present(stored, reader);
  }

  async change(input: ChangeInput): Promise<ChangeOutcome> {
    checkChangeInput(input);
    const stream = this.#streams.get(input.channel);
    if (!stream) return { status: "missing" };
    this.#trim(stream);
    const stored = this.#entry(stream, input.target)?.message;
    if (!stored) return { status: "missing" };
    if (stored.message.deleted) return { status: "deleted" };
    const seq = stream.latest + 1;
    const outcome = applyChange(stored, input, seq, (edit) => this.#entry(stream, edit));
    if (outcome.status !== "applied") return outcome;
    this.#push(stream, { seq, storedAt: this.#now(), change: outcome.change });
    this.#trim(stream);
    return { status: "applied", change: copyChange(outcome.change) };
  }

  async countAfter(channel: string, seq: number): Promise<MessageCount> {
    const stream = this.#streams.get(channel);
    if (!stream) return { latest: 0, messages: 0 };
    this.#trim(stream);
    const dropped = Math.max(0, this.#oldest(stream) - 1 - seq);
    return { latest: stream.latest, messages: countAbove(stream.messageSeqs, seq) + dropped };
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
      stream = { latest: 0, entries: [], head: 0, messageSeqs: [], threads: new Map(), clientIds: new Map() };
      this.#streams.set(channel, stream);
    }
    return stream;
  }

  #push(stream: Stream, entry: Entry): void {
    stream.latest = entry.seq;
    stream.entries.push(entry);
  }

  /** A reply counts in its root's `replies` (when the root is kept) and in the root's thread. */
  #countReply(stream: Stream, root: number, reply: Message): void {
    const target = this.#entry(stream, root)?.message?.message;
    if (target) {
      target.replies = { count: (target.replies?.count ?? 0) + 1, lastAt: reply.sentAt };
      target.version = reply.seq;
    }
    const thread = stream.threads.get(root);
    if (thread) thread.push(reply.seq);
    else stream.threads.set(root, [reply.seq]);
  }

  #entry(stream: Stream, seq: number): Entry | undefined {
    const oldest = this.#oldest(stream);
    if (!Number.isInteger(seq) || seq < oldest || seq > stream.latest) return undefined;
    return stream.entries[stream.head + (seq - oldest)];
  }

  #oldest(stream: Stream): number {
    return stream.latest - (stream.entries.length - stream.head) + 1;
  }

  #trim(stream: Stream): void {
    while (stream.entries.length - stream.head > this.#maxPerChannel) this.#drop(stream);
    if (this.#maxAgeMs !== Infinity) {
      const expired = this.#now() - this.#maxAgeMs;
      while (stream.entries.length > stream.head && stream.entries[stream.head]!.storedAt < expired) this.#drop(stream);
    }
    // Dropping the front lazily keeps a trim O(1); compacting once half is dead keeps memory bounded.
    if (stream.head > 0 && stream.head * 2 >= stream.entries.length) {
      stream.entries.splice(0, stream.head);
      stream.head = 0;
    }
  }

  /** Drops the oldest entry; a message leaves the seq lists it is in (always at their front). */
  #drop(stream: Stream): void {
    const entry = stream.entries[stream.head]!;
    stream.entries[stream.head++] = undefined as never;
    const message = entry.message?.message;
    if (!message) return;
    stream.messageSeqs.shift();
    if (message.replyTo === undefined) return;
    const thread = stream.threads.get(message.replyTo);
    thread?.shift();
    if (thread?.length === 0) stream.threads.delete(message.replyTo);
  }
}
