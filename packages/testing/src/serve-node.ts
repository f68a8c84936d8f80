import { createServer } from "node:http";
import type { Socket } from "node:net";
import { Server } from "socket.io";
import type { ServerOptions } from "socket.io";
import type { AnyContract } from "@roomkit/protocol";
import type { RedisRoomkitOptions } from "@roomkit/redis";
import { listen, setUpRoomkit } from "./node.js";
import type { RoomkitSetup } from "./node.js";
import { TEST_PRESENCE } from "./redis-source.js";

/** The environment variable through which the kit tells a child process which node it is. */
export const NODE_ENV_KEY = "ROOMKIT_TESTING_NODE";

/** What a child process of {@link startAppProcesses} is told: its node, port and Redis wiring, and in module mode what to import. */
export interface ChildNodeConfig {
  name: string;
  /** 0 on its first start, then the port it had. */
  port: number;
  io: Partial<ServerOptions>;
  redis: RedisRoomkitOptions;
  /** Module mode: the file URL of the app's module, and the name of its export. */
  module?: string;
  export?: string;
}

/** What a child sends its parent over IPC once it listens. */
export interface ReadyMessage {
  ready: number;
}

/** The config of this child process; throws when it was not started by the kit. */
export function childNodeConfig(): ChildNodeConfig {
  const raw = process.env[NODE_ENV_KEY];
  if (!raw || !process.send)
    throw new Error(`serveTestNode runs in a child process that startAppProcesses started (${NODE_ENV_KEY} is not set)`);
  return JSON.parse(raw) as ChildNodeConfig;
}

/**
 * Serves the app's Roomkit configuration as one node of {@link startAppProcesses}, in the child
 * process the kit started: a Socket.IO server on the node's port with the Redis stores and adapter
 * (`redisRoomkit`) under the app's key prefix. Resolves once it listens; SIGTERM stops it gracefully
 * (`rk:bye`, then the connections close), SIGKILL is a crash, and it exits when the test's process goes.
 * A script given as `startAppProcesses({ run: { script } })` calls it; in module mode the kit does.
 *
 * @example
 * // test/chat-node.ts, run by startAppProcesses({ run: { script: new URL("./chat-node.ts", import.meta.url) }, login })
 * import { serveTestNode } from "@roomkit/testing";
 * import { roomkitOptions } from "../src/server.js";
 * await serveTestNode(roomkitOptions(Buffer.from(process.env.JWT_SECRET!, "hex")));
 */
export async function serveTestNode<C extends AnyContract>(app: RoomkitSetup<C>): Promise<void> {
  const config = childNodeConfig();
  // Loaded only here: apps that never run several nodes need not install @roomkit/redis.
  const redis = await import("@roomkit/redis");
  const http = createServer();
  const sockets = new Set<Socket>();
  http.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const io = new Server(http, config.io);
  const wired = await redis.redisRoomkit(io, { ...config.redis, presence: { ...TEST_PRESENCE, ...config.redis.presence } });
  const rk = await setUpRoomkit(app, io, { stores: wired.stores, node: config.name });
  const port = await listen(http, config.port);

  process.once("SIGTERM", async () => {
    await rk.close().catch(() => undefined);
    await wired.close().catch(() => undefined);
    // What was written (the goodbyes) goes out, then the connections end.
    for (const socket of sockets) socket.end();
    setTimeout(() => process.exit(0), 1000).unref();
    await new Promise((done) => io.close(done));
    process.exit(0);
  });
  // The test's process is gone (where the kernel did not take this one along): a node alone serves nobody.
  process.once("disconnect", () => process.exit(1));
  process.send!({ ready: port } satisfies ReadyMessage);
}
