import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { ChangeEntry } from "@roomkit/protocol";
import { offlineDuringChanges } from "../../server/test/support/change-recovery.js";
import type { ChangeNode } from "../../server/test/support/change-recovery.js";
import type { RedisClient } from "../src/client.js";
import { connectUser, next, ok } from "./support/nodes.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { startRoomkitNode } from "./support/roomkit-node.js";
import type { RoomkitNode } from "./support/roomkit-node.js";
import { REDIS_URL, needRedis } from "./support/services.js";

const redis = await needRedis();

describe.runIf(redis)("changes across two nodes on one Redis", () => {
  let client: RedisClient;
  const prefixes: string[] = [];
  let nodes: RoomkitNode[] = [];
  const sockets: Socket[] = [];
  const start = async () => {
    const prefix = uniquePrefix("changes-multinode");
    prefixes.push(prefix);
    nodes = [
      await startRoomkitNode({ url: REDIS_URL, prefix, nodeId: "a" }),
      await startRoomkitNode({ url: REDIS_URL, prefix, nodeId: "b" }),
    ];
    return nodes as [RoomkitNode, RoomkitNode];
  };
  const connect = async (node: ChangeNode, userId: string) => {
    const socket = await connectUser((node as RoomkitNode).url, userId);
    sockets.push(socket);
    return socket;
  };
  beforeAll(async () => {
    client = await testClient();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await Promise.all(nodes.splice(0).map((node) => node.close()));
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(client, prefix);
    await client.close();
  });

  it("an edit, a reaction and a delete made on one node reach a reader on the other live, and its history there", async () => {
    const [a, b] = await start();
    const channel = "room:live";
    await a.rk.rooms.create({ owner: "alice", channel, members: ["bob"] });
    const alice = await connect(a, "alice");
    const bob = await connect(b, "bob");
    await ok(alice, "rk:publish", { channel, body: { text: "hi" } });
    const heard = (type: string) => next<{ change: ChangeEntry }>(bob, "rk:change", (p) => p.change.type === type);
    const edited = heard("edit");
    await ok(alice, "rk:edit", { channel, seq: 1, body: { text: "hi there" } });
    expect((await edited).change).toMatchObject({ seq: 2, target: 1, body: { text: "hi there" } });
    const reacted = heard("react");
    await ok(alice, "rk:react", { channel, seq: 1, reaction: "👍" });
    expect((await reacted).change).toMatchObject({ seq: 3, count: 1 });
    expect((await ok(bob, "rk:history", { channel })).messages[0]).toMatchObject({
      body: { text: "hi there" },
      version: 3,
      reactions: [{ reaction: "👍", count: 1, mine: false }],
    });
    const deleted = heard("delete");
    await ok(alice, "rk:delete", { channel, seq: 1 });
    expect((await deleted).change).toMatchObject({ seq: 4, by: "alice" });
    const [tombstone] = (await ok(bob, "rk:history", { channel })).messages;
    expect(tombstone).toMatchObject({ deleted: { by: "alice" }, version: 4 });
    expect(tombstone).not.toHaveProperty("body");
  });

  it("a reader on one node, offline while changes are made on the other, recovers to exactly the shared history view", async () => {
    const [a, b] = await start();
    await offlineDuringChanges({ writer: a, reader: b }, connect, "room:recover");
  });
});
