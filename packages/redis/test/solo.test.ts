import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { RedisClient } from "../src/client.js";
import { connectUser, eventually, next, ok } from "./support/nodes.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { startRoomkitNode } from "./support/roomkit-node.js";
import type { RoomkitNode } from "./support/roomkit-node.js";
import { needRedis } from "./support/services.js";

const redis = await needRedis();

// A node alone on its Redis keeps its broadcasts local; a node that joins hears everything from its start.
describe.runIf(redis)("a node alone (sharded adapter, one Redis)", () => {
  const prefix = uniquePrefix("solo");
  let client: RedisClient;
  let spy: RedisClient;
  let a: RoomkitNode;
  const sockets: Socket[] = [];
  /** What the spy heard on bob's user channel, the one a DM to bob is published on. */
  const heard: string[] = [];
  const bobChannel = `${prefix}io#/#user:bob#`;
  const connectTo = async (node: RoomkitNode, user: string) => {
    const socket = await connectUser(node.url, user);
    sockets.push(socket);
    return socket;
  };
  /** Whether a DM from alice to bob was published: after bob has it, a marker on the same channel comes after any publish of it. */
  const published = async (alice: Socket, bob: Socket, text: string) => {
    const got = next(bob, "rk:message", (p: { message: { body: { text: string } } }) => p.message.body.text === text);
    await ok(alice, "rk:publish", { channel: "dm:alice|bob", body: { text } });
    await got;
    const marker = `marker ${text}`;
    await client.sendCommand(["SPUBLISH", bobChannel, marker]);
    await eventually(() => expect(heard).toContain(marker));
    return heard.some((m) => m.includes(text) && m !== marker);
  };

  beforeAll(async () => {
    client = await testClient();
    spy = client.duplicate();
    spy.on("error", () => undefined);
    await spy.connect();
    await spy.sSubscribe(bobChannel, (message) => heard.push(message));
    a = await startRoomkitNode({ prefix });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await a?.close();
    await spy?.close();
    await deleteKeys(client, prefix);
    await client.close();
  });

  it("delivers a DM between its own users without publishing it, and publishes again from the moment a second node starts", async () => {
    const alice = await connectTo(a, "alice");
    const bob = await connectTo(a, "bob");
    let n = 0;
    // Alone once its first check has seen no other node; until then it publishes.
    await eventually(async () => expect(await published(alice, bob, `alone ${++n}`)).toBe(false));

    const b = await startRoomkitNode({ prefix });
    try {
      const carol = await connectTo(b, "carol");
      // No wait: the new node's hello made the first one publish before it took connections.
      const got = next(carol, "rk:message", (p: { message: { body: { text: string } } }) => p.message.body.text === "across");
      await ok(alice, "rk:publish", { channel: "dm:alice|carol", body: { text: "across" } });
      await got;
      expect(await published(alice, bob, "two nodes")).toBe(true);
    } finally {
      await b.close();
    }
    await eventually(async () => expect(await published(alice, bob, `alone again ${++n}`)).toBe(false));
  }, 30_000);
});
