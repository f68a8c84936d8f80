import type { createClient } from "redis";
import { userId } from "../contract.js";
import { launchFleet, landFleet } from "../gen/fleet.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import type { Metrics } from "../method.js";
import type { RedisAdapterKind } from "../servers/types.js";
import { infoCpuUs } from "../capacity-cluster.js";
import { BIG_ROOM } from "./capacity-one-node.js";
import { fanoutWindow, presenceWindow } from "./capacity-windows.js";
import type { FanoutLoad, PresenceLoad } from "./capacity-windows.js";
import { dmWindow } from "./direct.js";

/** The nodes curve's loads: fixed per node for DMs, one shared room for fan-out and presence. */
export interface NodesParams {
  /** Node counts, e.g. [1, 2, 3]. */
  counts: number[];
  usersPerNode: number;
  /** DMs per second per node; user i is on node i mod k and writes to user i+1, so with k > 1 every DM crosses nodes. */
  dmPerNode: number;
  fanout: Omit<FanoutLoad, "room">;
  presence: Omit<PresenceLoad, "room">;
  windowS: number;
  warmupS: number;
}

/** Where the nodes share state: the one Redis of REDIS_URL, or a cluster the runner started. */
export interface Backend {
  kind: "redis" | "cluster";
  url: string;
  adapter: RedisAdapterKind;
  /** Redis's CPU so far, µs (summed over a cluster's primaries). */
  cpuUs(): Promise<number>;
  /** Drops the keys under `prefix` (a cluster is thrown away whole instead). */
  drop(prefix: string): Promise<void>;
}

/** One point: k nodes and what each window measured. */
export interface NodesPoint {
  nodes: number;
  users: number;
  metrics: Metrics;
}

type RedisClient = ReturnType<typeof createClient>;

/** The single Redis at `url` as a backend; keys are dropped by SCAN under the run's prefix. */
export function singleRedis(redis: RedisClient, url: string, adapter: RedisAdapterKind): Backend {
  return {
    kind: "redis",
    url,
    adapter,
    cpuUs: async () => infoCpuUs(await redis.info("cpu")),
    async drop(prefix) {
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
        if (keys.length > 0) await redis.unlink(keys);
      }
    },
  };
}

/** Runs `window` and adds Redis's CPU over it: per operation (`per` operations) and as a share of a core. */
async function withRedis(backend: Backend, per: number, window: () => Promise<Metrics>): Promise<Metrics & { redisUs: number }> {
  const r0 = await backend.cpuUs();
  const t0 = performance.now();
  const m = await window();
  const redisUs = (await backend.cpuUs()) - r0;
  return { ...m, redisUs, redisCpuPct: redisUs / 1e4 / ((performance.now() - t0) / 1000), redisUsPerOp: redisUs / per };
}

/**
 * k Roomkit nodes (k in `params.counts`) on `backend`, each in its own pinned process with
 * `usersPerNode` users: a DM window at `dmPerNode × k` DMs/s, a fan-out window and a presence
 * window in one room of `fanout.members` users spread over the nodes. CPU is the nodes' and Redis's.
 */
export async function nodesCurve(
  backend: Backend,
  params: NodesParams,
  launch: Launch,
  run: string,
  log: (line: string) => void,
): Promise<NodesPoint[]> {
  const points: NodesPoint[] = [];
  for (const k of params.counts) {
    const users = params.usersPerNode * k;
    const prefix = `hcap:${run}:${backend.kind}${k}`;
    const big = Math.min(params.fanout.members, params.presence.members, users);
    let fleet: Fleet | undefined;
    try {
      fleet = await launchFleet("roomkit", users, launch, {
        nodes: k,
        rooms: [{ id: BIG_ROOM, members: Array.from({ length: big }, (_, i) => userId(i)) }],
        server: { redis: { url: backend.url, prefix, adapter: backend.adapter, ...(backend.kind === "cluster" ? { cluster: true } : {}) } },
      });
      const f = fleet;
      const rate = params.dmPerNode * k;
      await dmWindow(f, rate, params.warmupS);
      const dmCount = Math.max(1, Math.round(rate * params.windowS));
      const dm = await withRedis(backend, dmCount, () => dmWindow(f, rate, params.windowS));
      const fan = { ...params.fanout, members: big, room: BIG_ROOM };
      await fanoutWindow(f, fan, params.warmupS);
      const fanMessages = Math.max(1, Math.round(fan.rate * params.windowS));
      const fo = await withRedis(backend, fanMessages, () => fanoutWindow(f, fan, params.windowS));
      const load = { ...params.presence, members: big, churners: Math.min(params.presence.churners, big), room: BIG_ROOM };
      const pr = await withRedis(backend, 1, () => presenceWindow(f, load, params.windowS));
      const metrics: Metrics = {
        nodeCpuUsPerDm: dm.cpuUsPerMsg!,
        redisCpuUsPerDm: dm.redisUsPerOp!,
        totalCpuUsPerDm: dm.cpuUsPerMsg! + dm.redisUsPerOp!,
        perNodeCpuPct: dm.serverCpuPct! / k,
        redisCpuPctDm: dm.redisCpuPct!,
        dmP50: dm.p50!,
        dmP99: dm.p99!,
        dmLost: dm.lost!,
        dmErrors: dm.errors!,
        nodeCpuUsPerDelivery: fo.cpuUsPerDelivery!,
        redisCpuUsPerFanoutMsg: fo.redisUsPerOp!,
        redisCpuUsPerDelivery: fo.redisUs / fo.deliveries!,
        fanoutLost: fo.lost!,
        fanoutErrors: fo.errors!,
        nodeCpuUsPerPresenceChange: pr.cpuUsPerChange!,
        redisCpuUsPerPresenceChange: pr.redisUs / pr.presenceChanges!,
        presenceChanges: pr.presenceChanges!,
        presencePushes: pr.presencePushes!,
        presenceErrors: pr.errors!,
      };
      points.push({ nodes: k, users, metrics });
      log(
        `  ${backend.kind} ${k} node(s), ${users} users, ${rate} DMs/s: ${metrics.totalCpuUsPerDm!.toFixed(0)} µs/DM (Redis ${metrics.redisCpuUsPerDm!.toFixed(0)}), node ${metrics.perNodeCpuPct!.toFixed(0)}% each; Redis ${metrics.redisCpuUsPerFanoutMsg!.toFixed(0)} µs/fan-out msg, ${metrics.redisCpuUsPerPresenceChange!.toFixed(0)} µs/presence change`,
      );
    } finally {
      if (fleet) await landFleet(fleet);
      await backend.drop(prefix).catch(() => undefined);
    }
  }
  return points;
}
