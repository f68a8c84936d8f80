import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { clusterUnavailable as noClusterBinaries, startCluster } from "./capacity-cluster.js";
import type { Launch } from "./gen/fleet.js";
import type { Machine } from "./machine.js";
import { adapterKindFor, clusterUnavailable as noRedis } from "./workloads/cluster.js";
import { nodesCurve, singleRedis } from "./workloads/capacity-nodes.js";
import type { NodesParams, NodesPoint } from "./workloads/capacity-nodes.js";
import { oneNodeCurve } from "./workloads/capacity-one-node.js";
import type { OneNodeParams, OneNodePoint } from "./workloads/capacity-one-node.js";

/**
 * The capacity figures (issue 15): per-operation costs as curves, written to
 * bench/results/capacity.json by `npm run capacity -w @roomkit/bench` and turned into the
 * capacity model of docs/scaling.md §12 by `npm run capacity-report -w @roomkit/bench`.
 *
 * @example
 * const results = await runCapacity({ mode: "quick", launch: {}, machine: describeMachine({}) });
 * console.log(results.oneNode.roomkit.at(-1)?.metrics.rssPerConnKiB);
 */
export type CapacityMode = "smoke" | "quick" | "default";

export interface CapacityParams {
  oneNode: OneNodeParams;
  nodes: NodesParams;
}

/** The file `npm run capacity` writes. */
export interface CapacityResults {
  schema: 1;
  mode: CapacityMode;
  run: string;
  startedAt: string;
  seconds: number;
  machine: Machine;
  /** The per-process file descriptor limit that caps the largest point (each connection is one fd on each side). */
  fdLimit: string;
  params: CapacityParams;
  oneNode: { roomkit: OneNodePoint[]; baseline: OneNodePoint[] };
  /** When each part was measured (parts can be run apart with `--only` and merged into one file). */
  measuredAt: Record<CapacityPart, string>;
  /** 1 → 2 → 3 Roomkit nodes on one Redis and on a Redis Cluster of 3 primaries, or why not. */
  nodes: Record<"redis" | "cluster", { status: "ok" | "skipped"; reason?: string; adapter?: string; points: NodesPoint[] }>;
}

const FAN = (members: number, rate: number, senders: number) => ({ members, rate, senders });
const PRESENCE = (members: number, churners: number, rate: number) => ({ members, churners, rate });

/** Sizes per mode. The default's largest point is what the 20,000 fd limit per process leaves room for. */
export const CAPACITY_SIZES: Record<CapacityMode, CapacityParams> = {
  smoke: {
    oneNode: {
      sizes: [20, 40],
      roomSize: 10,
      idleS: 0.5,
      dmRate: 100,
      fanout: FAN(20, 20, 4),
      presence: PRESENCE(20, 4, 40),
      windowS: 0.5,
      warmupS: 0.2,
    },
    nodes: {
      counts: [1, 2],
      usersPerNode: 10,
      dmPerNode: 50,
      fanout: FAN(20, 20, 4),
      presence: PRESENCE(20, 4, 40),
      windowS: 0.5,
      warmupS: 0.2,
    },
  },
  quick: {
    oneNode: {
      sizes: [500, 1000, 2000],
      roomSize: 100,
      idleS: 5,
      dmRate: 1000,
      fanout: FAN(500, 20, 10),
      presence: PRESENCE(500, 50, 100),
      windowS: 2,
      warmupS: 1,
    },
    nodes: {
      counts: [1, 2, 3],
      usersPerNode: 300,
      dmPerNode: 250,
      fanout: FAN(500, 20, 10),
      presence: PRESENCE(500, 50, 100),
      windowS: 2,
      warmupS: 1,
    },
  },
  default: {
    oneNode: {
      sizes: [1000, 2000, 5000, 10000, 19000],
      roomSize: 100,
      // One whole Socket.IO heartbeat period (pingInterval 25 s): every connection pings once in the window.
      idleS: 25,
      dmRate: 1000,
      fanout: FAN(1000, 20, 10),
      presence: PRESENCE(1000, 50, 100),
      windowS: 5,
      warmupS: 2,
    },
    nodes: {
      counts: [1, 2, 3],
      usersPerNode: 1000,
      // All nodes share the servers' one core: 3 × 500 DMs/s at ~600 µs each on Redis would fill it.
      dmPerNode: 250,
      fanout: FAN(1000, 20, 10),
      presence: PRESENCE(1000, 50, 100),
      windowS: 5,
      warmupS: 2,
    },
  },
};

