import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { changesWhileDropping, offlineDuringImageChanges } from "../../client/test/support/change-scenarios.js";
import { closeClients } from "../../client/test/support/clients.js";
import type { RedisClient } from "../src/client.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { startRoomkitNode } from "./support/roomkit-node.js";
import type { RoomkitNode } from "./support/roomkit-node.js";
import { REDIS_URL, needRedis } from "./support/services.js";

const redis = await needRedis();

// The SDK's folded views across nodes: each change is made on one node and read on another.
describe.runIf(redis)("SDK views of changing messages, on several nodes", () => {
  let client: RedisClient;
  const prefixes: string[] = [];
  const nodes: RoomkitNode[] = [];
  const start = async (count: number) => {
    const prefix = uniquePrefix("client-changes");
    prefixes.push(prefix);
    for (let i = 0; i < count; i++) nodes.push(await startRoomkitNode({ url: REDIS_URL, prefix, nodeId: `n${i}` }));
    return nodes;
  };
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

  it("three users on three nodes change messages while their transports close: every view ends equal to the history", async () => {
    const [a, b, c] = await start(3);
    await changesWhileDropping({ alice: a!, bob: b!, carol: c! });
  });

  it("a reader on another node than the writer recovers image edits, reactions and deletes through a cut replay", async () => {
    const [a, b] = await start(2);
    await offlineDuringImageChanges({ alice: a!, bob: b! });
  });
});
