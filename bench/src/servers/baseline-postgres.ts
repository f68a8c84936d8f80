import { randomUUID } from "node:crypto";
import pg from "pg";
import type { History, Replay, StoredMessage } from "./baseline-history.js";

/** The `application_name` of a run's connections: the PostgreSQL CPU meter finds its backends by it. */
export const pgAppName = (schema: string) => `rkbench-${schema}`.slice(0, 63);

/** Messages replayed at most on a `sync`, like the other histories keep. */
const REPLAY = 1000;
/** Pool size: the same as @roomkit/postgres's default. */
const POOL_MAX = 10;

const ident = (schema: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name "${schema}"`);
  return `"${schema}"`;
};

/**
 * The baseline's history in PostgreSQL, as a careful user writes it with `pg`: a counter row per
 * channel and a messages table. One statement per message (autocommit) takes the next seq under
 * the channel row's lock and inserts the message, so seqs are gap-free under concurrent sends.
 * No group commit, no change log: an INSERT per message.
 */
export class PostgresHistory implements History {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly sql: { append: string; latest: string; since: string },
  ) {}

  /** Creates `schema` and its two tables if needed. */
  static async open(url: string, schema: string): Promise<PostgresHistory> {
    const s = ident(schema);
    const pool = new pg.Pool({ connectionString: url, max: POOL_MAX, application_name: pgAppName(schema) });
    pool.on("error", () => undefined);
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${s}.channels (channel text PRIMARY KEY, seq bigint NOT NULL)`);
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${s}.messages (channel text NOT NULL, seq bigint NOT NULL, id uuid NOT NULL, sender text NOT NULL, ` +
        "body jsonb NOT NULL, sent_at bigint NOT NULL, PRIMARY KEY (channel, seq))",
    );
    return new PostgresHistory(pool, {
      append:
        `WITH next AS (INSERT INTO ${s}.channels AS c (channel, seq) VALUES ($1, 1) ` +
        "ON CONFLICT (channel) DO UPDATE SET seq = c.seq + 1 RETURNING seq) " +
        `INSERT INTO ${s}.messages (channel, seq, id, sender, body, sent_at) SELECT $1, next.seq, $2, $3, $4, $5 FROM next RETURNING seq`,
      latest: `SELECT seq FROM ${s}.channels WHERE channel = $1`,
      since: `SELECT seq, id, sender, body, sent_at FROM ${s}.messages WHERE channel = $1 AND seq > $2 ORDER BY seq LIMIT ${REPLAY + 1}`,
    });
  }

  async append(channel: string, from: string, body: unknown): Promise<StoredMessage> {
    const id = randomUUID();
    const sentAt = Date.now();
    const { rows } = await this.pool.query<{ seq: string }>({
      name: "append",
      text: this.sql.append,
      values: [channel, id, from, JSON.stringify(body), sentAt],
    });
    return { id, channel, seq: Number(rows[0]!.seq), from, body, sentAt };
  }

  async since(channel: string, since?: number): Promise<Replay> {
    const latest = await this.pool.query<{ seq: string }>({ name: "latest", text: this.sql.latest, values: [channel] });
    const seq = Number(latest.rows[0]?.seq ?? 0);
    if (since === undefined || since >= seq) return { seq, recovered: since === seq, messages: [] };
    const { rows } = await this.pool.query<{ seq: string; id: string; sender: string; body: unknown; sent_at: string }>({
      name: "since",
      text: this.sql.since,
      values: [channel, since],
    });
    if (rows.length > REPLAY) return { seq, recovered: false, messages: [] };
    const messages = rows.map((r) => ({ id: r.id, channel, seq: Number(r.seq), from: r.sender, body: r.body, sentAt: Number(r.sent_at) }));
    return { seq, recovered: true, messages };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
