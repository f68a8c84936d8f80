import { randomUUID } from "node:crypto";
import { connectRedis, createRedisClient } from "../../src/client.js";
import type { RedisClient } from "../../src/client.js";
import { REDIS_URL } from "./services.js";

/** A key prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `rktest:${name}:${randomUUID().slice(0, 8)}:`;
}

/** A connected client on the test Redis. */
export function testClient(url = REDIS_URL): Promise<RedisClient> {
  return connectRedis(createRedisClient({ url, name: "test" }));
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(client: RedisClient, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = (await client.sendCommand(["SCAN", cursor, "MATCH", `${prefix}*`, "COUNT", "1000"])) as [string, string[]];
    cursor = next;
    if (keys.length > 0) await client.sendCommand(["UNLINK", ...keys]);
  } while (cursor !== "0");
}

/** The keys under `prefix`, sorted. */
export async function keysUnder(client: RedisClient, prefix: string): Promise<string[]> {
  const keys = (await client.sendCommand(["KEYS", `${prefix}*`])) as string[];
  return keys.sort();
}
