import { afterEach, describe, expect, it } from "vitest";
import type { ConnectionState } from "@roomkit/client";
import { autoClose, startApp } from "@roomkit/testing";
import { chatOptions, login } from "./support/chat-app.js";

autoClose(afterEach);

describe("faults on demand, on one node with memory stores", () => {
  it("offline(): the connection breaks and stays down until online(); the SDK then recovers what was sent meanwhile", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    const states: ConnectionState["status"][] = [];
    bob.connection.subscribe((s) => states.push(s.status));
    await bob.dm("alice").subscribe();
    await bob.offline();
    await alice.dm("bob").send({ text: "one" });
    await alice.dm("bob").send({ text: "two" });
    expect(bob.connection.current.status).toBe("reconnecting");
    await bob.online();
    expect((await bob.next("message", { channel: "dm:alice|bob" })).body!.text).toBe("one");
    expect((await bob.next("message", { channel: "dm:alice|bob" })).body!.text).toBe("two");
    expect(states[0]).toBe("reconnecting");
    expect(states.at(-1)).toBe("connected");
  });

  it("drop(): a network failure without goodbye, from which the SDK reconnects by itself", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const bob = await app.connect("bob");
    const welcome = await bob.next("welcome");
    await bob.drop();
    expect(bob.connection.current).toMatchObject({ status: "reconnecting", reason: "transport-closed" });
    await bob.connected();
    expect(await bob.next("welcome")).toEqual(welcome);
    expect(bob.received("bye")).toEqual([]);
  });

  it("pause(): nothing moves either way until resume(), then everything held arrives in order", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    await bob.dm("alice").subscribe();
    bob.pause();
    let answered = false;
    const unread = bob.unread().then(() => (answered = true));
    for (const text of ["a", "b", "c"]) await alice.dm("bob").send({ text });
    await alice.settle();
    expect(answered).toBe(false);
    expect(bob.received("message")).toEqual([]);
    bob.resume();
    await unread;
    for (const text of ["a", "b", "c"]) expect((await bob.next("message", { channel: "dm:alice|bob" })).body!.text).toBe(text);
  });

  it("restart(): a graceful restart on the same port says goodbye; with the same stores, history and seq go on", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const bob = await app.connect("bob");
    const news = bob.channel("news:today");
    await news.subscribe();
    await app.rk.publish("news:today", { headline: "before" });
    await bob.next("message", { seq: 1 });
    const port = app.nodes[0]!.port;
    await app.nodes[0]!.restart();
    expect(await bob.next("bye")).toMatchObject({ reason: "shutdown" });
    await bob.connected();
    expect(app.nodes[0]!.port).toBe(port);
    await news.subscribe();
    await app.rk.publish("news:today", { headline: "after" });
    expect(await bob.next("message", { channel: "news:today" })).toMatchObject({ seq: 2, body: { headline: "after" } });
  });

  it("restart({ stores: 'fresh' }): the server remembers nothing, and the SDK resets the channel", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const bob = await app.connect("bob");
    const news = bob.channel("news:today");
    await news.subscribe();
    await app.rk.publish("news:today", { headline: "before" });
    await bob.next("message", { seq: 1 });
    const reset = new Promise((done) => news.on("reset", done));
    await app.nodes[0]!.restart({ stores: "fresh" });
    await bob.connected();
    expect(await reset).toMatchObject({ messages: [] });
    expect((await app.rk.publish("news:today", { headline: "after" })).seq).toBe(1);
  });

  it("kill(): the connections are cut with no goodbye; start() brings the node back on its port", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const bob = await app.connect("bob");
    const node = app.nodes[0]!;
    await node.kill();
    expect(node.up).toBe(false);
    await expect(bob.connected({ timeoutMs: 200 })).rejects.toThrow(
      /^bob did not connect within 200 ms \(connection: reconnecting \((transport-closed|unreachable)\)\)/,
    );
    await node.start();
    await bob.connected();
    expect(bob.received("bye")).toEqual([]);
  });

  it("close() stops every client and server it started, and a second close() is a no-op", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const bob = await app.connect("bob");
    await app.close();
    expect(bob.connection.current.status).toBe("disconnected");
    expect(app.nodes[0]!.up).toBe(false);
    await app.close();
    await expect(app.connect("carol")).rejects.toThrow("the app is closed");
  });
});
