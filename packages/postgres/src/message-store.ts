import { randomUUID } from "node:crypto";
import type { Message } from "@roomkit/protocol";
import type {
  AppendInput,
  AppendResult,
  ChangeInput,
  ChangeOutcome,
  CountQuery,
  MessageCount,
  MessageStore,
  RangeQuery,
  RangeResult,
  ReplayQuery,
  ReplayResult,
  StreamInfo,
} from "@roomkit/server";
import { checkAppendInput, checkChangeInput, checkRangeQuery, checkReplayQuery } from "@roomkit/server";
import { decodeBody, encodeBody } from "@roomkit/server";
import { GroupCommit } from "./group-commit.js";
import type { GroupCommitOptions } from "./group-commit.js";
import { ENTRY_COLUMNS, changeOf, messageOf, mineColumn } from "./message-rows.js";
import type { EntryRow } from "./message-rows.js";
import { RetentionSweep } from "./retention.js";
import type { RetentionOptions } from "./retention.js";
import { checkSchema, run, statements } from "./sql.js";
import type { Queryable } from "./sql.js";

export interface PostgresMessageStoreOptions {
  /** The schema the tables live in (see `migrate`). Default `"roomkit"`. */
  schema?: string;
  /** How concurrent appends are batched into one transaction. */
  groupCommit?: GroupCommitOptions;
  /** Unlimited history unless this says otherwise, per channel family. */
  retention?: RetentionOptions;
}

const COLUMNS = `${ENTRY_COLUMNS}, ${mineColumn(2)}`;
const PAGE_COLUMNS = `${ENTRY_COLUMNS}, ${mineColumn(5)}`;
const MAX_SEQ = "9223372036854775807";

/** Every statement of the message store; `{s}` is the schema. */
const SQL = {
  append: "SELECT * FROM {s}.append_messages($1, $2, $3, $4, $5, $6, $7)",
  change: "SELECT * FROM {s}.apply_change($1, $2, $3, $4, $5, $6::json, $7, $8)",
  get: `SELECT ${COLUMNS} FROM {s}.entries e WHERE e.channel = $1 AND e.seq = $3 AND e.kind = 'm'`,
  replay: `SELECT ${COLUMNS} FROM {s}.entries e WHERE e.channel = $1 AND e.seq > $3 AND e.seq <= $3 + $4 ORDER BY e.seq`,
  // Pages: $1 channel, $2 after, $3 before, $4 limit + 1, $5 reader, $6 thread root.
  pageUp: `SELECT ${PAGE_COLUMNS} FROM {s}.entries e WHERE e.channel = $1 AND e.kind = 'm' AND e.seq > $2 AND e.seq < $3 ORDER BY e.seq LIMIT $4`,
  pageDown: `SELECT ${PAGE_COLUMNS} FROM {s}.entries e WHERE e.channel = $1 AND e.kind = 'm' AND e.seq > $2 AND e.seq < $3 ORDER BY e.seq DESC LIMIT $4`,
  threadUp: `SELECT ${PAGE_COLUMNS} FROM {s}.entries e WHERE e.channel = $1 AND e.kind = 'm' AND e.ref = $6 AND e.seq > $2 AND e.seq < $3 ORDER BY e.seq LIMIT $4`,
  threadDown: `SELECT ${PAGE_COLUMNS} FROM {s}.entries e WHERE e.channel = $1 AND e.kind = 'm' AND e.ref = $6 AND e.seq > $2 AND e.seq < $3 ORDER BY e.seq DESC LIMIT $4`,
  stream:
    "SELECT (SELECT value FROM {s}.meta WHERE key = 'epoch') AS epoch, s.latest, s.oldest FROM (SELECT 1) one LEFT JOIN {s}.streams s ON s.channel = $1",
  // Kept messages above each asked seq, and where each stream stands: one query for many channels.
  countAfter:
    "SELECT q.i, coalesce(s.latest, 0) AS latest, coalesce(s.oldest, 1) AS oldest, " +
    "(SELECT count(*) FROM {s}.entries e WHERE e.channel = q.channel AND e.kind = 'm' AND e.seq > q.after) AS kept " +
    "FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS q (channel, after, i) LEFT JOIN {s}.streams s ON s.channel = q.channel",
};

