// A Roomkit server in its own process, so a test can read this server's RSS alone (no clients
// in it). Run with `node --import tsx`, TSX_TSCONFIG_PATH at the root tsconfig.test.json, and
// ROOMKIT_LIMITS as JSON. Prints "listening <port>"; `GET /stats` answers `{ rss, sockets }`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { createRoomkit, memoryStores } from "../../src/index.js";
import { contract } from "./contract.js";

const UNLIMITED = { rate: 1_000_000, burst: 1_000_000 };

const http = createServer();
const io = new Server(http, { maxHttpBufferSize: 2e6 });
createRoomkit(io, {
  contract,
  authenticate: (hs) => {
    const id = (hs.auth as { user?: unknown }).user;
    return typeof id === "string" ? { id, profile: { name: id } } : null;
  },
  // Short history, so what the server holds is what the transport holds.
  stores: memoryStores({ messages: { maxPerChannel: 50 } }),
  limits: { publish: UNLIMITED, userPublish: UNLIMITED, ...JSON.parse(process.env.ROOMKIT_LIMITS ?? "{}") },
  presence: { graceMs: 0 },
});

http.on("request", (req, res) => {
  if (req.url !== "/stats") return;
  res.end(JSON.stringify({ rss: process.memoryUsage().rss, sockets: io.of("/").sockets.size }));
});

http.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${(http.address() as AddressInfo).port}\n`));
