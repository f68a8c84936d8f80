import type { Pool } from "pg";
import type { PresenceStore, Stores } from "@roomkit/server";
import { MemoryPresenceStore } from "@roomkit/server";
import { assertSchemaVersion, migrate } from "./migrate.js";
import { PostgresMessageStore } from "./message-store.js";
import type { PostgresMessageStoreOptions } from "./message-store.js";
import { createPool, watchPool } from "./pool.js";
import type { PoolOptions } from "./pool.js";
import { PostgresReadStateStore } from "./read-state-store.js";
import { PostgresRoomStore } from "./room-store.js";
import { checkSchema } from "./sql.js";

export interface PostgresStoresOptions extends PoolOptions {
  /** A pool of the app's own (it stays open on `close()`); without one, a pool is made from the other options. */
  pool?: Pool;
  /** The schema the tables live in. Default `"roomkit"`. */
  schema?: string;
  /** Run {@link migrate} first (fine from many nodes at once). Default false: the schema must be up to date. */
  migrate?: boolean;
  /**
   * Presence is ephemeral and stays out of PostgreSQL: give Redis's (`redisRoomkit(...).stores.presence`)
   * for many nodes. Default: in memory, for one node.
   */
  presence?: PresenceStore;
  messages?: Omit<PostgresMessageStoreOptions, "schema">;
}

/** The stores on PostgreSQL, and presence; `close()` stops the retention sweep and closes a pool made here. */
export interface PostgresStores extends Stores {
  messages: PostgresMessageStore;
  rooms: PostgresRoomStore;
  readState: PostgresReadStateStore;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * Messages, rooms and read state on PostgreSQL, durable across restarts, with presence in memory
 * or Redis. Checks the schema version at startup (or migrates, with `migrate: true`) and fails
 * with a clear error when the schema is older than this code.
 *
 * @example
 * // One node:
 * const stores = await postgresStores({ url: process.env.DATABASE_URL, migrate: true });
 * const rk = createRoomkit(io, { contract, authenticate, stores });
 *
 * @example
 * // Many nodes: Redis for the adapter and presence, PostgreSQL for what must last.
 * const redis = await redisRoomkit(io, { url: process.env.REDIS_URL });
 * const stores = await postgresStores({ url: process.env.DATABASE_URL, presence: redis.stores.presence });
 * const rk = createRoomkit(io, { contract, authenticate, stores });
 */
export async function postgresStores(options: PostgresStoresOptions = {}): Promise<PostgresStores> {
  const schema = checkSchema(options.schema ?? "roomkit");
  const own = options.pool === undefined;
  const pool = options.pool ?? createPool(options);
  watchPool(pool);
  try {
    if (options.migrate) await migrate(pool, { schema });
    else await assertSchemaVersion(pool, schema);
  } catch (err) {
    if (own) await pool.end().catch(() => undefined);
    throw err;
  }
  const messages = new PostgresMessageStore(pool, { ...options.messages, schema });
  let closed: Promise<void> | undefined;
  return {
    messages,
    presence: options.presence ?? new MemoryPresenceStore(),
    rooms: new PostgresRoomStore(pool, { schema }),
    readState: new PostgresReadStateStore(pool, { schema }),
    pool,
    close: () =>
      (closed ??= (async () => {
        await messages.close();
        if (own) await pool.end();
      })()),
  };
}
