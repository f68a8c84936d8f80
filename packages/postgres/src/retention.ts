import { logger } from "./log.js";
import { run, statements } from "./sql.js";
import type { Queryable } from "./sql.js";

const log = logger("retention");

/** How long a family's entries are kept. With both limits, an entry goes when either says so. */
export interface RetentionRule {
  /** Entries stored longer ago than this are removed. */
  maxAgeMs?: number;
  /** Entries (messages and change entries) kept per channel; older ones are removed. */
  maxPerChannel?: number;
}

export interface RetentionOptions {
  /** Rules by channel family (`room`, `dm`, ...); families without one keep everything. */
  families: Record<string, RetentionRule>;
  /** How often the background sweep runs. Default 60 000 ms; 0 for none (call `sweep()` yourself). */
  intervalMs?: number;
  /** Channels one pass looks at per family, resuming where the last pass stopped. Default 200. */
  channelsPerPass?: number;
  /** Entries one pass removes per channel at most. Default 1000. */
  entriesPerChannel?: number;
}

/**
 * One bounded pass for one family: the next channels after a cursor, of each the expired prefix
 * of its oldest entries (at most $5), removed, and the channel's `oldest` raised past them, in
 * one statement. $1 LIKE pattern, $2 cursor, $3 channels, $4 maxPerChannel|null, $5 per
 * channel, $6 maxAgeMs|null. A prefix only: seqs stay contiguous from `oldest`. It locks the
 * channels' stream rows first, as writers do, and skips those being written: it never waits
 * for an append, and never deadlocks with one.
 */
const SQL = {
  pass: `WITH picked AS (
  SELECT s.channel, s.oldest, s.latest FROM {s}.streams s
  WHERE s.channel LIKE $1 AND s.channel > $2 ORDER BY s.channel LIMIT $3
  FOR UPDATE SKIP LOCKED
), oldest AS (
  SELECT p.channel, x.seq, bool_and(
    ($4::bigint IS NOT NULL AND x.seq <= p.latest - $4::bigint)
    OR ($6::float8 IS NOT NULL AND x.stored_at < now() - $6::float8 * interval '1 millisecond')
  ) OVER (PARTITION BY p.channel ORDER BY x.seq) AS expired
  FROM picked p CROSS JOIN LATERAL (
    SELECT e.seq, e.stored_at FROM {s}.entries e WHERE e.channel = p.channel AND e.seq >= p.oldest ORDER BY e.seq LIMIT $5
  ) x
), gone AS (
  DELETE FROM {s}.entries e USING oldest o WHERE o.expired AND e.channel = o.channel AND e.seq = o.seq RETURNING e.channel, e.seq
), raised AS (
  UPDATE {s}.streams s SET oldest = g.top + 1 FROM (SELECT channel, max(seq) AS top FROM gone GROUP BY channel) g
  WHERE s.channel = g.channel AND s.oldest <= g.top RETURNING 1
)
SELECT (SELECT max(channel) FROM picked) AS last, (SELECT count(*) FROM picked) AS channels, (SELECT count(*) FROM gone) AS removed`,
};

/** `family:` as a LIKE prefix, its wildcards escaped. */
const familyPattern = (family: string) => `${family.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`;

/** The retention sweep of a message store: bounded passes, one family at a time. */
export class RetentionSweep {
  readonly #db: Queryable;
  readonly #sql: ReturnType<typeof statements<keyof typeof SQL>>;
  readonly #rules: Array<{ pattern: string; rule: RetentionRule; cursor: string }>;
  readonly #channels: number;
  readonly #entries: number;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<number> | undefined;

  constructor(db: Queryable, schema: string, options: RetentionOptions) {
    this.#db = db;
    this.#sql = statements(schema, "retention", SQL);
    this.#channels = options.channelsPerPass ?? 200;
    this.#entries = options.entriesPerChannel ?? 1000;
    for (const n of [this.#channels, this.#entries])
      if (!(Number.isInteger(n) && n >= 1)) throw new TypeError("retention batch sizes must be positive integers");
    this.#rules = Object.entries(options.families ?? {}).map(([family, rule]) => {
      if (!/^[a-z][a-z0-9_-]*$/i.test(family)) throw new TypeError(`retention: "${family}" is not a channel family name`);
      const { maxAgeMs, maxPerChannel } = rule;
      if (maxAgeMs !== undefined && !(maxAgeMs > 0)) throw new TypeError("retention maxAgeMs must be a positive number");
      if (maxPerChannel !== undefined && !(Number.isInteger(maxPerChannel) && maxPerChannel >= 1)) {
        throw new TypeError("retention maxPerChannel must be a positive integer");
      }
      return { pattern: familyPattern(family), rule, cursor: "" };
    });
    const interval = options.intervalMs ?? 60_000;
    if (!(Number.isInteger(interval) && interval >= 0)) throw new TypeError("retention intervalMs must be a non-negative integer");
    if (interval > 0 && this.#rules.length > 0) {
      this.#timer = setInterval(() => void this.sweep().catch((err: Error) => log("sweep failed: %s", err.message)), interval);
      this.#timer.unref();
    }
  }

  /** One pass over every family's next channels; resolves with the entries removed. */
  sweep(): Promise<number> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #pass(): Promise<number> {
    let removed = 0;
    for (const entry of this.#rules) {
      const { maxPerChannel, maxAgeMs } = entry.rule;
      const [row] = await run<{ last: string | null; channels: string; removed: string }>(this.#db, this.#sql.pass, [
        entry.pattern,
        entry.cursor,
        this.#channels,
        maxPerChannel ?? null,
        this.#entries,
        maxAgeMs ?? null,
      ]);
      // A short page means the family's channels were all seen: the next pass starts over.
      entry.cursor = row && Number(row.channels) === this.#channels ? (row.last ?? "") : "";
      removed += Number(row?.removed ?? 0);
    }
    if (removed > 0) log("removed %d entries", removed);
    return removed;
  }
}
