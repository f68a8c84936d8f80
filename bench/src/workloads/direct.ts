import { TEXT } from "../contract.js";
import { nowUs, until } from "../gen/clock.js";
import { launchFleet, landFleet } from "../gen/fleet.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import { startMeter } from "../gen/meter.js";
import { openLoop } from "../gen/rate.js";
import { Samples } from "../gen/stats.js";
import type { Bench, MetricDef, Metrics } from "../method.js";

export interface DirectParams {
  users: number;
  /** Messages per second, all senders together. */
  rate: number;
  windowS: number;
  warmupS: number;
}

/** The numbers every DM window yields (the cluster workload adds Redis's). */
export const DM_METRICS: MetricDef[] = [
  { key: "cpuUsPerMsg", label: "server CPU per message", unit: "µs", kind: "cost" },
  { key: "p50", label: "latency p50", unit: "ms", kind: "cost" },
  { key: "p99", label: "latency p99", unit: "ms", kind: "cost" },
  { key: "p999", label: "latency p99.9", unit: "ms", kind: "cost" },
  { key: "max", label: "latency max", unit: "ms", kind: "cost" },
  { key: "serverCpuPct", label: "server CPU", unit: "% of a core", kind: "info" },
  { key: "genCpuPct", label: "load generator CPU", unit: "% of a core", kind: "info" },
  { key: "maxLagMs", label: "worst send lag behind schedule", unit: "ms", kind: "info" },
  { key: "lost", label: "messages lost", unit: "", kind: "count" },
  { key: "errors", label: "errors", unit: "", kind: "count" },
];

/** How long to wait after the last send for the last delivery and ack. */
const DRAIN_MS = 15_000;
let windows = 0;

/**
 * One window of direct messages at a fixed rate: message k goes from user k mod n to the next
 * user. Latency is taken at the recipient (the sender's own copy, where an implementation sends
 * one, is not counted); CPU is the servers' over the whole window, divided by messages.
 */
export async function dmWindow(fleet: Fleet, rate: number, seconds: number): Promise<Metrics> {
  const w = ++windows;
  const { clients } = fleet;
  const n = clients.length;
  const count = Math.max(1, Math.round(rate * seconds));
  const samples = new Samples(count);
  let received = 0;
  let acked = 0;
  let refused = 0;
  for (const c of clients) {
    c.onMessage = (m) => {
      if (m.body.w !== w || m.from === c.user) return;
      received++;
      samples.push(nowUs() - m.body.t);
    };
  }
  const meter = await startMeter(fleet.servers);
  const sched = await openLoop(rate, count, (k) => {
    const i = k % n;
    clients[i]!.sendDm(clients[(i + 1) % n]!.user, { text: TEXT, t: nowUs(), k, w }, (err) => {
      acked++;
      if (err) refused++;
    });
  });
  await until(() => received >= count && acked >= count, DRAIN_MS);
  const usage = await meter.stop();
  return {
    ...samples.percentilesMs(),
    cpuUsPerMsg: usage.serverCpuUs / count,
    serverCpuPct: usage.serverCpuPct,
    genCpuPct: usage.genCpuPct,
    maxLagMs: sched.maxLagMs,
    lost: count - received,
    errors: refused + (count - acked),
  };
}

/** Workload 1: `users` connected users exchanging DMs at `rate` per second. */
export function directBench(params: DirectParams, launch: Launch): Bench<Fleet> {
  return {
    setup: (side) => launchFleet(side, params.users, launch),
    warmup: async (fleet) => void (await dmWindow(fleet, params.rate, params.warmupS)),
    measure: (fleet) => dmWindow(fleet, params.rate, params.windowS),
    teardown: landFleet,
    servers: (fleet) => fleet.servers,
  };
}
