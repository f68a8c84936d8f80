import { createClient } from "redis";
import type { Launch } from "./gen/fleet.js";
import type { Machine } from "./machine.js";
import type { MetricDef, Plan, Profiling, Trial, WorkloadResult } from "./method.js";
import { runFresh, runInterleaved, sidesOf, summarize } from "./method.js";
import { CHANGE_METRICS, changesBench } from "./workloads/changes.js";
import { CLUSTER_METRICS, adapterKindFor, clusterBench, clusterUnavailable } from "./workloads/cluster.js";
import { DM_METRICS, directBench } from "./workloads/direct.js";
import { DM_REDIS_METRICS, dmRedisBench } from "./workloads/dm-redis.js";
import { FANOUT_METRICS, fanoutBench } from "./workloads/fanout.js";
import { MEMORY_METRICS, memoryTrial } from "./workloads/memory.js";
import { RECONNECT_METRICS, reconnectBench } from "./workloads/reconnect.js";

export type Mode = "smoke" | "quick" | "full";

/** One workload as the suite runs it. */
interface Spec {
  id: string;
  title: string;
  params: Record<string, number | string>;
  metrics: MetricDef[];
  /** Why it cannot run here (it is then recorded as skipped). */
  unavailable?: () => Promise<string | undefined>;
  run: (plan: Plan, log: (line: string) => void, profiling?: Profiling) => Promise<Trial[]>;
}

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Runs `use` on a connected client of REDIS_URL, closed after. */
async function withRedis<T>(use: (redis: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    return await use(redis);
  } finally {
    await redis.close();
  }
}

/** Sizes per mode: smoke keeps CI honest in seconds, quick validates in minutes, full is for the published figures. */
const SIZES = {
  smoke: {
    users: 20,
    fanMembers: 20,
    windowS: 0.5,
    warmupS: 0.2,
    dmRate: 100,
    fanRate: 100,
    connections: 20,
    roomSize: 10,
    storm: 20,
    gap: 3,
  },
  quick: {
    users: 1000,
    fanMembers: 500,
    windowS: 2,
    warmupS: 1,
    dmRate: 1000,
    fanRate: 50,
    connections: 1000,
    roomSize: 100,
    storm: 1000,
    gap: 10,
  },
  full: {
    users: 1000,
    fanMembers: 1000,
    windowS: 8,
    warmupS: 3,
    dmRate: 1000,
    fanRate: 50,
    connections: 5000,
    roomSize: 100,
    storm: 1000,
    gap: 10,
  },
} as const;

export const PLANS: Record<Mode, Plan> = {
  smoke: { pairs: 1, aa: false, floor: true },
  quick: { pairs: 5, aa: true, floor: true },
  full: { pairs: 6, aa: true, floor: true, aaLimit: 0.05, extraPairs: 4 },
};

/** The figures whose A/A drift decides on more pairs: the costs, but not latencies (their A/A drifts by whole multiples on 2 cores). */
const watched = (metrics: readonly MetricDef[]) => metrics.filter((m) => m.kind === "cost" && m.unit !== "ms").map((m) => m.key);

