import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "@roomkit/server";
import { ok, request } from "../support/harness.js";
import type { Harness } from "../support/harness.js";
import { RawSocket } from "../support/raw-socket.js";
import { record } from "../support/refusals.js";
import { attackServers } from "../attacks/env.js";
import type { AttackEnv } from "../attacks/env.js";
import { flood, sum } from "./flood.js";
import type { Tally } from "./flood.js";
import { rssGrowth } from "./memory-usage.js";

/** The bounds these tests assert, in their names and in docs/security.md. */
export const BOUNDS = { subscribeRssMb: 64, floodRssMb: 48 };

const lots = { rate: 1e6, burst: 1e6 };
const SUBSCRIBES = 100_000;
const FLOOD_CONNECTIONS = 50;
const FLOOD_PER_CONNECTION = 200;

const connectMany = (h: Harness, n: number) => Promise.all(Array.from({ length: n }, () => RawSocket.connect(h.url, { user: "mallory" })));

/** The most a token bucket lets through in `ms`: its burst and what refills meanwhile (one token of slack for rounding). */
const bucketAllows = (limit: { rate: number; burst: number }, ms: number) => limit.burst + Math.ceil((limit.rate * ms) / 1000) + 1;

/**
 * Resource attacks (issue 10, findings 7 and the 100k-subscribe case): each prints the server's
 * RSS before and after and asserts the bound in its name.
 */
export function describeResources(env: AttackEnv): void {
  const servers = attackServers(env);

  describe(`resources on the ${env.name} stores`, () => {
    it(`${SUBSCRIBES / 1000}k subscribes from one user over 4 connections: each holds at most limits.subscriptions channels, server RSS grows < ${BOUNDS.subscribeRssMb} MB`, async () => {
      // Rate limits lifted: what bounds memory must be the mechanisms behind them, not the rate.
      const h = await servers.start({ limits: { request: lots, userRequest: lots } });
      const raws = await connectMany(h, 4);
      const ids = (i: number) => [`chat:c${i}`, `nope${i % 1000}:x${i}`, `dm:a${i}|b${i}`][i % 3]!;
      let tally: Tally = new Map();
      const grown = await rssGrowth(`${SUBSCRIBES} subscribes`, async () => {
        const per = SUBSCRIBES / raws.length;
        const tallies = await Promise.all(
          raws.map((raw, r) =>
            flood(
              raw,
              Array.from({ length: per }, (_, i) => ["rk:subscribe", { channel: ids(r * per + i) }]),
            ),
          ),
        );
        tally = sum(tallies);
      });
      console.log(`acks: ${JSON.stringify([...tally])}`);
      expect([...tally.values()].reduce((a, b) => a + b)).toBe(SUBSCRIBES);
      expect(tally.get("INTERNAL")).toBeUndefined();
      // Public ones up to the cap per connection; the rest refused (on Redis some answer UNAVAILABLE: the store times out under the flood).
      expect(tally.get("ok") ?? 0).toBeLessThanOrEqual(raws.length * DEFAULT_LIMITS.subscriptions);
      expect(tally.get("RATE_LIMITED")).toBeGreaterThan(0);
      for (const s of h.io.of("/").sockets.values()) expect(s.rooms.size).toBeLessThanOrEqual(DEFAULT_LIMITS.subscriptions + 2);
      expect(grown).toBeLessThan(BOUNDS.subscribeRssMb);
      await Promise.all(raws.map((r) => r.close()));
    }, 90_000); // 100,000 requests: no speed is asserted, so a loaded machine only takes longer

    for (const kind of ["publish", "signal"] as const) {
      const perUser = kind === "publish" ? DEFAULT_LIMITS.userPublish : DEFAULT_LIMITS.userSignal;
      it(`${kind} flood from ${FLOOD_CONNECTIONS} connections of one user: at most the user's bucket (${perUser.burst} + ${perUser.rate}/s) accepted, a bystander user unaffected, server RSS grows < ${BOUNDS.floodRssMb} MB`, async () => {
        const h = await servers.start({ limits: { connectionsPerUser: FLOOD_CONNECTIONS } });
        const channel = kind === "publish" ? "chat:flood" : "news:flood";
        const raws = await connectMany(h, FLOOD_CONNECTIONS);
        for (const raw of raws) expect(await raw.request(1, "rk:subscribe", { channel })).toMatchObject({ ok: true });
        const [bystander, friend] = await Promise.all([h.client("bystander"), h.client("friend")]);
        await ok(bystander, "rk:subscribe", { channel: "chat:calm" });
        const seen = record(bystander);
        const request1 =
          kind === "publish"
            ? (i: number) => ({ channel, body: { text: `flood ${i}` } })
            : () => ({ channel, name: "react", data: { emoji: "!" } });
        let tally: Tally = new Map();
        let elapsed = 0;
        const grown = await rssGrowth(`${kind} flood`, async () => {
          const started = Date.now();
          const flooding = Promise.all(
            raws.map((raw) =>
              flood(
                raw,
                Array.from({ length: FLOOD_PER_CONNECTION }, (_, i) => [`rk:${kind}`, request1(i)]),
              ),
            ),
          );
          // The bystander's own requests go through while the flood runs.
          const mine = await request(bystander, "rk:publish", { channel: "dm:bystander|friend", body: { text: "unaffected" } });
          expect(mine).toMatchObject({ ok: true });
          tally = sum(await flooding);
          elapsed = Date.now() - started;
        });
        console.log(`acks: ${JSON.stringify([...tally])} in ${elapsed} ms`);
        expect(tally.get("INTERNAL")).toBeUndefined();
        expect(tally.get("ok") ?? 0).toBeGreaterThan(0);
        expect(tally.get("ok")).toBeLessThanOrEqual(bucketAllows(perUser, elapsed));
        expect(tally.get("RATE_LIMITED")).toBe(FLOOD_CONNECTIONS * FLOOD_PER_CONNECTION - tally.get("ok")!);
        expect(await request(bystander, "rk:publish", { channel: "chat:calm", body: { text: "still here" } })).toMatchObject({ ok: true });
        expect(bystander.connected && friend.connected).toBe(true);
        expect(
          seen.filter(
            ([, push]) =>
              (push as { channel?: string; message?: { channel?: string } }).channel === channel ||
              (push as { message?: { channel?: string } }).message?.channel === channel,
          ),
        ).toEqual([]);
        expect(grown).toBeLessThan(BOUNDS.floodRssMb);
        await Promise.all(raws.map((r) => r.close()));
      });
    }
  });
}
