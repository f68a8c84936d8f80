import type { ServerProcess } from "./servers/process.js";
import type { Impl } from "./servers/types.js";
import { median, round } from "./gen/stats.js";

/**
 * Who is measured: Roomkit, the plain Socket.IO baseline, the raw `ws` floor, and a second,
 * independent Roomkit server for the A/A run that shows the method's own noise.
 */
export type Side = "roomkit" | "baseline" | "ws" | "roomkit-aa";

export const implOf = (side: Side): Impl => (side === "roomkit-aa" ? "roomkit" : side);

/** One measured window (or, for memory, one fresh server). */
export type Metrics = Record<string, number>;

export interface Trial {
  side: Side;
  /** The A/B pair it belongs to, from 0; -1 for the A/A pair. */
  pair: number;
  metrics: Metrics;
}

export interface Plan {
  /** A/B pairs, each Roomkit and baseline back to back, the order alternating. */
  pairs: number;
  /** One A/A pair: Roomkit against a second Roomkit server. */
  aa: boolean;
  /** The ws floor, once per pair, where the workload has one. */
  floor: boolean;
  /**
   * How far from 1.00× the A/A pair may drift on a watched figure before more pairs are run:
   * `extraPairs` more A/B pairs and a second A/A pair, once (0.05 = 5%).
   */
  aaLimit?: number;
  /** A/B pairs added when the A/A pair drifts past `aaLimit` (0: never). */
  extraPairs?: number;
  /** The figures whose A/A drift is watched (the suite sets them: a workload's costs other than latencies). */
  watch?: readonly string[];
}

/** The sides a workload sets up under a plan. */
export function sidesOf(plan: Plan, hasFloor: boolean): Side[] {
  return ["roomkit", "baseline", ...(plan.floor && hasFloor ? (["ws"] as const) : []), ...(plan.aa ? (["roomkit-aa"] as const) : [])];
}

type Slot = { side: Side; pair: number };

/**
 * The order of the windows: Roomkit and baseline alternating who goes first, the floor after each
 * pair, the A/A pair last. `round` 1 is the extra pairs run when the A/A pair drifted: they go on
 * from the pairs before, without the floor, and end with a second A/A pair (pair -2).
 */
export function schedule(plan: Plan, sides: readonly Side[], round: 0 | 1 = 0): Slot[] {
  const order: Slot[] = [];
  const first = round === 0 ? 0 : plan.pairs;
  const end = round === 0 ? plan.pairs : plan.pairs + (plan.extraPairs ?? 0);
  for (let pair = first; pair < end; pair++) {
    const ab: Side[] = pair % 2 === 0 ? ["roomkit", "baseline"] : ["baseline", "roomkit"];
    for (const side of ab) order.push({ side, pair });
    if (round === 0 && sides.includes("ws")) order.push({ side: "ws", pair });
  }
  const aa = -1 - round;
  if (sides.includes("roomkit-aa")) order.push({ side: "roomkit", pair: aa }, { side: "roomkit-aa", pair: aa });
  return order;
}

/** The watched figures whose A/A pairs drift from 1.00× by more than the plan allows: why more pairs run. */
export function aaDrift(plan: Plan, trials: readonly Trial[]): { key: string; aa: number }[] {
  const limit = plan.aaLimit;
  if (limit === undefined || !plan.watch) return [];
  return plan.watch.flatMap((key) => {
    const aa = aaRatios(trials, key);
    const worst = aa.reduce((w, r) => (Math.abs(r - 1) > Math.abs(w - 1) ? r : w), 1);
    return Math.abs(worst - 1) > limit ? [{ key, aa: round(worst, 3) }] : [];
  });
}

/** Second Roomkit ÷ first Roomkit of every A/A pair, for one figure. */
function aaRatios(trials: readonly Trial[], key: string): number[] {
  const pairs = [...new Set(trials.filter((t) => t.pair < 0).map((t) => t.pair))].sort((a, b) => b - a);
  return pairs.flatMap((p) => {
    const a1 = trials.find((t) => t.side === "roomkit" && t.pair === p)?.metrics[key];
    const a2 = trials.find((t) => t.side === "roomkit-aa" && t.pair === p)?.metrics[key];
    return a1 !== undefined && a2 !== undefined && a1 > 0 ? [round(a2 / a1, 3)] : [];
  });
}

/** How a metric is shown and judged. */
export interface MetricDef {
  key: string;
  label: string;
  unit: string;
  /** `cost`: lower is better, and a Roomkit/baseline ratio is reported; `count`: must be 0; `info`: shown only. */
  kind: "cost" | "count" | "info";
}

export interface MetricSummary {
  /** Median over the A/B pairs per side (the floor over its windows). */
  median: Partial<Record<Side, number>>;
  /** Roomkit / baseline, per pair, and their median, min and max. */
  ratios?: number[];
  ratio?: number;
  ratioMin?: number;
  ratioMax?: number;
  /** The A/A pairs' second Roomkit / first Roomkit (their median when more pairs ran): how far from 1.00 the method drifts on its own. */
  aa?: number;
  /** Each A/A pair's ratio, when more than one ran. */
  aaRatios?: number[];
  /** The ratio is no farther from 1.00 than the A/A pairs drift: it is within the method's noise. */
  withinNoise?: boolean;
  /** For counts: the sum over every window. */
  total?: number;
}

