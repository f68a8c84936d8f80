import { dmChannel } from "@roomkit/protocol";
import { TEXT, roomsOf, userId } from "../contract.js";
import { sleep } from "../gen/clock.js";
import { createClient } from "../gen/client.js";
import type { ChatClient } from "../gen/client.js";
import { launchFleet, landFleet, subscribeAll } from "../gen/fleet.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import { startMeter } from "../gen/meter.js";
import { median } from "../gen/stats.js";
import type { Bench, MetricDef, Metrics } from "../method.js";
import { implOf } from "../method.js";

export interface ReconnectParams {
  clients: number;
  roomSize: number;
  /** Messages published into each room while its members are away, replayed on their return. */
  gap: number;
}

export const RECONNECT_METRICS: MetricDef[] = [
  { key: "allBackMs", label: "time until all are back and resubscribed", unit: "ms", kind: "cost" },
  { key: "p50Ms", label: "one client's time back, p50", unit: "ms", kind: "cost" },
  { key: "p99Ms", label: "one client's time back, p99", unit: "ms", kind: "cost" },
  { key: "cpuUsPerClient", label: "server CPU per reconnecting client", unit: "µs", kind: "cost" },
  { key: "genCpuPct", label: "load generator CPU", unit: "% of a core", kind: "info" },
  { key: "errors", label: "errors", unit: "", kind: "count" },
];

interface Storm {
  fleet: Fleet;
  /** One writer per room, who stays connected and publishes the gap. */
  writers: ChatClient[];
  /** Per client, the last seq seen per channel. */
  seen: Map<string, number>[];
}

const channelsOf = (i: number, p: ReconnectParams) => {
  const peer = (i ^ 1) < p.clients ? i ^ 1 : i - 1;
  return [dmChannel(userId(i), userId(peer)), `room:g${Math.floor(i / p.roomSize)}`] as const;
};

const publish = (c: ChatClient, room: string, k: number) =>
  new Promise<void>((done, fail) => c.sendRoom(room, { text: TEXT, t: 0, k, w: 0 }, (err) => (err ? fail(new Error(err)) : done())));

/** Disconnects every client, publishes the gap, then reconnects them all at once, each resubscribing with `since`. */
async function storm(state: Storm, p: ReconnectParams): Promise<Metrics> {
  const { fleet, writers, seen } = state;
  const server = fleet.servers[0]!;
  for (const c of fleet.clients) c.disconnect();
  const deadline = Date.now() + 15_000;
  while ((await server.stats()).connections > writers.length) {
    if (Date.now() > deadline) throw new Error("the server still sees clients 15 s after they disconnected");
    await sleep(20);
  }
  await Promise.all(
    writers.map(async (w, g) => {
      for (let k = 0; k < p.gap; k++) await publish(w, `room:g${g}`, k);
    }),
  );
  let errors = 0;
  const times: number[] = [];
  const meter = await startMeter(fleet.servers);
  const t0 = performance.now();
  await Promise.all(
    fleet.clients.map(async (c, i) => {
      try {
        await c.connect();
        const [dm, room] = channelsOf(i, p);
        const [a, b] = await Promise.all([c.subscribe(dm, seen[i]!.get(dm)), c.subscribe(room, seen[i]!.get(room))]);
        const roomFrom = seen[i]!.get(room)! + 1;
        const whole =
          a.ok &&
          b.ok &&
          a.recovered === true &&
          b.recovered === true &&
          a.messages.length === 0 &&
          b.messages.length === p.gap &&
          b.messages[0]?.seq === roomFrom;
        if (!whole) errors++;
        if (b.ok) seen[i]!.set(room, b.seq);
        times.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }),
  );
  const allBackMs = performance.now() - t0;
  const usage = await meter.stop();
  times.sort((x, y) => x - y);
  return {
    allBackMs,
    p50Ms: median(times),
    p99Ms: times[Math.max(0, Math.ceil(times.length * 0.99) - 1)] ?? NaN,
    cpuUsPerClient: usage.serverCpuUs / fleet.clients.length,
    genCpuPct: usage.genCpuPct,
    errors,
  };
}

/** Workload 5: `clients` users in rooms of `roomSize` reconnect at once and recover what they missed. */
export function reconnectBench(p: ReconnectParams, launch: Launch): Bench<Storm> {
  const rooms = roomsOf(p.clients, p.roomSize).map((r, g) => ({ ...r, members: [...r.members, `w${g}`] }));
  return {
    async setup(side) {
      const fleet = await launchFleet(side, p.clients, launch, { rooms });
      const writers = rooms.map((_, g) => createClient(implOf(side), fleet.servers[0]!.url, `w${g}`));
      const state: Storm = { fleet, writers, seen: [] };
      try {
        await Promise.all(writers.map((w) => w.connect()));
        await Promise.all(writers.map((w, g) => w.subscribe(`room:g${g}`)));
        state.seen = await subscribeAll(fleet.clients, (i) => [...channelsOf(i, p)]);
      } catch (err) {
        await landStorm(state);
        throw err;
      }
      return state;
    },
    warmup: async (state) => void (await storm(state, p)),
    measure: (state) => storm(state, p),
    teardown: landStorm,
    servers: (state) => state.fleet.servers,
  };
}

async function landStorm(state: Storm): Promise<void> {
  for (const w of state.writers) w.disconnect();
  await landFleet(state.fleet);
}
