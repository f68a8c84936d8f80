import type pg from "pg";
import { createClient } from "redis";
import { launchFleet, landFleet } from "../gen/fleet.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import { startPgMeter } from "../gen/pg-meter.js";
import { median, round } from "../gen/stats.js";
import type { MetricDef, Metrics, Side } from "../method.js";
import { pgAppName } from "../servers/baseline-postgres.js";
import type { ServerOptions } from "../servers/types.js";
import { DM_METRICS, dmWindow } from "./direct.js";
import type { DirectParams } from "./direct.js";
import { adapterKindFor } from "./cluster.js";

/** The four servers side by side: Roomkit on each store, and the hand-written baseline on PostgreSQL. */
export type Variant = "memory" | "redis" | "postgres" | "baseline-pg";
export const VARIANTS: readonly Variant[] = ["memory", "redis", "postgres", "baseline-pg"];

export interface DmPostgresParams extends DirectParams {
  databaseUrl: string;
  redisUrl: string;
  /** The run's id: its schemas are `rkbench_<what>_<run>`, its Redis keys under `rkbench:<run>`. */
  run: string;
  /** Measured windows per variant, the order rotating each round. */
  rounds: number;
}

export const DM_POSTGRES_METRICS: MetricDef[] = [
  { key: "totalCpuUsPerMsg", label: "server + PostgreSQL CPU per message", unit: "µs", kind: "cost" },
  ...DM_METRICS,
  { key: "pgCpuUsPerMsg", label: "PostgreSQL CPU per message (the run's backends)", unit: "µs", kind: "cost" },
  {
    key: "pgSharedCpuUsPerMsg",
    label: "PostgreSQL WAL writer, checkpointer, bgwriter per message (server-wide)",
    unit: "µs",
    kind: "info",
  },
];

/** One variant's median per metric, and the ratios per round (postgres ÷ the others) and their median. */
export interface DmPostgresResult {
  params: Record<string, number | string>;
  metrics: MetricDef[];
  trials: { variant: Variant; round: number; metrics: Metrics }[];
  median: Record<Variant, Metrics>;
  /** `postgres ÷ memory`, `postgres ÷ redis`, `postgres ÷ baseline-pg`: per metric, the median of the per-round ratios. */
  ratios: Record<string, Record<string, number>>;
}

interface Running {
  fleet: Fleet;
  /** The schema of a PostgreSQL variant, dropped at the end. */
  schema?: string;
}

const sideOf = (v: Variant): Side => (v === "baseline-pg" ? "baseline" : "roomkit");

/** The server options of a variant; each PostgreSQL variant gets a schema of its own. */
async function serverOf(v: Variant, p: DmPostgresParams, tag: string): Promise<{ server: ServerOptions; schema?: string }> {
  if (v === "memory") return { server: {} };
  if (v === "redis") {
    const redis = createClient({ url: p.redisUrl });
    await redis.connect();
    try {
      return { server: { redis: { url: p.redisUrl, prefix: `rkbench:${tag}`, adapter: await adapterKindFor(redis) } } };
    } finally {
      await redis.close();
    }
  }
  const schema = `rkbench_${v === "postgres" ? "rk" : "base"}_${tag}`;
  return { server: { postgres: { url: p.databaseUrl, schema } }, schema };
}

async function window(running: Running, p: DmPostgresParams, seconds: number, admin: pg.Pool): Promise<Metrics> {
  const meter = running.schema ? await startPgMeter(admin, pgAppName(running.schema)) : undefined;
  const m = await dmWindow(running.fleet, p.rate, seconds);
  const used = await meter?.stop();
  const count = Math.max(1, Math.round(p.rate * seconds));
  const pgCpu = used ? used.backendUs / count : 0;
  return {
    ...m,
    totalCpuUsPerMsg: m.cpuUsPerMsg! + pgCpu,
    pgCpuUsPerMsg: pgCpu,
    pgSharedCpuUsPerMsg: used ? used.sharedUs / count : 0,
  };
}

/**
 * DMs at a fixed rate on four servers set up side by side (Roomkit on memory, Redis and
 * PostgreSQL; the baseline on PostgreSQL), each warmed, then `rounds` windows each, the order
 * rotating every round so no variant always follows the same one.
 */
export async function dmPostgres(
  p: DmPostgresParams,
  launch: Launch,
  admin: pg.Pool,
  log: (line: string) => void,
  variants: readonly Variant[] = VARIANTS,
): Promise<DmPostgresResult> {
  const tag = p.run;
  const running = new Map<Variant, Running>();
  const trials: DmPostgresResult["trials"] = [];
  try {
    for (const v of variants) {
      const { server, schema } = await serverOf(v, p, tag);
      // Registered before launching, so a schema made by a server that then failed is still dropped.
      const slot: Running = { fleet: { side: sideOf(v), servers: [], clients: [] }, ...(schema ? { schema } : {}) };
      running.set(v, slot);
      slot.fleet = await launchFleet(sideOf(v), p.users, launch, { server });
      log(`  ${v}: ready`);
    }
    for (const v of variants) await window(running.get(v)!, p, p.warmupS, admin);
    for (let r = 0; r < p.rounds; r++) {
      for (let i = 0; i < variants.length; i++) {
        const v = variants[(i + r) % variants.length]!;
        const metrics = await window(running.get(v)!, p, p.windowS, admin);
        trials.push({ variant: v, round: r, metrics });
        log(`  round ${r + 1} ${v}: ${DM_POSTGRES_METRICS.map((d) => `${d.key}=${round(metrics[d.key] ?? Number.NaN, 3)}`).join(" ")}`);
      }
    }
  } finally {
    for (const { fleet, schema } of running.values()) {
      await landFleet(fleet).catch(() => undefined);
      if (schema) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    }
    await dropRedisPrefix(p.redisUrl, `rkbench:${tag}`).catch(() => undefined);
  }
  return summarizeDm(p, variants, trials);
}

function summarizeDm(p: DmPostgresParams, variants: readonly Variant[], trials: DmPostgresResult["trials"]): DmPostgresResult {
  const of = (v: Variant, key: string, r?: number) =>
    trials.filter((t) => t.variant === v && (r === undefined || t.round === r)).map((t) => t.metrics[key]!);
  const medians = {} as Record<Variant, Metrics>;
  for (const v of variants) medians[v] = Object.fromEntries(DM_POSTGRES_METRICS.map((d) => [d.key, round(median(of(v, d.key)))]));
  const ratios: Record<string, Record<string, number>> = {};
  for (const other of variants.filter((v) => v !== "postgres")) {
    const name = `postgres/${other}`;
    ratios[name] = {};
    for (const d of DM_POSTGRES_METRICS.filter((m) => m.kind === "cost")) {
      const perRound = Array.from({ length: p.rounds }, (_, r) => (of("postgres", d.key, r)[0] ?? NaN) / (of(other, d.key, r)[0] ?? NaN));
      const ratio = round(median(perRound.filter((x) => Number.isFinite(x) && x > 0)), 3);
      if (Number.isFinite(ratio)) ratios[name]![d.key] = ratio;
    }
  }
  const { databaseUrl: _d, redisUrl: _r, run: _run, ...shown } = p;
  return { params: shown, metrics: DM_POSTGRES_METRICS, trials, median: medians, ratios };
}

/** Deletes the keys a Roomkit-on-Redis variant left under `prefix`. */
async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = createClient({ url });
  redis.on("error", () => undefined);
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) if (keys.length > 0) await redis.del(keys);
  } finally {
    await redis.close();
  }
}
