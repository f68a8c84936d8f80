// `npm run bench [-- --full] [--only dm,fanout] [--pairs 5] [--no-pin] [--profile]`: runs the suite, writes bench/results/<mode>.json and the docs.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { choosePlacement, describeMachine, pin } from "./machine.js";
import { writeReport } from "./report.js";
import { runSuite } from "./suite.js";

const { values } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    only: { type: "string" },
    pairs: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    out: { type: "string" },
    "no-report": { type: "boolean", default: false },
  },
});

const bench = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const mode = values.full ? "full" : "quick";
const only = values.only
  ?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const placement = choosePlacement(!values["no-pin"]);
pin(process.pid, placement.generator);
const profileDir = values.profile ? bench("profiles") : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
log(
  `${mode} run; ${placement.servers === undefined ? "not pinned" : `servers on core ${placement.servers}, generator on core ${placement.generator}`}`,
);

const results = await runSuite({
  mode,
  launch: placement.servers === undefined ? {} : { cpus: placement.servers },
  ...(profileDir ? { profileDir } : {}),
  machine: describeMachine(placement),
  ...(values.pairs ? { plan: { pairs: Number(values.pairs) } } : {}),
  ...(only ? { only } : {}),
  log,
});

// `--out` is relative to where `npm run bench` was called, not to the bench workspace npm runs in.
const out = values.out
  ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out)
  : bench(`results/${only ? `${mode}.${only.join("+")}` : mode}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${out}`);
if (!values["no-report"] && !only && !values.out) log(writeReport(mode));
if (profileDir) log(`CPU profiles in ${profileDir}; summarise with: npm run profile -w @roomkit/bench`);
const failed = results.workloads.filter((w) => w.status === "failed");
if (failed.length > 0) process.exitCode = 1;
