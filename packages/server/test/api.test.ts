import { afterEach, describe, expect, it } from "vitest";
import { RoomkitError } from "@roomkit/protocol";
import type { RoomkitHooks } from "@roomkit/server";
import { clients, collect, next, ok, refusal, request, settled, startServer } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

let h: Harness;
afterEach(() => h.close());

const DM = "dm:alice|bob";
const ROOM = "room:api";

const users = <const T extends readonly string[]>(...ids: T) => clients(h, ...ids);

describe("publishing from the server", () => {
  it("publishes as the system or as a user, validated, stored and broadcast", async () => {
    h = await startServer();
    const [bob] = await users("bob");
    await ok(bob, "rk:subscribe", { channel: "news:front" });
    const first = next(bob, "rk:message");
    const system = await h.rk.publish("news:front", { headline: "from the desk" });
    expect(system).toMatchObject({ from: "$system", seq: 1 });
    expect((await first).message).toEqual(system);
    const second = next(bob, "rk:message");
    expect((await h.rk.publish("news:front", { headline: "signed" }, { as: "anna" })).from).toBe("anna");
    expect((await second).message.from).toBe("anna");
    await expect(h.rk.publish("news:front", { headline: 1 } as never)).rejects.toMatchObject({ code: "INVALID" });
    await expect(h.rk.publish("nope:1" as never, {} as never)).rejects.toBeInstanceOf(RoomkitError);
    expect((await h.rk.history("news:front")).messages.map((m) => m.from)).toEqual(["$system", "anna"]);
  });

  it("sendDirect reaches every device of both users", async () => {
    h = await startServer();
    const sockets = await users("alice", "alice", "bob");
    const seen = sockets.map((s) => next(s, "rk:message"));
    const message = await h.rk.sendDirect("alice", "bob", { text: "your order shipped" });
    expect(message).toMatchObject({ channel: DM, from: "alice", body: { text: "your order shipped" } });
    for (const push of await Promise.all(seen)) expect(push.message).toEqual(message);
    await expect(h.rk.sendDirect("alice", "a|b", { text: "x" })).rejects.toMatchObject({ code: "INVALID" });
  });
});

describe("bad arguments from server code", () => {
  it("reject with INVALID, as promises, and store nothing", async () => {
    h = await startServer();
    const calls = [
      () => h.rk.sendDirect("alice", "alice", { text: "to myself" }),
      () => h.rk.rooms.create({ owner: "alice", channel: "room:bad", members: ["a|b"] }),
      () => h.rk.rooms.create({ owner: "not|a-user" }),
      () => h.rk.rooms.invite("room:bad", "a|b"),
      () => h.rk.unread("a|b"),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "INVALID" });
    expect(await h.rk.rooms.list("alice")).toEqual([]);
  });
});

describe("reading from the server", () => {
  it("presence, history and unread", async () => {
    h = await startServer();
    const [alice, bob] = await users("alice", "bob");
    await ok(alice, "rk:subscribe", { channel: "lobby:x" });
    expect(await h.rk.presence("lobby:x")).toEqual([{ userId: "alice", info: { name: "Alice" } }]);
    // @ts-expect-error chat has no presence: a type error, and INVALID for code that gets past the types
    await expect(h.rk.presence("chat:general")).rejects.toMatchObject({ code: "INVALID" });
    for (const text of ["a", "b", "c"]) await ok(alice, "rk:publish", { channel: DM, body: { text } });
    const page = await h.rk.history(DM, { before: 3, limit: 1 });
    expect([page.messages.map((m) => m.body), page.hasMore]).toEqual([[{ text: "b" }], true]);
    await ok(bob, "rk:read", { channel: DM, seq: 1 });
    expect(await h.rk.unread("bob")).toEqual({ channels: [{ channel: DM, lastRead: 1, latest: 3, unread: 2 }], total: 2 });
  });
});

