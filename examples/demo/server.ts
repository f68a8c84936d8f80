import { createServer } from "node:http";
import { Server } from "socket.io";
import { redisRoomkit } from "@roomkit/redis";
import { createRoomkit, isValidUserId } from "@roomkit/server";
import { contract } from "./contract.js";

const port = Number(process.env.PORT ?? 3000);
const http = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("Roomkit demo server. Connect with socket.io-client; see the console for an example.\n");
});
const io = new Server(http, { cors: { origin: true } });

// With REDIS_URL, several of these servers (on different PORTs) act as one; without, in memory.
const redis = process.env.REDIS_URL
  ? await redisRoomkit(io, { url: process.env.REDIS_URL, prefix: "demo:", nodeId: `demo-${port}` })
  : undefined;

const rk = createRoomkit(io, {
  ...(redis ? { stores: redis.stores } : {}),
  contract,
  // DEMO ONLY: whoever says they are `auth.user` is that user. Use jwtAuth({ key }) in a real app.
  authenticate: (handshake) => {
    const id = (handshake.auth as { user?: unknown }).user;
    return isValidUserId(id) ? { id, profile: { name: id } } : null;
  },
  channels: {
    lobby: { authorize: () => true },
    news: { publish: (user) => user.id === "editor" },
  },
});

http.listen(port, () => {
  console.log(`Roomkit demo server on http://localhost:${port} (${redis ? `Redis at ${process.env.REDIS_URL}` : "in-memory stores"})

Connect from Node (npm install socket.io-client):

  import { io } from "socket.io-client";
  const alice = io("http://localhost:${port}", { auth: { user: "alice" } });
  alice.on("rk:welcome", ({ user }) => console.log("signed in as", user.id));
  alice.on("rk:message", ({ message }) => console.log(message.from, message.body));
  alice.emit("rk:publish", { channel: "dm:alice|bob", body: { text: "hi bob" } }, console.log);

Press Ctrl+C to stop.`);
});

const stop = async () => {
  await rk.close();
  await redis?.close();
  io.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
