// `npm run merge -w @roomkit/bench -- <results file>...`: puts the workloads of runs made with
// `--only` into bench/results/full.json (replacing those of the same id), each marked with when it
// was measured, then writes the page again. For a workload added or re-measured after the full run.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Results } from "./suite.js";
import { writeReport } from "./report.js";

const fullPath = fileURLToPath(new URL("../results/full.json", import.meta.url));
const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Results;
const full = read(fullPath);
const files = process.argv.slice(2);
if (files.length === 0) throw new Error("usage: npm run merge -w @roomkit/bench -- <results file>...");
for (const file of files) {
  const run = read(resolve(process.env.INIT_CWD ?? process.cwd(), file));
  if (run.mode !== "full") throw new Error(`${file} is a ${run.mode} run: only full runs go into full.json`);
  for (const workload of run.workloads) {
    const merged = { ...workload, measuredAt: run.startedAt };
    const at = full.workloads.findIndex((w) => w.id === workload.id);
    if (at >= 0) full.workloads[at] = merged;
    else full.workloads.push(merged);
    console.log(`${workload.id}: from ${file} (${run.startedAt})`);
  }
}
writeFileSync(fullPath, `${JSON.stringify(full, null, 2)}\n`);
console.log(writeReport("full"));
