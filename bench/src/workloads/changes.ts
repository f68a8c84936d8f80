import { TEXT, userId } from "../contract.js";
import { canChange } from "../gen/client.js";
import type { Done } from "../gen/client.js";
import { nowUs, until } from "../gen/clock.js";
import { launchFleet, landFleet } from "../gen/fleet.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import { startMeter } from "../gen/meter.js";
import { openLoop } from "../gen/rate.js";
import { Samples } from "../gen/stats.js";
import type { Bench, MetricDef, Metrics } from "../method.js";
import type { DirectParams } from "./direct.js";

/** The numbers a window of DMs with edits and reactions yields. */
export const CHANGE_METRICS: MetricDef[] = [
  { key: "cpuUsPerOp", label: "server CPU per operation", unit: "µs", kind: "cost" },
  { key: "p50", label: "latency p50", unit: "ms", kind: "cost" },
  { key: "p99", label: "latency p99", unit: "ms", kind: "cost" },
  { key: "max", label: "latency max", unit: "ms", kind: "cost" },
  { key: "edits", label: "edits", unit: "", kind: "info" },
  { key: "reactions", label: "reactions", unit: "", kind: "info" },
  { key: "serverCpuPct", label: "server CPU", unit: "% of a core", kind: "info" },
  { key: "maxLagMs", label: "worst send lag behind schedule", unit: "ms", kind: "info" },
  { key: "lost", label: "deliveries lost", unit: "", kind: "count" },
  { key: "errors", label: "errors", unit: "", kind: "count" },
];

/** Distinct reactions a user gives one message before it writes a new message instead. */
const REACTIONS = ["👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "🔥"];
const DRAIN_MS = 15_000;
let windows = 0;

/** What one user knows of its two conversations: its last message to the next user, the last from the previous one. */
interface Thread {
  lastSent: number;
  lastReceived: number;
  reactionsGiven: number;
}

/**
 * One window of DMs with changes mixed in, at a fixed rate of operations: of every ten
 * operations of user i, seven are messages to user i+1, two are reactions to the last message
 * from user i-1, and one is an edit of i's last message to i+1 (a message when there is nothing
 * to react to or edit yet). Every operation is delivered once to the other user; latency is taken
 * there, CPU is the servers' over the window divided by operations.
 */
export async function changesWindow(fleet: Fleet, rate: number, seconds: number): Promise<Metrics> {
  const w = ++windows;
  const clients = fleet.clients.filter(canChange);
  if (clients.length !== fleet.clients.length) throw new Error(`${fleet.side} has no edits or reactions`);
  const n = clients.length;
  const count = Math.max(1, Math.round(rate * seconds));
  const samples = new Samples(count);
  const threads: Thread[] = clients.map(() => ({ lastSent: 0, lastReceived: 0, reactionsGiven: 0 }));
  const reactionSentAt = new Map<string, number>();
  let received = 0;
  let acked = 0;
  let refused = 0;
  let edits = 0;
  let reactions = 0;
  const arrived = (sentAtUs: number) => {
    received++;
    samples.push(nowUs() - sentAtUs);
  };
  clients.forEach((c, i) => {
    c.onMessage = (m) => {
      if (m.body.w !== w || m.from === c.user) return;
      if (m.seq > threads[i]!.lastReceived) Object.assign(threads[i]!, { lastReceived: m.seq, reactionsGiven: 0 });
      arrived(m.body.t);
    };
    c.onChange = (change) => {
      if (change.by === c.user) return;
      if (change.type === "edit" && change.body?.w === w) return arrived(change.body.t);
      const key = `${change.by}|${change.target}|${change.reaction}`;
      const sentAt = reactionSentAt.get(key);
      if (change.type === "react" && sentAt !== undefined) {
        reactionSentAt.delete(key);
        arrived(sentAt);
      }
    };
  });
  const done: Done = (err) => {
    acked++;
    if (err) refused++;
  };
  const meter = await startMeter(fleet.servers);
  const sched = await openLoop(rate, count, (k) => {
    const i = k % n;
    // Each user's operations cycle through the mix, and each round mixes it across users.
    const op = (k + Math.floor(k / n)) % 10;
    const me = clients[i]!;
    const thread = threads[i]!;
    const next = userId((i + 1) % n);
    const body = { text: TEXT, t: nowUs(), k, w };
    if (op >= 7 && op <= 8 && thread.lastReceived > 0 && thread.reactionsGiven < REACTIONS.length) {
      const reaction = REACTIONS[thread.reactionsGiven++]!;
      reactionSentAt.set(`${me.user}|${thread.lastReceived}|${reaction}`, body.t);
      reactions++;
      return me.reactDm(userId((i - 1 + n) % n), thread.lastReceived, reaction, done);
    }
    if (op === 9 && thread.lastSent > 0) {
      edits++;
      return me.editDm(next, thread.lastSent, body, done);
    }
    me.sendDm(next, body, (err, seq) => {
      if (seq !== undefined) thread.lastSent = Math.max(thread.lastSent, seq);
      done(err);
    });
  });
  await until(() => received >= count && acked >= count, DRAIN_MS);
  const usage = await meter.stop();
  return {
    ...samples.percentilesMs(),
    cpuUsPerOp: usage.serverCpuUs / count,
    edits,
    reactions,
    serverCpuPct: usage.serverCpuPct,
    maxLagMs: sched.maxLagMs,
    lost: count - received,
    errors: refused + (count - acked),
  };
}

/** Workload: `users` connected users exchanging DMs with edits and reactions at `rate` operations per second. */
export function changesBench(params: DirectParams, launch: Launch): Bench<Fleet> {
  return {
    setup: (side) => launchFleet(side, params.users, launch),
    warmup: async (fleet) => void (await changesWindow(fleet, params.rate, params.warmupS)),
    measure: (fleet) => changesWindow(fleet, params.rate, params.windowS),
    teardown: landFleet,
    servers: (fleet) => fleet.servers,
  };
}
