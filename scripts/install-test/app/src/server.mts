import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { createRoomkit, jwtAuth } from "@roomkit/server";
import { roomkitMetrics } from "@roomkit/server/metrics";
import { redisRoomkit } from "@roomkit/redis";
import { postgresStores } from "@roomkit/postgres";
import { contract } from "./contract.mjs";

// An ESM server: memory stores, Redis stores (under REDIS_PREFIX) when REDIS_URL is set, and PostgreSQL for
// messages, rooms and read state (in PG_SCHEMA, migrated by the bin beforehand) when DATABASE_URL is set;
// Prometheus metrics at /metrics on the same HTTP server. Prints its port, stops on SIGTERM.
const secret = process.env.JWT_SECRET;
if (!secret) throw new Error("JWT_SECRET is not set");
const metrics = roomkitMetrics();
const http = createServer((req, res) => {
  if (req.url === "/metrics") return metrics.handler(req, res);
  res.writeHead(404).end();
});
const io = new Server(http);
const redisUrl = process.env.REDIS_URL;
const redis = redisUrl ? await redisRoomkit(io, { url: redisUrl, prefix: process.env.REDIS_PREFIX ?? "app:" }) : undefined;
const databaseUrl = process.env.DATABASE_URL;
const durable = databaseUrl
  ? await postgresStores({
      url: databaseUrl,
      schema: process.env.PG_SCHEMA ?? "roomkit",
      ...(redis ? { presence: redis.stores.presence } : {}),
    })
  : undefined;
const stores = durable ?? redis?.stores;
const rk = createRoomkit(io, {
  contract,
  authenticate: jwtAuth({ key: secret }),
  ...(stores ? { stores } : {}),
  metrics,
});

http.listen(0, "127.0.0.1", () => {
  const { port } = http.address() as AddressInfo;
  console.log(JSON.stringify({ port, stores: durable ? "postgres" : redis ? "redis" : "memory" }));
});
process.on("SIGTERM", async () => {
  await rk.close();
  await durable?.close();
  await redis?.close();
  io.close();
});
