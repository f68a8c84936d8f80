import { afterEach, describe, expect, it } from "vitest";
import { RoomkitError } from "@roomkit/client";
import { closeClients, collect, connect, next, until } from "./support/clients.js";
import { startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";

let h: Harness;
afterEach(async () => {
  closeClients();
  await h?.close();
});

describe("dm channels", () => {
  it("delivers a message to both parties exactly once; the send resolves with the stored message", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const a = alice.dm("bob");
    const b = bob.dm("alice");
    await Promise.all([a.subscribe(), b.subscribe()]);
    const [seenA, seenB] = [collect(a, "message"), collect(b, "message")];

    const sent = await a.send({ text: "hi" });
    expect(sent).toMatchObject({ channel: "dm:alice|bob", seq: 1, from: "alice", body: { text: "hi" } });
    expect(typeof sent.clientId).toBe("string");
    await until(() => seenB.length === 1, [[b, "message"]]);
    await bob.unread();
    expect(seenA).toEqual([sent]);
    expect(seenB).toEqual([sent]);
    expect(a.seq).toBe(1);
    expect([a.id, b.id]).toEqual(["dm:alice|bob", "dm:alice|bob"]);
  });

  it("shares one handle per channel, whichever way it is opened", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const early = alice.dm("bob");
    expect(early.id).toBeUndefined();
    expect(alice.dm("bob")).toBe(early);
    await alice.ready();
    expect(early.id).toBe("dm:alice|bob");
    expect(alice.dm("bob")).toBe(early);
    expect(alice.channel("dm:alice|bob")).toBe(early);
    expect(alice.channel("chat:general")).toBe(alice.channel("chat:general"));
  });

  it("sends signals to the other party only, and read receipts and unread counts follow markRead", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const a = alice.dm("bob");
    const b = bob.dm("alice");
    await Promise.all([a.subscribe(), b.subscribe()]);
    const signalsA = collect(a, "signal");

    const typing = next(b, "signal");
    await a.signal("typing", { on: true });
    expect((await typing)[0]).toEqual({ channel: "dm:alice|bob", name: "typing", data: { on: true }, from: "alice" });

    await a.send({ text: "one" });
    await a.send({ text: "two" });
    await until(() => b.seq === 2, [[b, "message"]]);
    expect(await b.unread()).toEqual({ channel: "dm:alice|bob", lastRead: 0, latest: 2, unread: 2 });
    const receipt = next(a, "receipt");
    expect(await b.markRead()).toBe(2);
    expect((await receipt)[0]).toEqual({ channel: "dm:alice|bob", userId: "bob", seq: 2 });
    expect(await b.unread()).toMatchObject({ unread: 0 });
    expect((await bob.unread()).total).toBe(0);
    expect(signalsA).toEqual([]);
  });

  it("gives where both users have read to a client that loads after the receipt went out", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const a = alice.dm("bob");
    await a.send({ text: "one" });
    await a.send({ text: "two" });
    alice.close();
    const b = bob.dm("alice");
    await until(() => b.seq === 2, [[b, "subscribed"]]);
    expect(await b.markRead(1)).toBe(1);

    const reloaded = connect(h.url, "alice").dm("bob"); // opened before the user is known: its id comes with the welcome
    expect(await reloaded.receipts()).toEqual([
      { channel: "dm:alice|bob", userId: "alice", seq: 2 },
      { channel: "dm:alice|bob", userId: "bob", seq: 1 },
    ]);
  });

  it("pages history back in time", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const a = alice.dm("bob");
    for (let i = 1; i <= 7; i++) await a.send({ text: `m${i}` });
    const latest = await a.history({ limit: 3 });
    expect(latest.messages.map((m) => m.body!.text)).toEqual(["m5", "m6", "m7"]);
    expect(latest.hasMore).toBe(true);
    const older = await a.history({ before: latest.messages[0]!.seq, limit: 3 });
    expect(older.messages.map((m) => m.seq)).toEqual([2, 3, 4]);
    const oldest = await a.history({ before: 2, limit: 3 });
    expect(oldest).toMatchObject({ messages: [{ seq: 1 }], hasMore: false });
    expect((await a.history({ after: 5 })).messages.map((m) => m.seq)).toEqual([6, 7]);
  });

  it("gives the page that ends where live messages begin, so a view has no gap and no duplicate", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const a = alice.dm("bob");
    for (const text of ["1", "2", "3"]) await a.send({ text });
    const b = bob.dm("alice");
    const live = collect(b, "message");
    await b.subscribe();
    await a.send({ text: "4" });
    await a.send({ text: "5" });
    await until(() => live.length === 2, [[b, "message"]]);
    const page = await b.history({ untilSubscribed: true });
    expect([...page.messages, ...live].map((m) => m.body!.text)).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("hands messages of channels without a handle to the inbox", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    await bob.ready();
    const inbox = next(bob, "inbox");
    await alice.dm("bob").send({ text: "are you there?" });
    const [message] = await inbox;
    expect(message).toMatchObject({ channel: "dm:alice|bob", from: "alice", body: { text: "are you there?" } });
  });

  it("replays what was missed when a handle subscribes again after unsubscribing", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const a = alice.channel("chat:general");
    const b = bob.channel("chat:general");
    await Promise.all([a.subscribe(), b.subscribe()]);
    const seen = collect(b, "message");
    await a.send({ text: "1" });
    await until(() => seen.length === 1, [[b, "message"]]);
    await b.unsubscribe();
    expect(b.status).toBe("unsubscribed");
    await a.send({ text: "2" });
    await a.send({ text: "3" });
    expect(bob.channel("chat:general")).toBe(b);
    await b.subscribe();
    await until(() => seen.length === 3, [[b, "message"]]);
    expect(seen.map((m) => m.body!.text)).toEqual(["1", "2", "3"]);
    expect(b.recovered).toBe(true);
  });
});

