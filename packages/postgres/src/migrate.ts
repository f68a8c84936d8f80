import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Pool } from "pg";
import { guard } from "./errors.js";
import { logger } from "./log.js";
import { checkSchema } from "./sql.js";

const log = logger("migrate");

/** The SQL migrations shipped in the package, `migrations/NNNN_name.sql`, applied in order. */
const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));

interface Migration {
  version: number;
  name: string;
  sql: string;
}

function migrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 4)), name: file.slice(5, -4), sql: readFileSync(MIGRATIONS_DIR + file, "utf8") }));
}

/** The schema version this code needs: the number of its newest migration. */
export const SCHEMA_VERSION = 4;

export interface MigrateOptions {
  /** The schema the stores live in; created when missing. Default `"roomkit"`. */
  schema?: string;
}

export interface MigrateResult {
  /** The schema's version before (0 when it was new) and after. */
  from: number;
  to: number;
  /** The migrations this call applied, by file name; empty when the schema was up to date. */
  applied: string[];
}

/**
 * Brings the schema up to date: applies every shipped migration it has not had yet, in order,
 * in one transaction, and records each in `<schema>.schema_migrations`. Idempotent, and safe to
 * run from many nodes at once (an advisory lock makes them take turns).
 *
 * @example
 * const pool = createPool({ url: process.env.DATABASE_URL });
 * await migrate(pool, { schema: "chat" }); // { from: 0, to: 4, applied: ["0001_initial.sql", ..., "0004_room_list_pages.sql"] }
 */
export async function migrate(pool: Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const schema = checkSchema(options.schema ?? "roomkit");
  const client = await guard(pool.connect());
  try {
    await guard(client.query("BEGIN"));
    await guard(client.query("SELECT pg_advisory_xact_lock(hashtext('roomkit-migrate'), hashtext($1))", [schema]));
    await guard(client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
    await guard(client.query("SELECT set_config('search_path', $1, true)", [`"${schema}"`]));
    await guard(
      client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
      ),
    );
    const { rows } = await guard(client.query<{ version: number | null }>("SELECT max(version) AS version FROM schema_migrations"));
    const from = rows[0]?.version ?? 0;
    const applied: string[] = [];
    for (const migration of migrations().filter((m) => m.version > from)) {
      await guard(client.query(migration.sql));
      await guard(client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]));
      applied.push(`${String(migration.version).padStart(4, "0")}_${migration.name}.sql`);
    }
    await guard(client.query("COMMIT"));
    if (applied.length > 0) log("schema %s: applied %s", schema, applied.join(", "));
    return { from, to: Math.max(from, SCHEMA_VERSION), applied };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Throws a clear error unless the schema is at least at {@link SCHEMA_VERSION}: a schema older
 * than the code (or none) is a deploy that skipped `migrate()`, and is refused at startup.
 */
export async function assertSchemaVersion(pool: Pool, schema: string): Promise<void> {
  const { rows } = await guard(
    pool.query<{ version: number | null }>("SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE 0 END AS version", [
      `"${checkSchema(schema)}".schema_migrations`,
    ]),
  );
  let version = 0;
  if (rows[0]?.version !== null) {
    const current = await guard(
      pool.query<{ version: number | null }>(`SELECT max(version) AS version FROM "${schema}".schema_migrations`),
    );
    version = current.rows[0]?.version ?? 0;
  }
  if (version < SCHEMA_VERSION) {
    throw new Error(
      `the PostgreSQL schema "${schema}" is at version ${version}, older than this @roomkit/postgres needs (${SCHEMA_VERSION}): ` +
        `run migrate() or \`npx roomkit-postgres-migrate --schema ${schema}\` first`,
    );
  }
  if (version > SCHEMA_VERSION) log("schema %s is at version %d, newer than this code's %d", schema, version, SCHEMA_VERSION);
}
