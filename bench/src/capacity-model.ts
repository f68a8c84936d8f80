import type { CapacityResults } from "./capacity.js";
import type { NodesPoint } from "./workloads/capacity-nodes.js";

/**
 * The capacity model of docs/scaling.md §12, computed from measured per-operation costs only:
 * bench/results/capacity.json (this run), the reconnect workload of bench/results/full.json and
 * PostgreSQL's appends of bench/results/postgres.json. Every cost carries the file and field it
 * comes from, so the page can cite it.
 *
 * @example
 * const model = capacityModel(results, "bench/results/capacity.json", { full, postgres });
 * for (const plan of model.plans) console.log(plan.mix.id, plan.users, plan.nodes, plan.bottleneck);
 */
export interface Cost {
  key: CostKey;
  label: string;
  value: number;
  unit: string;
  /** `file` `field` (date): where the value was read. */
  source: string;
}

export type CostKey =
  | "rssPerConnKiB"
  | "baseRssMiB"
  | "idleUsPerConnS"
  | "nodeUsPerDm"
  | "nodeUsPerDelivery"
  | "nodeUsPerPush"
  | "nodeUsPerChange"
  | "nodeUsPerSession"
  | "redisUsPerDm"
  | "redisUsPerRoomMsg"
  | "redisUsPerChange"
  | "maxConnsPerNode"
  | "pgAppendsPerS"
  | "pgUsPerAppend";

/** A traffic mix per concurrent user. */
export interface Mix {
  id: string;
  title: string;
  dmPerUserPerMin: number;
  roomsPerUser: number;
  roomSize: number;
  msgsPerRoomPerMin: number;
  /** Average session: each start and end is a presence change in each of the user's rooms. */
  sessionMin: number;
  /** Roomkit's `presence.batchMs`: a room sends at most one presence push per window. */
  presenceBatchMs: number;
}

/** The node the plan is made of, and the headroom kept. */
export const NODE = { cores: 1, memoryGiB: 2, cpuTarget: 0.6, memoryTarget: 0.6, redisShardTarget: 0.6 } as const;

export const MIXES: Mix[] = [
  {
    id: "chat",
    title: "1 DM a minute, 5 rooms of 100 with presence, 1 message a minute per room, 30-minute sessions",
    dmPerUserPerMin: 1,
    roomsPerUser: 5,
    roomSize: 100,
    msgsPerRoomPerMin: 1,
    sessionMin: 30,
    presenceBatchMs: 50,
  },
  {
    id: "broadcast",
    title: "broadcast-heavy, 1 DM every 10 minutes, 1 room of 10,000 with presence, 1 message a second per room, 30-minute sessions",
    dmPerUserPerMin: 0.1,
    roomsPerUser: 1,
    roomSize: 10_000,
    msgsPerRoomPerMin: 60,
    sessionMin: 30,
    presenceBatchMs: 50,
  },
  {
    id: "broadcast, 1 s presence batches",
    title: "the broadcast-heavy mix with `presence.batchMs: 1000`: what the first change to make is worth",
    dmPerUserPerMin: 0.1,
    roomsPerUser: 1,
    roomSize: 10_000,
    msgsPerRoomPerMin: 60,
    sessionMin: 30,
    presenceBatchMs: 1000,
  },
];

export const SCALES = [100_000, 1_000_000];

/** What a mix asks of the system per second at `users` concurrent users. */
export interface Demand {
  dmPerS: number;
  roomMsgPerS: number;
  deliveriesPerS: number;
  sessionsPerS: number;
  presenceChangesPerS: number;
  presencePushesPerS: number;
}

export interface Plan {
  mix: Mix;
  users: number;
  demand: Demand;
  /** Node CPU in cores, by what it is spent on. */
  cpu: Record<"idle" | "dm" | "fanout" | "presence" | "sessions" | "total", number>;
  memoryGiB: number;
  nodesBy: Record<"cpu" | "memory" | "connections", number>;
  nodes: number;
  bottleneck: "cpu" | "memory" | "connections";
  redisCores: number;
  shards: number;
  pgAppendsPerS: number;
  /** appends needed / appends measured on the 2-core machine. */
  pgShare: number;
  pgCores: number;
}

