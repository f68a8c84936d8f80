import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Launch } from "./gen/fleet.js";
import type { Machine } from "./machine.js";
import type { DmPostgresResult, Variant } from "./workloads/dm-postgres.js";
import { VARIANTS, dmPostgres } from "./workloads/dm-postgres.js";
import type { AppendResult, HistoryResult } from "./workloads/pg-store.js";
import { appendRate, historyPages } from "./workloads/pg-store.js";

export type PostgresMode = "smoke" | "full";

/** Sizes per mode: smoke keeps CI honest in seconds; full gives the published figures (a few minutes). */
export const POSTGRES_SIZES = {
  smoke: { users: 10, rate: 50, windowS: 0.3, warmupS: 0.2, rounds: 1, appenders: 4, appendS: 0.3, channels: 20, messages: 2000, reps: 3 },
  full: {
    users: 1000,
    rate: 1000,
    windowS: 5,
    warmupS: 2,
    rounds: 7,
    appenders: 64,
    appendS: 5,
    channels: 1000,
    messages: 1_000_000,
    reps: 50,
  },
} as const;

/** What `npm run postgres -w @roomkit/bench` writes to bench/results/postgres.json. */
export interface PostgresResults {
  schema: 1;
  mode: PostgresMode;
  /** The id in every schema (`rkbench_<what>_<run>`) and Redis prefix the run used (all dropped after). */
  run: string;
  startedAt: string;
  seconds: number;
  machine: Machine;
  postgres: { version: string; pgStatStatements: boolean };
  sizes: Record<string, number>;
  dm: DmPostgresResult;
  appends: { appenders: number; seconds: number; hot: AppendResult; spread: AppendResult };
  history: HistoryResult;
}

export interface PostgresSuiteOptions {
  mode: PostgresMode;
  launch: Launch;
  machine: Machine;
  databaseUrl: string;
  redisUrl: string;
  variants?: readonly Variant[];
  /** Default: a fresh random id. */
  run?: string;
  log?: (line: string) => void;
}

/** The three PostgreSQL measurements one after another: DMs on four servers, appends through the store, history pages. */
export async function runPostgresSuite(o: PostgresSuiteOptions): Promise<PostgresResults> {
  const log = o.log ?? (() => {});
  const z = POSTGRES_SIZES[o.mode];
  const started = Date.now();
  const run = o.run ?? randomUUID().slice(0, 8);
  const admin = new pg.Pool({ connectionString: o.databaseUrl, max: 2, application_name: "rkbench-admin" });
  admin.on("error", () => undefined);
  try {
    const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    const statements = await admin.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'");
    log(`Direct messages, ${z.users} users at ${z.rate} msg/s: Roomkit on memory, Redis and PostgreSQL; the baseline on PostgreSQL`);
    const dm = await dmPostgres(
      {
        users: z.users,
        rate: z.rate,
        windowS: z.windowS,
        warmupS: z.warmupS,
        rounds: z.rounds,
        databaseUrl: o.databaseUrl,
        redisUrl: o.redisUrl,
        run,
      },
      o.launch,
      admin,
      log,
      o.variants ?? VARIANTS,
    );
    const ap = { databaseUrl: o.databaseUrl, run, appenders: z.appenders, seconds: z.appendS };
    log(`Appends through the store, ${z.appenders} appenders, one channel`);
    const hot = await appendRate(ap, 1, admin);
    log(`  ${hot.perSecond} appends/s, p50 ${hot.p50Ms} ms, p99 ${hot.p99Ms} ms`);
    log(`Appends through the store, ${z.appenders} appenders, ${z.channels} channels`);
    const spread = await appendRate(ap, z.channels, admin);
    log(`  ${spread.perSecond} appends/s, p50 ${spread.p50Ms} ms, p99 ${spread.p99Ms} ms`);
    log(`History pages of 50 on a channel of ${z.messages} messages`);
    const history = await historyPages({ databaseUrl: o.databaseUrl, run, messages: z.messages, reps: z.reps }, o.launch, admin);
    log(`  filled in ${history.fillSeconds} s; ${history.sizes.bytesPerMessage} B per message; pages ${JSON.stringify(history.pages)}`);
    return {
      schema: 1,
      mode: o.mode,
      run,
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      machine: o.machine,
      postgres: { version, pgStatStatements: (statements.rowCount ?? 0) > 0 },
      sizes: { ...z },
      dm,
      appends: { appenders: z.appenders, seconds: z.appendS, hot, spread },
      history,
    };
  } finally {
    await admin.end();
  }
}
