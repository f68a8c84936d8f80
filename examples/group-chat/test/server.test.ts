import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { signToken } from "@roomkit/server";
import { autoClose, startApp } from "@roomkit/testing";
import { groupChatRoomkit } from "../src/server.js";

// The app's own configuration, with a secret of the test's: it signs each user's token.
const secret = randomBytes(32);
const start = () =>
  startApp({
    app: (io, { stores }) => groupChatRoomkit(io, secret, stores),
    login: async (id) => ({ token: await signToken(secret, { id, profile: { name: id } }) }),
  });

autoClose(afterEach);

describe("group chat: rooms, their members and roles", () => {
  it("an invited member gets the room and its messages; someone outside cannot read it", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    const eve = await app.connect("eve");
    const room = await alice.rooms.create({ name: "Team", members: ["bob"] });
    expect(await bob.next("room", { type: "joined", userId: "bob" })).toMatchObject({ channel: room.id, by: "alice" });
    await bob.channel(room.id).subscribe();
    await alice.channel(room.id).send({ text: "welcome" });
    // The room also carries the server's "alice added bob" lines (from `$system`): wait for alice's own.
    expect(await bob.next("message", { channel: room.id, from: "alice" })).toMatchObject({ body: { text: "welcome" } });
    await expect(eve.channel(room.id).subscribe()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(eve.channel(room.id).send({ text: "let me in" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await eve.none("message");
  });

  it("a muted member still reads but may not write; only the owner and admins may mute or kick", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    const carol = await app.connect("carol");
    const room = await alice.rooms.create({ name: "Team", members: ["bob", "carol"] });
    await expect(bob.channel(room.id).mute("carol")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await room.mute("carol");
    await expect(carol.channel(room.id).send({ text: "can I?" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await carol.channel(room.id).subscribe();
    await bob.channel(room.id).send({ text: "carol still reads this" });
    expect(await carol.next("message", { channel: room.id, from: "bob" })).toMatchObject({ body: { text: "carol still reads this" } });
  });

  it("a kicked member loses the room at once and never gets its next message", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    const room = await alice.rooms.create({ name: "Team", members: ["bob"] });
    await bob.channel(room.id).subscribe();
    await room.kick("bob");
    expect(await bob.next("room", { type: "kicked", userId: "bob" })).toMatchObject({ channel: room.id, by: "alice" });
    await alice.channel(room.id).send({ text: "bob is gone" });
    await bob.none("message", { channel: room.id, from: "alice" });
    expect(await app.rk.rooms.list("bob")).toEqual([]);
  });
});

describe("group chat: edits, deletes, reactions and replies", () => {
  it("the author edits and deletes their own messages; another member may do neither", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const room = await alice.rooms.create({ name: "Team", members: ["bob", "carol"] });
    const sent = await app.rk.publish(room.id, { text: "metting at 10" }, { as: "bob" });
    await expect(app.rk.edit(room.id, sent.seq, { text: "no meeting" }, { as: "carol" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(app.rk.delete(room.id, sent.seq, { as: "carol" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await app.rk.edit(room.id, sent.seq, { text: "meeting at 10" }, { as: "bob" });
    const other = await app.rk.publish(room.id, { text: "wrong room, sorry" }, { as: "bob" });
    await app.rk.delete(room.id, other.seq, { as: "bob" });
    const { messages } = await app.rk.history(room.id);
    expect(messages.find((m) => m.seq === sent.seq)).toMatchObject({ body: { text: "meeting at 10" }, editedAt: expect.any(Number) });
    const tombstone = messages.find((m) => m.seq === other.seq);
    expect(tombstone).toMatchObject({ from: "bob", deleted: { by: "bob" } });
    expect(tombstone).not.toHaveProperty("body");
  });

  it("the owner and admins delete anyone's message; a plain member cannot", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const room = await alice.rooms.create({ name: "Team", members: ["bob", "carol", "dave"] });
    await app.rk.rooms.setRole(room.id, "bob", "admin", { by: "alice" });
    const first = await app.rk.publish(room.id, { text: "spam" }, { as: "dave" });
    const second = await app.rk.publish(room.id, { text: "more spam" }, { as: "dave" });
    const third = await app.rk.publish(room.id, { text: "carol's own" }, { as: "carol" });
    await expect(app.rk.delete(room.id, third.seq, { as: "dave" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await app.rk.delete(room.id, first.seq, { as: "alice" });
    await app.rk.delete(room.id, second.seq, { as: "bob" });
    // Moderators delete; they do not put words in other people's mouths.
    await expect(app.rk.edit(room.id, third.seq, { text: "edited by alice" }, { as: "alice" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const { messages } = await app.rk.history(room.id);
    expect(messages.filter((m) => m.deleted).map((m) => [m.seq, m.deleted?.by])).toEqual([
      [first.seq, "alice"],
      [second.seq, "bob"],
    ]);
  });

  it("membership lines stay: nobody deletes one, and no edit turns a message into one", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const room = await alice.rooms.create({ name: "Team", members: ["bob"] });
    const line = (await app.rk.history(room.id)).messages.find((m) => m.from === "$system")!;
    await expect(app.rk.delete(room.id, line.seq, { as: "alice" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const mine = await app.rk.publish(room.id, { text: "hello" }, { as: "bob" });
    const forged = { event: { type: "kicked", userId: "alice", by: "bob" } } as const;
    await expect(app.rk.edit(room.id, mine.seq, forged, { as: "bob" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await app.rk.history(room.id)).messages.find((m) => m.seq === mine.seq)?.body).toEqual({ text: "hello" });
  });

  it("reactions are the contract's six, one of each per member, counted for everyone; replies make a thread", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const room = await alice.rooms.create({ name: "Team", members: ["bob", "carol"] });
    const root = await app.rk.publish(room.id, { text: "pizza tonight?" }, { as: "alice" });
    await app.rk.react(room.id, root.seq, "🎉", { as: "bob" });
    expect(await app.rk.react(room.id, root.seq, "🎉", { as: "bob" })).toMatchObject({ changed: false });
    await app.rk.react(room.id, root.seq, "🎉", { as: "carol" });
    // @ts-expect-error: not one of the contract's reactions
    await expect(app.rk.react(room.id, root.seq, "🍕", { as: "bob" })).rejects.toMatchObject({ code: "INVALID" });
    await app.rk.publish(room.id, { text: "yes!" }, { as: "bob", replyTo: root.seq });
    const asBob = await app.rk.history(room.id, { reader: "bob" });
    expect(asBob.messages.find((m) => m.seq === root.seq)).toMatchObject({
      reactions: [{ reaction: "🎉", count: 2, mine: true }],
      replies: { count: 1 },
    });
    const thread = await app.rk.history(room.id, { thread: root.seq });
    expect(thread.messages.map((m) => m.body)).toEqual([{ text: "yes!" }]);
  });

  it("from the members' own clients: refusals are typed, and a muted member may read but not react", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    const carol = await app.connect("carol");
    const room = await alice.rooms.create({ name: "Team", members: ["bob", "carol"] });
    const sent = await alice.channel(room.id).send({ text: "agenda attached" });
    await expect(bob.channel(room.id).edit(sent.seq, { text: "no agenda" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(bob.channel(room.id).delete(sent.seq)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await bob.channel(room.id).react(sent.seq, "👍");
    await room.mute("carol");
    await expect(carol.channel(room.id).react(sent.seq, "👍")).rejects.toMatchObject({ code: "FORBIDDEN" });
    const reply = await bob.channel(room.id).reply(sent.seq, { text: "thanks" });
    await alice.channel(room.id).delete(reply.seq); // the owner: any message
    const [root] = (await app.rk.history(room.id, { reader: "bob" })).messages.filter((m) => m.seq === sent.seq);
    expect(root).toMatchObject({ reactions: [{ reaction: "👍", count: 1, mine: true }], replies: { count: 1 } });
  });
});
