import { afterEach, describe, expect, it } from "vitest";
import type { Socket } from "socket.io";
import { ok, settled, startServer } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The server's socket of a client. */
const serverSocket = (h: Harness, id: string | undefined): Socket => h.io.of("/").sockets.get(id!)!;

describe("what a connection holds", () => {
  it("a socket has one catch-all listener for every request, and no listener per request name", async () => {
    h = await startServer();
    const alice = await h.client("alice");
    await ok(alice, "rk:subscribe", { channel: "chat:x" });
    const socket = serverSocket(h, alice.id);
    expect(socket.eventNames().filter((name) => String(name).startsWith("rk:"))).toEqual([]);
    expect(socket.listenersAny()).toHaveLength(1);
    expect(socket.listenerCount("disconnect")).toBe(1);
    // One listener function for every socket, not a closure each.
    const bob = await h.client("bob");
    const other = serverSocket(h, bob.id);
    expect(other.listenersAny()[0]).toBe(socket.listenersAny()[0]);
    expect(other.listeners("disconnect")[0]).toBe(socket.listeners("disconnect")[0]);
  });

  it("an event that is no request gets no answer, and the app's own events on the socket still reach the app", async () => {
    h = await startServer();
    h.io.on("connection", (socket) => socket.on("app:ping", (reply: (answer: string) => void) => reply("pong")));
    const alice = await h.client("alice");
    let answered = false;
    alice.emit("rk:no-such-request", {}, () => {
      answered = true;
    });
    expect(await alice.timeout(5000).emitWithAck("app:ping")).toBe("pong");
    // Requests are answered in order: one sent after the unknown event is answered after it would have been.
    await ok(alice, "rk:subscribe", { channel: "chat:x" });
    expect(answered).toBe(false);
  });

  it("a request without an ack still runs, and one with only an ack gets its answer", async () => {
    h = await startServer();
    const [alice, bob] = [await h.client("alice"), await h.client("bob")];
    await Promise.all([ok(alice, "rk:subscribe", { channel: "chat:x" }), ok(bob, "rk:subscribe", { channel: "chat:x" })]);
    const heard = new Promise((done) => bob.once("rk:message", done));
    alice.emit("rk:publish", { channel: "chat:x", body: { text: "no ack" } });
    expect(await heard).toMatchObject({ message: { body: { text: "no ack" } } });
    const ack = await alice.timeout(5000).emitWithAck("rk:subscribe");
    expect(ack).toMatchObject({ ok: false, error: { code: "INVALID" } });
  });

  it("a disconnect leaves the user's sessions and presence with the shared listener", async () => {
    h = await startServer();
    const [alice, bob] = [await h.client("alice"), await h.client("bob")];
    await ok(alice, "rk:subscribe", { channel: "lobby:x" });
    await ok(bob, "rk:subscribe", { channel: "lobby:x" });
    await h.drop(alice);
    await settled(bob);
    const { members } = await ok<{ members: { userId: string }[] }>(bob, "rk:presence", { channel: "lobby:x" });
    expect(members.map((m) => m.userId)).toEqual(["bob"]);
  });
});