export interface CapacityModel {
  costs: Cost[];
  plans: Plan[];
  /** Where each cost was read when a measurement was missing (say, no Redis in the run). */
  notes: string[];
}

export function demandOf(mix: Mix, users: number): Demand {
  const rooms = (users * mix.roomsPerUser) / mix.roomSize;
  const roomMsgPerS = (rooms * mix.msgsPerRoomPerMin) / 60;
  const sessionsPerS = users / (mix.sessionMin * 60);
  // A session's start and its end each change presence in every room of the user.
  const changesPerRoomPerS = (mix.roomSize * 2) / (mix.sessionMin * 60);
  const pushesPerRoomPerS = Math.min(changesPerRoomPerS, 1000 / mix.presenceBatchMs) * (mix.roomSize - 1);
  return {
    dmPerS: (users * mix.dmPerUserPerMin) / 60,
    roomMsgPerS,
    deliveriesPerS: roomMsgPerS * (mix.roomSize - 1),
    sessionsPerS,
    presenceChangesPerS: rooms * changesPerRoomPerS,
    presencePushesPerS: rooms * pushesPerRoomPerS,
  };
}

interface Inputs {
  /** bench/results/full.json, for the reconnect cost (a session start). */
  full?: { startedAt: string; workloads: { id: string; summary: Record<string, { median: Record<string, number> }> }[] };
  /** bench/results/postgres.json, for PostgreSQL's appends. */
  postgres?: { startedAt: string; appends: { spread: { channels: number; perSecond: number; pgCpuUsPerAppend: number } } };
}

