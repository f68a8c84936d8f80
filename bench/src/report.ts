// `npm run report -w @roomkit/bench`: regenerates docs/benchmarks.md and docs/images/benchmarks.svg from bench/results/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ratioChart } from "./chart.js";
import type { Bar } from "./chart.js";
import type { MetricDef, MetricSummary, WorkloadResult } from "./method.js";
import type { Results } from "./suite.js";
import { curvesSection } from "./curves-report.js";
import { postgresSection } from "./postgres-report.js";

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The figures the summary and the chart show, and the issue's thresholds for profiling. */
const HEADLINES: Record<string, { key: string; short: string; threshold?: number }[]> = {
  dm: [
    { key: "cpuUsPerMsg", short: "DM: CPU per message", threshold: 1.25 },
    { key: "p99", short: "DM: latency p99" },
  ],
  "dm-changes": [
    { key: "cpuUsPerOp", short: "DM + edits, reactions: CPU per operation", threshold: 1.25 },
    { key: "p99", short: "DM + edits, reactions: latency p99" },
  ],
  "dm-5000": [
    { key: "cpuUsPerMsg", short: "DM 5k/s: CPU per message", threshold: 1.25 },
    { key: "p99", short: "DM 5k/s: latency p99" },
  ],
  fanout: [
    { key: "cpuUsPerDelivery", short: "Fan-out: CPU per delivery", threshold: 1.1 },
    { key: "p99", short: "Fan-out: latency p99" },
  ],
  memory: [
    { key: "rssPerConnKiB", short: "Memory: RSS per connection", threshold: 1.3 },
    { key: "heapPerConnKiB", short: "Memory: heap per connection", threshold: 1.3 },
  ],
  cluster: [
    { key: "totalCpuUsPerMsg", short: "2 nodes: CPU per message", threshold: 1.25 },
    { key: "p99", short: "2 nodes: latency p99" },
  ],
  reconnect: [
    { key: "allBackMs", short: "Storm: time until all back" },
    { key: "cpuUsPerClient", short: "Storm: CPU per client" },
  ],
};