function specs(mode: Mode, launch: Launch): Spec[] {
  const z = SIZES[mode];
  const dm = (rate: number): Spec => {
    const params = { users: z.users, rate, windowS: z.windowS, warmupS: z.warmupS };
    return {
      id: rate === z.dmRate ? "dm" : `dm-${rate}`,
      title: `Direct messages, ${z.users} users at ${rate} msg/s`,
      params,
      metrics: DM_METRICS,
      run: (plan, log, profiling) => runInterleaved(plan, sidesOf(plan, true), directBench(params, launch), log, profiling),
    };
  };
  const fanParams = { members: z.fanMembers, rate: z.fanRate, senders: 10, windowS: z.windowS, warmupS: z.warmupS };
  const memParams = { connections: z.connections, roomSize: z.roomSize };
  const stormParams = { clients: z.storm, roomSize: z.roomSize, gap: z.gap };
  const clusterParams = { users: z.users, rate: z.dmRate, windowS: z.windowS, warmupS: z.warmupS, redisUrl: REDIS_URL };
  const clusterShown: Record<string, number | string> = { ...clusterParams, redisUrl: "REDIS_URL" };
  const dmRedisShown: Record<string, number | string> = { ...clusterShown, nodes: 1 };
  return [
    dm(z.dmRate),
    ...(mode === "full" ? [dm(5000)] : []),
    {
      id: "dm-changes",
      title: `Direct messages with edits and reactions, ${z.users} users at ${z.dmRate} operations/s`,
      params: { users: z.users, rate: z.dmRate, windowS: z.windowS, warmupS: z.warmupS, mix: "7 messages, 2 reactions, 1 edit" },
      metrics: CHANGE_METRICS,
      run: (plan, log, profiling) =>
        runInterleaved(
          plan,
          sidesOf(plan, false),
          changesBench({ users: z.users, rate: z.dmRate, windowS: z.windowS, warmupS: z.warmupS }, launch),
          log,
          profiling,
        ),
    },
    {
      id: "fanout",
      title: `Fan-out, one ${fanParams.members}-member room at ${fanParams.rate} msg/s`,
      params: fanParams,
      metrics: FANOUT_METRICS,
      run: (plan, log, profiling) => runInterleaved(plan, sidesOf(plan, true), fanoutBench(fanParams, launch), log, profiling),
    },
    {
      id: "memory",
      title: `Memory, ${memParams.connections} idle connections each in a DM and a room`,
      params: memParams,
      metrics: MEMORY_METRICS,
      run: (plan, log) => runFresh(plan, sidesOf(plan, true), (side) => memoryTrial(side, memParams, launch), log),
    },
    ...(mode === "quick"
      ? []
      : [
          {
            id: "cluster",
            title: `Two nodes and Redis, cross-node DMs at ${clusterParams.rate} msg/s`,
            params: clusterShown,
            metrics: CLUSTER_METRICS,
            unavailable: () => clusterUnavailable(REDIS_URL),
            run: async (plan: Plan, log: (line: string) => void, profiling?: Profiling) => {
              const redis = createClient({ url: REDIS_URL });
              await redis.connect();
              try {
                const adapter = await adapterKindFor(redis);
                clusterShown.adapter = adapter;
                log(`  @socket.io/redis-adapter: ${adapter} on both sides`);
                return await runInterleaved(
                  plan,
                  sidesOf(plan, false),
                  clusterBench(clusterParams, launch, redis, adapter),
                  log,
                  profiling,
                );
              } finally {
                await redis.close();
              }
            },
          },
          {
            id: "dm-redis",
            title: `Direct messages on one node, ${z.users} users at ${z.dmRate} msg/s: Roomkit on the Redis stores ÷ Roomkit on the memory stores`,
            params: dmRedisShown,
            metrics: DM_REDIS_METRICS,
            unavailable: () => clusterUnavailable(REDIS_URL),
            run: (plan: Plan, log: (line: string) => void, profiling?: Profiling) =>
              withRedis(async (redis) => {
                const adapter = await adapterKindFor(redis);
                dmRedisShown.adapter = adapter;
                log(`  Redis side: redisRoomkit (stores and the ${adapter} adapter); other side: the in-memory stores`);
                return runInterleaved(plan, sidesOf(plan, false), dmRedisBench(clusterParams, launch, redis, adapter), log, profiling);
              }),
          },
        ]),
    {
      id: "reconnect",
      title: `Reconnect storm, ${stormParams.clients} clients at once with recovery`,
      params: stormParams,
      metrics: RECONNECT_METRICS,
      run: (plan, log, profiling) => runInterleaved(plan, sidesOf(plan, false), reconnectBench(stormParams, launch), log, profiling),
    },
  ];
}

/** Everything one run produced: the results file. */
export interface Results {
  schema: 1;
  mode: Mode;
  startedAt: string;
  seconds: number;
  machine: Machine;
  method: Plan & { sizes: Record<string, number> };
  workloads: WorkloadResult[];
}

export interface SuiteOptions {
  mode: Mode;
  launch: Launch;
  machine: Machine;
  plan?: Partial<Plan>;
  only?: readonly string[];
  log?: (line: string) => void;
  /** Write CPU profiles of the servers' measured windows here. */
  profileDir?: string;
}

/** Runs the workloads of a mode one after another; a failing workload is recorded and the rest still run. */
export async function runSuite(options: SuiteOptions): Promise<Results> {
  const log = options.log ?? (() => {});
  const plan = { ...PLANS[options.mode], ...options.plan };
  const started = Date.now();
  const workloads: WorkloadResult[] = [];
  for (const spec of specs(options.mode, options.launch)) {
    if (options.only && !options.only.includes(spec.id)) continue;
    const t0 = Date.now();
    const base = { id: spec.id, title: spec.title, params: spec.params, metrics: spec.metrics };
    log(`${spec.title}`);
    const reason = await spec.unavailable?.();
    if (reason) {
      log(`  ${reason}`);
      workloads.push({ ...base, status: "skipped", reason, trials: [], summary: {}, seconds: 0 });
      continue;
    }
    try {
      const trials = await spec.run(
        { ...plan, watch: watched(spec.metrics) },
        log,
        options.profileDir ? { dir: options.profileDir, name: spec.id } : undefined,
      );
      workloads.push({ ...base, status: "ok", trials, summary: summarize(spec.metrics, trials), seconds: (Date.now() - t0) / 1000 });
    } catch (err) {
      const reason = String((err as Error)?.message ?? err);
      log(`  failed: ${reason}`);
      workloads.push({ ...base, status: "failed", reason, trials: [], summary: {}, seconds: (Date.now() - t0) / 1000 });
    }
  }
  return {
    schema: 1,
    mode: options.mode,
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    machine: options.machine,
    method: { ...plan, sizes: { ...SIZES[options.mode] } },
    workloads,
  };
}