/** Reads the per-operation costs, then plans every mix at every scale. */
export function capacityModel(r: CapacityResults, file: string, inputs: Inputs = {}): CapacityModel {
  const notes: string[] = [];
  const date = r.measuredAt.roomkit.slice(0, 10);
  const costs: Cost[] = [];
  const add = (key: CostKey, label: string, value: number, unit: string, source: string) => costs.push({ key, label, value, unit, source });
  const top = r.oneNode.roomkit.at(-1);
  if (!top) throw new Error(`${file} has no one-node Roomkit point`);
  const at = `${file} \`oneNode.roomkit[n=${top.n}].metrics`;
  const m = top.metrics;
  add(
    "rssPerConnKiB",
    `RSS per connection (a DM and a room of ${r.params.oneNode.roomSize})`,
    m.rssPerConnKiB!,
    "KiB",
    `${at}.rssPerConnKiB\` (${date})`,
  );
  add(
    "baseRssMiB",
    "node RSS with no connections",
    m.rssMiB! - (m.rssPerConnKiB! * top.n) / 1024,
    "MiB",
    `${at}.rssMiB − n × rssPerConnKiB\` (${date})`,
  );
  add("idleUsPerConnS", "idle CPU per connection (heartbeats)", m.idleCpuUsPerConnS!, "µs/s", `${at}.idleCpuUsPerConnS\` (${date})`);
  add(
    "maxConnsPerNode",
    "connections per node, the most measured",
    top.n,
    "",
    `${at}\` n (${date}); capped by the 20,000 fd limit per process`,
  );
  // Costs on Redis: the nodes curve's largest point, the cluster's for Redis itself when it ran.
  const onRedis = cleanest(r.nodes.redis.points, "redis", notes);
  const onCluster = cleanest(r.nodes.cluster.points, "cluster", notes);
  const nodesDate = r.measuredAt.nodes.slice(0, 10);
  const redisAt = (kind: "redis" | "cluster", p: { nodes: number }) => `${file} \`nodes.${kind}.points[nodes=${p.nodes}].metrics`;
  if (onRedis) {
    const src = redisAt("redis", onRedis);
    add("nodeUsPerDm", "node CPU per DM, nodes on Redis", onRedis.metrics.nodeCpuUsPerDm!, "µs", `${src}.nodeCpuUsPerDm\` (${nodesDate})`);
    add(
      "nodeUsPerDelivery",
      "node CPU per fan-out delivery, nodes on Redis",
      onRedis.metrics.nodeCpuUsPerDelivery!,
      "µs",
      `${src}.nodeCpuUsPerDelivery\` (${nodesDate})`,
    );
    const x = onRedis.metrics;
    if (x.presenceChanges) {
      const perChange = x.presencePushes! / x.presenceChanges;
      add(
        "nodeUsPerChange",
        "node CPU per presence change less its pushes, nodes on Redis",
        Math.max(0, x.nodeCpuUsPerPresenceChange! - perChange * x.nodeCpuUsPerDelivery!),
        "µs",
        `${src}.nodeCpuUsPerPresenceChange − presencePushes / presenceChanges × nodeCpuUsPerDelivery\` (${nodesDate}; ${perChange.toFixed(0)} pushes per change there)`,
      );
    }
  } else {
    notes.push(
      "No nodes-on-Redis curve in this run: node CPU per DM and per delivery are the one-node (in-memory) figures, lower than on Redis.",
    );
    add("nodeUsPerDm", "node CPU per DM (one node, in memory)", m.cpuUsPerDm!, "µs", `${at}.cpuUsPerDm\` (${date})`);
    add("nodeUsPerDelivery", "node CPU per fan-out delivery (one node)", m.cpuUsPerDelivery!, "µs", `${at}.cpuUsPerDelivery\` (${date})`);
  }
  // A presence push is a broadcast like a room message: it costs a fan-out delivery. The rest of a
  // change's CPU (its request, the subscribe ack with a page of members, the store) is the change's own.
  if (!costs.some((c) => c.key === "nodeUsPerChange")) {
    const perChange = m.cpuUsPerPresenceChange! / m.cpuUsPerPresencePush!;
    add(
      "nodeUsPerChange",
      "node CPU per presence change less its pushes (one node)",
      Math.max(0, m.cpuUsPerPresenceChange! - perChange * m.cpuUsPerDelivery!),
      "µs",
      `${at}.cpuUsPerPresenceChange − (cpuUsPerPresenceChange / cpuUsPerPresencePush) × cpuUsPerDelivery\` (${date}; ${perChange.toFixed(0)} pushes per change there)`,
    );
  }
  const redisPoint = onCluster ?? onRedis;
  const redisKind = onCluster ? "cluster" : "redis";
  if (redisPoint) {
    const src = redisAt(redisKind, redisPoint);
    const x = redisPoint.metrics;
    add("redisUsPerDm", `Redis CPU per DM (${redisKind})`, x.redisCpuUsPerDm!, "µs", `${src}.redisCpuUsPerDm\` (${nodesDate})`);
    add(
      "redisUsPerRoomMsg",
      `Redis CPU per room message (${redisKind})`,
      x.redisCpuUsPerFanoutMsg!,
      "µs",
      `${src}.redisCpuUsPerFanoutMsg\` (${nodesDate})`,
    );
    add(
      "redisUsPerChange",
      `Redis CPU per presence change (${redisKind})`,
      x.redisCpuUsPerPresenceChange!,
      "µs",
      `${src}.redisCpuUsPerPresenceChange\` (${nodesDate})`,
    );
  } else notes.push("No Redis in this run: Redis shards are not planned.");
  const reconnect = inputs.full?.workloads.find((w) => w.id === "reconnect")?.summary.cpuUsPerClient?.median.roomkit;
  if (reconnect !== undefined) {
    add(
      "nodeUsPerSession",
      "node CPU per session start (a reconnect: rooms of 100 rejoined)",
      reconnect,
      "µs",
      `bench/results/full.json \`workloads[id=reconnect].summary.cpuUsPerClient.median.roomkit\` (${inputs.full!.startedAt.slice(0, 10)})`,
    );
  } else notes.push("No reconnect figure (bench/results/full.json): session starts are not costed.");
  const pg = inputs.postgres?.appends.spread;
  if (pg) {
    const src = `bench/results/postgres.json \`appends.spread`;
    const d = inputs.postgres!.startedAt.slice(0, 10);
    add(
      "pgAppendsPerS",
      `PostgreSQL appends/s, ${pg.channels.toLocaleString("en-US")} channels, 2-core machine`,
      pg.perSecond,
      "/s",
      `${src}.perSecond\` (${d})`,
    );
    add("pgUsPerAppend", "PostgreSQL CPU per append", pg.pgCpuUsPerAppend, "µs", `${src}.pgCpuUsPerAppend\` (${d})`);
  } else notes.push("No bench/results/postgres.json: PostgreSQL is not planned.");
  const cost = (key: CostKey) => costs.find((c) => c.key === key)?.value ?? 0;
  const plans = MIXES.flatMap((mix) => SCALES.map((users) => planOf(mix, users, cost)));
  return { costs, plans, notes };
}