/** Medians, per-pair ratios and the A/A ratio of every metric. */
export function summarize(defs: readonly MetricDef[], trials: readonly Trial[]): Record<string, MetricSummary> {
  const out: Record<string, MetricSummary> = {};
  const of = (side: Side, pair?: number) => trials.filter((t) => t.side === side && (pair === undefined ? t.pair >= 0 : t.pair === pair));
  for (const def of defs) {
    const medianOf = (side: Side) => round(median(of(side).map((t) => t.metrics[def.key]!)));
    const s: MetricSummary = { median: {} };
    for (const side of ["roomkit", "baseline", "ws"] as const) if (of(side).length > 0) s.median[side] = medianOf(side);
    if (def.kind === "count") {
      s.total = trials.reduce((sum, t) => sum + (t.metrics[def.key] ?? 0), 0);
    } else if (def.kind === "cost") {
      const pairs = [...new Set(of("roomkit").map((t) => t.pair))];
      const ratios = pairs.flatMap((p) => {
        const a = of("roomkit", p)[0]?.metrics[def.key];
        const b = of("baseline", p)[0]?.metrics[def.key];
        return a !== undefined && b !== undefined && b > 0 ? [round(a / b, 3)] : [];
      });
      if (ratios.length > 0) {
        Object.assign(s, { ratios, ratio: round(median(ratios), 3), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios) });
      }
      const aa = aaRatios(trials, def.key);
      if (aa.length > 0) s.aa = round(median(aa), 3);
      if (aa.length > 1) s.aaRatios = aa;
      if (s.ratio !== undefined && aa.length > 0) {
        const drift = Math.max(...aa.map((r) => Math.abs(r - 1)));
        s.withinNoise = Math.abs(s.ratio - 1) <= drift;
      }
    }
    out[def.key] = s;
  }
  return out;
}

/** One workload's part of the results file. */
export interface WorkloadResult {
  id: string;
  title: string;
  params: Record<string, number | string>;
  status: "ok" | "skipped" | "failed";
  reason?: string;
  metrics: MetricDef[];
  trials: Trial[];
  summary: Record<string, MetricSummary>;
  seconds: number;
  /** When it was measured, if not in the run of the file it is in (see `npm run merge`). */
  measuredAt?: string;
}

/** A workload measured window by window on connections it keeps open across windows. */
export interface Bench<S> {
  setup(side: Side): Promise<S>;
  /** Runs once per side before any measured window; its numbers are thrown away. */
  warmup(state: S, side: Side): Promise<void>;
  measure(state: S, side: Side): Promise<Metrics>;
  teardown(state: S): Promise<void>;
  /** The server processes of a side, to profile. */
  servers(state: S): readonly ServerProcess[];
}

/** Where to write CPU profiles of the measured windows, if anywhere: `<dir>/<name>-<side>-<node>.cpuprofile`. */
export interface Profiling {
  dir: string;
  name: string;
}

/** Sets every side up, warms each, runs the windows in {@link schedule} order, and tears down. */
export async function runInterleaved<S>(
  plan: Plan,
  sides: readonly Side[],
  bench: Bench<S>,
  log: (line: string) => void,
  profiling?: Profiling,
): Promise<Trial[]> {
  const states = new Map<Side, S>();
  try {
    // Setups run side by side (nothing is measured yet); a failed one still lets the others be torn down.
    const setups = await Promise.allSettled(
      sides.map(async (side) => {
        states.set(side, await bench.setup(side));
        log(`  ${side}: ready`);
      }),
    );
    const failed = setups.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    for (const side of sides) await bench.warmup(states.get(side)!, side);
    // Profiles cover the measured windows only: no setup, no warm-up.
    if (profiling) for (const state of states.values()) for (const s of bench.servers(state)) await s.startProfile();
    const trials = await runFresh(plan, sides, (side) => bench.measure(states.get(side)!, side), log);
    if (profiling) {
      for (const [side, state] of states) {
        for (const [n, s] of bench.servers(state).entries())
          await s.stopProfile(`${profiling.dir}/${profiling.name}-${side}-${n}.cpuprofile`);
      }
      log(`  CPU profiles of the measured windows in ${profiling.dir}`);
    }
    return trials;
  } finally {
    for (const state of states.values()) await bench.teardown(state).catch(() => undefined);
  }
}

/**
 * Runs `measure` in {@link schedule} order (a workload that starts a fresh server each time calls
 * it directly), then the extra round when the A/A pair drifts past the plan's limit.
 */
export async function runFresh(
  plan: Plan,
  sides: readonly Side[],
  measure: (side: Side) => Promise<Metrics>,
  log: (line: string) => void,
): Promise<Trial[]> {
  const trials: Trial[] = [];
  const run = async (slots: Slot[]) => {
    for (const { side, pair } of slots) {
      const metrics = await measure(side);
      trials.push({ side, pair, metrics });
      log(`  ${pair < 0 ? `A/A${pair < -1 ? ` ${-pair}` : ""}` : `pair ${pair + 1}`} ${side}: ${brief(metrics)}`);
    }
  };
  await run(schedule(plan, sides));
  const drift = aaDrift(plan, trials);
  if (drift.length > 0 && (plan.extraPairs ?? 0) > 0) {
    log(
      `  A/A drifted past ${plan.aaLimit! * 100}% (${drift.map((d) => `${d.key} ${d.aa}×`).join(", ")}): ${plan.extraPairs} more pairs and a second A/A pair`,
    );
    await run(schedule(plan, sides, 1));
  }
  return trials;
}

function brief(metrics: Metrics): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${round(v, 3)}`)
    .join(" ");
}
