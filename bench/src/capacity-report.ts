// `npm run capacity-report -w @roomkit/bench [-- FILE]`: the capacity tables of docs/scaling.md §12, from bench/results/capacity.json (or FILE).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CapacityResults } from "./capacity.js";
import { MIXES, NODE, capacityModel } from "./capacity-model.js";
import type { CapacityModel, Plan } from "./capacity-model.js";

const BEGIN = "<!-- capacity:begin -->";
const END = "<!-- capacity:end -->";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PAGE = resolve(ROOT, "docs/scaling.md");

const int = (v: number) => Math.round(v).toLocaleString("en-US");
const dec = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));
const num = (v: number) => (v >= 100 ? int(v) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function oneNodeTables(r: CapacityResults): string {
  const base = new Map(r.oneNode.baseline.map((p) => [p.n, p.metrics]));
  const memory = r.oneNode.roomkit.map((p) => {
    const m = p.metrics;
    const b = base.get(p.n);
    return `| ${int(p.n)} | ${dec(m.rssPerConnKiB)} | ${dec(b?.rssPerConnKiB)} | ${dec(m.heapPerConnKiB)} | ${dec(b?.heapPerConnKiB)} | ${dec(m.rssMiB, 0)} | ${dec(m.idleCpuUsPerConnS, 2)} | ${dec(b?.idleCpuUsPerConnS, 2)} | ${dec(m.idleCpuPct)} |`;
  });
  const cpu = r.oneNode.roomkit.map((p) => {
    const m = p.metrics;
    const b = base.get(p.n);
    return `| ${int(p.n)} | ${dec(m.cpuUsPerDm, 0)} | ${dec(b?.cpuUsPerDm, 0)} | ${dec(m.dmP99)} | ${dec(m.cpuUsPerDelivery)} | ${dec(b?.cpuUsPerDelivery)} | ${dec(m.cpuUsPerPresenceChange, 0)} | ${dec(m.cpuUsPerPresencePush, 1)} | ${int(m.presencePushes ?? 0)} |`;
  });
  const o = r.params.oneNode;
  return `**One node, connections growing** (\`oneNode\`). One server process pinned to core 0, the load generator on core 1; Roomkit's curve first, then the baseline's (both at once would need twice the generator's file descriptors). Every connection is in a DM with its neighbour and in a room of ${o.roomSize}; memory is after forced GCs, against the empty server. Idle: heartbeats only for ${o.idleS} s. Then ${int(o.dmRate)} DMs/s among all the users, ${o.fanout.rate} messages/s into one room of ${int(o.fanout.members)} members, and (Roomkit only: the baseline has no presence) ${o.presence.rate} presence changes/s in that room (${o.presence.churners} members leaving and coming back), each window ${o.windowS} s. The largest point is what the file descriptor limit allows: ${r.fdLimit}, and each connection is one fd in the server and one in the generator.

| connections | RSS/conn Roomkit (KiB) | baseline | heap/conn Roomkit (KiB) | baseline | Roomkit RSS (MiB) | idle CPU/conn Roomkit (µs/s) | baseline | idle CPU Roomkit (% core) |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${memory.join("\n")}

| connections | CPU/DM Roomkit (µs) | baseline | DM p99 Roomkit (ms) | CPU/delivery Roomkit (µs) | baseline | CPU/presence change (µs) | CPU/presence push (µs) | pushes delivered |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${cpu.join("\n")}
`;
}

function nodesTable(r: CapacityResults, kind: "redis" | "cluster"): string {
  const curve = r.nodes[kind];
  const title =
    kind === "redis"
      ? "one Redis (`REDIS_URL`, shared with the machine's other users)"
      : "a Redis Cluster of 3 primaries started for the run";
  if (curve.status !== "ok") return `**Nodes on ${title}**: ${curve.reason ?? "not run"}.\n`;
  const p = r.params.nodes;
  const rows = curve.points.map((pt) => {
    const m = pt.metrics;
    return `| ${pt.nodes} | ${int(pt.users)} | ${int(p.dmPerNode * pt.nodes)} | ${dec(m.nodeCpuUsPerDm, 0)} | ${dec(m.redisCpuUsPerDm, 0)} | ${dec(m.totalCpuUsPerDm, 0)} | ${dec(m.perNodeCpuPct)} | ${dec(m.redisCpuPctDm)} | ${dec(m.dmP99)} | ${dec(m.nodeCpuUsPerDelivery)} | ${dec(m.redisCpuUsPerFanoutMsg, 0)} | ${dec(m.nodeCpuUsPerPresenceChange, 0)} | ${dec(m.redisCpuUsPerPresenceChange, 0)} | ${int(m.dmLost! + m.fanoutLost!)} / ${int(m.dmErrors! + m.fanoutErrors! + m.presenceErrors!)} |`;
  });
  return `**Nodes on ${title}** (\`nodes.${kind}\`, ${curve.adapter} adapter). ${int(p.usersPerNode)} users and ${int(p.dmPerNode)} DMs/s per node, user *i* on node *i* mod *k* writing to user *i*+1 (with 2 nodes or more every DM crosses nodes); then ${p.fanout.rate} messages/s into one room of ${int(p.fanout.members)} spread over the nodes, and ${p.presence.rate} presence changes/s in it. Redis's CPU is INFO cpu (${kind === "cluster" ? "summed over the primaries" : "the whole server"}); nodes are pinned to core 0, Redis is not pinned.

| nodes | users | DMs/s | node CPU/DM (µs) | Redis CPU/DM (µs) | total CPU/DM (µs) | CPU per node (% core) | Redis CPU (% core) | DM p99 (ms) | node CPU/delivery (µs) | Redis CPU/room message (µs) | node CPU/presence change (µs) | Redis CPU/presence change (µs) | lost / errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}
`;
}

const WHY = {
  cpu: "CPU",
  memory: "memory",
  connections: "connections: no more than the largest point measured",
} as const;

function planRows(plans: Plan[]): string {
  return plans
    .map((p) => {
      const d = p.demand;
      const c = p.cpu;
      return `| ${p.mix.id} | ${int(p.users)} | ${int(d.dmPerS)} | ${int(d.deliveriesPerS)} | ${int(d.presencePushesPerS)} | ${num(c.total)} (DM ${num(c.dm)}, fan-out ${num(c.fanout)}, presence ${num(c.presence)}, sessions ${num(c.sessions)}, idle ${num(c.idle)}) | ${num(p.memoryGiB)} | **${int(p.nodes)}** (CPU ${int(p.nodesBy.cpu)}, memory ${int(p.nodesBy.memory)}, connections ${int(p.nodesBy.connections)}) | ${WHY[p.bottleneck]} | ${num(p.redisCores)} → **${p.shards}** | ${int(p.pgAppendsPerS)} (${(p.pgShare * 100).toFixed(0)}% of measured; ${num(p.pgCores)} cores) |`;
    })
    .join("\n");
}

/** Per mix: how many users one node, one Redis shard and the measured PostgreSQL each hold (every cost is linear in users). */
function limitRows(plans: Plan[]): string {
  const seen = new Set<string>();
  return plans
    .filter((p) => !seen.has(p.mix.id) && seen.add(p.mix.id))
    .map((p) => {
      const perNode = p.users / p.nodes;
      const perShard = p.redisCores > 0 ? (p.users * NODE.redisShardTarget) / p.redisCores : Number.POSITIVE_INFINITY;
      const perPg = p.pgShare > 0 ? p.users / p.pgShare : Number.POSITIVE_INFINITY;
      const shared = perShard < perPg ? `Redis (one shard at ${NODE.redisShardTarget * 100}%)` : "PostgreSQL (its measured appends/s)";
      const show = (v: number) => (Number.isFinite(v) ? int(v) : "—");
      return `| ${p.mix.id} | ${int(perNode)} (${WHY[p.bottleneck]}) | ${show(perShard)} | ${show(perPg)} | ${shared} at ${show(Math.min(perShard, perPg))} users |`;
    })
    .join("\n");
}

const parts = (r: CapacityResults) =>
  (Object.entries(r.measuredAt) as [string, string][]).map(([part, at]) => `${part} ${at.slice(0, 16).replace("T", " ")} UTC`).join(", ");

/** The generated part of docs/scaling.md §12 (between the markers). */
export function capacitySection(r: CapacityResults, model: CapacityModel, file: string): string {
  const costs = model.costs.map((c) => `| ${c.label} | ${num(c.value)} ${c.unit} | ${c.source} |`).join("\n");
  return `_Generated by \`npm run capacity-report -w @roomkit/bench\` from \`${file}\` (${r.mode} run; measured ${parts(r)}; ${r.machine.cores} × ${r.machine.cpu}, load average ${r.machine.loadAverageAtStart.join(", ")} at start; Node ${r.machine.node}, Socket.IO ${r.machine.socketio}). Do not edit by hand._

### Measured curves

${oneNodeTables(r)}
${nodesTable(r, "redis")}
${nodesTable(r, "cluster")}
### Per-operation costs the model uses

| cost | value | from |
|---|---:|---|
${costs}
${model.notes.map((n) => `\n- ${n}`).join("")}

### The plan

A node is one Node.js process on ${NODE.cores} core with ${NODE.memoryGiB} GiB, planned at ${NODE.cpuTarget * 100}% CPU and ${NODE.memoryTarget * 100}% memory; a Redis shard is one primary, planned at ${NODE.redisShardTarget * 100}% of its one core. "Concurrent users" are connections (one each). The mixes, per concurrent user:

${MIXES.map((m) => `- **${m.id}**: ${m.title}.`).join("\n")}

| mix | users | DMs/s | deliveries/s | presence pushes/s | node CPU, cores | memory, GiB | nodes | nodes bound by | Redis cores → shards | PostgreSQL appends/s |
|---|---:|---:|---:|---:|---|---:|---|---|---|---|
${planRows(model.plans)}

Where each mix hits a limit first, in concurrent users (every cost above grows linearly with users, so a limit is a number of users). Nodes fill first and are added freely; the first *shared* limit is the smaller of one Redis shard and one PostgreSQL.

| mix | users per node (bound by) | users per Redis shard | users per PostgreSQL (as measured) | first shared limit |
|---|---|---:|---:|---|
${limitRows(model.plans)}
`;
}

/** Reads `resultsPath` (and full.json, postgres.json beside it) and rewrites §12's generated part of docs/scaling.md; returns what it did. */
export function writeCapacityReport(resultsPath: string, page = PAGE): string {
  const r = JSON.parse(readFileSync(resultsPath, "utf8")) as CapacityResults;
  const dir = resolve(resultsPath, "..");
  const read = (name: string) => (existsSync(resolve(dir, name)) ? JSON.parse(readFileSync(resolve(dir, name), "utf8")) : undefined);
  const file = relative(ROOT, resultsPath);
  const model = capacityModel(r, file, { full: read("full.json"), postgres: read("postgres.json") });
  const text = readFileSync(page, "utf8");
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${page} has no ${BEGIN} … ${END} markers`);
  writeFileSync(page, `${text.slice(0, from + BEGIN.length)}\n${capacitySection(r, model, file)}${text.slice(to)}`);
  return `wrote the capacity model of ${relative(ROOT, page)} from ${file}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = resolve(
    process.env.INIT_CWD ?? process.cwd(),
    process.argv[2] ?? fileURLToPath(new URL("../results/capacity.json", import.meta.url)),
  );
  console.log(writeCapacityReport(path));
}