const CHANGE_CODES = { edit: "e", delete: "d", react: "r", unreact: "u" } as const;

interface AppendItem {
  channel: string;
  id: string;
  from: string;
  sentAt: number;
  clientId?: string;
  replyTo?: number;
  /** The JSON of the encoded body. */
  body: string;
}

type AppendRow = EntryRow & { idx: number; duplicate: boolean };

/**
 * Durable message history in PostgreSQL, shared by every node. A message is acknowledged only
 * after the transaction that stored it committed. Seqs are assigned per channel inside that
 * transaction, under the channel's row lock, so they are gap-free under concurrent appends from
 * any number of nodes; a `(channel, from, clientId)` stored before returns its first message,
 * however long ago (a unique index enforces it). Concurrent appends share transactions (group
 * commit); every other operation is one statement. History is unlimited unless `retention` says
 * otherwise, applied by a bounded background sweep.
 *
 * @example
 * const pool = createPool({ url: process.env.DATABASE_URL });
 * await migrate(pool);
 * const messages = new PostgresMessageStore(pool);
 * const { message } = await messages.append({ channel: "room:1", from: "alice", body: "hi", sentAt: Date.now() });
 */
export class PostgresMessageStore implements MessageStore {
  readonly #db: Queryable;
  readonly #sql: ReturnType<typeof statements<keyof typeof SQL>>;
  readonly #appends: GroupCommit<AppendItem, AppendRow>;
  readonly #retention: RetentionSweep | undefined;

  constructor(db: Queryable, options: PostgresMessageStoreOptions = {}) {
    const schema = checkSchema(options.schema ?? "roomkit");
    this.#db = db;
    this.#sql = statements(schema, "messages", SQL);
    this.#appends = new GroupCommit((items) => this.#appendBatch(items), options.groupCommit);
    this.#retention = options.retention && new RetentionSweep(db, schema, options.retention);
  }

  async append(input: AppendInput): Promise<AppendResult> {
    const { channel, from, body, sentAt, clientId, replyTo } = input;
    checkAppendInput(input);
    const item: AppendItem = { channel, id: randomUUID(), from, sentAt, body: JSON.stringify(encodeBody(body)) };
    if (clientId !== undefined) item.clientId = clientId;
    if (replyTo !== undefined) item.replyTo = replyTo;
    const row = await this.#appends.push(channel, item);
    if (row.duplicate) return { message: messageOf(channel, row), duplicate: true };
    // The caller gets its own copy of the body: what is stored cannot change through it.
    const seq = Number(row.seq);
    const message: Message = { id: item.id, channel, seq, from, body: decodeBody(JSON.parse(item.body)), sentAt, version: seq };
    if (clientId !== undefined) message.clientId = clientId;
    if (replyTo !== undefined) message.replyTo = replyTo;
    return { message, duplicate: false };
  }

