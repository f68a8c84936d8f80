// `npm run capacity -w @roomkit/bench [-- --quick] [--no-pin] [--out FILE] [--no-report]`: the capacity figures of issue 15, written to bench/results/capacity.json, then docs/scaling.md §12.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CAPACITY_PARTS, runCapacity } from "./capacity.js";
import type { CapacityPart, CapacityResults } from "./capacity.js";
import { writeCapacityReport } from "./capacity-report.js";
import { choosePlacement, describeMachine, pin } from "./machine.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-pin": { type: "boolean", default: false },
    out: { type: "string" },
    "no-report": { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const only = values.only?.split(",").map((s) => s.trim()) as CapacityPart[] | undefined;
if (only?.some((p) => !CAPACITY_PARTS.includes(p))) throw new TypeError(`--only takes ${CAPACITY_PARTS.join(", ")}, comma-separated`);

const mode = values.quick ? "quick" : "default";
const placement = choosePlacement(!values["no-pin"]);
pin(process.pid, placement.generator);
const fdLimit = execFileSync("sh", ["-c", "echo $(ulimit -Sn) soft, $(ulimit -Hn) hard"], { encoding: "utf8" }).trim();

const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
log(`capacity, ${mode} run; file descriptors per process: ${fdLimit}`);

const results = await runCapacity({
  mode,
  launch: placement.servers === undefined ? {} : { cpus: placement.servers },
  machine: describeMachine(placement),
  fdLimit,
  ...(only ? { only } : {}),
  log,
});
const out = values.out
  ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out)
  : fileURLToPath(new URL(`../results/${mode === "default" ? "capacity" : "capacity.quick"}.json`, import.meta.url));
mkdirSync(dirname(out), { recursive: true });
// Some parts merge into the file's other parts, which keep their own dates.
let merged = results;
if (only && existsSync(out)) {
  merged = JSON.parse(readFileSync(out, "utf8")) as CapacityResults;
  for (const part of only) {
    if (part === "nodes") merged.nodes = results.nodes;
    else merged.oneNode[part] = results.oneNode[part];
    merged.measuredAt[part] = results.startedAt;
  }
  Object.assign(merged, { params: results.params, machine: results.machine, fdLimit: results.fdLimit, mode: results.mode });
}
writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
log(`wrote ${out}${only ? ` (${only.join(", ")})` : ""} in ${results.seconds.toFixed(0)} s`);
if (!values["no-report"] && !values.out && mode === "default") log(writeCapacityReport(out));
