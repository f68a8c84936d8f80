import { afterEach, describe, expect, it } from "vitest";
import { autoClose, startApp } from "@roomkit/testing";
import { needRedis } from "../../redis/test/support/services.js";
import { chatOptions, login } from "./support/chat-app.js";

const redis = await needRedis();

autoClose(afterEach);

describe.runIf(redis)("several nodes on one Redis, in this process", () => {
  it("puts clients on chosen nodes, and a DM crosses from one node to another", async () => {
    const app = await startApp({ app: chatOptions(), login, redis: { nodes: 3 } });
    const alice = await app.connect("alice", { node: 0 });
    const bob = await app.connect("bob", { node: 2 });
    expect(alice.isOn(app.nodes[0]!.port)).toBe(true);
    expect(bob.isOn(app.nodes[2]!.port)).toBe(true);
    await alice.dm("bob").send({ text: "across nodes" });
    expect(await bob.next("message", { channel: "dm:alice|bob" })).toMatchObject({ from: "alice", body: { text: "across nodes" } });
    await bob.moveTo(1);
    expect(bob.isOn(app.nodes[1]!.port)).toBe(true);
    await alice.dm("bob").send({ text: "after the move" });
    expect((await bob.next("message", { channel: "dm:alice|bob" })).body!.text).toBe("after the move");
  });

  it("kill(): the node's clients move to the others, and its members leave presence once the others sweep it", async () => {
    const app = await startApp({ app: chatOptions(), login, redis: { nodes: 3 } });
    const alice = await app.connect("alice", { node: 0 });
    const bob = await app.connect("bob", { node: 1 });
    // carol waits a minute before reconnecting: only the sweep of her dead node can take her out of the lobby.
    const carol = await app.connect("carol", { node: 1, client: { reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000 } } });
    await alice.channel("lobby:main").subscribe();
    await carol.channel("lobby:main").subscribe();
    await alice.next("presence", (p) => p.joins.some((m) => m.userId === "carol"));
    await app.nodes[1]!.kill();
    expect(carol.received("bye")).toEqual([]);
    // A crash, not a shutdown: her entry is still in Redis, until a live node sweeps the dead one.
    expect((await app.nodes[0]!.rk.presence("lobby:main")).map((m) => m.userId)).toContain("carol");
    await bob.connected();
    expect(bob.isOn(app.nodes[1]!.port)).toBe(false);
    await alice.dm("bob").send({ text: "still there?" });
    expect((await bob.next("message", { channel: "dm:alice|bob" })).body!.text).toBe("still there?");
    await alice.next("presence", (p) => p.leaves.some((m) => m.userId === "carol"));
  });

  it("restart() of one node keeps the shared stores: history survives it", async () => {
    const app = await startApp({ app: chatOptions(), login, redis: { nodes: 2 } });
    await app.nodes[1]!.rk.publish("news:today", { headline: "first" });
    await app.nodes[1]!.restart();
    expect((await app.nodes[1]!.rk.history("news:today")).messages.map((m) => m.body)).toEqual([{ headline: "first" }]);
    await expect(app.nodes[1]!.restart({ stores: "fresh" })).rejects.toThrow(/fresh stores are for memory stores/);
  });
});