  async range(channel: string, query: RangeQuery): Promise<RangeResult> {
    checkRangeQuery(query);
    const { after, before, limit, thread, reader } = query;
    if (limit === 0) return { messages: [], hasMore: false };
    const up = after !== undefined;
    const statement = thread === undefined ? (up ? this.#sql.pageUp : this.#sql.pageDown) : up ? this.#sql.threadUp : this.#sql.threadDown;
    const values: unknown[] = [channel, after ?? 0, before ?? MAX_SEQ, limit + 1, reader ?? null];
    if (thread !== undefined) values.push(thread);
    const rows = await run<EntryRow>(this.#db, statement, values);
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    if (!up) page.reverse();
    return { messages: page.map((row) => messageOf(channel, row)), hasMore };
  }

  async replay(channel: string, query: ReplayQuery): Promise<ReplayResult> {
    checkReplayQuery(query);
    const result: ReplayResult = { messages: [], changes: [] };
    if (query.limit === 0) return result;
    const rows = await run<EntryRow>(this.#db, this.#sql.replay, [channel, query.reader ?? null, query.after, query.limit]);
    for (const row of rows) {
      if (row.kind === "m") result.messages.push(messageOf(channel, row));
      else result.changes.push(changeOf(channel, row));
    }
    return result;
  }

  async get(channel: string, seq: number, reader?: string): Promise<Message | undefined> {
    if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
    const [row] = await run<EntryRow>(this.#db, this.#sql.get, [channel, reader ?? null, seq]);
    return row && messageOf(channel, row);
  }

  async change(input: ChangeInput): Promise<ChangeOutcome> {
    checkChangeInput(input);
    const reaction = input.type === "react" || input.type === "unreact" ? input : undefined;
    const body = input.type === "edit" ? JSON.stringify(encodeBody(input.body)) : null;
    const [row] = await run<{ status: ChangeOutcome["status"]; seq: string | null; count: number | null }>(this.#db, this.#sql.change, [
      input.channel,
      CHANGE_CODES[input.type],
      input.target,
      input.by,
      input.at,
      body,
      reaction?.reaction ?? null,
      reaction?.maxReactions ?? 0,
    ]);
    if (row?.status !== "applied") return { status: row?.status ?? "missing" };
    const change = changeOf(input.channel, {
      seq: row.seq!,
      kind: CHANGE_CODES[input.type],
      ref: input.target,
      sender: input.by,
      sent_at: input.at,
      body: body === null ? null : JSON.parse(body),
      reaction: reaction?.reaction ?? null,
      count: row.count,
    } as EntryRow);
    return { status: "applied", change };
  }

  async countAfter(channel: string, seq: number): Promise<MessageCount> {
    const [count] = await this.countAfterMany([{ channel, seq }]);
    return count!;
  }

  /**
   * {@link countAfter} for many channels in one query: a user's unread counts over a thousand
   * channels cost one round trip. Counts come back in the order asked.
   *
   * @example
   * const [room, dm] = await messages.countAfterMany([{ channel: "room:1", seq: 10 }, { channel: "dm:alice|bob", seq: 0 }]);
   */
  async countAfterMany(queries: CountQuery[]): Promise<MessageCount[]> {
    if (queries.length === 0) return [];
    for (const { channel, seq } of queries) {
      if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
      if (!Number.isSafeInteger(seq) || seq < 0) throw new TypeError("seq must be a non-negative integer");
    }
    const rows = await run<{ i: string; latest: string; oldest: string; kept: string }>(this.#db, this.#sql.countAfter, [
      queries.map((q) => q.channel),
      queries.map((q) => q.seq),
    ]);
    const counts: MessageCount[] = new Array(queries.length);
    for (const row of rows) {
      const { seq } = queries[Number(row.i) - 1]!;
      const dropped = Math.max(0, Number(row.oldest) - 1 - seq);
      counts[Number(row.i) - 1] = { latest: Number(row.latest), messages: Number(row.kept) + dropped };
    }
    return counts;
  }

  async stream(channel: string): Promise<StreamInfo> {
    const [row] = await run<{ epoch: string; latest: string | null; oldest: string | null }>(this.#db, this.#sql.stream, [channel]);
    const latest = Number(row?.latest ?? 0);
    return { epoch: row?.epoch ?? "", latest, oldest: row?.oldest === null || row?.oldest === undefined ? 1 : Number(row.oldest) };
  }

  /**
   * Runs one bounded retention pass now (the background sweep runs them every `intervalMs`) and
   * returns how many entries it removed; 0 without `retention`.
   *
   * @example
   * const removed = await messages.sweep();
   */
  sweep(): Promise<number> {
    return this.#retention?.sweep() ?? Promise.resolve(0);
  }

  /** Stops the background retention sweep; the pool stays open. */
  async close(): Promise<void> {
    this.#retention?.stop();
  }

  async #appendBatch(items: AppendItem[]): Promise<AppendRow[]> {
    const rows = await run<AppendRow>(this.#db, this.#sql.append, [
      items.map((item) => item.channel),
      items.map((item) => item.id),
      items.map((item) => item.from),
      items.map((item) => item.sentAt),
      items.map((item) => item.clientId ?? null),
      items.map((item) => item.body),
      items.map((item) => item.replyTo ?? null),
    ]);
    const byIndex: AppendRow[] = new Array(items.length);
    for (const row of rows) byIndex[row.idx] = row;
    return byIndex;
  }
}