const fmt = (v: number | undefined) => {
  if (v === undefined || !Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const abs = Math.abs(v);
  return abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : v.toPrecision(2);
};
const ratio = (s: MetricSummary) =>
  s.ratio === undefined
    ? "–"
    : `**${s.ratio.toFixed(2)}×** (${s.ratioMin!.toFixed(2)}–${s.ratioMax!.toFixed(2)})${s.withinNoise ? ", within noise" : ""}`;
const aaCell = (s: MetricSummary) =>
  s.aa === undefined ? "–" : s.aaRatios ? `${s.aa.toFixed(2)}× (${s.aaRatios.map((r) => r.toFixed(2)).join(", ")})` : `${s.aa.toFixed(2)}×`;

/** How many A/B pairs a workload ran, and why more than planned. */
function pairsNote(w: WorkloadResult): string {
  const pairs = new Set(w.trials.filter((t) => t.pair >= 0).map((t) => t.pair)).size;
  const aaPairs = new Set(w.trials.filter((t) => t.pair < 0).map((t) => t.pair)).size;
  const more = aaPairs > 1 ? ": the first A/A pair drifted by more than 5% on a cost, so more pairs and a second A/A pair ran" : "";
  return `${pairs} A/B pairs and ${aaPairs} A/A pair${aaPairs === 1 ? "" : "s"}${more}.`;
}
const unit = (d: MetricDef) => (d.unit ? ` (${d.unit})` : "");

/** The newest full run, else the quick one. */
/** The results of a `mode`'s run, or by default the full run's, else the quick run's. */
export function loadResults(mode?: "full" | "quick"): Results | undefined {
  for (const name of mode ? [mode] : ["full", "quick"]) {
    const path = root(`bench/results/${name}.json`);
    if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as Results;
  }
  return undefined;
}

function summaryTable(results: Results): string {
  const rows = [
    "| Workload | Figure | Roomkit | Plain Socket.IO | Roomkit ÷ baseline (range over pairs) | A/A | raw ws floor |",
    "|---|---|---:|---:|---:|---:|---:|",
  ];
  for (const w of results.workloads) {
    if (w.status !== "ok") {
      rows.push(`| ${w.title} | ${w.status}: ${w.reason ?? ""} | | | | | |`);
      continue;
    }
    for (const h of HEADLINES[w.id] ?? []) {
      const def = w.metrics.find((m) => m.key === h.key)!;
      const s = w.summary[h.key]!;
      const flag = h.threshold !== undefined && (s.ratio ?? 0) > h.threshold ? ` ⚠ over ${h.threshold}×` : "";
      rows.push(
        `| ${w.title} | ${def.label}${unit(def)} | ${fmt(s.median.roomkit)} | ${fmt(s.median.baseline)} | ${ratio(s)}${flag} | ${aaCell(s)} | ${fmt(s.median.ws)} |`,
      );
    }
  }
  return rows.join("\n");
}

/**
 * The column names of a workload's table. `dm-redis` compares Roomkit with itself: its "roomkit"
 * side runs on the Redis stores, its "baseline" side on the in-memory stores.
 */
const COLUMNS: Record<string, { a: string; b: string; ratio: string; note: string }> = {
  "dm-redis": {
    a: "Roomkit on Redis",
    b: "Roomkit on memory",
    ratio: "Redis ÷ memory",
    note: "Both sides are Roomkit on one node: one on `redisRoomkit` (the Redis stores and the Redis adapter), one on the in-memory stores. Redis's CPU and command counts come from `INFO` of the whole Redis before and after each window (exact on a Redis nobody else uses); the A/A pair is a second Roomkit on Redis. The issue's target is 1.2× or less per DM.\n\n",
  },
};
const SOCKET_IO = { a: "Roomkit", b: "Plain Socket.IO", ratio: "Roomkit ÷ baseline", note: "" };

function workloadSection(w: WorkloadResult): string {
  const params = Object.entries(w.params)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  if (w.status !== "ok") return `### ${w.title}\n\n${w.status}: ${w.reason}\n`;
  const c = COLUMNS[w.id] ?? SOCKET_IO;
  const rows = [`| Figure | ${c.a} | ${c.b} | ${c.ratio} | per-pair ratios | A/A | raw ws floor |`, "|---|---:|---:|---:|---|---:|---:|"];
  for (const def of w.metrics) {
    const s = w.summary[def.key]!;
    if (def.kind === "count") {
      rows.push(`| ${def.label} (total over all windows, must be 0) | ${s.total === 0 ? "0" : `**${s.total}**`} | | | | | |`);
      continue;
    }
    rows.push(
      `| ${def.label}${unit(def)} | ${fmt(s.median.roomkit)} | ${fmt(s.median.baseline)} | ${def.kind === "cost" ? ratio(s) : "–"} | ${s.ratios?.map((r) => r.toFixed(2)).join(" ") ?? ""} | ${aaCell(s)} | ${fmt(s.median.ws)} |`,
    );
  }
  const when = w.measuredAt ? ` Measured in a run of its own, started ${w.measuredAt}.` : "";
  return `### ${w.title}\n\n${c.note}Parameters: ${params}. ${w.trials.length} windows in ${w.seconds.toFixed(0)} s: ${pairsNote(w)}${when}\n\n${rows.join("\n")}\n`;
}

function bars(results: Results): Bar[] {
  return results.workloads
    .filter((w) => w.status === "ok")
    .flatMap((w) =>
      (HEADLINES[w.id] ?? []).flatMap((h) => {
        const s = w.summary[h.key];
        const def = w.metrics.find((m) => m.key === h.key);
        if (!s || s.ratio === undefined || !def) return [];
        return [
          {
            label: h.short,
            ratio: s.ratio,
            min: s.ratioMin!,
            max: s.ratioMax!,
            ...(s.aa === undefined ? {} : { aa: s.aa }),
            ...(h.threshold === undefined ? {} : { threshold: h.threshold }),
          },
        ];
      }),
    );
}

const METHOD = `- **Three implementations of one chat.** Roomkit (\`createRoomkit\`, in-memory stores, default limits and presence grace);
  the same features on plain Socket.IO written by hand after Socket.IO's private-messaging example (\`bench/src/servers/baseline.ts\`:
  auth middleware, a room per user, rooms for groups, an in-memory history with server-stamped sender and seq, acks, a \`sync\`
  request for recovery); and a raw \`ws\` relay of the same JSON messages as the floor (no history, no recovery).
- **Same transport and client.** Both Socket.IO servers are websocket-only; the load generator speaks each wire protocol with raw
  \`socket.io-client\` (the same client cost on both sides) and with \`ws\` for the floor.
- **Same checks.** Both servers trust \`auth.user\` as the user id (the cost of verifying a JWT is not what is measured) and run the
  same hand-written body check (Roomkit through a Standard Schema wrapper, so zod's cost is not measured either).
- **What differs, by design.** Roomkit also does what its guarantees need: rate-limit buckets, size and attachment checks,
  read-state marks, and presence in rooms (a presence entry per connection, batched join/leave diffs, and the member list in
  every room subscribe's ack). Both push a DM to every connection of both users except the sending one, which has the ack.
- **Separate processes, pinned.** Each server runs in its own Node process (\`bench/src/servers/host.ts\`), pinned with \`taskset\`
  to one core; the load generator runs on the other. CPU is the server process's \`process.cpuUsage()\` read over IPC before and
  after each window (including the drain until every delivery and ack has arrived), divided by messages or deliveries.
- **Open loop.** Messages leave on a 1 ms timer at a fixed rate whatever the replies do; each carries its send time
  (\`process.hrtime\`), and the receiver (in the same process, so the clocks agree) takes the latency. The generator's own CPU
  and its worst lag behind schedule are reported, so a saturated client shows.
- **Interleaved.** Every side is set up once (connections kept across windows) and warmed up; then A/B pairs run Roomkit and the
  baseline back to back, alternating who goes first, with the floor after each pair. Tables give medians; the ratio is the median
  of the per-pair ratios Roomkit ÷ baseline, with its range. An A/A pair (Roomkit against a second, independent Roomkit server)
  shows how far from 1.00× the method drifts on its own. When it drifts by more than 5% on a cost other than latency, more
  A/B pairs run and then a second A/A pair; the A/A column gives their median (and each). A ratio no farther from 1.00× than
  the A/A pairs drift is marked *within noise*: the run cannot tell it from 1.00×. Memory uses a fresh server process per
  measurement.
- **Correctness, never speed, is asserted.** Every window counts lost messages and errors; they must be 0. CI runs a tiny smoke of
  each workload (\`bench/test/smoke.test.ts\`).`;

/** The whole page. */
export function renderMarkdown(results: Results, notes: string | undefined, curves?: string, postgres?: string): string {
  const m = results.machine;
  const date = results.startedAt.slice(0, 10);
  const banner =
    results.mode === "full"
      ? ""
      : `> **Provisional: a ${results.mode} run** (short windows, smaller scale) made on ${date} on a shared machine while other test suites ran. It validates the harness; the published figures come from \`npm run bench -- --full\` on a quiet machine.\n\n`;
  return `# Benchmarks: Roomkit next to plain Socket.IO

<!-- Generated by \`npm run report -w @roomkit/bench\` from bench/results/${results.mode}.json. Edit bench/src/report.ts or bench/notes.md, not this file. -->

${banner}What does Roomkit cost compared with writing the same chat by hand on plain Socket.IO? Each figure below comes from one run
(${results.mode}, ${date}, ${Math.round(results.seconds)} s) in which both were measured side by side on the same machine, with the same messages at the same rates.

![Roomkit ÷ plain Socket.IO](images/benchmarks.svg)

## Summary

${summaryTable(results)}

Ratios above 1 mean Roomkit costs more. ⚠ marks a ratio over the issue's threshold for profiling (1.25× CPU per DM, 1.10× per fan-out delivery, 1.3× memory per connection).

## Machine

- ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}
- Node ${m.node}, socket.io ${m.socketio}, ws ${m.ws}
- Pinning: ${m.pinned}; load average at start ${m.loadAverageAtStart.join(", ")}
- Run: ${results.mode}, ${results.method.pairs} A/B pairs${results.method.aa ? " + 1 A/A pair" : ""}${results.method.extraPairs ? ` per workload (${results.method.extraPairs} more pairs and a second A/A pair where the A/A drifted by more than ${(results.method.aaLimit ?? 0) * 100}%)` : ""}, started ${results.startedAt}

## Method

${METHOD}

## Workloads

${results.workloads.map(workloadSection).join("\n")}
${curves ? `\n${curves.trim()}\n` : ""}${postgres ? `\n${postgres.trim()}\n` : ""}${notes ? `\n## What the profile says\n\n${notes.trim()}\n` : ""}
## Reproduce

\`\`\`sh
npm run bench                 # quick run (under 5 minutes): bench/results/quick.json, then this page
npm run bench -- --full       # the full figures: bench/results/full.json, then this page
npm run bench -- --only dm --profile   # CPU profiles of the server processes in bench/profiles/
npm run report -w @roomkit/bench       # this page and the chart again from the JSON (full.json, else quick.json)
npm run curves -w @roomkit/bench       # the size curves: bench/results/curves.json (then report)
npm run postgres -w @roomkit/bench     # Roomkit on PostgreSQL: bench/results/postgres.json (then report)
\`\`\`
`;
}

/**
 * Writes docs/benchmarks.md and docs/images/benchmarks.svg from the results on disk (the `mode`
 * run just made, or by default the full run's, else the quick run's); returns what it did.
 */
export function writeReport(mode?: "full" | "quick"): string {
  const results = loadResults(mode);
  if (!results) return "no results in bench/results/: run npm run bench first";
  const notesPath = root("bench/notes.md");
  const notes = existsSync(notesPath) ? readFileSync(notesPath, "utf8") : undefined;
  mkdirSync(root("docs/images"), { recursive: true });
  writeFileSync(
    root("docs/benchmarks.md"),
    renderMarkdown(results, notes, curvesSection(root("bench/results/curves.json")), postgresSection(root("bench/results/postgres.json"))),
  );
  const title = `Roomkit vs plain Socket.IO (${results.mode} run, ${results.startedAt.slice(0, 10)})`;
  writeFileSync(root("docs/images/benchmarks.svg"), ratioChart(title, bars(results)));
  return `wrote docs/benchmarks.md and docs/images/benchmarks.svg from the ${results.mode} run`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(writeReport());
