import { afterAll, beforeAll, describe } from "vitest";
import { redisStores } from "@roomkit/redis";
import type { RedisStores } from "@roomkit/redis";
import type { RedisClient } from "../src/client.js";
import { describeResources } from "../../server/test/resources/index.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { needRedis } from "./support/services.js";

const redis = await needRedis();

// The server's resource attacks on the Redis stores.
describe.runIf(redis)("redis", () => {
  let client: RedisClient;
  const made: [RedisStores, string][] = [];
  beforeAll(async () => {
    client = await testClient();
  });
  afterAll(async () => {
    for (const [stores, prefix] of made) {
      await stores.close();
      await deleteKeys(client, prefix);
    }
    await client.close();
  });
  describeResources({
    name: "redis",
    stores: () => {
      const prefix = uniquePrefix("resources");
      const stores = redisStores({ client, prefix });
      made.push([stores, prefix]);
      return stores;
    },
  });
});