describe("public and private channels", () => {
  it("lets only the publishers the policy names publish to a public feed; errors are typed", async () => {
    h = await startTestServer();
    const anna = connect(h.url, "anna");
    const bob = connect(h.url, "bob");
    const feed = anna.channel("news:front");
    const reader = bob.channel("news:front");
    await Promise.all([feed.subscribe(), reader.subscribe()]);
    const got = next(reader, "message");
    await feed.send({ headline: "Roomkit ships" });
    expect((await got)[0].body).toEqual({ headline: "Roomkit ships" });
    const refused = await reader.send({ headline: "me too" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RoomkitError);
    expect((refused as RoomkitError).code).toBe("FORBIDDEN");
    const invalid = await feed.send({ headline: 42 } as never).catch((e: RoomkitError) => e);
    expect(invalid).toMatchObject({ code: "INVALID" });
  });

  it("subscribes to a private channel when authorized, and fails the handle with FORBIDDEN when not", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const carol = connect(h.url, "carol");
    await alice.channel("team:a-team").subscribe();
    const handle = carol.channel("team:a-team");
    const error = next(handle, "error");
    await expect(handle.subscribe()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await error)[0].code).toBe("FORBIDDEN");
    expect(handle.status).toBe("failed");
  });

  it("fails a handle over the subscription cap instead of retrying forever", async () => {
    h = await startTestServer({ limits: { subscriptions: 1 } });
    const alice = connect(h.url, "alice");
    await alice.channel("chat:a").subscribe();
    const over = alice.channel("chat:b");
    await expect(over.subscribe()).rejects.toMatchObject({ code: "RATE_LIMITED", details: { limit: 1 } });
    expect(over.status).toBe("failed");
  });
});

describe("presence channels", () => {
  it("gives the member list with typed info, then join and leave events", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const lobbyA = alice.channel("lobby:main");
    await lobbyA.subscribe();
    expect(lobbyA.presence.members).toEqual([{ userId: "alice", info: { name: "Alice" } }]);

    const joined = next(lobbyA.presence, "join");
    const lobbyB = bob.channel("lobby:main");
    await lobbyB.subscribe();
    expect((await joined)[0]).toEqual({ userId: "bob", info: { name: "Bob" } });
    expect(lobbyA.presence.has("bob")).toBe(true);
    expect(lobbyB.presence.members.map((m) => m.userId).sort()).toEqual(["alice", "bob"]);

    const left = next(lobbyA.presence, "leave");
    const changed = next(lobbyA.presence, "change", (members) => members.length === 1);
    await lobbyB.unsubscribe();
    expect((await left)[0].userId).toBe("bob");
    expect((await changed)[0]).toEqual([{ userId: "alice", info: { name: "Alice" } }]);
    expect(lobbyB.presence.members).toEqual([]);
  });
});

