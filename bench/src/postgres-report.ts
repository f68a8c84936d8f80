import { existsSync, readFileSync } from "node:fs";
import type { PostgresResults } from "./postgres-suite.js";
import type { Variant } from "./workloads/dm-postgres.js";

const n = (v: number) => v.toLocaleString("en-US");
const f = (v: number | undefined) => {
  if (v === undefined || !Number.isFinite(v)) return "–";
  const abs = Math.abs(v);
  return abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : v.toPrecision(2);
};
const mib = (v: number) => `${(v / 2 ** 20).toFixed(1)} MiB`;
const x = (v: number | undefined) => (v === undefined ? "–" : `**${v.toFixed(2)}×**`);

const NAMES: Record<Variant, string> = {
  memory: "Roomkit, memory stores",
  redis: "Roomkit, Redis stores",
  postgres: "Roomkit, PostgreSQL stores",
  "baseline-pg": "plain Socket.IO, INSERT per message",
};

const onPg = (v: Variant) => v === "postgres" || v === "baseline-pg";

function dmTables(r: PostgresResults): string {
  const { dm } = r;
  const variants = Object.keys(dm.median) as Variant[];
  const keys = ["cpuUsPerMsg", "pgCpuUsPerMsg", "totalCpuUsPerMsg", "p50", "p99", "p999"];
  const label = (k: string) => {
    const d = dm.metrics.find((m) => m.key === k)!;
    return `${d.label}${d.unit ? ` (${d.unit})` : ""}`;
  };
  const lost = (v: Variant) => dm.trials.filter((t) => t.variant === v).reduce((s, t) => s + t.metrics.lost! + t.metrics.errors!, 0);
  const rows = [
    `| Figure | ${variants.map((v) => NAMES[v]).join(" | ")} |`,
    `|---|${variants.map(() => "---:").join("|")}|`,
    ...keys.map(
      (k) => `| ${label(k)} | ${variants.map((v) => (k === "pgCpuUsPerMsg" && !onPg(v) ? "–" : f(dm.median[v][k]))).join(" | ")} |`,
    ),
    `| lost + errors, all windows (must be 0) | ${variants.map((v) => String(lost(v))).join(" | ")} |`,
  ];
  const pairs = Object.keys(dm.ratios);
  const ratioRows = [
    `| Figure | ${pairs.map((p) => `PostgreSQL store ÷ ${NAMES[p.split("/")[1] as Variant]}`).join(" | ")} |`,
    `|---|${pairs.map(() => "---:").join("|")}|`,
    ...["cpuUsPerMsg", "totalCpuUsPerMsg", "p50", "p99"].map(
      (k) => `| ${label(k)} | ${pairs.map((p) => x(dm.ratios[p]![k])).join(" | ")} |`,
    ),
  ];
  return `${rows.join("\n")}\n\nRatios (median of the per-round ratios):\n\n${ratioRows.join("\n")}`;
}

/** The page's section on Roomkit on PostgreSQL, or `undefined` when `path` holds no results. */
export function postgresSection(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const r = JSON.parse(readFileSync(path, "utf8")) as PostgresResults;
  const z = r.sizes;
  const { hot, spread } = r.appends;
  const h = r.history;
  const appendRow = (a: typeof hot) =>
    `| ${n(a.channels)} | ${n(Math.round(a.perSecond))} | ${f(a.p50Ms)} | ${f(a.p99Ms)} | ${f(a.pgCpuUsPerAppend)} |`;
  const page = (k: keyof typeof h.pages) => `| ${k} | ${f(h.pages[k].medianMs)} | ${f(h.pages[k].p90Ms)} |`;
  const indexRows = Object.entries(h.sizes.indexes).map(
    ([name, bytes]) => `| index \`${name}\` | ${mib(bytes)} | ${f(bytes / h.sizes.messages)} |`,
  );
  return `## Roomkit on PostgreSQL

From \`npm run postgres -w @roomkit/bench\` (bench/results/postgres.json, ${r.mode} run, ${r.startedAt.slice(0, 10)}, ${Math.round(r.seconds)} s; PostgreSQL ${r.postgres.version} on the same ${r.machine.cores}-core machine, load average ${r.machine.loadAverageAtStart.join(", ")} at start; pinning: ${r.machine.pinned}). PostgreSQL itself is not pinned: it shares the cores with the server and the load generator, as it would on a small box.

### Direct messages on each store

${n(z.users!)} users at ${n(z.rate!)} msg/s, ${z.rounds} rounds of ${z.windowS} s windows after a ${z.warmupS} s warm-up. Four servers are set up side by side, each in its own process and (PostgreSQL) its own schema, dropped after: Roomkit on the memory stores, on the Redis stores (\`redisRoomkit\`, one node), on the PostgreSQL stores (\`postgresStores\`, group commit as configured by default), and the plain Socket.IO baseline writing every message to PostgreSQL by hand with \`pg\` (one \`INSERT\` per message that takes the channel's next seq under its counter row's lock: \`bench/src/servers/baseline-postgres.ts\`). Each round runs every server once, the order rotating. PostgreSQL's CPU is read from \`/proc/<pid>/stat\` of the backends whose \`application_name\` is the server's (not pg_stat_statements: ${r.postgres.pgStatStatements ? "it is installed here, but it counts statement time, not CPU" : "it needs `shared_preload_libraries` and is not loaded here"}); the WAL writer, checkpointer and background writer are shared with anything else on the server, so they are left out of the totals (\`pgSharedCpuUsPerMsg\` in the JSON).

${dmTables(r)}

### Appends through the store

\`PostgresMessageStore.append\` from ${r.appends.appenders} concurrent appenders in one process (each sends its next append when the last is stored, with a UUID \`clientId\` as the SDK sends), ${r.appends.seconds} s after a warm-up, on one hot channel and across ${n(spread.channels)} channels.

| channels | appends/s | latency p50 (ms) | p99 (ms) | PostgreSQL CPU per append (µs) |
|---:|---:|---:|---:|---:|
${appendRow(hot)}
${appendRow(spread)}

### History pages on a channel of ${n(h.sizes.messages)} messages

A room made through Roomkit, its messages written straight into \`entries\` with one \`INSERT ... SELECT generate_series\` (${f(h.fillSeconds)} s with the \`VACUUM ANALYZE\` after; each message a ${"`{ text }`"} body of 45 characters and a UUID \`clientId\`), then a fresh Roomkit server on it and one client timing \`rk:history\` pages of 50 (median and p90 of ${z.reps} after 5 untimed; each page checked: 50 messages, the right seqs).

| page | round trip, median (ms) | p90 (ms) |
|---|---:|---:|
${page("newest")}
${page("middle")}
${page("oldest")}

On disk after the fill (\`pg_total_relation_size\`, \`pg_relation_size\`, \`pg_indexes_size\`):

| relation | size | bytes per message |
|---|---:|---:|
| \`entries\`, everything (heap, TOAST, indexes) | ${mib(h.sizes.totalBytes)} | ${f(h.sizes.bytesPerMessage)} |
| heap | ${mib(h.sizes.heapBytes)} | ${f(h.sizes.heapBytes / h.sizes.messages)} |
| all indexes | ${mib(h.sizes.indexBytes)} | ${f(h.sizes.indexBytes / h.sizes.messages)} |
${indexRows.join("\n")}
`;
}
