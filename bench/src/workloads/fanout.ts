import { TEXT, roomsOf } from "../contract.js";
import { nowUs, until } from "../gen/clock.js";
import { launchFleet, landFleet, subscribeAll } from "../gen/fleet.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import { startMeter } from "../gen/meter.js";
import { openLoop } from "../gen/rate.js";
import { Samples } from "../gen/stats.js";
import type { Bench, MetricDef, Metrics } from "../method.js";

export interface FanoutParams {
  members: number;
  /** Messages per second into the room; each reaches every member. */
  rate: number;
  /** Members who take turns sending, so no one connection hits Roomkit's default per-connection publish limit. */
  senders: number;
  windowS: number;
  warmupS: number;
}

export const FANOUT_METRICS: MetricDef[] = [
  { key: "cpuUsPerDelivery", label: "server CPU per delivery", unit: "µs", kind: "cost" },
  { key: "p50", label: "latency p50", unit: "ms", kind: "cost" },
  { key: "p99", label: "latency p99", unit: "ms", kind: "cost" },
  { key: "p999", label: "latency p99.9", unit: "ms", kind: "cost" },
  { key: "max", label: "latency max", unit: "ms", kind: "cost" },
  { key: "serverCpuPct", label: "server CPU", unit: "% of a core", kind: "info" },
  { key: "genCpuPct", label: "load generator CPU", unit: "% of a core", kind: "info" },
  { key: "lost", label: "deliveries lost", unit: "", kind: "count" },
  { key: "errors", label: "errors", unit: "", kind: "count" },
];

const ROOM = "room:g0";
const DRAIN_MS = 15_000;
let windows = 0;

/** One window: `rate` messages a second into the room; every member but the sender must get each one (the sender has its ack). */
async function fanoutWindow(fleet: Fleet, params: FanoutParams, seconds: number): Promise<Metrics> {
  const w = ++windows;
  const { clients } = fleet;
  const count = Math.max(1, Math.round(params.rate * seconds));
  const expected = count * (clients.length - 1);
  const samples = new Samples(expected);
  let received = 0;
  let acked = 0;
  let refused = 0;
  for (const c of clients) {
    c.onMessage = (m) => {
      if (m.body.w !== w) return;
      received++;
      samples.push(nowUs() - m.body.t);
    };
  }
  const meter = await startMeter(fleet.servers);
  await openLoop(params.rate, count, (k) => {
    clients[k % params.senders]!.sendRoom(ROOM, { text: TEXT, t: nowUs(), k, w }, (err) => {
      acked++;
      if (err) refused++;
    });
  });
  await until(() => received >= expected && acked >= count, DRAIN_MS);
  const usage = await meter.stop();
  return {
    ...samples.percentilesMs(),
    cpuUsPerDelivery: usage.serverCpuUs / expected,
    serverCpuPct: usage.serverCpuPct,
    genCpuPct: usage.genCpuPct,
    lost: expected - received,
    errors: refused + (count - acked),
  };
}

/** Workload 2: one room of `members` members, every message delivered to all of them. */
export function fanoutBench(params: FanoutParams, launch: Launch): Bench<Fleet> {
  return {
    async setup(side) {
      const fleet = await launchFleet(side, params.members, launch, { rooms: roomsOf(params.members, params.members) });
      try {
        await subscribeAll(fleet.clients, () => [ROOM]);
      } catch (err) {
        await landFleet(fleet);
        throw err;
      }
      return fleet;
    },
    warmup: async (fleet) => void (await fanoutWindow(fleet, params, params.warmupS)),
    measure: (fleet) => fanoutWindow(fleet, params, params.windowS),
    teardown: landFleet,
    servers: (fleet) => fleet.servers,
  };
}
