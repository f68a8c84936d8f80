import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { createRoomkit } from "@roomkit/server";
import type { Stores } from "@roomkit/server";
import type { RoomkitMetrics } from "@roomkit/server/metrics";
import { postgresStores } from "@roomkit/postgres";
import { contract } from "../contract.js";
import type { BenchServer, ServerOptions } from "./types.js";
import { pgAppName } from "./baseline-postgres.js";
import { roomkitOnRedis } from "./roomkit-redis.js";

const MAX_INITIAL_MEMBERS = 100;
/** Once a second: 15 times Prometheus' default scrape interval, so the collection cost shows. */
const SCRAPE_MS = 1000;

/** Metrics on, loaded only when asked (as an app would), and collected as a scraper would. */
async function meter(): Promise<{ collector: RoomkitMetrics; stop: () => void }> {
  const { roomkitMetrics } = await import("@roomkit/server/metrics");
  const collector = roomkitMetrics();
  const timer = setInterval(() => void collector.text(), SCRAPE_MS);
  return { collector, stop: () => clearInterval(timer) };
}

/**
 * Roomkit as an app would set it up: createRoomkit on a websocket-only Socket.IO server, the
 * in-memory stores (or @roomkit/redis, or @roomkit/postgres), default limits and presence grace. `auth.user` is trusted,
 * as in the server's test harness: the cost of verifying a JWT is not what is measured.
 */
export async function startRoomkit(options: ServerOptions): Promise<BenchServer> {
  const http = createServer();
  const io = new Server(http, { transports: ["websocket"], serveClient: false });
  let stores: Partial<Stores> | undefined;
  let closeRedis = async () => {};
  if (options.redis) {
    const node = await roomkitOnRedis(io, options.redis);
    stores = node.stores;
    closeRedis = node.close;
  }
  if (options.postgres) {
    const pg = await postgresStores({
      url: options.postgres.url,
      schema: options.postgres.schema,
      migrate: true,
      applicationName: pgAppName(options.postgres.schema),
    });
    stores = pg;
    closeRedis = () => pg.close();
  }
  const metrics = options.metrics ? await meter() : undefined;
  const rk = createRoomkit(io, {
    contract,
    authenticate: (handshake) => {
      const id = (handshake.auth as { user?: unknown }).user;
      return typeof id === "string" ? { id, profile: {} } : null;
    },
    ...(stores ? { stores } : {}),
    ...(metrics ? { metrics: metrics.collector } : {}),
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  return {
    port: (http.address() as AddressInfo).port,
    async createRooms(rooms) {
      for (const room of rooms) {
        const [owner, ...rest] = room.members;
        if (!owner) continue;
        await rk.rooms.create({ channel: room.id as `room:${string}`, owner, members: rest.slice(0, MAX_INITIAL_MEMBERS - 1) });
        for (const member of rest.slice(MAX_INITIAL_MEMBERS - 1)) await rk.rooms.invite(room.id as `room:${string}`, member);
      }
    },
    connections: () => io.engine.clientsCount,
    async close() {
      metrics?.stop();
      await rk.close();
      await new Promise<void>((done) => io.close(() => done()));
      await closeRedis();
    },
  };
}
