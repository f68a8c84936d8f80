/**
 * Redis stores for every store interface and the `@socket.io/redis-adapter` wiring, so many nodes
 * act as one.
 * @module @roomkit/redis
 */
export { redisRoomkit } from "./redis-roomkit.js";
export type { RedisRoomkit, RedisRoomkitOptions } from "./redis-roomkit.js";
export { redisStores } from "./stores.js";
export type { RedisStores, RedisStoresOptions } from "./stores.js";
export { RedisMessageStore } from "./message-store.js";
export type { RedisMessageStoreOptions } from "./message-store.js";
export { RedisPresenceStore } from "./presence-store.js";
export type { RedisPresenceOptions } from "./presence-store.js";
export { RedisRoomStore } from "./room-store.js";
export { RedisReadStateStore } from "./read-state-store.js";
export { connectRedis, createRedisClient, defaultRedisUrl } from "./client.js";
export type { RedisClient, RedisClientOptions } from "./client.js";
export { createRedisCluster } from "./cluster-client.js";
export type { RedisClusterClient, RedisClusterClientOptions } from "./cluster-client.js";
export { redisAdapter } from "./adapter.js";
export type { AdapterFactory, AdapterKind, RedisAdapterOptions } from "./adapter.js";
