import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Server } from "socket.io";
import { redisRoomkit } from "../src/index.js";
import { tcpProxy } from "./support/proxy.js";
import type { TcpProxy } from "./support/proxy.js";
import { uniquePrefix } from "./support/redis.js";
import { REDIS_URL, needRedis } from "./support/services.js";

const redis = await needRedis();

describe.runIf(redis)("redisRoomkit().close() while Redis is unreachable", () => {
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
  });

  it("resolves at once instead of waiting for Redis to come back (a SIGTERM during an outage ends)", async () => {
    proxy = await tcpProxy(() => [Number(new URL(REDIS_URL).port || 6379)]);
    const io = new Server(createServer());
    const wired = await redisRoomkit(io, { url: `redis://127.0.0.1:${proxy.port}`, prefix: uniquePrefix("close-unreachable") });
    proxy.cut();
    await expect
      .poll(() =>
        wired.stores.presence.add({ channel: "lobby:x", userId: "u", connId: "c1", info: {} }).then(
          () => "up",
          () => "down",
        ),
      )
      .toBe("down");
    const outcome = await Promise.race([
      wired.close().then(() => "closed"),
      new Promise((done) => setTimeout(() => done("still waiting after 5 s"), 5000)),
    ]);
    expect(outcome).toBe("closed");
    io.close();
  });
});