describe("rooms", () => {
  it("creates a room, tells its members, and shares messages and presence", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    await bob.ready();
    const added = next(bob.rooms, "change", (e) => e.type === "joined" && e.userId === "bob");
    const room = await alice.rooms.create({ name: "team", members: ["bob"] });
    expect(room.id).toMatch(/^room:/);
    const [event] = await added;
    expect(event).toMatchObject({ channel: room.id, type: "joined", userId: "bob", by: "alice" });
    expect(await bob.rooms.list()).toMatchObject({ rooms: [{ channel: room.id, name: "team", role: "member" }], count: 1 });

    const bobRoom = bob.channel(room.id);
    await Promise.all([room.subscribe(), bobRoom.subscribe()]);
    expect(bobRoom.presence.members.map((m) => m.userId).sort()).toEqual(["alice", "bob"]);
    const got = next(bobRoom, "message");
    await room.send({ text: "welcome" });
    expect((await got)[0]).toMatchObject({ from: "alice", body: { text: "welcome" } });
  });

  it("runs membership operations: invite, role, mute, members, kick and leave", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const carol = connect(h.url, "carol");
    await Promise.all([bob.ready(), carol.ready()]);
    const room = await alice.rooms.create({ name: "ops", members: ["bob"] });
    const events = collect(room, "room");
    const bobRoom = bob.channel(room.id);
    await Promise.all([room.subscribe(), bobRoom.subscribe()]);

    expect(await room.invite("carol")).toMatchObject({ userId: "carol", role: "member" });
    const carolRoom = carol.channel(room.id);
    await carolRoom.subscribe();
    expect(await room.setRole("bob", "admin")).toMatchObject({ userId: "bob", role: "admin" });
    expect(await bobRoom.mute("carol")).toMatchObject({ userId: "carol", muted: true });
    await expect(carolRoom.send({ text: "let me speak" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await room.members()).map((m) => [m.userId, m.role, m.muted])).toEqual([
      ["alice", "owner", false],
      ["bob", "admin", false],
      ["carol", "member", true],
    ]);

    const kicked = next(carolRoom, "room", (e) => e.type === "kicked");
    await bobRoom.kick("carol");
    expect((await kicked)[0]).toMatchObject({ userId: "carol", by: "bob" });
    expect(carolRoom.status).toBe("unsubscribed");
    await until(() => !room.presence.has("carol"), [[room.presence, "change"]]);

    await bobRoom.leave();
    expect(bobRoom.status).toBe("unsubscribed");
    await until(() => events.some((e) => e.type === "left"), [[room, "room"]]);
    expect(events.map((e) => `${e.type} ${e.userId}`)).toEqual(["joined carol", "role bob", "muted carol", "kicked carol", "left bob"]);
  });

  it("gives every member's read mark, in join order", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    await bob.ready();
    const room = await alice.rooms.create({ name: "marks", members: ["bob", "carol"] });
    await room.send({ text: "one" });
    await room.send({ text: "two" });
    const bobRoom = bob.channel(room.id);
    await bobRoom.subscribe();
    expect(await bobRoom.markRead()).toBe(2);
    expect(await room.receipts()).toEqual([
      { channel: room.id, userId: "alice", seq: 2 },
      { channel: room.id, userId: "bob", seq: 2 },
      { channel: room.id, userId: "carol", seq: 0 },
    ]);
    await bobRoom.leave();
    await expect(bobRoom.receipts()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lists the user's rooms a page at a time in the order they joined them, or every page with listAll", async () => {
    h = await startTestServer();
    const channels = ["room:c", "room:a", "room:b"] as const;
    for (const channel of channels) await h.rk.rooms.create({ owner: "alice", channel, members: ["bob"] });
    const bob = connect(h.url, "bob");
    const first = await bob.rooms.list({ limit: 2 });
    expect(first.rooms.map((r) => r.channel)).toEqual(["room:c", "room:a"]);
    expect(first.count).toBe(3);
    expect(first.next).toEqual(expect.any(String));
    const rest = await bob.rooms.list({ after: first.next!, limit: 2 });
    expect(rest).toEqual({ rooms: [expect.objectContaining({ channel: "room:b", role: "member" })], count: 3 });
    expect((await bob.rooms.list()).rooms).toHaveLength(3);
    expect(await bob.rooms.list({ after: "not-a-cursor" })).toEqual({ rooms: [], count: 3 });
    await expect(bob.rooms.list({ limit: 501 })).rejects.toMatchObject({ code: "INVALID" });
    const all = await bob.rooms.listAll();
    expect(all.map((r) => r.channel)).toEqual([...channels]);
  });

  it("joins an open room by id", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const room = await alice.rooms.create({ name: "open", open: true });
    const joined = await bob.rooms.join(room.id);
    expect(joined.id).toBe(room.id);
    await joined.subscribe();
    expect(joined.status).toBe("subscribed");
  });
});
