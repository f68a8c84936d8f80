import { Buffer } from "node:buffer";
import { randomFillSync, randomUUID } from "node:crypto";
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
import { RoomkitError } from "@roomkit/protocol";
import { checkPrefix, keyPart, slotOf, tagOfSlot, tagged } from "./keys.js";
import { changeHead, decodeChange, decodeCopy, decodeMessage, decodeReply, encodeEntryBody } from "./message-entries.js";
import { APPEND, COUNT_AFTER, GET, RANGE, REPLAY, STREAM } from "./message-scripts.js";
import type { CommandClient } from "./script.js";
import type { Script } from "./script.js";
import { readKey } from "./read-state-store.js";
import type { SenderMarks } from "./read-state-store.js";
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
  /**
   * Acknowledge an append or a change only once this many replicas of its Redis primary have
   * it (`WAIT`), so that it survives a failover to one of them. Default 0: acknowledged once
   * the primary has it (replication is asynchronous; see docs/scaling.md).
   */
  waitForReplicas?: number;
  /**
   * How long `waitForReplicas` waits; fewer replicas by then fails the call with `UNAVAILABLE`
   * (the write is on the primary: a retry with the same `clientId` returns it and waits again).
   * Default 500 ms; keep it below `commandTimeoutMs`.
   */
  waitTimeoutMs?: number;
}

/** What `redisStores` adds: the layout it runs on, and where appends note the sender's read mark. */
export interface MessageStoreWiring {
  prefix?: string;
  /** On Redis Cluster: a script may only touch keys of one slot. */
  cluster?: boolean;
  /** When set, an append raises its sender's read mark in the same script (when the keys may share it) and notes it here. */
  senderMarks?: SenderMarks;
}

type EntryReply = [string, string, string];
const CHANGE_CODES = { edit: "e", delete: "d", react: "r", unreact: "u" } as const;

/**
 * Message history in Redis, shared by every node, with the changes to its messages. Seqs are
 * assigned inside Lua scripts, so they are gap-free under concurrent appends and changes from
 * many nodes; every operation is one script, one round trip, on the keys of one Redis Cluster
 * slot (`msg/{<channel>}/...`). A `(channel, from, clientId)` seen before returns its first
 * message. The epoch lives in Redis too, one per slot (`<prefix>msg-epoch/{<tag>}`): it changes
 * only when Redis loses the store's keys, which clients then see as "recovered: false". Run
 * Redis with `maxmemory-policy noeviction`.
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
  readonly #waitFor: number;
  readonly #waitMs: number;
  readonly #cluster: boolean;
  readonly #senderMarks: SenderMarks | undefined;
  readonly #keys = new Map<string, ChannelKeys>();
  readonly #readKeys = new Map<string, string>();

  constructor(client: CommandClient, options: RedisMessageStoreOptions & MessageStoreWiring = {}) {
    this.#client = client;
    this.#cluster = options.cluster ?? false;
    this.#senderMarks = options.senderMarks;
    this.#waitFor = options.waitForReplicas ?? 0;
    this.#waitMs = options.waitTimeoutMs ?? 500;
    if (!(Number.isInteger(this.#waitFor) && this.#waitFor >= 0)) throw new TypeError("waitForReplicas must be a non-negative integer");
    if (!(Number.isInteger(this.#waitMs) && this.#waitMs > 0)) throw new TypeError("waitTimeoutMs must be a positive integer");
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
    const mark = this.#marksSender(channel, from) ? this.#readKeyOf(from) : undefined;
    const head = JSON.stringify([id, from, sentAt, clientId ?? null]);
    const args = [
      newEpoch(),
      dedupeKey,
      head,
      encodeEntryBody(body),
      String(this.#dedupeWindow),
      String(replyTo ?? 0),
      String(sentAt),
      channel,
    ];
    const reply = (await this.#run(APPEND, channel, args, mark)) as [number, string, number?];
    await this.#replicated(channel);
    if (reply[0] === 1) return { message: decodeCopy(channel, reply[1]), duplicate: true };
    // What is stored is serialized: the caller may mutate this message without changing it.
    const seq = Number(reply[1]);
    if (mark !== undefined && reply[2] !== undefined && reply[2] >= 0) this.#senderMarks?.note(from, channel, seq, reply[2]);
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
    if (status === "applied") await this.#replicated(input.channel);
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

  /**
   * Whether an append raises its sender's read mark itself: for a user (not the server's
   * `$`-senders, whom the server does not mark), when the two keys may be in one script (any
   * single Redis; on a cluster, only when they share a slot).
   */
  #marksSender(channel: string, from: string): boolean {
    if (this.#senderMarks === undefined || from.startsWith("$")) return false;
    return !this.#cluster || slotOf(keyPart(channel)) === slotOf(keyPart(from));
  }

  /** With `waitForReplicas`: waits until that many replicas have this connection's writes, or fails with `UNAVAILABLE`. */
  async #replicated(channel: string): Promise<void> {
    if (this.#waitFor === 0) return;
    const target = this.#client.onKey?.(this.#base(channel)) ?? this.#client;
    const acked = Number(await guard(target.sendCommand(["WAIT", String(this.#waitFor), String(this.#waitMs)])));
    if (acked >= this.#waitFor) return;
    throw new RoomkitError(
      "UNAVAILABLE",
      `stored on the Redis primary, but ${acked} of ${this.#waitFor} replicas confirmed it within ${this.#waitMs} ms: retry`,
    );
  }

  #base(channel: string): string {
    return this.#keysOf(channel).base;
  }

  #keysOf(channel: string): ChannelKeys {
    const known = this.#keys.get(channel);
    if (known) return known;
    const base = `${this.#prefix}msg/${tagged(channel)}/`;
    const keys = ["meta", "log", "dd", "ddo", "st", "ms"].map((name) => base + name);
    keys.push(`${this.#prefix}msg-epoch/{${tagOfSlot(slotOf(keyPart(channel)))}}`);
    if (this.#keys.size >= MAX_CACHED) this.#keys.clear();
    const made = { base, keys };
    this.#keys.set(channel, made);
    return made;
  }

  /** A user's read-state key, made once per user. */
  #readKeyOf(userId: string): string {
    let key = this.#readKeys.get(userId);
    if (key === undefined) {
      key = readKey(this.#prefix, userId);
      if (this.#readKeys.size >= MAX_CACHED) this.#readKeys.clear();
      this.#readKeys.set(userId, key);
    }
    return key;
  }

  /**
   * Runs a script on the channel's keys, with the arguments every script takes first (MESSAGE_LUA).
   * The epoch key is the store's one for the channel's slot (`msg-epoch/{<a tag in that slot>}`),
   * so every key of a script is in one slot.
   */
  #run(script: Script, channel: string, args: string[], readKeyOfSender?: string): Promise<unknown> {
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    const { base, keys: channelKeys } = this.#keysOf(channel);
    const keys = readKeyOfSender === undefined ? channelKeys : [...channelKeys, readKeyOfSender];
    return guard(script.run(this.#client, keys, [base, String(this.#now()), String(this.#maxPerChannel), String(this.#maxAgeMs), ...args]));
  }
}

/** Random bytes for epochs, drawn a few hundred at a time: every append offers one, few are ever used. */
const pool = Buffer.alloc(9 * 256);
let poolAt = pool.length;

function newEpoch(): string {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += 9;
  return pool.toString("base64url", poolAt - 9, poolAt);
}

/** The keys of a channel's scripts, made once per channel (escaping and the slot's CRC are not free). */
interface ChannelKeys {
  base: string;
  keys: readonly string[];
}
const MAX_CACHED = 10_000;