/** The largest node count whose windows lost nothing and had no errors (a saturated machine's figures are not costs). */
function cleanest(points: NodesPoint[], kind: string, notes: string[]): NodesPoint | undefined {
  const failed = (p: NodesPoint) =>
    ["dmLost", "dmErrors", "fanoutLost", "fanoutErrors", "presenceErrors"].some((key) => (p.metrics[key] ?? 0) > 0);
  const ok = points.filter((p) => !failed(p));
  for (const p of points.filter(failed))
    notes.push(`\`nodes.${kind}\` with ${p.nodes} nodes lost messages or had errors (an overloaded machine): not used.`);
  return ok.at(-1);
}

function planOf(mix: Mix, users: number, cost: (key: CostKey) => number): Plan {
  const d = demandOf(mix, users);
  const cores = (usPerS: number) => usPerS / 1e6;
  const cpu = {
    idle: cores(users * cost("idleUsPerConnS")),
    dm: cores(d.dmPerS * cost("nodeUsPerDm")),
    fanout: cores(d.deliveriesPerS * cost("nodeUsPerDelivery")),
    // A change's own work, then each push it causes as one fan-out delivery.
    presence: cores(d.presenceChangesPerS * cost("nodeUsPerChange") + d.presencePushesPerS * cost("nodeUsPerDelivery")),
    sessions: cores(d.sessionsPerS * cost("nodeUsPerSession")),
    total: 0,
  };
  cpu.total = cpu.idle + cpu.dm + cpu.fanout + cpu.presence + cpu.sessions;
  const memoryGiB = (users * cost("rssPerConnKiB")) / 2 ** 20;
  const usableGiB = NODE.memoryGiB * NODE.memoryTarget - cost("baseRssMiB") / 1024;
  const nodesBy = {
    cpu: Math.ceil(cpu.total / (NODE.cores * NODE.cpuTarget)),
    memory: Math.ceil(memoryGiB / usableGiB),
    connections: Math.ceil(users / cost("maxConnsPerNode")),
  };
  const bottleneck = (Object.entries(nodesBy) as [Plan["bottleneck"], number][]).sort((a, b) => b[1] - a[1])[0]![0];
  const redisCores = cores(
    d.dmPerS * cost("redisUsPerDm") + d.roomMsgPerS * cost("redisUsPerRoomMsg") + d.presenceChangesPerS * cost("redisUsPerChange"),
  );
  const pgAppendsPerS = d.dmPerS + d.roomMsgPerS;
  const pgMeasured = cost("pgAppendsPerS");
  return {
    mix,
    users,
    demand: d,
    cpu,
    memoryGiB,
    nodesBy,
    nodes: Math.max(nodesBy.cpu, nodesBy.memory, nodesBy.connections),
    bottleneck,
    redisCores,
    shards: Math.max(1, Math.ceil(redisCores / NODE.redisShardTarget)),
    pgAppendsPerS,
    pgShare: pgMeasured > 0 ? pgAppendsPerS / pgMeasured : 0,
    pgCores: cores(pgAppendsPerS * cost("pgUsPerAppend")),
  };
}
