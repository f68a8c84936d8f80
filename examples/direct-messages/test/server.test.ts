import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { signToken } from "@roomkit/server";
import { autoClose, startApp } from "@roomkit/testing";
import { PNG_SIGNATURE, png, pngChunk } from "../../../packages/protocol/test/support/images.js";
import { directMessagesRoomkit } from "../src/server.js";

// The app's own configuration, with a secret of the test's: it signs each user's token.
const secret = randomBytes(32);
const start = () =>
  startApp({
    app: directMessagesRoomkit(secret),
    login: async (id) => ({ token: await signToken(secret, { id, profile: { name: id } }) }),
  });

autoClose(afterEach);

/** Framed like a PNG (Roomkit's own check passes it), but its pixels are not zlib data: only a decoder sees it. */
function pngThatDoesNotDecode(): Buffer {
  const genuine = png();
  const idat = genuine.indexOf("IDAT") - 4;
  const end = idat + 12 + genuine.readUInt32BE(idat);
  return Buffer.concat([genuine.subarray(0, idat), pngChunk("IDAT", Buffer.from("<script>alert(1)</script>")), genuine.subarray(end)]);
}

describe("direct messages: the server's policies and hooks", () => {
  it("delivers a DM to its two users only, stamped with its sender; a third user cannot read it", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    const carol = await app.connect("carol");
    await alice.dm("bob").send({ text: "hi bob" });
    expect(await bob.next("message", { channel: "dm:alice|bob" })).toMatchObject({ from: "alice", body: { text: "hi bob" } });
    await expect(carol.channel("dm:alice|bob").subscribe()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await carol.none("message");
  });

  it("decodes every picture before it is stored (verifyAttachment): a fake PNG is refused, a real one delivered", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    expect(PNG_SIGNATURE.equals(pngThatDoesNotDecode().subarray(0, 8))).toBe(true);
    const fake = alice.dm("bob").send({ image: { type: "image/png", data: pngThatDoesNotDecode() } });
    await expect(fake).rejects.toMatchObject({ code: "INVALID" });
    await bob.none("message");
    await alice.dm("bob").send({ text: "a picture", image: { type: "image/png", data: png() } });
    const { body } = await bob.next("message", { channel: "dm:alice|bob" });
    expect(body?.image?.type).toBe("image/png");
    expect(Buffer.from(body!.image!.data).equals(png())).toBe(true);
  });

  it("shows who is online to everyone signed in, and their going offline", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    await alice.channel("online:everyone").subscribe();
    await bob.channel("online:everyone").subscribe();
    await alice.next("presence", (p) => p.joins.some((m) => m.userId === "bob"));
    await bob.offline();
    await alice.next("presence", (p) => p.leaves.some((m) => m.userId === "bob"), { timeoutMs: 10_000 });
  });
});

describe("direct messages: edits, deletes, reactions and replies", () => {
  it("each person edits and deletes only their own messages; an edit's picture is decoded like a new one's", async () => {
    const app = await start();
    const channel = "dm:alice|bob" as const;
    const sent = await app.rk.sendDirect("alice", "bob", {
      text: "see you at 8",
      image: { type: "image/png", data: new Uint8Array(png()) },
    });
    await expect(app.rk.edit(channel, sent.seq, { text: "see you at 9" }, { as: "bob" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(app.rk.delete(channel, sent.seq, { as: "bob" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const bad = { text: "see you at 9", image: { type: "image/png", data: new Uint8Array(pngThatDoesNotDecode()) } };
    await expect(app.rk.edit(channel, sent.seq, bad, { as: "alice" })).rejects.toMatchObject({ code: "INVALID" });
    // The page edits the text and sends the picture back as it is.
    await app.rk.edit(channel, sent.seq, { text: "see you at 9", image: sent.body!.image! }, { as: "alice" });
    let [message] = (await app.rk.history(channel)).messages;
    expect(message).toMatchObject({ body: { text: "see you at 9", image: { type: "image/png" } }, editedAt: expect.any(Number) });
    await app.rk.delete(channel, sent.seq, { as: "alice" });
    [message] = (await app.rk.history(channel)).messages;
    expect(message).toMatchObject({ seq: sent.seq, from: "alice", deleted: { by: "alice" } });
    expect(message).not.toHaveProperty("body");
  });

  it("reactions from the contract's six, marked mine for who gave them; a reply is a thread of the conversation", async () => {
    const app = await start();
    const channel = "dm:alice|bob" as const;
    const root = await app.rk.sendDirect("alice", "bob", { text: "new job!" });
    await app.rk.react(channel, root.seq, "🎉", { as: "bob" });
    await app.rk.react(channel, root.seq, "❤️", { as: "bob" });
    await app.rk.unreact(channel, root.seq, "❤️", { as: "bob" });
    // @ts-expect-error: not one of the contract's reactions
    await expect(app.rk.react(channel, root.seq, "👎", { as: "bob" })).rejects.toMatchObject({ code: "INVALID" });
    await app.rk.publish(channel, { text: "congrats!" }, { as: "bob", replyTo: root.seq });
    const [forAlice] = (await app.rk.history(channel, { reader: "alice" })).messages;
    expect(forAlice).toMatchObject({ reactions: [{ reaction: "🎉", count: 1, mine: false }], replies: { count: 1 } });
    const [forBob] = (await app.rk.history(channel, { reader: "bob" })).messages;
    expect(forBob?.reactions).toEqual([{ reaction: "🎉", count: 1, mine: true }]);
    expect((await app.rk.history(channel, { thread: root.seq })).messages.map((m) => [m.from, m.body])).toEqual([
      ["bob", { text: "congrats!" }],
    ]);
  });

  it("from their own clients: nobody outside the conversation reacts to it, and the other person cannot edit it", async () => {
    const app = await start();
    const alice = await app.connect("alice");
    const bob = await app.connect("bob");
    const eve = await app.connect("eve");
    const sent = await alice.dm("bob").send({ text: "hi" });
    await expect(eve.channel("dm:alice|bob").react(sent.seq, "👍")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(bob.dm("alice").edit(sent.seq, { text: "bye" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await bob.dm("alice").react(sent.seq, "👍");
    expect((await app.rk.history("dm:alice|bob", { reader: "eve" })).messages[0]?.reactions).toEqual([
      { reaction: "👍", count: 1, mine: false },
    ]);
  });
});
