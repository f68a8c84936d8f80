import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { Message, PresencePush } from "@roomkit/protocol";
import type { RedisClient } from "../src/client.js";
import { connectUser, eventually, next, ok, startNodes, stopNodes } from "./support/nodes.js";
import { describeThreeNodes } from "./support/multinode-suite.js";
import type { NodeProcess } from "./support/nodes.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { needRedis } from "./support/services.js";

const redis = await needRedis();

describe.runIf(redis)("on one Redis", () => {
  let client: RedisClient;
  const prefix = uniquePrefix("multinode");
  describeThreeNodes(
    "three nodes on one Redis",
    prefix,
    async () => {
      client = await testClient();
      return {
        env: {},
        shardSubscribers: async (channels) => {
          const flat = (await client.sendCommand(["PUBSUB", "SHARDNUMSUB", ...channels])) as unknown[];
          return flat.filter((_, i) => i % 2 === 1) as number[];
        },
        subscriber: async () => {
          const spy = client.duplicate();
          spy.on("error", () => undefined);
          return spy.connect();
        },
      };
    },
    async () => {
      await deleteKeys(client, prefix);
      await client.close();
    },
  );
});

describe.runIf(redis)("two nodes with the classic adapter", () => {
  const prefix = uniquePrefix("classic");
  let nodes: NodeProcess[];
  let client: RedisClient;
  const sockets: Socket[] = [];
  const connectTo = async (node: NodeProcess, userId: string) => {
    const socket = await connectUser(node.url, userId);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    client = await testClient();
    nodes = await startNodes(["c0", "c1"], prefix, { ADAPTER: "classic" });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await stopNodes(nodes ?? []);
    await deleteKeys(client, prefix);
    await client.close();
  });

  it("delivers DMs, room messages and presence across nodes", async () => {
    expect(nodes.map((node) => node.adapter)).toEqual(["classic", "classic"]);
    const alice = await connectTo(nodes[0]!, "alice");
    const bob = await connectTo(nodes[1]!, "bob");
    const dm = next<{ message: Message }>(bob, "rk:message");
    await ok(alice, "rk:publish", { channel: "dm:alice|bob", body: { text: "classic" } });
    expect((await dm).message.body).toEqual({ text: "classic" });

    const { room } = await ok(alice, "rk:room:create", { name: "classic", members: ["bob"] });
    await eventually(async () => {
      const { members } = await ok(alice, "rk:presence", { channel: room.channel });
      expect(members.map((m: { userId: string }) => m.userId).sort()).toEqual(["alice", "bob"]);
    });
    const said = next<{ message: Message }>(alice, "rk:message");
    await ok(bob, "rk:publish", { channel: room.channel, body: { text: "hi room" } });
    expect((await said).message).toMatchObject({ from: "bob", seq: 1 });

    const left = next<PresencePush>(alice, "rk:presence", (p) => p.leaves.length > 0);
    bob.disconnect();
    expect(await left).toMatchObject({ channel: room.channel, leaves: [{ userId: "bob" }] });
  });
});
