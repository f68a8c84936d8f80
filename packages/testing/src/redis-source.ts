import { randomUUID } from "node:crypto";
import type { RedisRoomkitOptions } from "@roomkit/redis";
import { startLink } from "./link.js";
import type { Link } from "./link.js";
import type { StoreSource } from "./node.js";

/** Several nodes on one Redis: `startApp({ redis: { nodes: 3 } })`. */
export interface RedisTestOptions extends Omit<RedisRoomkitOptions, "url" | "prefix" | "nodeId"> {
  /** How many nodes to run. Default 2. */
  nodes?: number;
  /** Default `REDIS_URL`, else `redis://127.0.0.1:6379`. */
  url?: string;
  /** Key prefix. Default: a new one per app (`rktest:<random>:`), whose keys `close()` deletes. */
  prefix?: string;
}

/** Short enough for tests: a killed node's members leave within about 1.5 s (`nodeTtlMs + heartbeatMs`). */
export const TEST_PRESENCE = { heartbeatMs: 250, nodeTtlMs: 1200 };

/** A new key prefix for one app: `rktest:<random>:`. */
export function testPrefix(): string {
  return `rktest:${randomUUID().slice(0, 8)}:`;
}

/** Deletes every key under `prefix` (what an app of the kit left in Redis). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = await import("@roomkit/redis");
  const client = await redis.connectRedis(redis.createRedisClient({ url, name: "roomkit-testing" }));
  try {
    let cursor = "0";
    do {
      const [next, keys] = (await client.sendCommand(["SCAN", cursor, "MATCH", `${prefix}*`, "COUNT", "1000"])) as [string, string[]];
      cursor = next;
      if (keys.length > 0) await client.sendCommand(["UNLINK", ...keys]);
    } while (cursor !== "0");
  } finally {
    await client.close();
  }
}

/**
 * Redis stores and adapter for each node, as `redisRoomkit` wires them, each node reaching Redis
 * through a link of its own, so that killing it cuts its Redis connections before anything else.
 */
export async function redisSource(options: RedisTestOptions): Promise<StoreSource> {
  // Loaded only here: apps that never run several nodes need not install @roomkit/redis.
  const redis = await import("@roomkit/redis");
  const { nodes: _nodes, url: given, prefix: chosen, presence, ...wiring } = options;
  const url = new URL(given ?? redis.defaultRedisUrl());
  const prefix = chosen ?? testPrefix();
  const target = { host: url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", port: Number(url.port || 6379) };
  const links = new Map<string, Link>();
  let starts = 0;
  return {
    async open(node, fresh, io) {
      let link = links.get(node);
      if (link && fresh) throw new TypeError("fresh stores are for memory stores: the nodes on Redis share theirs");
      if (!link) links.set(node, (link = await startLink(() => target)));
      link.block(false);
      const via = new URL(url);
      via.hostname = "127.0.0.1";
      via.port = String(link.port);
      const wired = await redis.redisRoomkit(io, {
        ...wiring,
        presence: { ...TEST_PRESENCE, ...presence },
        url: via.toString(),
        prefix,
        nodeId: `${node}.${++starts}`,
      });
      const cut = link;
      return {
        stores: wired.stores,
        close: () => wired.close(),
        crash() {
          cut.block(true);
          cut.cut();
        },
      };
    },
    async close() {
      await Promise.all([...links.values()].map((link) => link.close()));
      if (chosen !== undefined) return;
      await deletePrefix(url.toString(), prefix);
    },
  };
}
