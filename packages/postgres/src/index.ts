/**
 * Durable Roomkit stores on PostgreSQL: message history (with its changes), rooms and read state,
 * with versioned migrations and optional retention.
 * @module @roomkit/postgres
 */
export { postgresStores } from "./stores.js";
export type { PostgresStores, PostgresStoresOptions } from "./stores.js";
export { PostgresMessageStore } from "./message-store.js";
export type { PostgresMessageStoreOptions } from "./message-store.js";
export { PostgresRoomStore } from "./room-store.js";
export { PostgresReadStateStore } from "./read-state-store.js";
export type { RetentionOptions, RetentionRule } from "./retention.js";
export type { GroupCommitOptions } from "./group-commit.js";
export { migrate, assertSchemaVersion, SCHEMA_VERSION } from "./migrate.js";
export type { MigrateOptions, MigrateResult } from "./migrate.js";
export { createPool, defaultDatabaseUrl } from "./pool.js";
export type { PoolOptions } from "./pool.js";
export type { Queryable } from "./sql.js";
