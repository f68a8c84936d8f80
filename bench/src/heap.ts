// Heap per connection, by kind of object:
// `node --import tsx src/heap.ts [--connections 1000] [--room-size 100] [--top 40] [--source] [--reuse-baseline]`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { roomsOf, userId } from "./contract.js";
import { sleep } from "./gen/clock.js";
import { createClient } from "./gen/client.js";
import type { Tally } from "./heap-summary.js";
import { growth, summarise } from "./heap-summary.js";
import { spawnServer } from "./servers/process.js";
import type { Impl } from "./servers/types.js";
import { connectAll } from "./workloads/memory.js";

const DIR = fileURLToPath(new URL("../profiles/heap", import.meta.url));

/**
 * One fresh server of `impl`: a heap snapshot after its rooms are made, and another with every
 * connection in its DM and group room (the memory workload's state). Returns the growth per connection.
 */
async function perConnection(impl: Impl, connections: number, roomSize: number, source: boolean): Promise<Map<string, Tally>> {
  const server = await spawnServer(impl, { source });
  const clients = Array.from({ length: connections }, (_, i) => createClient(impl, server.url, userId(i)));
  const before = `${DIR}/${impl}-before.heapsnapshot`;
  const after = `${DIR}/${impl}-after.heapsnapshot`;
  try {
    await server.createRooms(roomsOf(connections, roomSize));
    await server.heapSnapshot(before);
    const errors = await connectAll(clients, roomSize);
    if (errors > 0) throw new Error(`${impl}: ${errors} connections or subscriptions failed`);
    await sleep(500);
    await server.heapSnapshot(after);
  } finally {
    for (const c of clients) c.disconnect();
    await server.stop();
  }
  const grown = growth(summarise(before), summarise(after), connections);
  rmSync(before);
  rmSync(after);
  return grown;
}

const total = (t: Map<string, Tally>) => [...t.values()].reduce((sum, { bytes }) => sum + bytes, 0);
const row = (key: string, a: Tally | undefined, b: Tally | undefined) =>
  `${(a?.bytes ?? 0).toFixed(0).padStart(7)} B ${(a?.count ?? 0).toFixed(2).padStart(6)}  ${(b?.bytes ?? 0).toFixed(0).padStart(7)} B ${(b?.count ?? 0).toFixed(2).padStart(6)}  ${key}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: "string", default: "1000" },
      "room-size": { type: "string", default: "100" },
      top: { type: "string", default: "40" },
      source: { type: "boolean", default: false },
      "reuse-baseline": { type: "boolean", default: false },
    },
  });
  const n = Number(values.connections);
  const roomSize = Number(values["room-size"]);
  mkdirSync(DIR, { recursive: true });
  const roomkit = await perConnection("roomkit", n, roomSize, values.source);
  // The baseline does not change between runs: `--reuse-baseline` reads its last tallies back.
  const saved = `${DIR}/baseline-${n}-${roomSize}.json`;
  const baseline =
    values["reuse-baseline"] && existsSync(saved)
      ? new Map<string, Tally>(JSON.parse(readFileSync(saved, "utf8")) as [string, Tally][])
      : await perConnection("baseline", n, roomSize, values.source);
  writeFileSync(saved, JSON.stringify([...baseline]));
  console.log(`heap per connection (${n} connections): roomkit ${total(roomkit).toFixed(0)} B, baseline ${total(baseline).toFixed(0)} B`);
  const top = Number(values.top);
  console.log("\nby kind alone:");
  table(byKind(roomkit), byKind(baseline), top);
  console.log("\nby kind and the two objects that hold it:");
  table(roomkit, baseline, top);
}

/** The tallies summed over their holders: `array <- Set <- Foo` counts as `array`. */
function byKind(tallies: Map<string, Tally>): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const [key, { count, bytes }] of tallies) {
    const kind = key.split(" <- ")[0]!;
    const sum = out.get(kind) ?? { count: 0, bytes: 0 };
    out.set(kind, { count: sum.count + count, bytes: sum.bytes + bytes });
  }
  return out;
}

/** Prints the `top` kinds whose bytes per connection differ most between the two sides. */
function table(roomkit: Map<string, Tally>, baseline: Map<string, Tally>, top: number): void {
  const keys = new Set([...roomkit.keys(), ...baseline.keys()]);
  const diff = [...keys].map((k) => ({ k, d: (roomkit.get(k)?.bytes ?? 0) - (baseline.get(k)?.bytes ?? 0) }));
  diff.sort((x, y) => Math.abs(y.d) - Math.abs(x.d));
  console.log("  roomkit bytes count   baseline bytes count  kind (sorted by the difference)");
  for (const { k } of diff.slice(0, top)) console.log(row(k, roomkit.get(k), baseline.get(k)));
}

await main();
