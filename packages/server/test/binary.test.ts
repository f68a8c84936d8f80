import { Buffer } from "node:buffer";
import { afterEach, describe, expect, it } from "vitest";
import { collect, next, ok, refusal, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import { png as pngOf } from "../../protocol/test/support/images.js";

let h: Harness;
afterEach(() => h.close());

const DM = "dm:alice|bob";

/** A genuine 2x2 PNG with a text chunk of `extra` bytes, so its size can be chosen. */
function png(extra = 32): Buffer {
  return pngOf({ comment: "x".repeat(extra) });
}

async function pair(options: Parameters<typeof startServer>[0] = {}): Promise<[Client, Client]> {
  h = await startServer(options);
  return Promise.all([h.client("alice"), h.client("bob")]);
}

const sendImage = (socket: Client, image: unknown) => refusal(socket, "rk:publish", { channel: DM, body: { image } });

describe("attachments", () => {
  it("an image in a DM reaches the peer as binary bytes, not base64 or an array", async () => {
    const [alice, bob] = await pair();
    const bytes = png();
    const atBob = next(bob, "rk:message");
    const ack = await ok(alice, "rk:publish", {
      channel: DM,
      body: { text: "look", image: { type: "image/png", data: bytes, name: "dot.png" } },
    });
    const { image } = (await atBob).message.body;
    expect(image.type).toBe("image/png");
    expect(image.name).toBe("dot.png");
    expect(Buffer.isBuffer(image.data)).toBe(true);
    expect(Buffer.compare(image.data, bytes)).toBe(0);
    expect(Buffer.isBuffer(ack.message.body.image.data)).toBe(true);
    const { messages } = await ok(bob, "rk:history", { channel: DM });
    expect(Buffer.compare(messages[0].body.image.data, bytes)).toBe(0);
  });

  it("an image over limits.attachmentBytes is TOO_LARGE, and one within passes", async () => {
    const [alice, bob] = await pair({ limits: { attachmentBytes: 150 } });
    const atBob = collect(bob, "rk:message");
    expect(await sendImage(alice, { type: "image/png", data: png(100) })).toBe("TOO_LARGE");
    await settled(bob);
    expect(atBob).toEqual([]);
    await ok(alice, "rk:publish", { channel: DM, body: { image: { type: "image/png", data: png(40) } } });
  });

  it("a declared type that the bytes contradict is INVALID", async () => {
    const [alice, bob] = await pair();
    const atBob = collect(bob, "rk:message");
    expect(await sendImage(alice, { type: "image/jpeg", data: png() })).toBe("INVALID");
    expect(await sendImage(alice, { type: "image/png", data: Buffer.from("<svg onload=alert(1)>") })).toBe("INVALID");
    await settled(bob);
    expect(atBob).toEqual([]);
  });

  it("a type the server does not accept is INVALID, even with matching bytes", async () => {
    const [alice] = await pair();
    expect(await sendImage(alice, { type: "application/pdf", data: Buffer.from("%PDF-1.7\n%...") })).toBe("INVALID");
  });

  it("bare binary outside an attachment is INVALID", async () => {
    const [alice] = await pair();
    expect(await refusal(alice, "rk:publish", { channel: DM, body: { text: "raw", image: png() } })).toBe("INVALID");
    expect(await refusal(alice, "rk:publish", { channel: DM, body: png() })).toBe("INVALID");
  });
});
