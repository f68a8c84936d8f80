import { afterAll, beforeAll } from "vitest";
import { redisStores } from "@roomkit/redis";
import type { RedisStores } from "@roomkit/redis";
import type { RedisClient } from "../../src/client.js";
import type { AttackEnv } from "../../../server/test/attacks/env.js";
import { deleteKeys, testClient, uniquePrefix } from "./redis.js";

/**
 * The Redis stores as an {@link AttackEnv} for the server's attack and resource suites: fresh
 * stores under a prefix of their own for every server, all closed and deleted after the file.
 * Call it inside a `describe`.
 */
export function redisAttackEnv(name: string): AttackEnv {
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
  return {
    name: "redis",
    stores: () => {
      const prefix = uniquePrefix(name);
      const stores = redisStores({ client, prefix });
      made.push([stores, prefix]);
      return stores;
    },
  };
}
