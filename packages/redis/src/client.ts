import { RoomkitError } from "@roomkit/protocol";
import { createClient } from "redis";
import { logger } from "./log.js";
import type { RedisClusterClient } from "./cluster-client.js";

const log = logger("client");

/** A node-redis client as {@link createRedisClient} makes it. */
export type RedisClient = ReturnType<typeof createClient>;

export interface RedisClientOptions {
  /** Default `REDIS_URL` from the environment, else `redis://127.0.0.1:6379`. */
  url?: string;
  /** A name for logs and `CLIENT LIST`. */
  name?: string;
  /**
   * Fail commands at once while disconnected (default). `false` queues them until Redis is back,
   * which only a subscriber connection wants: its subscriptions must survive an outage.
   */
  failFast?: boolean;
}

/**
 * The URL used when none is given: `REDIS_URL`, else the local default.
 *
 * @example
 * defaultRedisUrl(); // "redis://127.0.0.1:6379" when REDIS_URL is unset
 */
export function defaultRedisUrl(): string {
  return process.env.REDIS_URL || "redis://127.0.0.1:6379";
}

/**
 * A node-redis client set up the way Roomkit needs it: commands fail fast while Redis is
 * unreachable instead of piling up in an offline queue, the client reconnects by itself
 * (backing off to one attempt per second), and connection errors are logged rather than thrown
 * at the process. Not connected yet: see {@link connectRedis}. A deadline on replies, for a
 * Redis that hangs, is the stores' job (`commandTimeoutMs`).
 *
 * @example
 * const client = createRedisClient({ url: process.env.REDIS_URL });
 * await connectRedis(client);
 */
export function createRedisClient(options: RedisClientOptions = {}): RedisClient {
  const client = createClient({
    url: options.url ?? defaultRedisUrl(),
    ...(options.name === undefined ? {} : { name: options.name }),
    disableOfflineQueue: options.failFast ?? true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
  });
  let down = false;
  client.on("error", (err: Error) => {
    if (!down) log("%s: connection lost or refused: %s", options.name ?? "redis", err.message);
    down = true;
  });
  client.on("ready", () => {
    if (down) log("%s: connected again", options.name ?? "redis");
    down = false;
  });
  return client;
}

/**
 * Connects a client (or a cluster client), or gives up after `timeoutMs` with `UNAVAILABLE` (the client is closed then).
 * node-redis would otherwise retry forever before its first connection.
 *
 * @example
 * const client = await connectRedis(createRedisClient(), 2000);
 */
export async function connectRedis<C extends RedisClient | RedisClusterClient>(client: C, timeoutMs = 5000): Promise<C> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new RoomkitError("UNAVAILABLE", `Redis is unreachable (no connection within ${timeoutMs} ms)`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([client.connect(), timedOut]);
    return client;
  } catch (err) {
    if (client.isOpen) client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
