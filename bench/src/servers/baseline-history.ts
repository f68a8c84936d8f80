import { randomUUID } from "node:crypto";
import type { RedisClient } from "./redis-link.js";

/** A stored message: the same fields Roomkit stores, sender and seq stamped by the server. */
export interface StoredMessage {
  id: string;
  channel: string;
  seq: number;
  from: string;
  body: unknown;
  sentAt: number;
  editedAt?: number;
  /** Who gave each reaction, as a hand-written app keeps it. */
  reactions?: Record<string, string[]>;
}

/** What a reconnecting client gets: the latest seq, and the messages after `since` when they are all kept. */
export interface Replay {
  seq: number;
  recovered: boolean;
  messages: StoredMessage[];
}

/** Per-channel history with a server-assigned sequence number. */
export interface History {
  append(channel: string, from: string, body: unknown): Promise<StoredMessage>;
  /** Without `since`, just the latest seq. */
  since(channel: string, since?: number): Promise<Replay>;
}

/** What a change to a kept message came to. */
export type EditOutcome = { ok: true; message: StoredMessage } | { ok: false; code: "NOT_FOUND" | "FORBIDDEN" };

/** Edits and reactions on kept messages: the memory history has them (the workload with changes runs on one node). */
export interface ChangeableHistory extends History {
  /** Replaces the body of `from`'s own message `seq`. */
  edit(channel: string, seq: number, from: string, body: unknown): EditOutcome;
  /** Adds `by`'s reaction; the reaction's new count, 0 when `by` had already given it, or undefined when no message is kept at `seq`. */
  react(channel: string, seq: number, by: string, reaction: string): number | undefined;
}

/** Messages kept per channel, like Roomkit's in-memory default. */
const KEEP = 1000;

/** History in process memory, for one node. */
export class MemoryHistory implements ChangeableHistory {
  readonly #channels = new Map<string, { seq: number; messages: StoredMessage[] }>();

  async append(channel: string, from: string, body: unknown): Promise<StoredMessage> {
    let log = this.#channels.get(channel);
    if (!log) this.#channels.set(channel, (log = { seq: 0, messages: [] }));
    const message = { id: randomUUID(), channel, seq: ++log.seq, from, body, sentAt: Date.now() };
    log.messages.push(message);
    if (log.messages.length > 2 * KEEP) log.messages.splice(0, log.messages.length - KEEP);
    return message;
  }

  async since(channel: string, since?: number): Promise<Replay> {
    const log = this.#channels.get(channel);
    if (!log) return { seq: 0, recovered: since === 0, messages: [] };
    if (since === undefined) return { seq: log.seq, recovered: false, messages: [] };
    const first = log.seq - log.messages.length + 1;
    if (since > log.seq || since + 1 < first) return { seq: log.seq, recovered: false, messages: [] };
    return { seq: log.seq, recovered: true, messages: log.messages.slice(since + 1 - first) };
  }

  edit(channel: string, seq: number, from: string, body: unknown): EditOutcome {
    const message = this.#find(channel, seq);
    if (!message) return { ok: false, code: "NOT_FOUND" };
    if (message.from !== from) return { ok: false, code: "FORBIDDEN" };
    message.body = body;
    message.editedAt = Date.now();
    return { ok: true, message };
  }

  react(channel: string, seq: number, by: string, reaction: string): number | undefined {
    const message = this.#find(channel, seq);
    if (!message) return undefined;
    const reactions = (message.reactions ??= Object.create(null) as Record<string, string[]>);
    const users = (reactions[reaction] ??= []);
    if (users.includes(by)) return 0;
    users.push(by);
    return users.length;
  }

  #find(channel: string, seq: number): StoredMessage | undefined {
    const log = this.#channels.get(channel);
    if (!log) return undefined;
    const message = log.messages[seq - (log.seq - log.messages.length + 1)];
    return message?.seq === seq ? message : undefined;
  }
}

/** History in Redis for many nodes: a counter and a capped list per channel. */
export class RedisHistory implements History {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  async append(channel: string, from: string, body: unknown): Promise<StoredMessage> {
    const seq = await this.client.incr(`${this.prefix}:seq:${channel}`);
    const message = { id: randomUUID(), channel, seq, from, body, sentAt: Date.now() };
    const list = `${this.prefix}:log:${channel}`;
    await this.client.multi().rPush(list, JSON.stringify(message)).lTrim(list, -KEEP, -1).exec();
    return message;
  }

  async since(channel: string, since?: number): Promise<Replay> {
    if (since === undefined)
      return { seq: Number((await this.client.get(`${this.prefix}:seq:${channel}`)) ?? 0), recovered: false, messages: [] };
    const [seq, raw] = await Promise.all([
      this.client.get(`${this.prefix}:seq:${channel}`),
      this.client.lRange(`${this.prefix}:log:${channel}`, 0, -1),
    ]);
    const latest = Number(seq ?? 0);
    const kept = raw.map((m) => JSON.parse(m) as StoredMessage);
    const first = kept[0]?.seq ?? latest + 1;
    if (since > latest || since + 1 < first) return { seq: latest, recovered: since === latest, messages: [] };
    return { seq: latest, recovered: true, messages: kept.filter((m) => m.seq > since) };
  }
}
