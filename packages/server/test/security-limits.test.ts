import { afterEach, describe, expect, it } from "vitest";
import type { ErrorPayload } from "@roomkit/protocol";
import { ok, request, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import { expectNothingDelivered, expectServing, record, refused } from "./support/refusals.js";

// Rates so low that no token comes back while a test runs: exactly `burst` requests pass.
const SLOW = 0.001;

let h: Harness;
afterEach(() => h?.close());

/** Sends `count` requests at once and splits the acks into successes and refusals. */
async function flood(socket: Client, event: string, count: number, payload: (i: number) => unknown) {
  const acks = await Promise.all(Array.from({ length: count }, (_, i) => request(socket, event, payload(i))));
  const refusals = acks.filter((a) => !a.ok).map((a) => (a as { error: ErrorPayload }).error);
  return { passed: acks.filter((a) => a.ok).length, refusals };
}

function expectRateLimited(refusals: ErrorPayload[], count: number): void {
  expect(refusals).toHaveLength(count);
  for (const error of refusals) {
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.details?.retryAfterMs).toBeGreaterThan(0);
  }
}

describe("rate limits", () => {
  it("lets exactly `burst` publishes through a flood; the rest are neither stored nor delivered", async () => {
    h = await startServer({ limits: { publish: { rate: SLOW, burst: 3 } } });
    const [alice, bob, carol] = await Promise.all([h.client("alice"), h.client("bob"), h.client("carol")]);
    const got = record(bob);
    const { passed, refusals } = await flood(alice, "rk:publish", 10, (i) => ({ channel: "dm:alice|bob", body: { text: `m${i}` } }));
    expect(passed).toBe(3);
    expectRateLimited(refusals, 7);
    await settled(bob);
    expect(got.map(([event]) => event)).toEqual(["rk:message", "rk:message", "rk:message"]);
    expect((await h.rk.history("dm:alice|bob")).messages).toHaveLength(3);
    // The limit is per connection: others publish, and alice's other requests still run.
    await ok(carol, "rk:publish", { channel: "dm:bob|carol", body: { text: "unaffected" } });
    await ok(alice, "rk:history", { channel: "dm:alice|bob" });
  });

  it("lets exactly `burst` signals through a flood, and only those reach the peer", async () => {
    h = await startServer({ limits: { signal: { rate: SLOW, burst: 2 } } });
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    const got = record(bob);
    const { passed, refusals } = await flood(alice, "rk:signal", 8, () => ({
      channel: "dm:alice|bob",
      name: "typing",
      data: { on: true },
    }));
    expect(passed).toBe(2);
    expectRateLimited(refusals, 6);
    await settled(bob);
    expect(got.map(([event]) => event)).toEqual(["rk:signal", "rk:signal"]);
    await ok(alice, "rk:publish", { channel: "dm:alice|bob", body: { text: "messages have their own bucket" } });
  });

  it("limits every other request, invalid ones included", async () => {
    h = await startServer({ limits: { request: { rate: SLOW, burst: 5 } } });
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    const garbage = await flood(alice, "rk:history", 3, () => ({ channel: 42 }));
    expect(garbage.refusals.map((e) => e.code)).toEqual(["INVALID", "INVALID", "INVALID"]);
    const { passed, refusals } = await flood(alice, "rk:history", 6, () => ({ channel: "dm:alice|bob" }));
    expect(passed).toBe(2);
    expectRateLimited(refusals, 4);
    await refused(alice, "rk:subscribe", { channel: "chat:general" }, "RATE_LIMITED");
    await refused(alice, "rk:room:create", {}, "RATE_LIMITED");
    expect(await h.rk.rooms.list("alice")).toEqual([]);
    await ok(bob, "rk:history", { channel: "dm:alice|bob" });
  });

  it("keeps the server serving everyone after floods of every kind", async () => {
    const limits = { rate: SLOW, burst: 2 };
    h = await startServer({ limits: { publish: limits, signal: limits, request: limits } });
    const mallory = await h.client("mallory");
    await Promise.all([
      flood(mallory, "rk:publish", 50, () => ({ channel: "dm:mallory|zoe", body: { text: "spam" } })),
      flood(mallory, "rk:signal", 50, () => ({ channel: "dm:mallory|zoe", name: "typing", data: { on: true } })),
      flood(mallory, "rk:history", 50, () => ({ channel: "dm:mallory|zoe" })),
    ]);
    expect(mallory.connected).toBe(true);
    await expectServing(h.client);
  });
});

describe("the subscription limit", () => {
  it("refuses a subscription past the limit, and the refused channel delivers nothing", async () => {
    h = await startServer({ limits: { subscriptions: 3 } });
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    for (const n of [1, 2, 3]) await ok(alice, "rk:subscribe", { channel: `chat:c${n}` });
    const err = await refused(alice, "rk:subscribe", { channel: "chat:c4" }, "RATE_LIMITED");
    expect(err.message).toMatch(/at most 3/);
    await refused(alice, "rk:subscribe", { channel: "lobby:main" }, "RATE_LIMITED");
    expect(await h.rk.presence("lobby:main")).toEqual([]);
    // Subscribing again to a channel it has, and to a DM (heard through the personal room), takes no slot.
    await ok(alice, "rk:subscribe", { channel: "chat:c1" });
    await ok(alice, "rk:subscribe", { channel: "dm:alice|bob" });

    const a = record(alice);
    await ok(bob, "rk:subscribe", { channel: "chat:c4" });
    await ok(bob, "rk:publish", { channel: "chat:c4", body: { text: "not for alice" } });
    await expectNothingDelivered([alice, a]);

    await ok(alice, "rk:unsubscribe", { channel: "chat:c1" });
    await ok(alice, "rk:subscribe", { channel: "chat:c4" });
  });

  it("holds under concurrent subscribes", async () => {
    h = await startServer({ limits: { subscriptions: 3 } });
    const alice = await h.client("alice");
    const { passed, refusals } = await flood(alice, "rk:subscribe", 8, (i) => ({ channel: `chat:c${i}` }));
    expect(passed).toBe(3);
    expect(refusals.map((e) => e.code)).toEqual(Array(5).fill("RATE_LIMITED"));
  });
});
