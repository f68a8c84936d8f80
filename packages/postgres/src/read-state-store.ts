import type { ReadStateStore } from "@roomkit/server";
import { checkSchema, run, statements } from "./sql.js";
import type { Queryable } from "./sql.js";

/** Every statement of the read-state store; `{s}` is the schema. */
const SQL = {
  // Raised atomically, never lowered: concurrent marks from many nodes end at the highest.
  mark: `INSERT INTO {s}.read_state (user_id, channel, seq) VALUES ($1, $2, $3)
ON CONFLICT (user_id, channel) DO UPDATE SET seq = GREATEST({s}.read_state.seq, EXCLUDED.seq) RETURNING seq`,
  get: "SELECT seq FROM {s}.read_state WHERE user_id = $1 AND channel = $2",
  // One row per asked user, in the order asked: 0 for who has no mark.
  getMany: `SELECT COALESCE(r.seq, 0) AS seq FROM unnest($2::text[]) WITH ORDINALITY AS u (user_id, ord)
LEFT JOIN {s}.read_state r ON r.user_id = u.user_id AND r.channel = $1 ORDER BY u.ord`,
  all: "SELECT channel, seq FROM {s}.read_state WHERE user_id = $1",
};

/**
 * Per-user read positions in PostgreSQL (`read_state`), each operation one statement.
 *
 * @example
 * const reads = new PostgresReadStateStore(pool);
 * await reads.mark("alice", "room:42", 17); // 17
 * await reads.mark("alice", "room:42", 3); // still 17
 */
export class PostgresReadStateStore implements ReadStateStore {
  readonly #db: Queryable;
  readonly #sql: ReturnType<typeof statements<keyof typeof SQL>>;

  constructor(db: Queryable, options: { schema?: string } = {}) {
    this.#db = db;
    this.#sql = statements(checkSchema(options.schema ?? "roomkit"), "reads", SQL);
  }

  async mark(userId: string, channel: string, seq: number): Promise<number> {
    if (typeof userId !== "string" || userId === "") throw new TypeError("userId must be a non-empty string");
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    if (!Number.isSafeInteger(seq) || seq < 0) throw new TypeError("seq must be a non-negative integer");
    const [row] = await run<{ seq: string }>(this.#db, this.#sql.mark, [userId, channel, seq]);
    return Number(row!.seq);
  }

  async get(userId: string, channel: string): Promise<number> {
    const [row] = await run<{ seq: string }>(this.#db, this.#sql.get, [userId, channel]);
    return row ? Number(row.seq) : 0;
  }

  async getMany(channel: string, userIds: readonly string[]): Promise<number[]> {
    if (userIds.length === 0) return [];
    const rows = await run<{ seq: string }>(this.#db, this.#sql.getMany, [channel, [...userIds]]);
    return rows.map((row) => Number(row.seq));
  }

  async all(userId: string): Promise<Map<string, number>> {
    const rows = await run<{ channel: string; seq: string }>(this.#db, this.#sql.all, [userId]);
    return new Map(rows.map((row) => [row.channel, Number(row.seq)]));
  }
}
