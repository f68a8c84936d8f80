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
