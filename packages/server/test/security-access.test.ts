import { afterEach, describe, expect, it } from "vitest";
import { next, ok, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import { expectNothingDelivered, expectServing, record, refused } from "./support/refusals.js";

// Policy: no user reads or writes a channel that policy does not allow, and a refusal reaches nobody.

let h: Harness;
afterEach(() => h?.close());

const dm = "dm:alice|bob";

describe("another pair's DM", () => {
  it("refuses subscribe and keeps the pair's messages from the outsider", async () => {
    h = await startServer();
    const [alice, bob, mallory] = await Promise.all([h.client("alice"), h.client("bob"), h.client("mallory")]);
    const seen = record(mallory);
    await refused(mallory, "rk:subscribe", { channel: dm }, "FORBIDDEN");
    await refused(mallory, "rk:subscribe", { channel: dm, since: 0 }, "FORBIDDEN");
    const got = next(bob, "rk:message");
    await ok(alice, "rk:publish", { channel: dm, body: { text: "secret" } });
    await got;
    await expectNothingDelivered([mallory, seen]);
  });

  it("refuses publish and signal into it, and neither party hears anything", async () => {
    h = await startServer();
    const [alice, bob, mallory] = await Promise.all([h.client("alice"), h.client("bob"), h.client("mallory")]);
    const [a, b] = [record(alice), record(bob)];
    await refused(mallory, "rk:publish", { channel: dm, body: { text: "it's bob" } }, "FORBIDDEN");
    await refused(mallory, "rk:publish", { channel: dm, body: { text: "it's bob" }, from: "bob" }, "FORBIDDEN");
    await refused(mallory, "rk:signal", { channel: dm, name: "typing", data: { on: true } }, "FORBIDDEN");
    await expectNothingDelivered([alice, a], [bob, b]);
    expect((await h.rk.history(dm)).messages).toEqual([]);
  });

  it("refuses history, read, unread and receipts of it", async () => {
    h = await startServer();
    const [alice, bob, mallory] = await Promise.all([h.client("alice"), h.client("bob"), h.client("mallory")]);
    await ok(alice, "rk:publish", { channel: dm, body: { text: "secret" } });
    await settled(bob);
    const [a, b] = [record(alice), record(bob)];
    await refused(mallory, "rk:history", { channel: dm }, "FORBIDDEN");
    await refused(mallory, "rk:history", { channel: dm, after: 0, limit: 10 }, "FORBIDDEN");
    await refused(mallory, "rk:read", { channel: dm, seq: 1 }, "FORBIDDEN");
    await refused(mallory, "rk:unread", { channels: [dm] }, "FORBIDDEN");
    await refused(mallory, "rk:unread", { channels: ["chat:x", dm] }, "FORBIDDEN");
    await refused(mallory, "rk:receipts", { channel: dm }, "FORBIDDEN");
    await refused(mallory, "rk:presence", { channel: dm }, "INVALID");
    const unread = await ok(mallory, "rk:unread", {});
    expect(unread.channels).toEqual([]);
    await expectNothingDelivered([alice, a], [bob, b]);
  });
});

describe("private and presence channels", () => {
  it("refuses a private channel to users the authorize policy refuses", async () => {
    h = await startServer();
    const [alice, carol] = await Promise.all([h.client("alice"), h.client("carol")]);
    await ok(alice, "rk:subscribe", { channel: "team:a-team" });
    const [a, c] = [record(alice), record(carol)];
    await refused(carol, "rk:subscribe", { channel: "team:a-team" }, "FORBIDDEN");
    await refused(alice, "rk:subscribe", { channel: "team:b-team" }, "FORBIDDEN");
    await refused(carol, "rk:publish", { channel: "team:a-team", body: { text: "hi" } }, "FORBIDDEN");
    await refused(carol, "rk:history", { channel: "team:a-team" }, "FORBIDDEN");
    await refused(carol, "rk:read", { channel: "team:a-team", seq: 0 }, "FORBIDDEN");
    await refused(carol, "rk:signal", { channel: "team:a-team", name: "typing" }, "FORBIDDEN");
    await expectNothingDelivered([alice, a], [carol, c]);
    await ok(alice, "rk:publish", { channel: "team:a-team", body: { text: "team only" } });
    await expectNothingDelivered([carol, c]);
  });

  it("refuses private and presence channels to everyone when the server has no authorize policy", async () => {
    h = await startServer({ channels: {} });
    const alice = await h.client("alice");
    await refused(alice, "rk:subscribe", { channel: "team:a-team" }, "FORBIDDEN");
    await refused(alice, "rk:subscribe", { channel: "lobby:main" }, "FORBIDDEN");
    await refused(alice, "rk:presence", { channel: "lobby:main" }, "FORBIDDEN");
    await refused(alice, "rk:history", { channel: "lobby:main" }, "FORBIDDEN");
    expect(await h.rk.presence("lobby:main")).toEqual([]);
  });

  it("refuses a presence channel to users the authorize policy refuses, who never appear in it", async () => {
    h = await startServer({ channels: { lobby: { authorize: (user) => user.id !== "mallory" } } });
    const [alice, mallory] = await Promise.all([h.client("alice"), h.client("mallory")]);
    await ok(alice, "rk:subscribe", { channel: "lobby:main" });
    await settled(alice); // her own join (batched) has reached her
    const a = record(alice);
    await refused(mallory, "rk:subscribe", { channel: "lobby:main" }, "FORBIDDEN");
    await refused(mallory, "rk:presence", { channel: "lobby:main" }, "FORBIDDEN");
    await refused(mallory, "rk:publish", { channel: "lobby:main", body: { text: "hi" } }, "FORBIDDEN");
    await refused(mallory, "rk:history", { channel: "lobby:main" }, "FORBIDDEN");
    await expectNothingDelivered([alice, a]);
    expect((await h.rk.presence("lobby:main")).map((m) => m.userId)).toEqual(["alice"]);
  });
});

/** alice owns the closed room `room:secret`, bob is a member; everyone's pushes so far have arrived. */
async function secretRoom(...others: string[]): Promise<{ alice: Client; bob: Client; others: Client[] }> {
  const [alice, bob, ...rest] = await Promise.all(["alice", "bob", ...others].map((id) => h.client(id)));
  await ok(alice!, "rk:room:create", { channel: "room:secret", members: ["bob"] });
  await ok(alice!, "rk:publish", { channel: "room:secret", body: { text: "before" } });
  await settled(alice!, bob!, ...rest);
  return { alice: alice!, bob: bob!, others: rest };
}

describe("rooms", () => {
  it("refuses every room request of a non-member, and the members hear nothing of it", async () => {
    h = await startServer();
    const {
      alice,
      bob,
      others: [mallory],
    } = await secretRoom("mallory");
    const [a, b, m] = [record(alice), record(bob), record(mallory!)];
    const room = "room:secret";
    await refused(mallory!, "rk:subscribe", { channel: room }, "FORBIDDEN");
    await refused(mallory!, "rk:publish", { channel: room, body: { text: "hi" } }, "FORBIDDEN");
    await refused(mallory!, "rk:signal", { channel: room, name: "typing" }, "FORBIDDEN");
    await refused(mallory!, "rk:history", { channel: room }, "FORBIDDEN");
    await refused(mallory!, "rk:presence", { channel: room }, "FORBIDDEN");
    await refused(mallory!, "rk:read", { channel: room, seq: 1 }, "FORBIDDEN");
    await refused(mallory!, "rk:unread", { channels: [room] }, "FORBIDDEN");
    await refused(mallory!, "rk:receipts", { channel: room }, "FORBIDDEN");
    await refused(mallory!, "rk:room:members", { channel: room }, "FORBIDDEN");
    await refused(mallory!, "rk:room:invite", { channel: room, userId: "mallory" }, "FORBIDDEN");
    await refused(mallory!, "rk:room:invite", { channel: room, userId: "carol" }, "FORBIDDEN");
    await refused(mallory!, "rk:room:kick", { channel: room, userId: "bob" }, "FORBIDDEN");
    await refused(mallory!, "rk:room:role", { channel: room, userId: "bob", role: "admin" }, "FORBIDDEN");
    await refused(mallory!, "rk:room:mute", { channel: room, userId: "bob", muted: true }, "FORBIDDEN");
    await refused(mallory!, "rk:room:join", { channel: room }, "FORBIDDEN");
    await refused(mallory!, "rk:room:create", { channel: room }, "CONFLICT");
    await refused(mallory!, "rk:room:leave", { channel: room }, "NOT_FOUND");
    await expectNothingDelivered([alice, a], [bob, b], [mallory!, m]);
    expect((await h.rk.rooms.members(room)).map((x) => [x.userId, x.role, x.muted])).toEqual([
      ["alice", "owner", false],
      ["bob", "member", false],
    ]);
    expect((await ok(mallory!, "rk:room:list", {})).rooms).toEqual([]);
    await ok(alice, "rk:publish", { channel: room, body: { text: "members only" } });
    await expectNothingDelivered([mallory!, m]);
  });

  it("refuses a plain member what only admins and owners may do", async () => {
    h = await startServer();
    const { alice, bob } = await secretRoom();
    const a = record(alice);
    await refused(bob, "rk:room:invite", { channel: "room:secret", userId: "mallory" }, "FORBIDDEN");
    await refused(bob, "rk:room:kick", { channel: "room:secret", userId: "alice" }, "FORBIDDEN");
    await refused(bob, "rk:room:mute", { channel: "room:secret", userId: "alice", muted: true }, "FORBIDDEN");
    await refused(bob, "rk:room:role", { channel: "room:secret", userId: "alice", role: "member" }, "FORBIDDEN");
    await refused(bob, "rk:room:role", { channel: "room:secret", userId: "bob", role: "admin" }, "INVALID");
    await expectNothingDelivered([alice, a]);
    expect((await h.rk.rooms.members("room:secret")).map((x) => x.userId)).toEqual(["alice", "bob"]);
  });

  it("cuts a kicked member off on every device: no publishing, subscribing, signals or history, and no more messages", async () => {
    h = await startServer();
    const {
      alice,
      bob,
      others: [bobsPhone],
    } = await secretRoom("bob");
    const kicked = (socket: Client) => next(socket, "rk:room", (push: { type: string }) => push.type === "kicked");
    const gone = [kicked(bob), kicked(bobsPhone!)];
    await ok(alice, "rk:room:kick", { channel: "room:secret", userId: "bob" });
    await Promise.all(gone);
    const [b, phone] = [record(bob), record(bobsPhone!)];
    await refused(bob, "rk:publish", { channel: "room:secret", body: { text: "still here?" } }, "FORBIDDEN");
    await refused(bob, "rk:subscribe", { channel: "room:secret" }, "FORBIDDEN");
    await refused(bob, "rk:signal", { channel: "room:secret", name: "typing" }, "FORBIDDEN");
    await refused(bob, "rk:history", { channel: "room:secret" }, "FORBIDDEN");
    await refused(bob, "rk:room:members", { channel: "room:secret" }, "FORBIDDEN");
    await refused(bob, "rk:room:join", { channel: "room:secret" }, "FORBIDDEN");
    await ok(alice, "rk:publish", { channel: "room:secret", body: { text: "after" } });
    await ok(alice, "rk:signal", { channel: "room:secret", name: "typing" });
    await expectNothingDelivered([bob, b], [bobsPhone!, phone]);
    expect((await h.rk.history("room:secret")).messages.map((m) => m.body)).toEqual([{ text: "before" }, { text: "after" }]);
  });

  it("never hands a deleted room's id, and its history, to a new owner", async () => {
    h = await startServer();
    const {
      alice,
      bob,
      others: [mallory],
    } = await secretRoom("mallory");
    await ok(bob, "rk:room:leave", { channel: "room:secret" });
    await ok(alice, "rk:room:leave", { channel: "room:secret" });
    expect(await h.rk.stores.rooms.get("room:secret")).toBeUndefined();
    await refused(mallory!, "rk:room:create", { channel: "room:secret" }, "CONFLICT");
    await refused(mallory!, "rk:history", { channel: "room:secret" }, "FORBIDDEN");
    await refused(mallory!, "rk:subscribe", { channel: "room:secret", since: 0 }, "FORBIDDEN");
  });

  it("refuses a muted member's messages, who still reads", async () => {
    h = await startServer();
    const { alice, bob } = await secretRoom();
    const muted = next(bob, "rk:room", (push: { type: string }) => push.type === "muted");
    await ok(alice, "rk:room:mute", { channel: "room:secret", userId: "bob", muted: true });
    await muted;
    const a = record(alice);
    const err = await refused(bob, "rk:publish", { channel: "room:secret", body: { text: "can you hear me" } }, "FORBIDDEN");
    expect(err.message).toMatch(/muted/);
    await expectNothingDelivered([alice, a]);
    expect((await ok(bob, "rk:history", { channel: "room:secret" })).messages).toHaveLength(1);
    const got = next(bob, "rk:message");
    await ok(alice, "rk:publish", { channel: "room:secret", body: { text: "you may listen" } });
    expect((await got).message.body).toEqual({ text: "you may listen" });
  });
});

describe("a one-to-many public channel", () => {
  it("refuses a viewer's publish into `news`, subscribed or not", async () => {
    h = await startServer();
    const [anna, bob, carol] = await Promise.all([h.client("anna"), h.client("bob"), h.client("carol")]);
    await ok(bob, "rk:subscribe", { channel: "news:front" });
    await ok(carol, "rk:subscribe", { channel: "news:front" });
    const c = record(carol);
    await refused(bob, "rk:publish", { channel: "news:front", body: { headline: "fake news" } }, "FORBIDDEN");
    await refused(bob, "rk:publish", { channel: "news:other", body: { headline: "fake news" } }, "FORBIDDEN");
    await expectNothingDelivered([carol, c]);
    const got = next(carol, "rk:message");
    await ok(anna, "rk:publish", { channel: "news:front", body: { headline: "real news" } });
    expect((await got).message).toMatchObject({ from: "anna", body: { headline: "real news" } });
  });

  it("refuses publishing into an open public channel before subscribing to it", async () => {
    h = await startServer();
    const [bob, carol] = await Promise.all([h.client("bob"), h.client("carol")]);
    await ok(carol, "rk:subscribe", { channel: "chat:general" });
    const c = record(carol);
    await refused(bob, "rk:publish", { channel: "chat:general", body: { text: "drive-by" } }, "FORBIDDEN");
    await refused(bob, "rk:signal", { channel: "news:front", name: "react", data: { emoji: "x" } }, "FORBIDDEN");
    await expectNothingDelivered([carol, c]);
  });
});

describe("the sender's identity", () => {
  it("stamps the authenticated sender over a spoofed `from`, `id`, `seq` or `sentAt`", async () => {
    h = await startServer();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    const got = next(bob, "rk:message");
    const spoof = { from: "bob", id: "forged", seq: 99, sentAt: 0, channel: dm };
    const ack = await ok(alice, "rk:publish", { ...spoof, body: { text: "hi", from: "bob" }, message: spoof });
    expect(ack.message).toMatchObject({ from: "alice", seq: 1 });
    expect(ack.message.body).toEqual({ text: "hi" });
    expect(ack.message.id).not.toBe("forged");
    expect(ack.message.sentAt).toBeGreaterThan(0);
    expect((await got).message).toEqual(ack.message);
    expect((await h.rk.history(dm)).messages).toEqual([ack.message]);
  });

  it("never hands one user's message to another who reuses its clientId", async () => {
    h = await startServer();
    const [alice, mallory] = await Promise.all([h.client("alice"), h.client("mallory")]);
    await ok(alice, "rk:subscribe", { channel: "chat:general" });
    await ok(mallory, "rk:subscribe", { channel: "chat:general" });
    const first = await ok(alice, "rk:publish", { channel: "chat:general", body: { text: "alice's" }, clientId: "c-1" });
    const second = await ok(mallory, "rk:publish", { channel: "chat:general", body: { text: "mallory's" }, clientId: "c-1" });
    expect(second.message).toMatchObject({ from: "mallory", seq: 2, body: { text: "mallory's" } });
    expect(second.message.id).not.toBe(first.message.id);
  });

  it("stamps the authenticated sender over a spoofed signal `from`", async () => {
    h = await startServer();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    const got = next(bob, "rk:signal");
    await ok(alice, "rk:signal", { channel: dm, name: "typing", data: { on: true }, from: "bob" });
    expect(await got).toMatchObject({ channel: dm, name: "typing", from: "alice", data: { on: true } });
  });

  it("treats user ids that are prototype keys as ordinary users", async () => {
    h = await startServer();
    const [proto, ctor, mallory] = await Promise.all([h.client("__proto__"), h.client("constructor"), h.client("mallory")]);
    const pair = "dm:__proto__|constructor";
    const m = record(mallory);
    const got = next(ctor, "rk:message");
    await ok(proto, "rk:publish", { channel: pair, body: { text: "hi" } });
    expect((await got).message.from).toBe("__proto__");
    await refused(mallory, "rk:history", { channel: pair }, "FORBIDDEN");
    await ok(proto, "rk:room:create", { channel: "room:proto", members: ["constructor"] });
    await refused(mallory, "rk:room:members", { channel: "room:proto" }, "FORBIDDEN");
    await expectNothingDelivered([mallory, m]);
    expect((await h.rk.unread("constructor")).total).toBe(1);
  });

  it("keeps serving everyone after all these refusals", async () => {
    h = await startServer();
    const mallory = await h.client("mallory");
    await refused(mallory, "rk:subscribe", { channel: dm }, "FORBIDDEN");
    await expectServing(h.client);
  });
});
