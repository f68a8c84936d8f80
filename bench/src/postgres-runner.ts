// `npm run postgres -w @roomkit/bench [-- --smoke] [--no-pin]`: Roomkit on PostgreSQL (DMs next to the
// memory and Redis stores and the baseline on PostgreSQL, appends per second, history pages on a
// million messages); writes bench/results/postgres.json and docs/benchmarks.md. DATABASE_URL and REDIS_URL as in the tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { choosePlacement, describeMachine, pin } from "./machine.js";
import { runPostgresSuite } from "./postgres-suite.js";
import { writeReport } from "./report.js";

const { values } = parseArgs({ options: { smoke: { type: "boolean", default: false }, "no-pin": { type: "boolean", default: false } } });
const mode = values.smoke ? "smoke" : "full";
const placement = choosePlacement(!values["no-pin"]);
pin(process.pid, placement.generator);
const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

const results = await runPostgresSuite({
  mode,
  launch: placement.servers === undefined ? {} : { cpus: placement.servers },
  machine: describeMachine(placement),
  databaseUrl: process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  log,
});
const out = fileURLToPath(new URL(`../results/postgres${mode === "smoke" ? ".smoke" : ""}.json`, import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${out}`);
// The page includes this run's section (bench/src/postgres-report.ts); a smoke run stays out of it.
if (mode === "full") log(writeReport());