describe("rooms from the server", () => {
  it("acts as the system without `by`, and with a user's rights with `by`", async () => {
    h = await startServer();
    const [alice, bob, carol] = await users("alice", "bob", "carol");
    const bobJoined = next(bob, "rk:room", (p) => p.type === "joined");
    const room = await h.rk.rooms.create({ owner: "alice", channel: ROOM, name: "API", members: ["bob"] });
    expect(room).toMatchObject({ channel: ROOM, owner: "alice", role: "owner" });
    expect(await bobJoined).toMatchObject({ userId: "bob", by: "alice" });

    const carolJoined = next(carol, "rk:room", (p) => p.type === "joined");
    expect(await h.rk.rooms.invite(ROOM, "carol")).toMatchObject({ userId: "carol", role: "member" });
    expect((await carolJoined).by).toBeUndefined();
    await expect(h.rk.rooms.invite(ROOM, "dave", { by: "bob" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(h.rk.rooms.setRole(ROOM, "carol", "admin", { by: "bob" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await h.rk.rooms.setRole(ROOM, "bob", "admin", { by: "alice" })).toMatchObject({ role: "admin" });
    await h.rk.rooms.invite(ROOM, "dave", { by: "bob" });

    await h.rk.rooms.mute(ROOM, "carol", true);
    expect(await refusal(carol, "rk:publish", { channel: ROOM, body: { text: "hi" } })).toBe("FORBIDDEN");
    const kicked = next(carol, "rk:room", (p) => p.type === "kicked");
    await h.rk.rooms.kick(ROOM, "carol");
    expect((await kicked).by).toBeUndefined();
    expect((await h.rk.rooms.members(ROOM)).map((m) => [m.userId, m.role])).toEqual([
      ["alice", "owner"],
      ["bob", "admin"],
      ["dave", "member"],
    ]);

    await h.rk.rooms.leave(ROOM, "alice");
    expect(await h.rk.rooms.list("bob")).toEqual([expect.objectContaining({ channel: ROOM, owner: "bob", role: "owner" })]);
    await expect(h.rk.rooms.join(ROOM, "erin")).rejects.toMatchObject({ code: "FORBIDDEN" });
    const atAlice = collect(alice, "rk:message");
    await ok(bob, "rk:publish", { channel: ROOM, body: { text: "alice left" } });
    await settled(alice);
    expect(atAlice).toEqual([]);
  });
});

describe("hooks", () => {
  it("beforeMessage transforms a body before it is stored and delivered", async () => {
    h = await startServer({
      hooks: { beforeMessage: ({ body, from }) => ({ body: { text: `${from}: ${(body as { text: string }).text.toUpperCase()}` } }) },
    });
    const [alice, bob] = await users("alice", "bob");
    const atBob = next(bob, "rk:message");
    const { message } = await ok(alice, "rk:publish", { channel: DM, body: { text: "hi" } });
    expect(message.body).toEqual({ text: "alice: HI" });
    expect((await atBob).message.body).toEqual({ text: "alice: HI" });
    expect((await h.rk.sendDirect("bob", "alice", { text: "yo" })).body).toEqual({ text: "bob: YO" });
  });

  it("beforeMessage rejects with its code, and nothing is stored or delivered", async () => {
    h = await startServer({
      hooks: {
        beforeMessage: ({ body }) =>
          (body as { text: string }).text.includes("spam") ? { reject: "no spam", code: "INVALID" } : undefined,
      },
    });
    const [alice, bob] = await users("alice", "bob");
    const atBob = collect(bob, "rk:message");
    const ack = await request(alice, "rk:publish", { channel: DM, body: { text: "buy spam" } });
    expect(ack).toEqual({ ok: false, error: { code: "INVALID", message: "no spam" } });
    await settled(bob);
    expect(atBob).toEqual([]);
    expect((await h.rk.history(DM)).messages).toEqual([]);
  });

  it("roomChanged hears each membership change once, and what it publishes is in the room's history", async () => {
    const changes: string[] = [];
    h = await startServer({
      hooks: {
        roomChanged: ({ channel, type, userId, by }) => {
          changes.push(`${type} ${userId}${by ? ` by ${by}` : ""}`);
          void h.rk.publish(channel as typeof ROOM, { text: `${type} ${userId}` });
        },
      },
    });
    const [alice, bob, carol] = await users("alice", "bob", "carol");
    await ok(alice, "rk:room:create", { channel: ROOM, members: ["bob"] });
    await ok(alice, "rk:room:invite", { channel: ROOM, userId: "carol" });
    await ok(alice, "rk:room:mute", { channel: ROOM, userId: "bob", muted: true });
    await ok(alice, "rk:room:kick", { channel: ROOM, userId: "bob" });
    await ok(carol, "rk:room:leave", { channel: ROOM });
    await refusal(bob, "rk:room:leave", { channel: ROOM }); // a refused request changes nothing, and tells no hook
    const expected = [
      "created alice",
      "joined bob by alice",
      "joined carol by alice",
      "muted bob by alice",
      "kicked bob by alice",
      "left carol",
    ];
    expect(changes).toEqual(expected);
    await expect
      .poll(async () => (await h.rk.history(ROOM)).messages.map((m) => `${m.from} ${(m.body as { text: string }).text}`))
      .toEqual(expected.map((line) => `$system ${line.replace(/ by alice$/, "")}`));
  });

  it("channelOccupied and channelVacated follow a channel's first and last subscriber", async () => {
    const events: string[] = [];
    const hooks: RoomkitHooks = {
      channelOccupied: ({ channel }) => events.push(`+${channel}`),
      channelVacated: ({ channel }) => events.push(`-${channel}`),
    };
    h = await startServer({ hooks });
    const [alice, bob] = await users("alice", "bob");
    await ok(alice, "rk:subscribe", { channel: "chat:x" });
    expect(events).toEqual(["+chat:x"]);
    await ok(bob, "rk:subscribe", { channel: "chat:x" });
    await ok(alice, "rk:unsubscribe", { channel: "chat:x" });
    await ok(alice, "rk:publish", { channel: DM, body: { text: "no room for DMs" } });
    expect(events).toEqual(["+chat:x"]);
    await h.drop(bob);
    expect(events).toEqual(["+chat:x", "-chat:x"]);
  });
});

describe("close()", () => {
  it("acks requests in flight, says goodbye, disconnects, and refuses new connections", async () => {
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const inHook = new Promise<void>((done) => (entered = done));
    h = await startServer({
      hooks: {
        beforeMessage: async () => {
          entered();
          await gate;
        },
      },
    });
    const [alice, bob] = await users("alice", "bob");
    const bye = next(alice, "rk:bye");
    const gone = next(alice, "disconnect");
    const sent = request(alice, "rk:publish", { channel: DM, body: { text: "last words" } });
    await inHook;
    const closing = h.rk.close();
    expect(await refusal(bob, "rk:unread", {})).toBe("UNAVAILABLE");
    release();
    expect(await sent).toMatchObject({ ok: true, message: { body: { text: "last words" } } });
    expect(await bye).toMatchObject({ v: 1, reason: "shutdown" });
    await gone;
    await closing;
    const refused = await h.refused({ user: "carol" });
    expect(refused.data?.code).toBe("UNAVAILABLE");
  });
});
