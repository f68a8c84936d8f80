import pg from "pg";
import type { Pool } from "pg";
import { logger } from "./log.js";

const log = logger("pool");

/** `DATABASE_URL` from the environment, else `postgres://postgres@127.0.0.1:5432/postgres`. */
export function defaultDatabaseUrl(): string {
  return process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
}

export interface PoolOptions {
  /** Default {@link defaultDatabaseUrl}. */
  url?: string;
  /** Connections at most. Default 10. */
  max?: number;
  /** A connection not made within this fails the request with `UNAVAILABLE`. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** A statement without a reply after this fails with `UNAVAILABLE` (and is cancelled on the server). Default 5000 ms. */
  statementTimeoutMs?: number;
  /** The `application_name` PostgreSQL shows for these connections. Default `"roomkit"`. */
  applicationName?: string;
}

/**
 * A `pg` pool set up to fail fast: while PostgreSQL is unreachable or restarting, requests fail
 * within the timeouts (`UNAVAILABLE` to clients) instead of queueing, a connection that dies is
 * logged and replaced (never an unhandled `error` event), and the pool reconnects by itself.
 *
 * @example
 * const pool = createPool({ url: process.env.DATABASE_URL, max: 20 });
 */
export function createPool(options: PoolOptions = {}): Pool {
  const statementTimeout = options.statementTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: options.url ?? defaultDatabaseUrl(),
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    query_timeout: statementTimeout + 1000,
    statement_timeout: statementTimeout,
    application_name: options.applicationName ?? "roomkit",
    keepAlive: true,
  });
  watchPool(pool);
  return pool;
}

const watched = new WeakSet<Pool>();

/** Logs the errors of idle connections (PostgreSQL restarted, a network cut) instead of crashing on them. */
export function watchPool(pool: Pool): void {
  if (watched.has(pool)) return;
  watched.add(pool);
  pool.on("error", (err) => log("an idle connection failed (it is replaced on next use): %s", err.message));
}
