import { createCluster } from "redis";
import { logger } from "./log.js";
import type { CommandClient } from "./script.js";

const log = logger("cluster");

/** A node-redis cluster client as {@link createRedisCluster} makes it. */
export type RedisClusterClient = ReturnType<typeof createCluster>;

export interface RedisClusterClientOptions {
  /** Seed nodes: any of the cluster's nodes (`redis://host:port`); the rest are discovered. */
  urls: string[];
  /** A name for logs and `CLIENT LIST`. */
  name?: string;
  /** As for `createRedisClient`: fail commands at once while a node is unreachable (default). */
  failFast?: boolean;
}

type Listeners = Map<string, { buffers: Set<unknown>; strings: Set<unknown> }>;
interface ClusterInternals {
  _options: { rootNodes: object[] };
  _slots: { rediscover(startWith: { options: object }): Promise<void> };
  resubscribeAllPubSubListeners(all: { SHARDED?: Listeners }): void;
}

/**
 * A node-redis cluster client set up as `createRedisClient` sets up one connection (fail fast,
 * reconnect by itself, errors logged), which also heals itself after a failover: node-redis
 * finds a new primary only when a node answers `MOVED`, and drops the sharded subscriptions of
 * a primary it forgets. While a node is unreachable, this client asks the cluster for its
 * topology again (at most every 500 ms) and subscribes again, on the promoted primary, to what
 * it had subscribed to on the dead one.
 *
 * @example
 * const cluster = createRedisCluster({ urls: ["redis://10.0.0.1:7000", "redis://10.0.0.2:7000"] });
 * await cluster.connect();
 */
export function createRedisCluster(options: RedisClusterClientOptions): RedisClusterClient {
  if (!Array.isArray(options.urls) || options.urls.length === 0) throw new TypeError("a cluster needs at least one seed URL");
  const name = options.name ?? "redis cluster";
  const cluster = createCluster({
    rootNodes: options.urls.map((url) => ({ url })),
    defaults: {
      ...(options.name === undefined ? {} : { name: options.name }),
      disableOfflineQueue: options.failFast ?? true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
    },
  });
  const internals = cluster as unknown as ClusterInternals;
  let healing: ReturnType<typeof setTimeout> | undefined;
  let lastHeal = 0;
  const heal = async () => {
    healing = undefined;
    lastHeal = Date.now();
    const before = new Map<string, Listeners>();
    for (const master of cluster.masters) {
      const listeners = master.pubSub?.client?.getPubSubListeners("SHARDED" as never) as Listeners | undefined;
      if (listeners?.size) before.set(master.address, new Map(listeners));
    }
    const seeds = internals._options.rootNodes;
    await internals._slots.rediscover({ options: seeds[Math.floor(Math.random() * seeds.length)]! });
    const lost: Listeners = new Map();
    for (const [address, listeners] of before) {
      if (cluster.nodeByAddress.has(address)) continue;
      for (const [channel, set] of listeners) lost.set(channel, set);
    }
    if (lost.size > 0) {
      log("%s: subscribing again to %d sharded channels of a primary that left", name, lost.size);
      internals.resubscribeAllPubSubListeners({ SHARDED: lost });
    }
  };
  const scheduleHeal = () => {
    if (healing !== undefined || !cluster.isOpen) return;
    healing = setTimeout(
      () => heal().catch((err: Error) => log("%s: topology refresh failed: %s", name, err.message)),
      Math.max(0, lastHeal + 500 - Date.now()),
    );
    healing.unref?.();
  };
  let down = false;
  cluster.on("error", (err: Error) => log("%s: %s", name, err.message));
  cluster.on("node-error", (err: Error, node: { host: string; port: number }) => {
    if (!down) log("%s: %s:%d lost or refused: %s", name, node.host, node.port, err.message);
    down = true;
    scheduleHeal();
  });
  cluster.on("node-ready", () => {
    down = false;
  });
  const close = cluster.close.bind(cluster);
  const destroy = cluster.destroy.bind(cluster);
  cluster.close = () => {
    clearTimeout(healing);
    return close();
  };
  cluster.destroy = () => {
    clearTimeout(healing);
    destroy();
  };
  return cluster;
}

/** Whether a client is a node-redis cluster (as `@socket.io/redis-adapter` tells them apart). */
export function isCluster(client: object): client is RedisClusterClient {
  return Array.isArray((client as { masters?: unknown }).masters);
}

/** The key a command is routed by: a script's first key, else the command's first argument. */
function firstKey(args: ReadonlyArray<string>): string | undefined {
  const name = args[0]!.toUpperCase();
  if (name === "EVALSHA" || name === "EVAL") return Number(args[2]) > 0 ? args[3] : undefined;
  if (name === "INFO" || name === "WAIT" || name === "PING") return undefined;
  return args[1];
}

/**
 * The cluster as the stores' {@link CommandClient}: each command goes to the primary of its
 * first key's slot; `SCRIPT LOAD` goes to every primary; `onKey(key)` sends keyless commands
 * (`WAIT`) on the connection of that key's primary.
 */
export function clusterCommands(cluster: RedisClusterClient): CommandClient {
  const send = (key: string | undefined, args: ReadonlyArray<string>) => cluster.sendCommand(key, false, [...args]);
  return {
    sendCommand(args) {
      if (args[0]!.toUpperCase() === "SCRIPT") {
        return Promise.all(cluster.masters.map((m) => cluster.nodeClient(m).then((c) => c.sendCommand([...args])))).then((r) => r[0]);
      }
      return send(firstKey(args), args);
    },
    onKey: (key) => ({ sendCommand: (args) => send(key, args) }),
  };
}
