import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { closeClients } from "../../client/test/support/clients.js";
import { offlineDuringImages } from "../../client/test/support/image-recovery.js";
import type { RedisClient } from "../src/client.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { startRoomkitNode } from "./support/roomkit-node.js";
import type { RoomkitNode } from "./support/roomkit-node.js";
import { REDIS_URL, needRedis } from "./support/services.js";

const redis = await needRedis();

// The SDK case of finding 2b across two nodes: the images are stored in Redis by one node and replayed by the other.
describe.runIf(redis)("recovery of a gap larger than one packet, on two nodes", () => {
  let client: RedisClient;
  const prefixes: string[] = [];
  let nodes: RoomkitNode[] = [];
  beforeAll(async () => {
    client = await testClient();
  });
  afterEach(async () => {
    closeClients();
    await Promise.all(nodes.splice(0).map((node) => node.close()));
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(client, prefix);
    await client.close();
  });

  it("an SDK client offline during 50 image messages sent on another node recovers every one, in order, once, with no disconnect", async () => {
    const prefix = uniquePrefix("image-recovery");
    prefixes.push(prefix);
    nodes = [
      await startRoomkitNode({ url: REDIS_URL, prefix, nodeId: "a" }),
      await startRoomkitNode({ url: REDIS_URL, prefix, nodeId: "b" }),
    ];
    await offlineDuringImages({ alice: nodes[0]!, bob: nodes[1]! });
  });
});
