// `npm run capacity -w @roomkit/bench [-- --quick] [--no-pin] [--out FILE] [--no-report]`: the capacity figures of issue 15, written to bench/results/capacity.json, then docs/scaling.md §12.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runCapacity } from "./capacity.js";
import { writeCapacityReport } from "./capacity-report.js";
import { choosePlacement, describeMachine, pin } from "./machine.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-pin": { type: "boolean", default: false },
    out: { type: "string" },
    "no-report": { type: "boolean", default: false },
  },
});

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
  log,
});
const out = values.out
  ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out)
  : fileURLToPath(new URL(`../results/${mode === "default" ? "capacity" : "capacity.quick"}.json`, import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${out} in ${results.seconds.toFixed(0)} s`);
if (!values["no-report"] && !values.out && mode === "default") log(writeCapacityReport(out));
