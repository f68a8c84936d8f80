import { afterAll, beforeAll, describe } from "vitest";
import { describeStoreConformance } from "@roomkit/server/testing";
import { redisStores } from "@roomkit/redis";
import type { RedisStores } from "@roomkit/redis";
import type { RedisClient } from "../src/client.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { needRedis } from "./support/services.js";

const redis = await needRedis();

describe.runIf(redis)("redis stores", () => {
  let client: RedisClient;
  const prefixes = new Map<RedisStores, string>();
  beforeAll(async () => {
    client = await testClient();
  });
  afterAll(() => client.close());

  describeStoreConformance(
    "redis",
    () => {
      const prefix = uniquePrefix("conformance");
      const stores = redisStores({ client, prefix, messages: { maxPerChannel: 200 } });
      prefixes.set(stores, prefix);
      return stores;
    },
    {
      retention: { maxPerChannel: 200 },
      cleanup: async (stores) => {
        await (stores as RedisStores).close();
        await deleteKeys(client, prefixes.get(stores as RedisStores)!);
        prefixes.delete(stores as RedisStores);
      },
    },
  );
});
