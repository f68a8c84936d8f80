import http = require("node:http");
import type { AddressInfo } from "node:net";
import socketio = require("socket.io");
import roomkit = require("@roomkit/server");
import shared = require("./contract.cjs");

// A CommonJS server on memory stores (require() of the ESM packages). Prints its port, stops on SIGTERM.
const secret = process.env.JWT_SECRET;
if (!secret) throw new Error("JWT_SECRET is not set");
const server = http.createServer();
const io = new socketio.Server(server);
const rk = roomkit.createRoomkit(io, { contract: shared.contract, authenticate: roomkit.jwtAuth({ key: secret }) });

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ port, stores: "memory" }));
});
process.on("SIGTERM", async () => {
  await rk.close();
  io.close();
});
