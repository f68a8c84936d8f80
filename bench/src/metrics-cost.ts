// `npm run metrics-cost -w @roomkit/bench [-- --pairs 5] [--smoke] [--no-pin]`: what Roomkit's
// Prometheus metrics cost, metrics on against metrics off on the same workloads (DMs and a fan-out),
// in interleaved pairs; writes bench/results/metrics-cost.json and prints the medians.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median, round } from "./gen/stats.js";
import type { Fleet, Launch } from "./gen/fleet.js";
import { choosePlacement, describeMachine, pin } from "./machine.js";
import type { Bench, MetricDef, Metrics } from "./method.js";
import { DM_METRICS, directBench } from "./workloads/direct.js";
import { FANOUT_METRICS, fanoutBench } from "./workloads/fanout.js";

/** Metrics off and on: the two sides of every pair. */
type Setting = "off" | "on";

interface Workload {
  id: string;
  title: string;
  metrics: MetricDef[];
  bench: (launch: Launch) => Bench<Fleet>;
}

const SIZES = {
  smoke: { users: 20, dmRate: 100, members: 20, fanRate: 50, windowS: 0.5, warmupS: 0.2 },
  quick: { users: 1000, dmRate: 1000, members: 500, fanRate: 50, windowS: 2, warmupS: 1 },
};

function workloads(z: (typeof SIZES)[keyof typeof SIZES]): Workload[] {
  const dm = { users: z.users, rate: z.dmRate, windowS: z.windowS, warmupS: z.warmupS };
  const fan = { members: z.members, rate: z.fanRate, senders: 10, windowS: z.windowS, warmupS: z.warmupS };
  return [
    { id: "dm", title: `Direct messages, ${dm.users} users at ${dm.rate} msg/s`, metrics: DM_METRICS, bench: (l) => directBench(dm, l) },
    {
      id: "fanout",
      title: `Fan-out, one ${fan.members}-member room at ${fan.rate} msg/s`,
      metrics: FANOUT_METRICS,
      bench: (l) => fanoutBench(fan, l),
    },
  ];
}

/** Both settings set up and warmed, then `pairs` windows each, who goes first alternating. */
async function measure(workload: Workload, launch: Launch, pairs: number, log: (line: string) => void) {
  const settings: Setting[] = ["off", "on"];
  const benches = { off: workload.bench(launch), on: workload.bench({ ...launch, server: { metrics: true } }) };
  const fleets = new Map<Setting, Fleet>();
  const trials: { setting: Setting; pair: number; metrics: Metrics }[] = [];
  try {
    for (const s of settings) fleets.set(s, await benches[s].setup("roomkit"));
    for (const s of settings) await benches[s].warmup(fleets.get(s)!, "roomkit");
    for (let pair = 0; pair < pairs; pair++) {
      for (const s of pair % 2 === 0 ? settings : [...settings].reverse()) {
        const metrics = await benches[s].measure(fleets.get(s)!, "roomkit");
        trials.push({ setting: s, pair, metrics });
        log(
          `  pair ${pair + 1} metrics ${s}: ${workload.metrics.map((m) => `${m.key}=${round(metrics[m.key] ?? Number.NaN, 3)}`).join(" ")}`,
        );
      }
    }
  } finally {
    for (const [s, fleet] of fleets) await benches[s].teardown(fleet).catch(() => undefined);
  }
  const summary = Object.fromEntries(
    workload.metrics.map((def) => {
      const of = (s: Setting) => round(median(trials.filter((t) => t.setting === s).map((t) => t.metrics[def.key]!)));
      const [off, on] = [of("off"), of("on")];
      return [def.key, { off, on, ...(def.kind === "cost" && off > 0 ? { ratio: round(on / off, 3) } : {}) }];
    }),
  );
  return { id: workload.id, title: workload.title, trials, summary };
}

const { values } = parseArgs({
  options: { pairs: { type: "string" }, smoke: { type: "boolean", default: false }, "no-pin": { type: "boolean", default: false } },
});
const mode = values.smoke ? "smoke" : "quick";
const pairs = Number(values.pairs ?? (values.smoke ? 1 : 5));
const placement = choosePlacement(!values["no-pin"]);
pin(process.pid, placement.generator);
const launch: Launch = placement.servers === undefined ? {} : { cpus: placement.servers };
const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

const results = [];
for (const workload of workloads(SIZES[mode])) {
  log(workload.title);
  const result = await measure(workload, launch, pairs, log);
  for (const [key, s] of Object.entries(result.summary))
    log(`  median ${key}: off ${s.off}, on ${s.on}${"ratio" in s ? ` (x${s.ratio})` : ""}`);
  results.push(result);
}
const out = fileURLToPath(new URL(`../results/metrics-cost${mode === "smoke" ? ".smoke" : ""}.json`, import.meta.url));
mkdirSync(dirname(out), { recursive: true });
const file = { schema: 1, mode, pairs, startedAt: new Date(t0).toISOString(), machine: describeMachine(placement), workloads: results };
writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
log(`wrote ${out}`);
