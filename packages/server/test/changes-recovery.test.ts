import { Buffer } from "node:buffer";
import { afterEach, describe, expect, it } from "vitest";
import { offlineDuringChanges, Reader } from "./support/change-recovery.js";
import { ok, startServer } from "./support/harness.js";
import type { Harness } from "./support/harness.js";
import { png } from "./support/png.js";

describe("recovery of changes", () => {
  let h: Harness;
  afterEach(() => h?.close());

  it("a reader offline while edits, deletes, reactions and replies flow recovers with `since` to exactly the server's history view", async () => {
    h = await startServer();
    await offlineDuringChanges({ writer: h, reader: h }, async (_node, user) => (await h.connect({ user })).socket, "room:recover");
  });

  it("a replay whose edits carry more than one packet's attachments is cut (hasMore) and continued by subscribing again from its last seq", async () => {
    h = await startServer();
    const dm = "dm:alice|bob";
    const alice = (await h.connect({ user: "alice" })).socket;
    for (let i = 1; i <= 12; i++) await ok(alice, "rk:publish", { channel: dm, body: { text: `m${i}` } });
    const first = new Reader((await h.connect({ user: "bob" })).socket, "bob");
    await first.recover(dm);
    expect(first.view.last).toBe(12);
    first.socket.disconnect();
    for (let i = 1; i <= 12; i++)
      await ok(alice, "rk:edit", { channel: dm, seq: i, body: { image: { type: "image/png", data: png(4, i) } } });
    const bob = new Reader((await h.connect({ user: "bob" })).socket, "bob", first.view);
    const acks = await bob.recover(dm);
    expect(acks.map((a) => [a.changes.length, a.hasMore])).toEqual([
      [10, true],
      [2, false],
    ]);
    expect(acks[0]!.changes.map((c) => c.seq)).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
    const history = await h.rk.history(dm, { reader: "bob" });
    expect(bob.view.list().map((m) => ({ ...m, body: undefined }))).toEqual(history.messages.map((m) => ({ ...m, body: undefined })));
    for (const [i, m] of bob.view.list().entries()) {
      expect(Buffer.from((m.body as { image: { data: Uint8Array } }).image.data)).toEqual(png(4, i + 1));
    }
  });
});
