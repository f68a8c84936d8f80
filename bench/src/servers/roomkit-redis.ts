import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Server } from "socket.io";
import type { Stores } from "@roomkit/server";
import type { RedisAdapterKind } from "./types.js";

const SOURCE = fileURLToPath(new URL("../../../packages/redis/src/index.ts", import.meta.url));

/** What workload 4 needs from @roomkit/redis: the one-call setup of a node, as its docs show it. */
interface RoomkitRedis {
  redisRoomkit(
    io: Server,
    options: { url: string; prefix: string; adapter: RedisAdapterKind; cluster?: boolean },
  ): Promise<{ stores: Stores; close(): Promise<void> }>;
}

/** Loads @roomkit/redis (from source, like the rest of the bench), or says why it cannot be used yet. */
export async function loadRoomkitRedis(): Promise<{ ok: true; mod: RoomkitRedis } | { ok: false; reason: string }> {
  if (!existsSync(SOURCE)) return { ok: false, reason: "skipped: @roomkit/redis not available (no packages/redis/src/index.ts)" };
  try {
    const mod = (await import(pathToFileURL(SOURCE).href)) as Partial<RoomkitRedis>;
    if (typeof mod.redisRoomkit !== "function") {
      return {
        ok: false,
        reason: `skipped: @roomkit/redis not available (no redisRoomkit export; it has ${Object.keys(mod).join(", ") || "nothing"})`,
      };
    }
    return { ok: true, mod: mod as RoomkitRedis };
  } catch (err) {
    return { ok: false, reason: `skipped: @roomkit/redis not available (${(err as Error).message.split("\n")[0]})` };
  }
}

/** Makes a Socket.IO server a Roomkit node on Redis: the adapter and the shared stores, under `prefix`. */
export async function roomkitOnRedis(
  io: Server,
  redis: { url: string; prefix: string; adapter: RedisAdapterKind; cluster?: boolean },
): Promise<{ stores: Stores; close(): Promise<void> }> {
  const loaded = await loadRoomkitRedis();
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.mod.redisRoomkit(io, {
    url: redis.url,
    prefix: `${redis.prefix}:`,
    adapter: redis.adapter,
    ...(redis.cluster ? { cluster: true } : {}),
  });
}
