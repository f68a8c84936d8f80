import { afterEach, describe, expect, it } from "vitest";
import { autoClose, startApp } from "@roomkit/testing";
import { chatOptions, login } from "./support/chat-app.js";

autoClose(afterEach);

describe("startApp: the app's own configuration, typed clients as named users", () => {
  it("delivers a DM, typed and stamped, to the user a wait names", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    await alice.dm("bob").send({ text: "hi bob" });
    const message = await bob.next("message", { channel: "dm:alice|bob" });
    expect(message).toMatchObject({ from: "alice", seq: 1, body: { text: "hi bob" } });
    expect(bob.user).toEqual({ id: "bob", profile: { name: "bob", role: "member" } });
  });

  it("takes a push that arrived before the wait began, and each push once", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    await alice.dm("bob").send({ text: "one" });
    await alice.dm("bob").send({ text: "two" });
    await bob.settle();
    expect(bob.received("message")).toHaveLength(2);
    expect((await bob.next("message")).body).toEqual({ text: "one" });
    expect((await bob.next("message")).body).toEqual({ text: "two" });
    expect(bob.received("message")).toEqual([]);
  });

  it("fails a wait after its timeout, naming the user and listing what arrived instead", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    await alice.dm("bob").send({ text: "not what you wait for" });
    const waiting = bob.next("message", { body: { text: "never sent" } }, { timeoutMs: 300 });
    await expect(waiting).rejects.toThrow(
      /^bob received no message matching {"body":{"text":"never sent"}} within 300 ms \(connection: connected\)\./,
    );
    await expect(waiting).rejects.toThrow(/What arrived instead.*\n {2}- message {.*"text":"not what you wait for"/s);
  });

  it("proves with none() that a policy kept a push from a user, and fails when it did not", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const anna = await app.connect("anna");
    const bob = await app.connect("bob");
    await bob.channel("news:today").subscribe();
    await expect(bob.channel("news:today").send({ headline: "bob's scoop" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await bob.none("message", { channel: "news:today" });
    await anna.channel("news:today").send({ headline: "anna's news" });
    await expect(bob.none("message", { channel: "news:today" })).rejects.toThrow(
      /bob received 1 message push\(es\) matching .* but should have received none:\n {2}- message .*anna's news/,
    );
  });

  it("runs the app's hooks: beforeMessage refusing a body reaches the sender's promise, not the peer", async () => {
    const app = await startApp({ app: chatOptions(), login });
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    await expect(alice.dm("bob").send({ text: "buy spam" })).rejects.toMatchObject({ code: "FORBIDDEN", message: "no spam" });
    await bob.none("message");
  });

  it("rejects connect with the server's refusal when the credentials are wrong", async () => {
    const app = await startApp({ app: chatOptions(), login });
    await expect(app.connect("eve", { auth: { token: "forged" } })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("gives the server API of the running node for seeding, and presence as pushes", async () => {
    const app = await startApp({ app: chatOptions(), login });
    await app.rk.rooms.create({ owner: "alice", channel: "room:team", name: "Team", members: ["bob"] });
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    await bob.channel("room:team").subscribe();
    await alice.channel("room:team").send({ text: "welcome" });
    expect((await bob.next("message", { channel: "room:team" })).body!.text).toBe("welcome");
    await alice.channel("lobby:main").subscribe();
    await bob.channel("lobby:main").subscribe();
    await alice.next("presence", (p) => p.channel === "lobby:main" && p.joins.some((m) => m.userId === "bob"));
  });
});