export interface CapacityOptions {
  mode: CapacityMode;
  launch: Launch;
  machine: Machine;
  fdLimit?: string;
  redisUrl?: string;
  /** Some parts only (the rest left empty): each part alone stays under the bench lock's 6 minutes. */
  only?: readonly CapacityPart[];
  log?: (line: string) => void;
}

/** The parts of a run, which `npm run capacity -- --only <part,...>` runs apart and merges into one file. */
export type CapacityPart = "roomkit" | "baseline" | "nodes";
export const CAPACITY_PARTS: readonly CapacityPart[] = ["roomkit", "baseline", "nodes"];

/**
 * Runs the whole capacity measurement: the one-node curve on Roomkit, then on the baseline (one
 * after the other: both fleets at once would need twice the generator's file descriptors), then
 * the nodes curves on Redis and on a cluster started for the run (and stopped, also on failure).
 */
export async function runCapacity(options: CapacityOptions): Promise<CapacityResults> {
  const log = options.log ?? (() => {});
  const params = CAPACITY_SIZES[options.mode];
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const run = randomUUID().slice(0, 8);
  const t0 = Date.now();
  const results: CapacityResults = {
    schema: 1,
    mode: options.mode,
    run,
    startedAt: new Date(t0).toISOString(),
    seconds: 0,
    machine: options.machine,
    fdLimit: options.fdLimit ?? "unknown",
    measuredAt: { roomkit: new Date(t0).toISOString(), baseline: new Date(t0).toISOString(), nodes: new Date(t0).toISOString() },
    params,
    oneNode: { roomkit: [], baseline: [] },
    nodes: { redis: { status: "skipped", points: [] }, cluster: { status: "skipped", points: [] } },
  };
  const runs = (part: CapacityPart) => options.only === undefined || options.only.includes(part);
  for (const side of (["roomkit", "baseline"] as const).filter(runs)) {
    log(`one node, ${side}: ${params.oneNode.sizes.join(" → ")} connections`);
    results.oneNode[side] = await oneNodeCurve(side, params.oneNode, options.launch, log);
  }
  const missing = runs("nodes") ? await noRedis(redisUrl) : "not run (--only)";
  if (missing) {
    results.nodes.redis.reason = missing;
    results.nodes.cluster.reason = missing;
    log(`nodes: ${missing}`);
  } else {
    const redis = createClient({ url: redisUrl });
    redis.on("error", () => undefined);
    await redis.connect();
    try {
      const adapter = await adapterKindFor(redis);
      log(`nodes on one Redis (${adapter} adapter): ${params.nodes.counts.join(" → ")}`);
      const points = await nodesCurve(singleRedis(redis, redisUrl, adapter), params.nodes, options.launch, run, log);
      results.nodes.redis = { status: "ok", adapter, points };
      const noCluster = noClusterBinaries();
      if (noCluster) {
        results.nodes.cluster.reason = noCluster;
      } else {
        const cluster = await startCluster(3);
        try {
          log(`nodes on a Redis Cluster of 3 primaries (ports ${cluster.ports.join(", ")}): ${params.nodes.counts.join(" → ")}`);
          const backend = { kind: "cluster" as const, url: cluster.url, adapter, cpuUs: cluster.cpuUs, drop: async () => {} };
          results.nodes.cluster = { status: "ok", adapter, points: await nodesCurve(backend, params.nodes, options.launch, run, log) };
        } finally {
          await cluster.destroy();
        }
      }
    } finally {
      await redis.close();
    }
  }
  results.seconds = (Date.now() - t0) / 1000;
  return results;
}
