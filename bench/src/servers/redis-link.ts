import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { Server } from "socket.io";
import type { RedisAdapterKind } from "./types.js";

export type RedisClient = ReturnType<typeof createClient>;

/** The baseline node's Redis: one command client for its history, and the adapter on a publisher and a subscriber. */
export interface RedisLink {
  client: RedisClient;
  close(): Promise<void>;
}

/**
 * Connects a baseline node to Redis and installs @socket.io/redis-adapter, of the same kind
 * Roomkit uses in the same run (sharded pub/sub on Redis 7, one channel per room; else classic).
 */
export async function linkRedis(io: Server, url: string, prefix: string, kind: RedisAdapterKind): Promise<RedisLink> {
  const client = createClient({ url });
  const pub = client.duplicate();
  const sub = client.duplicate();
  await Promise.all([client.connect(), pub.connect(), sub.connect()]);
  io.adapter(
    kind === "sharded"
      ? createShardedAdapter(pub, sub, { channelPrefix: `${prefix}:io`, subscriptionMode: "dynamic" })
      : createAdapter(pub, sub, { key: `${prefix}:io` }),
  );
  return {
    client,
    async close() {
      await Promise.resolve(io.of("/").adapter.close()).catch(() => undefined);
      await Promise.allSettled([client.close(), pub.close(), sub.close()]);
    },
  };
}
