import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { DATABASE_URL, needPostgres } from "../../packages/postgres/test/support/postgres.js";
import { REDIS_URL, needRedis } from "../../packages/redis/test/support/services.js";
import { describeMachine } from "../src/machine.js";
import { runPostgresSuite } from "../src/postgres-suite.js";
import { VARIANTS } from "../src/workloads/dm-postgres.js";

// Keeps the PostgreSQL benchmark working (bench/src/postgres-suite.ts) at tiny scale: every DM
// delivered on all four servers, appends stored, history pages right, the run's schemas dropped.
// Only correctness is asserted, never a speed. Needs PostgreSQL and Redis (a loud skip without,
// a failure under CI=true).
const services = (await needPostgres()) && (await needRedis());

/** The schemas of run `run` still there. */
async function leftSchemas(run: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rkbench\\_%' AND nspname LIKE '%' || $1",
      [run],
    );
    return rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

describe.runIf(services)("bench smoke: PostgreSQL", () => {
  it("runs DMs on the four servers, appends and history pages, and drops its schemas", async () => {
    const run = randomUUID().slice(0, 8);
    const r = await runPostgresSuite({
      run,
      mode: "smoke",
      launch: { source: true },
      machine: describeMachine({}),
      databaseUrl: DATABASE_URL,
      redisUrl: REDIS_URL,
    });
    expect(new Set(r.dm.trials.map((t) => t.variant))).toEqual(new Set(VARIANTS));
    for (const t of r.dm.trials) {
      expect(t.metrics.errors, `${t.variant} errors`).toBe(0);
      expect(t.metrics.lost, `${t.variant} lost`).toBe(0);
    }
    expect(Object.keys(r.dm.ratios).sort()).toEqual(["postgres/baseline-pg", "postgres/memory", "postgres/redis"]);
    expect(r.appends.hot.appends).toBeGreaterThan(0);
    expect(r.appends.spread.appends).toBeGreaterThan(0);
    // historyPages checks each page itself (50 messages ending at the right seq) and throws otherwise.
    expect(Object.keys(r.history.pages).sort()).toEqual(["middle", "newest", "oldest"]);
    expect(r.history.sizes.messages).toBe(2000);
    expect(r.history.sizes.indexBytes).toBeGreaterThan(0);
    expect(await leftSchemas(run)).toEqual([]);
  }, 120_000);
});
