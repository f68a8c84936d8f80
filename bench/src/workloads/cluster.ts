import { createClient } from "redis";
import { launchFleet, landFleet } from "../gen/fleet.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import type { Bench, MetricDef, Metrics, Side } from "../method.js";
import { loadRoomkitRedis } from "../servers/roomkit-redis.js";
import type { RedisAdapterKind } from "../servers/types.js";
import { DM_METRICS, dmWindow } from "./direct.js";
import type { DirectParams } from "./direct.js";

export interface ClusterParams extends DirectParams {
  redisUrl: string;
}

/** The adapter both sides use: what Roomkit picks by default for this Redis (sharded on 7+), or BENCH_REDIS_ADAPTER. */
export async function adapterKindFor(redis: RedisClient): Promise<RedisAdapterKind> {
  const forced = process.env.BENCH_REDIS_ADAPTER;
  if (forced === "sharded" || forced === "classic") return forced;
  const info = await redis.info("server");
  return Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0) >= 7 ? "sharded" : "classic";
}

export const CLUSTER_METRICS: MetricDef[] = [
  { key: "totalCpuUsPerMsg", label: "total CPU per message (both nodes + Redis)", unit: "µs", kind: "cost" },
  ...DM_METRICS,
  { key: "redisCpuUsPerMsg", label: "Redis CPU per message (shared Redis: noisy)", unit: "µs", kind: "info" },
];

type RedisClient = ReturnType<typeof createClient>;

interface Cluster {
  fleet: Fleet;
  prefix: string;
}

/** Why workload 4 cannot run here, or nothing when it can. */
export async function clusterUnavailable(redisUrl: string): Promise<string | undefined> {
  const loaded = await loadRoomkitRedis();
  if (!loaded.ok) return loaded.reason;
  const client = createClient({ url: redisUrl });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    return `skipped: Redis not reachable at ${redisUrl} (${(err as Error).message})`;
  } finally {
    await client.destroy();
  }
}

/** Redis's own CPU (user + sys) in µs, from INFO. */
async function redisCpuUs(redis: RedisClient): Promise<number> {
  const info = await redis.info("cpu");
  const read = (name: string) => Number(new RegExp(`\\b${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (read("used_cpu_user") + read("used_cpu_sys")) * 1e6;
}

async function dropKeys(redis: RedisClient, prefix: string): Promise<void> {
  for await (const keys of redis.scanIterator({ MATCH: `*${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await redis.unlink(keys);
  }
}

/**
 * Workload 4: two nodes of each side on one Redis (Roomkit through @roomkit/redis, the baseline
 * through @socket.io/redis-adapter and a Redis history); user i is on node i mod 2, so every DM
 * to user i+1 crosses nodes. CPU is both nodes plus Redis.
 */
export function clusterBench(params: ClusterParams, launch: Launch, redis: RedisClient, adapter: RedisAdapterKind): Bench<Cluster> {
  const run = `rkbench:${process.pid}:${Date.now()}`;
  const window = async (cluster: Cluster, seconds: number): Promise<Metrics> => {
    const r0 = await redisCpuUs(redis);
    const m = await dmWindow(cluster.fleet, params.rate, seconds);
    const redisUs = (await redisCpuUs(redis)) - r0;
    const count = Math.max(1, Math.round(params.rate * seconds));
    return { ...m, redisCpuUsPerMsg: redisUs / count, totalCpuUsPerMsg: m.cpuUsPerMsg! + redisUs / count };
  };
  return {
    async setup(side: Side) {
      const prefix = `${run}:${side}`;
      const fleet = await launchFleet(side, params.users, launch, {
        nodes: 2,
        server: { redis: { url: params.redisUrl, prefix, adapter } },
      });
      return { fleet, prefix };
    },
    warmup: async (cluster) => void (await window(cluster, params.warmupS)),
    measure: (cluster) => window(cluster, params.windowS),
    async teardown(cluster) {
      await landFleet(cluster.fleet);
      await dropKeys(redis, cluster.prefix);
    },
    servers: (cluster) => cluster.fleet.servers,
  };
}
