import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { Message } from "@roomkit/protocol";
import { Follower } from "./support/follower.js";
import { ownCluster } from "./support/cluster.js";
import type { OwnCluster } from "./support/cluster.js";
import { collect, connectUser, eventually, ok, request } from "./support/nodes.js";
import { uniquePrefix } from "./support/redis.js";
import { startRoomkitNode } from "./support/roomkit-node.js";
import type { RoomkitNode } from "./support/roomkit-node.js";
import { needRedisServer } from "./support/services.js";

const binary = needRedisServer();
const STREAM = 60;
const KILL_AFTER = 20;

describe.runIf(binary)("a Redis Cluster primary killed while messages flow (three primaries, a replica each)", () => {
  const prefix = uniquePrefix("cluster-failover");
  let cluster: OwnCluster;
  let nodes: RoomkitNode[] = [];
  const sockets: Socket[] = [];
  const connectTo = async (node: RoomkitNode, userId: string) => {
    const socket = await connectUser(node.url, userId);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    cluster = await ownCluster(binary as string, { primaries: 3, replicas: 1 });
    const options = { cluster: true, url: cluster.url, prefix, commandTimeoutMs: 1500 };
    // Every append and change is acknowledged only once a replica has it.
    const messages = { waitForReplicas: 1, waitTimeoutMs: 500 };
    nodes = await Promise.all(["f0", "f1"].map((nodeId) => startRoomkitNode({ ...options, nodeId, messages })));
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all(nodes.map((node) => node.close()));
    await cluster?.destroy();
  });

  it("keeps every acknowledged message (WAIT 1), in seq order, and delivers live again across nodes once the replica took over", async () => {
    // A channel whose stream and whose broadcasts (its shard channel) are on the same primary: the one killed.
    let channel = "chat:failover";
    for (let i = 0; ; i++) {
      channel = `chat:failover-${i}`;
      const [keys, broadcasts] = await Promise.all([cluster.primaryOf(`{${channel}}`), cluster.primaryOf(`${prefix}io#/#${channel}#`)]);
      if (keys === broadcasts) break;
    }
    const victim = await cluster.primaryOf(`{${channel}}`);
    const publisher = await connectTo(nodes[0]!, "pub");
    const reader = await connectTo(nodes[1]!, "reader");
    const follower = new Follower(await connectTo(nodes[1]!, "follower"), channel);
    await ok(publisher, "rk:subscribe", { channel });
    await ok(reader, "rk:subscribe", { channel });
    const live = collect<{ message: Message }>(reader, "rk:message");
    await eventually(() => expect(follower.subscribed).toBe(true));

    const refusals: string[] = [];
    let failover: Promise<void> | undefined;
    for (let i = 1; i <= STREAM; i++) {
      // As a client does: retry with the same clientId until acknowledged.
      for (;;) {
        const ack = await request(publisher, "rk:publish", { channel, body: { text: `m${i}` }, clientId: `c${i}` }).catch((err: Error) => ({
          ok: false as const,
          error: { code: `timeout: ${err.message}` },
        }));
        if (ack.ok) {
          expect(ack.message.seq).toBe(i);
          break;
        }
        refusals.push(ack.error.code);
        if (refusals.length > 200 || !/^(UNAVAILABLE|timeout)/.test(ack.error.code)) throw new Error(`refused: ${refusals.join(", ")}`);
        await new Promise((done) => setTimeout(done, 100));
      }
      // The killed node comes back as its supervisor would restart it, and rejoins as the replica of
      // the promoted one: until then that shard has no replica, and WAIT 1 refuses its writes.
      if (i === KILL_AFTER) failover = cluster.killAndFailOver(victim).then(() => cluster.restart(victim));
    }
    await failover;
    expect(refusals.length).toBeGreaterThan(0); // the kill was mid-stream: some sends waited for the replica
    expect(new Set(refusals)).toEqual(new Set(["UNAVAILABLE"]));

    const all = Array.from({ length: STREAM }, (_, i) => i + 1);
    await eventually(() => expect(follower.last).toBe(STREAM), 20_000);
    expect(follower.delivered.map((m) => m.seq)).toEqual(all);
    expect(follower.delivered.map((m) => m.body)).toEqual(all.map((i) => ({ text: `m${i}` })));
    expect(follower.lost).toEqual([]);

    const { messages } = await ok(await connectTo(nodes[1]!, "late"), "rk:history", { channel, limit: 100 });
    expect(messages.map((m: Message) => m.seq)).toEqual(all);
    expect(messages.map((m: Message) => m.clientId)).toEqual(all.map((i) => `c${i}`));

    // Broadcasts through the promoted primary reach the other node live again.
    const before = live.length;
    await ok(publisher, "rk:publish", { channel, body: { text: "after" } });
    await eventually(() => expect(live.slice(before).map((p) => p.message.body)).toEqual([{ text: "after" }]), 10_000);
  }, 90_000);
});
