import { randomBytes, randomUUID } from "node:crypto";
import type { Message } from "@roomkit/protocol";
import type { AppendInput, AppendResult, MessageStore, RangeQuery, RangeResult, StreamInfo } from "@roomkit/server";
import { checkPrefix, keyPart } from "./keys.js";
import { APPEND, RANGE, STREAM } from "./message-scripts.js";
import { decodeBody, encodeBody } from "./record.js";
import type { CommandClient } from "./script.js";
import { guard } from "./unavailable.js";
import { checkAppendInput, checkRangeQuery } from "@roomkit/server";

export interface RedisMessageStoreOptions {
  /** Messages kept per channel; older ones are dropped. Default 1000. */
  maxPerChannel?: number;
  /** Messages stored longer ago than this are dropped; an idle channel's messages expire with them. Default: no age limit. */
  maxAgeMs?: number;
  /** How many `clientId`s per channel are remembered for dedupe (each with its message). Default 1000. */
  dedupeWindow?: number;
  /** The clock `maxAgeMs` is measured with. Default `Date.now`. */
  now?: () => number;
}

/** A stored message: `[id, from, sentAt, clientId | null, body, binaries?]`, the seq kept beside it. */
type StoredRecord = [string, string, number, string | null, ...ReturnType<typeof encodeBody>];

function encodeRecord(m: Omit<Message, "seq" | "channel">): string {
  return JSON.stringify([m.id, m.from, m.sentAt, m.clientId ?? null, ...encodeBody(m.body)]);
}

function decodeRecord(channel: string, seq: number, text: string): Message {
  const [id, from, sentAt, clientId, ...body] = JSON.parse(text) as StoredRecord;
  const message: Message = { id, channel, seq, from, body: decodeBody(body as ReturnType<typeof encodeBody>), sentAt };
  if (clientId !== null) message.clientId = clientId;
  return message;
}

/** Splits "<seq> <rest>" at its first space. */
function splitSeq(entry: string): [number, string] {
  const space = entry.indexOf(" ");
  return [Number(entry.slice(0, space)), entry.slice(space + 1)];
}


/**
 * Message history in Redis, shared by every node. Seqs are assigned inside a Lua script, so
 * they are gap-free under concurrent appends from many nodes; a `(channel, from, clientId)`
 * seen before returns its first message. The epoch lives in Redis too, one for the store
 * (`<prefix>msg-epoch`): it changes only when Redis loses the store's keys, which clients then
 * see as "recovered: false". Run Redis with `maxmemory-policy noeviction`.
 *
 * @example
 * const messages = new RedisMessageStore(client, { prefix: "myapp:", maxPerChannel: 500, maxAgeMs: 7 * 86_400_000 });
 * const { message } = await messages.append({ channel: "room:1", from: "alice", body: "hi", sentAt: Date.now() });
 */
export class RedisMessageStore implements MessageStore {
  readonly #client: CommandClient;
  readonly #prefix: string;
  readonly #maxPerChannel: number;
  readonly #maxAgeMs: number;
  readonly #dedupeWindow: number;
  readonly #now: () => number;

  constructor(client: CommandClient, options: RedisMessageStoreOptions & { prefix?: string } = {}) {
    this.#client = client;
    this.#prefix = checkPrefix(options.prefix ?? "rk:");
    this.#maxPerChannel = options.maxPerChannel ?? 1000;
    this.#maxAgeMs = options.maxAgeMs ?? 0;
    this.#dedupeWindow = options.dedupeWindow ?? 1000;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#maxPerChannel) || this.#maxPerChannel < 1) throw new TypeError("maxPerChannel must be a positive integer");
    if (options.maxAgeMs !== undefined && !(Number.isInteger(options.maxAgeMs) && options.maxAgeMs > 0)) {
      throw new TypeError("maxAgeMs must be a positive integer");
    }
    if (!Number.isInteger(this.#dedupeWindow) || this.#dedupeWindow < 0) throw new TypeError("dedupeWindow must be a non-negative integer");
  }

  async append(input: AppendInput): Promise<AppendResult> {
    const { channel, from, body, sentAt, clientId } = input;
    checkAppendInput(input);

    const id = randomUUID();
    const dedupeKey = clientId === undefined ? "" : JSON.stringify([from, clientId]);
    const reply = (await guard(APPEND.run(this.#client, [...this.#keys(channel, "meta", "log", "dd", "ddo"), this.#epochKey], [
      newEpoch(), dedupeKey, encodeRecord({ id, from, body, sentAt, clientId }), String(this.#now()),
      String(this.#maxPerChannel), String(this.#maxAgeMs), String(this.#dedupeWindow),
    ]))) as [number, string];
    if (reply[0] === 1) return { message: decodeRecord(channel, ...splitSeq(reply[1])), duplicate: true };
    // What is stored is serialized: the caller may mutate this message without changing it.
    const message: Message = { id, channel, seq: Number(reply[1]), from, body, sentAt };
    if (clientId !== undefined) message.clientId = clientId;
    return { message, duplicate: false };
  }

  async range(channel: string, query: RangeQuery): Promise<RangeResult> {
    const { after, before, limit } = query;
    checkRangeQuery(query);
    const [more, ...entries] = (await guard(RANGE.run(this.#client, this.#keys(channel, "meta", "log", "dd"), [
      String(this.#now()), String(this.#maxPerChannel), String(this.#maxAgeMs),
      after === undefined ? "" : String(after), before === undefined ? "" : String(before), String(limit),
    ]))) as [number, ...string[]];
    return { messages: entries.map((entry) => decodeRecord(channel, ...splitSeq(entry))), hasMore: more === 1 };
  }

  async stream(channel: string): Promise<StreamInfo> {
    const [epoch, latest, kept] = (await guard(STREAM.run(this.#client, [...this.#keys(channel, "meta", "log", "dd"), this.#epochKey], [
      newEpoch(), String(this.#now()), String(this.#maxPerChannel), String(this.#maxAgeMs),
    ]))) as [string, number, number];
    return { epoch, latest, oldest: latest - kept + 1 };
  }

  /** The epoch of every stream this store starts: it changes only when Redis loses the store's keys. */
  get #epochKey(): string {
    return `${this.#prefix}msg-epoch`;
  }

  #keys(channel: string, ...names: string[]): string[] {
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    const base = `${this.#prefix}msg/${keyPart(channel)}/`;
    return names.map((name) => base + name);
  }
}

function newEpoch(): string {
  return randomBytes(9).toString("base64url");
}
