import { describe, expect, it } from "vitest";
import { ownRedis } from "./support/redis-server.js";
import { needRedisServer, pingRedis } from "./support/services.js";

const binary = needRedisServer();

describe.runIf(binary)("a redis-server of the test's own", () => {
  it("is started once however often start() is called, and destroy() leaves none running", async () => {
    const redis = await ownRedis(binary as string);
    try {
      await redis.start(); // as an afterAll does, in case a test left it stopped
      expect(await pingRedis(redis.url, 500)).toBe(true);
    } finally {
      await redis.destroy();
    }
    expect(await pingRedis(redis.url, 500)).toBe(false);
  });

  it("answers again after stop(), crash() and freeze(), each followed by start()", async () => {
    const redis = await ownRedis(binary as string);
    try {
      for (const interrupt of [() => redis.stop(), () => redis.crash(), async () => redis.freeze()]) {
        await interrupt();
        await redis.start();
        expect(await pingRedis(redis.url, 500)).toBe(true);
      }
    } finally {
      await redis.destroy();
    }
    expect(await pingRedis(redis.url, 500)).toBe(false);
  });
});
