import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, next, ok, refusal, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import type { PresencePush } from "@roomkit/protocol";

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(() => h.close());

const ROOM = "room:design";
const send = (socket: Client, text: string, channel = ROOM) => ok(socket, "rk:publish", { channel, body: { text } });
const roomPush = (socket: Client, type: string, userId: string) =>
  next(socket, "rk:room", (p) => p.channel === ROOM && p.type === type && p.userId === userId);
const sendRefusal = (socket: Client, text = "hi") => refusal(socket, "rk:publish", { channel: ROOM, body: { text } });

/** alice owns ROOM, with bob as a member (and whoever else is listed). */
async function roomWith(...others: string[]): Promise<Record<string, Client>> {
  const users = ["alice", "bob", ...others];
  const sockets = await Promise.all(users.map((u) => h.client(u)));
  const byName = Object.fromEntries(users.map((u, i) => [u, sockets[i]!]));
  await ok(byName.alice!, "rk:room:create", { channel: ROOM, name: "Design", members: users.slice(1) });
  return byName;
}

describe("creating a room", () => {
  it("makes the creator owner, adds the members, and tells them", async () => {
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    const created = roomPush(alice, "created", "alice");
    const joined = roomPush(bob, "joined", "bob");
    const ack = await ok(alice, "rk:room:create", { channel: ROOM, name: "Design", members: ["bob"] });
    expect(ack.room).toMatchObject({ channel: ROOM, name: "Design", owner: "alice", role: "owner", open: false });
    expect((await created).room).toMatchObject({ channel: ROOM, owner: "alice" });
    expect(await joined).toMatchObject({ by: "alice" });
    const atBob = next(bob, "rk:message");
    await send(alice, "first");
    expect((await atBob).message.body).toEqual({ text: "first" });
  });

  it("refuses a room id that is taken", async () => {
    const { bob } = await roomWith();
    expect(await refusal(bob!, "rk:room:create", { channel: ROOM })).toBe("CONFLICT");
  });

  it("does not hand a deleted room's id, and its history, to a new owner", async () => {
    const { alice, bob } = await roomWith();
    await send(alice!, "secret plans");
    await ok(bob!, "rk:room:leave", { channel: ROOM });
    await ok(alice!, "rk:room:leave", { channel: ROOM });
    const mallory = await h.client("mallory");
    expect(await refusal(mallory, "rk:room:create", { channel: ROOM })).toBe("CONFLICT");
    expect(await refusal(mallory, "rk:history", { channel: ROOM })).toBe("FORBIDDEN");
  });

  it("makes up a room id when none is given", async () => {
    const alice = await h.client("alice");
    const { room } = await ok(alice, "rk:room:create", { name: "Anon" });
    expect(room.channel).toMatch(/^room:[A-Za-z0-9_-]+$/);
  });
});

describe("invitations and joining", () => {
  it("an invited user receives the room's messages at once, and the members are told", async () => {
    const { alice, bob } = await roomWith();
    const carol = await h.client("carol");
    const [toBob, toCarol] = [roomPush(bob!, "joined", "carol"), roomPush(carol, "joined", "carol")];
    await ok(alice!, "rk:room:invite", { channel: ROOM, userId: "carol" });
    expect(await toBob).toMatchObject({ by: "alice" });
    await toCarol;
    const atCarol = next(carol, "rk:message");
    await send(bob!, "hi carol");
    expect((await atCarol).message.body).toEqual({ text: "hi carol" });
    await ok(carol, "rk:publish", { channel: ROOM, body: { text: "thanks" } });
  });

  it("only owners and admins may invite", async () => {
    const { bob } = await roomWith();
    expect(await refusal(bob!, "rk:room:invite", { channel: ROOM, userId: "carol" })).toBe("FORBIDDEN");
  });

  it("an invitation-only room cannot be joined; an open one can", async () => {
    const { alice } = await roomWith();
    const carol = await h.client("carol");
    expect(await refusal(carol, "rk:room:join", { channel: ROOM })).toBe("FORBIDDEN");
    await ok(alice!, "rk:room:create", { channel: "room:open", open: true });
    const told = next(alice!, "rk:room", (p) => p.type === "joined" && p.userId === "carol");
    const { room } = await ok(carol, "rk:room:join", { channel: "room:open" });
    expect(room).toMatchObject({ channel: "room:open", role: "member" });
    await told;
    const atCarol = next(carol, "rk:message");
    await send(alice!, "hello", "room:open");
    expect((await atCarol).message.channel).toBe("room:open");
  });

  it("joining an unknown room gets the same FORBIDDEN as a closed one, so ids cannot be probed", async () => {
    await roomWith();
    const carol = await h.client("carol");
    expect(await refusal(carol, "rk:room:join", { channel: "room:nope" })).toBe("FORBIDDEN");
    expect(await refusal(carol, "rk:room:join", { channel: ROOM })).toBe("FORBIDDEN");
  });
});

