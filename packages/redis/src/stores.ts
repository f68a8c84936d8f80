import type { Stores } from "@roomkit/server";
import { RedisMessageStore } from "./message-store.js";
import type { RedisMessageStoreOptions } from "./message-store.js";
import { CHANGE } from "./change-script.js";
import { MESSAGE_SCRIPTS } from "./message-scripts.js";
import { RedisPresenceStore } from "./presence-store.js";
import type { RedisPresenceOptions } from "./presence-store.js";
import { PRESENCE_SCRIPTS } from "./presence-scripts.js";
import { READ_STATE_SCRIPTS, RedisReadStateStore } from "./read-state-store.js";
import { ROOM_SCRIPTS, RedisRoomStore } from "./room-store.js";
import { logger } from "./log.js";
import type { CommandClient } from "./script.js";
import { withReplyTimeout } from "./unavailable.js";
import { clusterCommands, isCluster } from "./cluster-client.js";
import type { RedisClusterClient } from "./cluster-client.js";
import { SenderMarks } from "./read-state-store.js";

const log = logger("stores");

const SCRIPTS = [...MESSAGE_SCRIPTS, CHANGE, ...PRESENCE_SCRIPTS, ...ROOM_SCRIPTS, ...READ_STATE_SCRIPTS];

export interface RedisStoresOptions {
  /**
   * A connected client, shared by the four stores: one Redis (make it with `createRedisClient`)
   * or a Redis Cluster (`createRedisCluster`), so that calls fail fast (`UNAVAILABLE`) while
   * Redis is down instead of waiting in an offline queue.
   */
  client:
    | (CommandClient & {
        on?(event: "ready", listener: () => void): unknown;
        off?(event: "ready", listener: () => void): unknown;
      })
    | RedisClusterClient;
  /** Prefix of every key. Default `"rk:"`. */
  prefix?: string;
  /** A call without a reply from Redis after this long fails with `UNAVAILABLE`. Default 2000 ms; 0 for none. */
  commandTimeoutMs?: number;
  /** This node's id in presence entries (a per-process suffix is added). Default: host name and pid. */
  nodeId?: string;
  messages?: RedisMessageStoreOptions;
  presence?: RedisPresenceOptions;
}

/** The four Redis stores; `close()` stops the presence heartbeat (the client stays open). */
export interface RedisStores extends Stores {
  messages: RedisMessageStore;
  presence: RedisPresenceStore;
  rooms: RedisRoomStore;
  readState: RedisReadStateStore;
  close(): Promise<void>;
}

/**
 * The four stores on one Redis client, for a server that runs on many nodes (or one that must
 * keep its state across restarts). Loads the Lua scripts now and after every reconnect. On a
 * Redis Cluster client every script runs on the keys of one slot. An append also raises its
 * sender's read mark in the same script, where the keys may share one (always on one Redis, on
 * a cluster when they share a slot), so the server's mark after each message costs nothing more.
 *
 * @example
 * const client = await connectRedis(createRedisClient({ url: process.env.REDIS_URL }));
 * const rk = createRoomkit(io, { contract, authenticate, stores: redisStores({ client, prefix: "myapp:" }) });
 */
export function redisStores(options: RedisStoresOptions): RedisStores {
  const given = options.client;
  if (typeof given?.sendCommand !== "function") throw new TypeError("redisStores: options.client must be a node-redis client or cluster");
  const timeoutMs = options.commandTimeoutMs ?? 2000;
  if (!(Number.isInteger(timeoutMs) && timeoutMs >= 0)) throw new TypeError("commandTimeoutMs must be a non-negative integer");
  const cluster = isCluster(given);
  const raw: CommandClient & { on?(event: "ready", listener: () => void): unknown; off?(event: "ready", listener: () => void): unknown } =
    cluster ? clusterCommands(given) : given;
  const client = timeoutMs > 0 ? withReplyTimeout(raw, timeoutMs) : raw;
  const load = () => {
    for (const script of SCRIPTS) script.load(client).catch((err: Error) => log("could not load a script: %s", err.message));
  };
  load();
  raw.on?.("ready", load);
  const shared = { prefix: options.prefix ?? "rk:", cluster };
  const senderMarks = new SenderMarks();
  const presence = new RedisPresenceStore(client, {
    ...options.presence,
    ...shared,
    ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }),
  });
  return {
    messages: new RedisMessageStore(client, { ...options.messages, ...shared, senderMarks }),
    presence,
    rooms: new RedisRoomStore(client, shared),
    readState: new RedisReadStateStore(client, { ...shared, senderMarks }),
    close: () => {
      raw.off?.("ready", load);
      return presence.close();
    },
  };
}
