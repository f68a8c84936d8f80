import { describe, expectTypeOf, it } from "vitest";
import { createRedisCluster, redisRoomkit, redisStores } from "@roomkit/redis";
import type { RedisClusterClient, RedisRoomkitOptions, RedisStoresOptions } from "@roomkit/redis";

describe("cluster options", () => {
  it("selects a cluster with one boolean, and takes a cluster client where a client goes", () => {
    expectTypeOf<RedisRoomkitOptions["cluster"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<RedisClusterClient>().toMatchTypeOf<RedisStoresOptions["client"]>();
    expectTypeOf(createRedisCluster).parameter(0).toHaveProperty("urls").toEqualTypeOf<string[]>();
    expectTypeOf(redisRoomkit).returns.resolves.toHaveProperty("stores");
    expectTypeOf(redisStores).parameter(0).toHaveProperty("messages");
  });

  it("refuses options of the wrong type", () => {
    // @ts-expect-error cluster is a boolean, not the URL
    const url: RedisRoomkitOptions = { cluster: "redis://a:7000" };
    // @ts-expect-error the replicas to wait for are a number
    const wait: RedisRoomkitOptions = { messages: { waitForReplicas: "1" } };
    // @ts-expect-error a cluster client takes seed URLs, not one URL
    const seeds: Parameters<typeof createRedisCluster>[0] = { url: "redis://a:7000" };
    expectTypeOf([url, wait, seeds]).toBeArray();
  });
});
