import { describe } from "vitest";
import type { RedisClusterClient } from "../src/cluster-client.js";
import { ownCluster } from "./support/cluster.js";
import type { OwnCluster } from "./support/cluster.js";
import { describeThreeNodes } from "./support/multinode-suite.js";
import { uniquePrefix } from "./support/redis.js";
import { needRedisServer } from "./support/services.js";

const binary = needRedisServer();

describe.runIf(binary)("on a Redis Cluster", () => {
  let cluster: OwnCluster;
  let client: RedisClusterClient;
  describeThreeNodes(
    "three nodes on a Redis Cluster of three primaries",
    uniquePrefix("cluster-multinode"),
    async () => {
      cluster = await ownCluster(binary as string, { primaries: 3 });
      client = await cluster.client();
      return {
        env: { REDIS_URL: cluster.url, REDIS_CLUSTER: "1" },
        // Each channel is counted on the primary of its slot.
        shardSubscribers: (channels) =>
          Promise.all(
            channels.map(async (channel) => {
              const [, count] = (await client.sendCommand(channel, true, ["PUBSUB", "SHARDNUMSUB", channel])) as [string, number];
              return count;
            }),
          ),
        subscriber: async () => {
          const spy = client.duplicate();
          spy.on("error", () => undefined);
          return spy.connect();
        },
      };
    },
    async () => {
      await cluster?.destroy();
    },
  );
});