describe("leaving", () => {
  it("a member who leaves stops receiving the room, and the others are told", async () => {
    const { alice, bob, carol } = await roomWith("carol");
    const told = roomPush(alice!, "left", "bob");
    await ok(bob!, "rk:room:leave", { channel: ROOM });
    await told;
    const atBob = collect(bob!, "rk:message");
    const atCarol = next(carol!, "rk:message");
    await send(alice!, "after bob");
    await atCarol;
    await settled(bob!);
    expect(atBob).toEqual([]);
    expect(await sendRefusal(bob!)).toBe("FORBIDDEN");
  });

  it("an owner who leaves hands the room to an admin before the older members", async () => {
    const { alice, bob, carol } = await roomWith("carol");
    await ok(alice!, "rk:room:role", { channel: ROOM, userId: "carol", role: "admin" });
    const heir = next(bob!, "rk:room", (p) => p.type === "role" && p.role === "owner");
    await ok(alice!, "rk:room:leave", { channel: ROOM });
    expect((await heir).userId).toBe("carol");
    const { rooms } = await ok(carol!, "rk:room:list", {});
    expect(rooms).toEqual([expect.objectContaining({ channel: ROOM, owner: "carol", role: "owner" })]);
    await ok(carol!, "rk:room:kick", { channel: ROOM, userId: "bob" });
  });
});

describe("kicking", () => {
  it("the kicked user loses the room at once on every device", async () => {
    const { alice, bob: bob1 } = await roomWith("carol");
    const bob2 = await h.client("bob");
    await ok(bob2, "rk:subscribe", { channel: ROOM });
    const sockets = [bob1!, bob2];
    const kicked = sockets.map((s) => roomPush(s, "kicked", "bob"));
    const seen = sockets.map((s) => collect(s, "rk:message"));
    await ok(alice!, "rk:room:kick", { channel: ROOM, userId: "bob" });
    for (const push of await Promise.all(kicked)) expect(push.by).toBe("alice");
    await send(alice!, "bob is gone");
    await settled(...sockets);
    expect(seen.flat()).toEqual([]);
    expect(await refusal(bob2, "rk:subscribe", { channel: ROOM })).toBe("FORBIDDEN");
    expect(await sendRefusal(bob2)).toBe("FORBIDDEN");
    expect(await refusal(bob2, "rk:history", { channel: ROOM })).toBe("FORBIDDEN");
  });

  it("members may not kick; admins may kick members but not the owner", async () => {
    const { alice, bob } = await roomWith("carol");
    expect(await refusal(bob!, "rk:room:kick", { channel: ROOM, userId: "carol" })).toBe("FORBIDDEN");
    await ok(alice!, "rk:room:role", { channel: ROOM, userId: "bob", role: "admin" });
    expect(await refusal(bob!, "rk:room:kick", { channel: ROOM, userId: "alice" })).toBe("FORBIDDEN");
    await ok(bob!, "rk:room:kick", { channel: ROOM, userId: "carol" });
  });
});

describe("roles and mute", () => {
  it("only the owner changes roles; an admin can then invite", async () => {
    const { alice, bob } = await roomWith("carol");
    expect(await refusal(bob!, "rk:room:role", { channel: ROOM, userId: "carol", role: "admin" })).toBe("FORBIDDEN");
    const told = roomPush(bob!, "role", "bob");
    const { member } = await ok(alice!, "rk:room:role", { channel: ROOM, userId: "bob", role: "admin" });
    expect(member).toMatchObject({ userId: "bob", role: "admin" });
    expect(await told).toMatchObject({ role: "admin", by: "alice" });
    expect(await refusal(bob!, "rk:room:role", { channel: ROOM, userId: "carol", role: "admin" })).toBe("FORBIDDEN");
    await ok(bob!, "rk:room:invite", { channel: ROOM, userId: "dave" });
  });

  it("a muted member still reads but may not publish, until unmuted", async () => {
    const { alice, bob } = await roomWith();
    const muted = roomPush(bob!, "muted", "bob");
    await ok(alice!, "rk:room:mute", { channel: ROOM, userId: "bob", muted: true });
    await muted;
    expect(await sendRefusal(bob!)).toBe("FORBIDDEN");
    const atBob = next(bob!, "rk:message");
    await send(alice!, "you can still read");
    expect((await atBob).message.body).toEqual({ text: "you can still read" });
    await ok(alice!, "rk:room:mute", { channel: ROOM, userId: "bob", muted: false });
    await send(bob!, "back");
  });
});

describe("listing", () => {
  it("lists my rooms with my role, and a room's members to its members only", async () => {
    const { alice, bob } = await roomWith();
    await ok(bob!, "rk:room:create", { channel: "room:bobs" });
    const { rooms } = await ok(bob!, "rk:room:list", {});
    const roles = Object.fromEntries(rooms.map((r: { channel: string; role: string }) => [r.channel, r.role]));
    expect(roles).toEqual({ [ROOM]: "member", "room:bobs": "owner" });
    const { members } = await ok(alice!, "rk:room:members", { channel: ROOM });
    expect(members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      ["alice", "owner"],
      ["bob", "member"],
    ]);
    const carol = await h.client("carol");
    expect(await refusal(carol, "rk:room:members", { channel: ROOM })).toBe("FORBIDDEN");
    expect((await ok(carol, "rk:room:list", {})).rooms).toEqual([]);
  });
});

describe("reconnecting", () => {
  it("a member who comes back is in their rooms again without subscribing", async () => {
    const { alice, bob } = await roomWith();
    const presence = (type: "joins" | "leaves") =>
      next<PresencePush>(alice!, "rk:presence", (p) => p.channel === ROOM && p[type].some((m) => m.userId === "bob"));
    const left = presence("leaves");
    await h.drop(bob!);
    await left;
    await send(alice!, "while away");
    const back = presence("joins");
    const bobAgain = await h.client("bob");
    await back;
    const atBob = next(bobAgain, "rk:message");
    await send(alice!, "welcome back");
    expect((await atBob).message).toMatchObject({ channel: ROOM, seq: 2, body: { text: "welcome back" } });
  });
});
