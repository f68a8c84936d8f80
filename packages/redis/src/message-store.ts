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
} from "@roomkit/server";
import { checkAppendInput, checkChangeInput, checkRangeQuery, checkReplayQuery } from "@roomkit/server";
import { CHANGE } from "./change-script.js";
import { checkPrefix, keyPart } from "./keys.js";
import { changeHead, decodeChange, decodeCopy, decodeMessage, decodeReply, encodeEntryBody } from "./message-entries.js";
import { APPEND, COUNT_AFTER, GET, RANGE, REPLAY, STREAM } from "./message-scripts.js";
import type { CommandClient } from "./script.js";
import type { Script } from "./script.js";
import { guard } from "./unavailable.js";

export interface RedisMessageStoreOptions {
  /** Entries (messages and change entries) kept per channel; older ones are dropped. Default 1000. */
  maxPerChannel?: number;
  /** Entries stored longer ago than this are dropped; an idle channel's entries expire with them. Default: no age limit. */
  maxAgeMs?: number;
  /** How many `clientId`s per channel are remembered for dedupe (each with its message). Default 1000. */
  dedupeWindow?: number;
  /** The clock `maxAgeMs` is measured with. Default `Date.now`. */
  now?: () => number;
}

type EntryReply = [string, string, string];
const CHANGE_CODES = { edit: "e", delete: "d", react: "r", unreact: "u" } as const;

/**
 * Message history in Redis, shared by every node, with the changes to its messages. Seqs are
 * assigned inside Lua scripts, so they are gap-free under concurrent appends and changes from
 * many nodes; every operation is one script, one round trip. A `(channel, from, clientId)` seen
 * before returns its first message. The epoch lives in Redis too, one for the store
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
    const { channel, from, body, sentAt, clientId, replyTo } = input;
    checkAppendInput(input);
    const id = randomUUID();
    const dedupeKey = clientId === undefined ? "" : JSON.stringify([from, clientId]);
    const reply = (await this.#run(APPEND, channel, [
      newEpoch(),
      dedupeKey,
      JSON.stringify([id, from, sentAt, clientId ?? null]),
      encodeEntryBody(body),
      String(this.#dedupeWindow),
      String(replyTo ?? 0),
      String(sentAt),
    ])) as [number, string];
    if (reply[0] === 1) return { message: decodeCopy(channel, reply[1]), duplicate: true };
    // What is stored is serialized: the caller may mutate this message without changing it.
    const seq = Number(reply[1]);
    const message: Message = { id, channel, seq, from, body, sentAt, version: seq };
    if (clientId !== undefined) message.clientId = clientId;
    if (replyTo !== undefined) message.replyTo = replyTo;
    return { message, duplicate: false };
  }

  async range(channel: string, query: RangeQuery): Promise<RangeResult> {
    const { after, before, limit, thread, reader } = query;
    checkRangeQuery(query);
    const [more, ...entries] = (await this.#run(RANGE, channel, [
      after === undefined ? "" : String(after),
      before === undefined ? "" : String(before),
      String(limit),
      thread === undefined ? "" : String(thread),
      reader ?? "",
    ])) as [number, ...EntryReply[]];
    return { messages: entries.map(([entry, state, mine]) => decodeMessage(channel, entry, state, mine)), hasMore: more === 1 };
  }

  async replay(channel: string, query: ReplayQuery): Promise<ReplayResult> {
    checkReplayQuery(query);
    const entries = (await this.#run(REPLAY, channel, [String(query.after), String(query.limit), query.reader ?? ""])) as EntryReply[];
    const result: ReplayResult = { messages: [], changes: [] };
    for (const reply of entries) {
      const decoded = decodeReply(channel, reply);
      if ("message" in decoded) result.messages.push(decoded.message);
      else result.changes.push(decoded.change);
    }
    return result;
  }

  async get(channel: string, seq: number, reader?: string): Promise<Message | undefined> {
    if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
    const reply = (await this.#run(GET, channel, [String(seq), reader ?? ""])) as EntryReply | [];
    return reply.length === 0 ? undefined : decodeMessage(channel, ...(reply as EntryReply));
  }

  async change(input: ChangeInput): Promise<ChangeOutcome> {
    checkChangeInput(input);
    const reaction = input.type === "react" || input.type === "unreact" ? input : undefined;
    const [status, entry] = (await this.#run(CHANGE, input.channel, [
      CHANGE_CODES[input.type],
      String(input.target),
      input.by,
      String(input.at),
      changeHead(input.by, input.at, reaction?.reaction),
      input.type === "edit" ? encodeEntryBody(input.body) : "",
      reaction?.reaction ?? "",
      String(reaction?.maxReactions ?? 0),
    ])) as [ChangeOutcome["status"], string?];
    if (status === "applied") return { status, change: decodeChange(input.channel, entry!) };
    return { status };
  }

  async countAfter(channel: string, seq: number): Promise<MessageCount> {
    const [latest, messages] = (await this.#run(COUNT_AFTER, channel, [String(seq)])) as [number, number];
    return { latest, messages };
  }

  async stream(channel: string): Promise<StreamInfo> {
    const [epoch, latest, kept] = (await this.#run(STREAM, channel, [newEpoch()])) as [string, number, number];
    return { epoch, latest, oldest: latest - kept + 1 };
  }

  /** Runs a script on the channel's keys, with the arguments every script takes first (MESSAGE_LUA). */
  #run(script: Script, channel: string, args: string[]): Promise<unknown> {
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    const base = `${this.#prefix}msg/${keyPart(channel)}/`;
    const keys = ["meta", "log", "dd", "ddo", "st", "ms"].map((name) => base + name);
    return guard(
      script.run(
        this.#client,
        [...keys, `${this.#prefix}msg-epoch`],
        [base, String(this.#now()), String(this.#maxPerChannel), String(this.#maxAgeMs), ...args],
      ),
    );
  }
}

function newEpoch(): string {
  return randomBytes(9).toString("base64url");
}
