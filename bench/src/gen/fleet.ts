import { userId } from "../contract.js";
import type { RoomSpec } from "../contract.js";
import type { Side } from "../method.js";
import { implOf } from "../method.js";
import { spawnServer } from "../servers/process.js";
import type { ServerProcess, SpawnOptions } from "../servers/process.js";
import type { ServerOptions } from "../servers/types.js";
import { inBatches } from "./clock.js";
import { createClient } from "./client.js";
import type { ChatClient } from "./client.js";

/** One side's servers and its connected users. */
export interface Fleet {
  side: Side;
  servers: ServerProcess[];
  clients: ChatClient[];
}

/** Where and how the runner starts server processes. */
export interface Launch {
  cpus?: string;
  source?: boolean;
  /** Options of every server this launch starts (a workload's own `opts.server` wins). */
  server?: ServerOptions;
}

/** How many connections are opened at once while setting up. */
const CONNECT_WIDTH = 50;

/**
 * Starts `nodes` server processes of a side (rooms created through the first), and connects
 * users `u0..u<users-1>`, user i to node i mod nodes.
 */
export async function launchFleet(
  side: Side,
  users: number,
  launch: Launch,
  opts: { nodes?: number; rooms?: RoomSpec[]; server?: ServerOptions } = {},
): Promise<Fleet> {
  const spawn: SpawnOptions = { ...launch, ...(opts.server ? { server: opts.server } : {}) };
  const servers: ServerProcess[] = [];
  for (let n = 0; n < (opts.nodes ?? 1); n++) servers.push(await spawnServer(implOf(side), spawn));
  const fleet: Fleet = { side, servers, clients: [] };
  try {
    if (opts.rooms) {
      // Roomkit keeps rooms in its (shared) store; the baseline and relay keep them per node, so each node is told.
      const owners = implOf(side) === "roomkit" ? servers.slice(0, 1) : servers;
      for (const s of owners) await s.createRooms(opts.rooms);
    }
    fleet.clients = Array.from({ length: users }, (_, i) => createClient(implOf(side), servers[i % servers.length]!.url, userId(i)));
    await inBatches(fleet.clients, CONNECT_WIDTH, (c) => c.connect());
    return fleet;
  } catch (err) {
    await landFleet(fleet);
    throw err;
  }
}

/** Disconnects every client and stops the servers. */
export async function landFleet(fleet: Fleet): Promise<void> {
  for (const c of fleet.clients) c.disconnect();
  await Promise.all(fleet.servers.map((s) => s.stop()));
}

/** Subscribes every client to the channels `channelsOf` names, failing on any refusal. */
export async function subscribeAll(clients: readonly ChatClient[], channelsOf: (i: number) => string[]): Promise<Map<string, number>[]> {
  return inBatches(clients, CONNECT_WIDTH, async (c, i) => {
    const seqs = new Map<string, number>();
    for (const channel of channelsOf(i)) {
      const r = await c.subscribe(channel);
      if (!r.ok) throw new Error(`${c.user} could not subscribe to ${channel}: ${r.error}`);
      seqs.set(channel, r.seq);
    }
    return seqs;
  });
}
