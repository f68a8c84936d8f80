import type { createClient } from "redis";
import { launchFleet, landFleet } from "../gen/fleet.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import type { Bench, MetricDef, Metrics, Side } from "../method.js";
import type { RedisAdapterKind } from "../servers/types.js";
import { DM_METRICS, dmWindow } from "./direct.js";
import type { DirectParams } from "./direct.js";

export interface DmRedisParams extends DirectParams {
  redisUrl: string;
}

/**
 * The numbers of one window. The two sides are both Roomkit: "roomkit" runs on the Redis stores
 * (`redisRoomkit`, one node, with the Redis adapter), "baseline" on the in-memory stores. Redis's
 * CPU and commands are read from `INFO` of the whole server, so they are exact only on a Redis
 * nobody else uses during the window.
 */
export const DM_REDIS_METRICS: MetricDef[] = [
  { key: "totalCpuUsPerMsg", label: "server + Redis CPU per message", unit: "µs", kind: "cost" },
  ...DM_METRICS,
  { key: "redisCpuUsPerMsg", label: "Redis CPU per message (INFO cpu, whole Redis)", unit: "µs", kind: "info" },
  { key: "redisCallsPerMsg", label: "Redis commands per message (INFO commandstats, scripts' own calls included)", unit: "", kind: "info" },
  { key: "scriptsPerMsg", label: "scripts (EVALSHA, EVAL) per message", unit: "", kind: "info" },
  { key: "publishesPerMsg", label: "publishes (SPUBLISH, PUBLISH) per message", unit: "", kind: "info" },
];

type RedisClient = ReturnType<typeof createClient>;

/** One side: its fleet, and the key prefix it ran under (unused by the memory side). */
interface Running {
  fleet: Fleet;
  prefix: string;
}

/** Redis's own CPU (user + sys) in µs, and its command counts, from INFO. */
async function redisCounters(redis: RedisClient): Promise<{ cpuUs: number; calls: Map<string, number> }> {
  const info = await redis.info("cpu");
  const read = (name: string) => Number(new RegExp(`\\b${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  const calls = new Map<string, number>();
  for (const [, name, n] of (await redis.info("commandstats")).matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) calls.set(name!, Number(n));
  return { cpuUs: (read("used_cpu_user") + read("used_cpu_sys")) * 1e6, calls };
}

function callsBetween(before: Map<string, number>, after: Map<string, number>, names?: readonly string[]): number {
  let sum = 0;
  for (const [name, n] of after) if (!names || names.includes(name)) sum += n - (before.get(name) ?? 0);
  return sum;
}

/** The commands the meter itself sends per window (two INFO each side). */
const METER_CALLS = 4;

/**
 * Roomkit on the Redis stores against Roomkit on the in-memory stores, one node each, DMs at a
 * fixed rate: the "roomkit" side (and its A/A twin) is `redisRoomkit` under its own prefix, the
 * "baseline" side the same server with no stores given. Redis's CPU counts for the Redis sides only.
 */
export function dmRedisBench(params: DmRedisParams, launch: Launch, redis: RedisClient, adapter: RedisAdapterKind): Bench<Running> {
  const run = `rkbench:${process.pid}:${Date.now()}`;
  const onRedis = (side: Side) => side !== "baseline";
  const window = async ({ fleet }: Running, side: Side, seconds: number): Promise<Metrics> => {
    const r0 = onRedis(side) ? await redisCounters(redis) : undefined;
    const m = await dmWindow(fleet, params.rate, seconds);
    const r1 = r0 ? await redisCounters(redis) : undefined;
    const count = Math.max(1, Math.round(params.rate * seconds));
    const per = (n: number) => n / count;
    const redisUs = r0 && r1 ? r1.cpuUs - r0.cpuUs : 0;
    return {
      ...m,
      totalCpuUsPerMsg: m.cpuUsPerMsg! + per(redisUs),
      redisCpuUsPerMsg: per(redisUs),
      redisCallsPerMsg: r0 && r1 ? per(callsBetween(r0.calls, r1.calls) - METER_CALLS) : 0,
      scriptsPerMsg: r0 && r1 ? per(callsBetween(r0.calls, r1.calls, ["evalsha", "eval"])) : 0,
      publishesPerMsg: r0 && r1 ? per(callsBetween(r0.calls, r1.calls, ["spublish", "publish"])) : 0,
    };
  };
  return {
    async setup(side) {
      const prefix = `${run}:${side}`;
      const server = onRedis(side) ? { redis: { url: params.redisUrl, prefix, adapter } } : {};
      return { fleet: await launchFleet("roomkit", params.users, launch, { server }), prefix };
    },
    warmup: async (running, side) => void (await window(running, side, params.warmupS)),
    measure: (running, side) => window(running, side, params.windowS),
    async teardown({ fleet, prefix }) {
      await landFleet(fleet);
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) if (keys.length > 0) await redis.unlink(keys);
    },
    servers: ({ fleet }) => fleet.servers,
  };
}
