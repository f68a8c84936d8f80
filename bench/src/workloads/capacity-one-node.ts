import { dmChannel } from "@roomkit/protocol";
import { roomsOf, userId } from "../contract.js";
import { inBatches, sleep } from "../gen/clock.js";
import { createClient } from "../gen/client.js";
import type { Fleet, Launch } from "../gen/fleet.js";
import { landFleet } from "../gen/fleet.js";
import type { Metrics, Side } from "../method.js";
import { implOf } from "../method.js";
import { spawnServer } from "../servers/process.js";
import { dmWindow } from "./direct.js";
import { fanoutWindow, idleWindow, presenceWindow } from "./capacity-windows.js";
import type { FanoutLoad, PresenceLoad } from "./capacity-windows.js";

/** The one-node curve's sizes and loads (bench/src/capacity.ts has them per mode). */
export interface OneNodeParams {
  /** Connections at each point, ascending; the fleet grows from one to the next. */
  sizes: number[];
  /** Every connection is in a DM (with its neighbour) and in a group room of this many members. */
  roomSize: number;
  idleS: number;
  dmRate: number;
  fanout: Omit<FanoutLoad, "room">;
  presence: Omit<PresenceLoad, "room">;
  windowS: number;
  warmupS: number;
}

/** One point of the curve: n connections and what each window measured there. */
export interface OneNodePoint {
  n: number;
  metrics: Metrics;
}

/** The room of the fan-out and presence windows: users u0..u<members-1>, also in their group rooms. */
export const BIG_ROOM = "room:big";
const WIDTH = 100;

/**
 * One server of `side` in its own pinned process; its connections grow through `params.sizes`.
 * At each size: memory after a forced GC (against the empty server's), idle CPU, then a DM
 * window, a fan-out window and (Roomkit only: the baseline has no presence) a presence window.
 */
export async function oneNodeCurve(
  side: Side,
  params: OneNodeParams,
  launch: Launch,
  log: (line: string) => void,
): Promise<OneNodePoint[]> {
  const impl = implOf(side);
  const max = params.sizes.at(-1)!;
  const big = Math.min(params.fanout.members, params.presence.members, params.sizes[0]!);
  const server = await spawnServer(impl, launch);
  const fleet: Fleet = { side, servers: [server], clients: [] };
  try {
    const bigMembers = Array.from({ length: big }, (_, i) => userId(i));
    await server.createRooms([...roomsOf(max, params.roomSize), { id: BIG_ROOM, members: bigMembers }]);
    const empty = await server.gc();
    const points: OneNodePoint[] = [];
    for (const [index, n] of params.sizes.entries()) {
      const t0 = performance.now();
      const errors = await grow(fleet, impl, server.url, n, params.roomSize);
      const connectS = (performance.now() - t0) / 1000;
      await sleep(500);
      const after = await server.gc();
      const added = n - (index === 0 ? 0 : params.sizes[index - 1]!);
      const metrics: Metrics = {
        rssPerConnKiB: (after.rss - empty.rss) / n / 1024,
        heapPerConnKiB: (after.heapUsed - empty.heapUsed) / n / 1024,
        rssMiB: after.rss / 2 ** 20,
        connectS,
        connectPerS: added / connectS,
        connectErrors: errors + Math.abs(n - after.connections),
      };
      Object.assign(metrics, await idleWindow(fleet, params.idleS));
      if (index === 0) await dmWindow(fleet, params.dmRate, params.warmupS);
      const dm = await dmWindow(fleet, params.dmRate, params.windowS);
      Object.assign(metrics, { cpuUsPerDm: dm.cpuUsPerMsg!, dmP50: dm.p50!, dmP99: dm.p99!, dmLost: dm.lost!, dmErrors: dm.errors! });
      const fan = { ...params.fanout, members: big, room: BIG_ROOM };
      if (index === 0) await fanoutWindow(fleet, fan, params.warmupS);
      const f = await fanoutWindow(fleet, fan, params.windowS);
      Object.assign(metrics, { cpuUsPerDelivery: f.cpuUsPerDelivery!, fanoutLost: f.lost!, fanoutErrors: f.errors! });
      if (impl === "roomkit") {
        const load = { ...params.presence, members: big, churners: Math.min(params.presence.churners, big), room: BIG_ROOM };
        if (index === 0) await presenceWindow(fleet, load, params.warmupS);
        const p = await presenceWindow(fleet, load, params.windowS);
        Object.assign(metrics, {
          cpuUsPerPresenceChange: p.cpuUsPerChange!,
          cpuUsPerPresencePush: p.cpuUsPerPush!,
          presencePushes: p.presencePushes!,
          presenceErrors: p.errors!,
        });
      }
      points.push({ n, metrics });
      log(
        `  ${side} n=${n}: RSS ${metrics.rssPerConnKiB!.toFixed(1)} KiB/conn, heap ${metrics.heapPerConnKiB!.toFixed(1)}, idle ${metrics.idleCpuUsPerConnS!.toFixed(2)} µs/conn/s, DM ${metrics.cpuUsPerDm!.toFixed(0)} µs, delivery ${metrics.cpuUsPerDelivery!.toFixed(1)} µs${impl === "roomkit" ? `, presence ${metrics.cpuUsPerPresenceChange!.toFixed(0)} µs/change ${metrics.cpuUsPerPresencePush!.toFixed(1)} µs/push` : ""}`,
      );
    }
    return points;
  } finally {
    await landFleet(fleet);
  }
}

/** Connects users up to `n` (each subscribing to its DM and group room, as workloads/memory.ts does); returns the failures. */
async function grow(fleet: Fleet, impl: ReturnType<typeof implOf>, url: string, n: number, roomSize: number): Promise<number> {
  const from = fleet.clients.length;
  const fresh = Array.from({ length: n - from }, (_, k) => createClient(impl, url, userId(from + k)));
  fleet.clients.push(...fresh);
  let errors = 0;
  await inBatches(fresh, WIDTH, async (c, k) => {
    const i = from + k;
    try {
      await c.connect();
      const peer = userId(i % 2 === 0 ? i + 1 : i - 1);
      const results = await Promise.all([c.subscribe(dmChannel(c.user, peer)), c.subscribe(`room:g${Math.floor(i / roomSize)}`)]);
      errors += results.filter((r) => !r.ok).length;
    } catch {
      errors++;
    }
  });
  return errors;
}
