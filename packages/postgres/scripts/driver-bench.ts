/**
 * pg vs postgres (porsager) on our workload: appends per second through `append_messages`, one
 * message per call (no group commit, so the driver is what differs), on one hot channel and
 * across 1000 channels, 64 calls in flight. `DATABASE_URL=... npx tsx packages/postgres/scripts/driver-bench.ts`.
 * Numbers from a shared machine are a comparison, not a capacity.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import postgres from "postgres";
import { migrate } from "../src/migrate.js";

const URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const SECONDS = Number(process.env.SECONDS || 4);
const IN_FLIGHT = 64;
const schema = `rkbench_${randomUUID().slice(0, 8)}`;
const SQL = `SELECT * FROM "${schema}".append_messages($1, $2, $3, $4, $5, $6, $7)`;

type Append = (channel: string) => Promise<unknown>;

const args = (channel: string) => [[channel], [randomUUID()], ["bench"], [Date.now()], [null], ['[{"text":"hello"}]'], [null]];

async function measure(name: string, append: Append, channels: number): Promise<void> {
  let count = 0;
  const until = Date.now() + SECONDS * 1000;
  const lane = async (l: number) => {
    for (let i = l; Date.now() < until; i += IN_FLIGHT) {
      await append(`room:bench-${channels === 1 ? 0 : i % channels}-${name}`);
      count++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, l) => lane(l)));
  console.log(`${name.padEnd(9)} ${String(channels).padStart(4)} channel(s): ${Math.round(count / SECONDS)} appends/s`);
}

const pool = new pg.Pool({ connectionString: URL, max: 10 });
await migrate(pool, { schema });
const sql = postgres(URL, { max: 10, onnotice: () => undefined });
try {
  const pgAppend: Append = (channel) => pool.query({ name: "bench", text: SQL, values: args(channel) });
  const postgresAppend: Append = (channel) => sql.unsafe(SQL, args(channel) as never[], { prepare: true });
  for (const channels of [1, 1000]) {
    await measure("pg", pgAppend, channels);
    await measure("postgres", postgresAppend, channels);
  }
} finally {
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  await pool.end();
  await sql.end();
}
