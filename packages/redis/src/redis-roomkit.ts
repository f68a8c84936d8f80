import { hostname } from "node:os";
import type { Server } from "socket.io";
import { adapterGreeted, redisAdapter } from "./adapter.js";
import type { AdapterKind } from "./adapter.js";
import { connectRedis, createRedisClient, defaultRedisUrl } from "./client.js";
import type { RedisClient } from "./client.js";
import { createRedisCluster, isCluster } from "./cluster-client.js";
import type { RedisClusterClient } from "./cluster-client.js";
import type { RedisMessageStoreOptions } from "./message-store.js";
import type { RedisPresenceOptions } from "./presence-store.js";
import { redisStores } from "./stores.js";
import type { RedisStores } from "./stores.js";
import { logger } from "./log.js";

const log = logger("node");

export interface RedisRoomkitOptions {
  /**
   * Default `REDIS_URL` from the environment, else `redis://127.0.0.1:6379`. With `cluster`,
   * one or more of the cluster's nodes, separated by commas (`redis://a:7000,redis://b:7000`).
   */
  url?: string;
  /**
   * Run on a Redis Cluster: `url` names seed nodes, the rest is discovered, and every store
   * script touches the keys of one slot. Default `false` (one Redis primary). See docs/scaling.md.
   */
  cluster?: boolean;
  /** Prefix of every key and pub/sub channel, so apps can share a Redis. Default `"rk:"`. */
  prefix?: string;
  /** This node's name in presence entries and logs. Default: host name and pid. */
  nodeId?: string;
  /** Default: `sharded` on Redis 7 or later, else `classic`. See docs/scaling.md. */
  adapter?: AdapterKind;
  /** Sharded adapter only. Default `dynamic` (one channel per room, DMs routed per user). */
  subscriptionMode?: "static" | "dynamic" | "dynamic-private";
  /** Cross-node requests of the classic adapter time out after this. Default 5000 ms. */
  requestsTimeoutMs?: number;
  /**
   * A store call without a reply after this long fails with `UNAVAILABLE`; a broadcast whose
   * publish takes longer is delivered on this node only. Default 2000 ms.
   */
  commandTimeoutMs?: number;
  /** Startup fails with `UNAVAILABLE` when Redis cannot be reached within this. Default 5000 ms. */
  connectTimeoutMs?: number;
  messages?: RedisMessageStoreOptions;
  presence?: RedisPresenceOptions;
}

/** What {@link redisRoomkit} set up: the stores to give `createRoomkit`, and `close()`. */
export interface RedisRoomkit {
  stores: RedisStores;
  /** This process's id in presence entries. */
  nodeId: string;
  adapter: AdapterKind;
  /** Removes this node's presence, unsubscribes, and closes the three Redis connections. */
  close(): Promise<void>;
}

type AnyClient = RedisClient | RedisClusterClient;

/** The major version of the Redis server, from `INFO server`. */
async function redisMajor(client: AnyClient): Promise<number> {
  const info = isCluster(client)
    ? await client.sendCommand(undefined, true, ["INFO", "server"])
    : await (client as RedisClient).sendCommand(["INFO", "server"]);
  return Number(/redis_version:(\d+)/.exec(String(info))?.[1] ?? 0);
}

/** One connection (or, on a cluster, one client with a connection per node). */
function createAny(cluster: boolean, url: string, name: string, failFast = true): AnyClient {
  if (!cluster) return createRedisClient({ url, name, failFast });
  return createRedisCluster({ urls: url.split(",").map((u) => u.trim()), name, failFast });
}

/** Closes a client gracefully when it can flush, else (or after a second) at once. */
async function closeAny(c: AnyClient): Promise<void> {
  if (!c.isOpen) return;
  // A client that is not connected now has nothing to flush: closing it gracefully would wait for Redis to come back.
  if ("isReady" in c && !c.isReady) return c.destroy();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((done) => (timer = setTimeout(done, 1000)));
  await Promise.race([c.close().catch(() => undefined), late]).finally(() => clearTimeout(timer));
  if (c.isOpen) c.destroy();
}

/**
 * Makes a Socket.IO server one node of many: the Redis adapter (on a publisher and a
 * subscriber connection) and the Redis stores (on a third), all under one key prefix. Call it
 * before `createRoomkit` (which listens to the adapter it sets) and before the server accepts
 * connections, then pass `stores` to `createRoomkit`. Fails with `UNAVAILABLE` when Redis
 * cannot be reached at startup; later outages are survived.
 *
 * @example
 * const io = new Server(httpServer);
 * const redis = await redisRoomkit(io, { url: process.env.REDIS_URL, prefix: "chat:" });
 * const rk = createRoomkit(io, { contract, authenticate, stores: redis.stores });
 * process.on("SIGTERM", async () => { await rk.close(); await redis.close(); io.close(); });
 */
export async function redisRoomkit(io: Server, options: RedisRoomkitOptions = {}): Promise<RedisRoomkit> {
  const url = options.url ?? defaultRedisUrl();
  const prefix = options.prefix ?? "rk:";
  const nodeId = options.nodeId ?? `${hostname()}-${process.pid}`;
  const timeoutMs = options.commandTimeoutMs ?? 2000;
  const cluster = options.cluster ?? false;
  const clients = [
    createAny(cluster, url, `${nodeId}:stores`),
    createAny(cluster, url, `${nodeId}:pub`),
    createAny(cluster, url, `${nodeId}:sub`, false),
  ] as const;
  try {
    await Promise.all(clients.map((c) => connectRedis(c, options.connectTimeoutMs ?? 5000)));
  } catch (err) {
    for (const c of clients) if (c.isOpen) c.destroy();
    throw err;
  }
  const [storeClient, pub, sub] = clients;
  const kind = options.adapter ?? ((await redisMajor(storeClient)) >= 7 ? "sharded" : "classic");
  const factory = redisAdapter(pub, sub, {
    kind,
    channelPrefix: `${prefix}io`,
    publishTimeoutMs: timeoutMs,
    ...(options.subscriptionMode === undefined ? {} : { subscriptionMode: options.subscriptionMode }),
    ...(options.requestsTimeoutMs === undefined ? {} : { requestsTimeoutMs: options.requestsTimeoutMs }),
  });
  io.adapter(factory);
  // The nodes already running publish to this one before it takes connections.
  await adapterGreeted(factory);
  const stores = redisStores({
    client: storeClient,
    prefix,
    nodeId,
    commandTimeoutMs: timeoutMs,
    ...(options.messages ? { messages: options.messages } : {}),
    ...(options.presence ? { presence: options.presence } : {}),
  });
  log("%s on %s%s with the %s adapter", stores.presence.nodeId, cluster ? "the cluster of " : "", url, kind);
  let closed: Promise<void> | undefined;
  return {
    stores,
    nodeId: stores.presence.nodeId,
    adapter: kind,
    close: () =>
      (closed ??= (async () => {
        await stores.close();
        await Promise.resolve(io.of("/").adapter.close()).catch(() => undefined);
        await Promise.all(clients.map(closeAny));
      })()),
  };
}
