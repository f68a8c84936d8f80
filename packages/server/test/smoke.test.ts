import { afterEach, describe, expect, it } from "vitest";
import { next, ok, startServer } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

let h: Harness;
afterEach(() => h?.close());

describe("smoke", () => {
  it("sends a DM from alice to bob", async () => {
    h = await startServer();
    const alice = await h.client("alice");
    const bob = await h.client("bob");
    const got = next(bob, "rk:message");
    const ack = await ok(alice, "rk:publish", { channel: "dm:alice|bob", body: { text: "hi" } });
    expect(ack.message.seq).toBe(1);
    expect((await got).message.body).toEqual({ text: "hi" });
  });
});
