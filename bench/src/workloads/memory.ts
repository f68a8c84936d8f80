import { roomsOf, userId } from "../contract.js";
import { dmChannel } from "@roomkit/protocol";
import { inBatches, sleep } from "../gen/clock.js";
import { createClient } from "../gen/client.js";
import type { ChatClient } from "../gen/client.js";
import type { Launch } from "../gen/fleet.js";
import type { MetricDef, Metrics, Side } from "../method.js";
import { implOf } from "../method.js";
import { spawnServer } from "../servers/process.js";

export interface MemoryParams {
  connections: number;
  /** Members per group room; every connection is in one. */
  roomSize: number;
}

export const MEMORY_METRICS: MetricDef[] = [
  { key: "rssPerConnKiB", label: "RSS per connection", unit: "KiB", kind: "cost" },
  { key: "heapPerConnKiB", label: "JS heap per connection", unit: "KiB", kind: "cost" },
  { key: "rssMiB", label: "server RSS, all connected", unit: "MiB", kind: "info" },
  { key: "connectS", label: "time to connect and subscribe all", unit: "s", kind: "info" },
  { key: "errors", label: "errors", unit: "", kind: "count" },
];

const WIDTH = 100;

/**
 * Connects every client and subscribes it to a DM with its neighbour and to its group room
 * (`roomSize` users each), as the memory workload does; returns how many steps failed.
 */
export async function connectAll(clients: ChatClient[], roomSize: number): Promise<number> {
  const n = clients.length;
  let errors = 0;
  await inBatches(clients, WIDTH, async (c, i) => {
    try {
      await c.connect();
      const peer = userId((i ^ 1) < n ? i ^ 1 : i - 1);
      const results = await Promise.all([c.subscribe(dmChannel(c.user, peer)), c.subscribe(`room:g${Math.floor(i / roomSize)}`)]);
      errors += results.filter((r) => !r.ok).length;
    } catch {
      errors++;
    }
  });
  return errors;
}

/**
 * Workload 3, one fresh server: its memory after a forced GC, then again with every connection
 * authenticated and subscribed to a DM (with its neighbour) and its group room, after another GC.
 */
export async function memoryTrial(side: Side, params: MemoryParams, launch: Launch): Promise<Metrics> {
  const server = await spawnServer(implOf(side), launch);
  const n = params.connections;
  const clients = Array.from({ length: n }, (_, i) => createClient(implOf(side), server.url, userId(i)));
  try {
    await server.createRooms(roomsOf(n, params.roomSize));
    const before = await server.gc();
    const t0 = performance.now();
    let errors = await connectAll(clients, params.roomSize);
    const connectS = (performance.now() - t0) / 1000;
    await sleep(500);
    const after = await server.gc();
    if (after.connections !== n) errors += Math.abs(n - after.connections);
    return {
      rssPerConnKiB: (after.rss - before.rss) / n / 1024,
      heapPerConnKiB: (after.heapUsed - before.heapUsed) / n / 1024,
      rssMiB: after.rss / 2 ** 20,
      connectS,
      errors,
    };
  } finally {
    for (const c of clients) c.disconnect();
    await server.stop();
  }
}
