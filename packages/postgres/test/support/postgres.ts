import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Pool } from "pg";
import { createPool, migrate } from "../../src/index.js";
import { missingService } from "../../../redis/test/support/services.js";

/**
 * The service rule for PostgreSQL, as for Redis (packages/redis/test/support/services.ts):
 * tests run against `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`), each
 * test file in a schema of its own, dropped after. Unreachable: a loud skip, or a failure under
 * `CI=true` / `ROOMKIT_REQUIRE_SERVICES=1`.
 *
 * @example
 * const postgres = await needPostgres();
 * describe.runIf(postgres)("with PostgreSQL", () => { ... });
 */
export const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

/** Answers whether PostgreSQL at `url` accepts a connection and a query within `timeoutMs`. */
export async function pingPostgres(url = DATABASE_URL, timeoutMs = 10_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when PostgreSQL at `DATABASE_URL` answers; false after a loud skip notice; throws when services are required. */
export async function needPostgres(): Promise<boolean> {
  return (await pingPostgres()) || missingService(`PostgreSQL at ${DATABASE_URL}`, "is not reachable");
}

/** A schema name no other test uses. */
export function uniqueSchema(name: string): string {
  return `rktest_${name}_${randomUUID().slice(0, 8)}`;
}

/** A test pool on `DATABASE_URL`. */
export function testPool(options: { url?: string; max?: number } = {}): Pool {
  // Generous timeouts: the test machine may be loaded.
  return createPool({
    url: options.url ?? DATABASE_URL,
    max: options.max ?? 5,
    applicationName: "roomkit-test",
    connectTimeoutMs: 15_000,
    statementTimeoutMs: 30_000,
  });
}

/** A fresh, migrated schema, and a function that drops it. */
export async function migratedSchema(pool: Pool, name: string): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = uniqueSchema(name);
  await migrate(pool, { schema });
  return { schema, drop: () => dropSchema(pool, schema) };
}

/** Drops a test schema and everything in it. */
export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
