import { Buffer } from "node:buffer";
import { expect, it } from "vitest";
import { RoomkitError, SNIFFABLE_TYPES } from "@roomkit/protocol";
import type { AttachmentCheck } from "@roomkit/server";
import { collect, ok, request, settled } from "../support/harness.js";
import type { Client, Harness } from "../support/harness.js";
import { RawSocket } from "../support/raw-socket.js";
import { GENUINE, GIF, POLYGLOTS, png } from "../../../protocol/test/support/images.js";
import { attackServers } from "./env.js";
import type { AttackEnv } from "./env.js";

const DM = "dm:bob|mallory";
const EVERY_TYPE = { limits: { attachmentTypes: [...SNIFFABLE_TYPES] } };

/** Finding 10: an attachment is stored only when its bytes are framed like its type, and the app's decoder says yes. */
export function attachmentAttacks(env: AttackEnv): void {
  const servers = attackServers(env);

  /** mallory and bob on `h`, with every push to bob recorded. */
  async function pair(h: Harness): Promise<{ mallory: Client; bob: Client; atBob: unknown[] }> {
    const [mallory, bob] = await Promise.all([h.client("mallory"), h.client("bob")]);
    await ok(bob, "rk:subscribe", { channel: DM });
    return { mallory, bob, atBob: collect(bob, "rk:message") };
  }

  async function expectNothingStored(h: Harness, bob: Client, atBob: unknown[]): Promise<void> {
    await settled(bob);
    expect(atBob, "messages delivered to bob").toEqual([]);
    expect((await h.rk.history(DM)).messages, "messages stored").toEqual([]);
  }

  it.each(Object.entries(POLYGLOTS))("%s is refused INVALID, stored nowhere and delivered to no one", async (_what, [type, data]) => {
    const h = await servers.start(EVERY_TYPE);
    const { mallory, bob, atBob } = await pair(h);
    const ack = await request(mallory, "rk:publish", { channel: DM, body: { image: { type, data } } });
    expect(ack).toMatchObject({
      ok: false,
      error: { code: "INVALID", message: expect.stringContaining(`attachment "${type}" is refused: `) },
    });
    await expectNothingStored(h, bob, atBob);
  });

  it("the GIF + JavaScript polyglot sent as raw Socket.IO binary frames is refused INVALID", async () => {
    const h = await servers.start();
    const { bob, atBob } = await pair(h);
    const raw = await RawSocket.connect(h.url, { user: "mallory" });
    const [, data] = POLYGLOTS["GIF89a + JavaScript"];
    const event = ["rk:publish", { channel: DM, body: { image: { type: "image/gif", data: { _placeholder: true, num: 0 } } } }];
    raw.send(`451-7${JSON.stringify(event)}`, data);
    const ack = JSON.parse(((await raw.until((f) => typeof f === "string" && f.startsWith("437["))) as string).slice(3)) as unknown[];
    expect(ack[0]).toMatchObject({ ok: false, error: { code: "INVALID" } });
    await expectNothingStored(h, bob, atBob);
    await raw.close();
  });

  it("a genuine small file of each sniffable type is stored and reaches the peer byte for byte", async () => {
    const h = await servers.start(EVERY_TYPE);
    const { mallory, atBob } = await pair(h);
    for (const [type, data] of Object.entries(GENUINE)) await ok(mallory, "rk:publish", { channel: DM, body: { image: { type, data } } });
    const stored = (await h.rk.history(DM)).messages.map((m) => (m.body as { image: { type: string; data: Uint8Array } }).image);
    expect(stored.map((image) => image.type)).toEqual(Object.keys(GENUINE));
    for (const [i, data] of Object.values(GENUINE).entries()) expect(Buffer.compare(Buffer.from(stored[i]!.data), data)).toBe(0);
    await expect.poll(() => atBob.length).toBe(SNIFFABLE_TYPES.length);
  });

  it("verifyAttachment sees a framed attachment with its channel and sender, and its true stores the message", async () => {
    const seen: AttachmentCheck[] = [];
    const h = await servers.start({
      hooks: {
        verifyAttachment: (a) => {
          seen.push(a);
          return true;
        },
      },
    });
    const { mallory } = await pair(h);
    await ok(mallory, "rk:publish", { channel: DM, body: { text: "two", image: { type: "image/gif", data: GIF } } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ channel: { id: DM, family: "dm", kind: "dm" }, from: "mallory", type: "image/gif" });
    expect(Buffer.compare(Buffer.from(seen[0]!.data), GIF)).toBe(0);
    expect((await h.rk.history(DM)).messages).toHaveLength(1);
    // A framing refusal or a schema refusal comes first: the hook is not asked.
    await request(mallory, "rk:publish", { channel: DM, body: { image: { type: "image/gif", data: GIF.subarray(0, -1) } } });
    await request(mallory, "rk:publish", { channel: DM, body: { image: { type: "image/gif", data: GIF }, text: 5 } });
    expect(seen).toHaveLength(1);
  });

  it.each([
    ["false", "INVALID", 'the server refused the "image/png" attachment', () => false],
    ["{ reject }", "INVALID", "the PNG does not decode", () => ({ reject: "the PNG does not decode" })],
    ["an answer that is not true", "INVALID", 'the server refused the "image/png" attachment', () => undefined as never],
    [
      "a thrown RoomkitError",
      "UNAVAILABLE",
      "the scanner is down",
      () => {
        throw new RoomkitError("UNAVAILABLE", "the scanner is down");
      },
    ],
    [
      "a thrown Error (an app bug)",
      "INTERNAL",
      "internal error",
      () => {
        throw new Error("decoder crashed");
      },
    ],
    ["a rejected promise", "INTERNAL", "internal error", () => Promise.reject(new Error("decoder crashed"))],
  ])("verifyAttachment answering %s refuses the message with %s, and nothing is stored", async (_what, code, message, verify) => {
    const h = await servers.start({ hooks: { verifyAttachment: verify as never } });
    const { mallory, bob, atBob } = await pair(h);
    const ack = await request(mallory, "rk:publish", { channel: DM, body: { image: { type: "image/png", data: png() } } });
    expect(ack).toEqual({ ok: false, error: { code, message } });
    await expectNothingStored(h, bob, atBob);
    // A message without attachments does not ask the hook.
    await ok(mallory, "rk:publish", { channel: DM, body: { text: "no image" } });
  });
}
