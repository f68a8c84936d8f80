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
