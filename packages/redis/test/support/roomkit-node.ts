import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { createRoomkit } from "../../../server/src/index.js";
import type { Roomkit } from "../../../server/src/index.js";
import { contract } from "../../../server/test/support/contract.js";
import type { TestContract } from "../../../server/test/support/contract.js";
import { redisRoomkit } from "../../src/index.js";
import type { RedisRoomkit, RedisRoomkitOptions } from "../../src/index.js";

/** Short enough for tests: a killed node's members leave within about 1.5 s. */
export const TEST_PRESENCE = { heartbeatMs: 250, nodeTtlMs: 1200 };

export interface RoomkitNode {
  url: string;
  io: Server;
  rk: Roomkit<TestContract>;
  redis: RedisRoomkit;
  close(): Promise<void>;
}

/**
 * A Roomkit server on Redis, on port 0, with the server tests' contract: `auth.user` is
 * trusted as the user id, `lobby` presence and `team` private channels are open to all.
 */
export async function startRoomkitNode(options: RedisRoomkitOptions & { graceMs?: number }): Promise<RoomkitNode> {
  const http = createServer();
  const io = new Server(http, { maxHttpBufferSize: 2e6 });
  const redis = await redisRoomkit(io, { commandTimeoutMs: 1000, presence: TEST_PRESENCE, ...options });
  const rk = createRoomkit(io, {
    contract,
    authenticate: (hs) => {
      const id = (hs.auth as { user?: unknown }).user;
      return typeof id === "string" ? { id, profile: { name: id } } : null;
    },
    channels: {
      team: { authorize: () => true },
      lobby: { authorize: () => true, memberInfo: (user) => ({ name: user.profile.name }) },
    },
    stores: redis.stores,
    presence: { graceMs: options.graceMs ?? 300 },
    limits: { publish: { rate: 1000, burst: 1000 }, userPublish: { rate: 1000, burst: 1000 } },
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    io,
    rk,
    redis,
    async close() {
      await rk.close();
      await redis.close();
      await new Promise((done) => io.close(done));
    },
  };
}
