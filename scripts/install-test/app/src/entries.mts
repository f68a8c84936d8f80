import { RoomkitError, dmChannel } from "@roomkit/protocol";
import type { describeStoreConformance } from "@roomkit/server/testing";
import type { createClient as createBundledClient } from "@roomkit/client/bundle";
import type { RedisRoomkitOptions } from "@roomkit/redis";
import type { RoomkitMetrics } from "@roomkit/server/metrics";
import type { PostgresStoresOptions } from "@roomkit/postgres";

// Every other entry point resolves with types (no implicit any: this file fails strict checks otherwise).
export const channel: string = dmChannel("alice", "bob");
export const error: RoomkitError = new RoomkitError("INVALID", "example");
export type Conformance = typeof describeStoreConformance;
export type BundledClient = ReturnType<typeof createBundledClient>;
export const redisOptions: RedisRoomkitOptions = { prefix: "app:" };
export type MetricsCollector = RoomkitMetrics;
export const postgresOptions: PostgresStoresOptions = { schema: "app" };
