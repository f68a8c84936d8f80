// `npm run curves -w @roomkit/bench [-- --sizes 100,1000,5000,20000] [--reps 20]`: the size curves of issue 16, written to bench/results/curves.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { measureCurves } from "./curves.js";
import { describeMachine } from "./machine.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,5000,20000" },
    reps: { type: "string", default: "20" },
  },
});

const sizes = values.sizes.split(",").map((s) => Number(s.trim()));
if (!sizes.every((n) => Number.isInteger(n) && n > 0)) throw new TypeError("--sizes must be positive integers, comma-separated");
const reps = Number(values.reps);
if (!(Number.isInteger(reps) && reps > 0)) throw new TypeError("--reps must be a positive integer");

const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
log(`size curves, sizes ${sizes.join(", ")}, ${reps} timed requests per point`);
const points = await measureCurves({ sizes, reps }, log);
const out = fileURLToPath(new URL("../results/curves.json", import.meta.url));
mkdirSync(fileURLToPath(new URL("../results/", import.meta.url)), { recursive: true });
const results = { schema: 1, startedAt: new Date(t0).toISOString(), machine: describeMachine({}), reps, points };
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${out}`);
