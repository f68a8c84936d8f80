import { afterEach, expect, it } from "vitest";
import type { Socket } from "socket.io";
import type { MessagePush } from "@roomkit/protocol";
import { roomkitMetrics } from "@roomkit/server/metrics";
import type { MetricsServer } from "@roomkit/server/metrics";
import { engineOf, queuedBytes, socketBytes } from "../src/transport/engine.js";
import { SLOW_ROOM } from "../src/transport/slow-consumers.js";
import { scrape } from "./support/exposition.js";
import { next, ok, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import { RawSocket } from "./support/raw-socket.js";

const KiB = 1024;
const FEED = "news:feed";
let h: Harness | undefined;
let endpoint: MetricsServer | undefined;
let raw: RawSocket | undefined;
let pongs: ReturnType<typeof setInterval> | undefined;
afterEach(async () => {
  seq = 0;
  clearInterval(pongs);
  await raw?.close();
  await endpoint?.close();
  await h?.close();
  raw = endpoint = h = undefined;
});

let seq = 0;

/**
 * Publishes 10 messages of 15 KB at a time through the server API, each batch once `pacer` has
 * it, until `done()`; after a batch that `backedUp()`, gives the transport sweep (every 250 ms)
 * up to a second to notice, so that a slow step goes only as far as it has to.
 */
async function streamUntil(h: Harness, pacer: Client, done: () => boolean, backedUp = () => false): Promise<void> {
  for (const start = seq; !done(); seq += 10) {
    if (seq - start >= 10_000) throw new Error("streamed 150 MB and the condition never held");
    const target = seq + 10;
    const arrived = next<MessagePush>(pacer, "rk:message", (p) => p.message.seq === target);
    const sent = Array.from({ length: 10 }, (_, i) => h.rk.publish(FEED, { headline: `${seq + i}`.padEnd(15_000, "x") }));
    await Promise.all([arrived, ...sent]);
    if (!backedUp()) continue;
    for (let waited = 0; waited < 1000 && !done(); waited += 25) await new Promise((wake) => setTimeout(wake, 25));
  }
}

it("count the signals dropped for a connection over the soft limit, and its close by backpressure", async () => {
  const metrics = roomkitMetrics({ processMetrics: false });
  // No stall timeout within the test: mallory is closed only when her queue passes the hard limit,
  // 100 batches past the soft one (the first step waits for the sweep once bytes back up).
  h = await startServer({ metrics, limits: { outboundSoftBytes: 64 * KiB, outboundHardBytes: 16 * 1024 * KiB, outboundStallMs: 600_000 } });
  endpoint = await metrics.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${endpoint.port}/metrics`;
  const [anna, bob] = [await h.client("anna"), await h.client("bob")];
  await Promise.all([ok(anna, "rk:subscribe", { channel: FEED }), ok(bob, "rk:subscribe", { channel: FEED })]);
  raw = await RawSocket.connect(h.url, { user: "mallory" });
  expect(await raw.request(1, "rk:subscribe", { channel: FEED })).toMatchObject({ ok: true });
  const mallory = [...h.io.of("/").sockets.values()].find((s) => s.data.user?.id === "mallory") as Socket;
  const gone = new Promise<string>((done) => mallory.once("disconnect", done));
  let closed = false;
  void gone.then(() => (closed = true));
  raw.pause();
  const paused = raw;
  pongs = setInterval(() => !paused.closed && paused.send("3"), 200);

  const conn = engineOf(mallory);
  await streamUntil(
    h,
    bob,
    () => mallory.rooms.has(SLOW_ROOM),
    () => queuedBytes(conn) + socketBytes(conn) > 64 * KiB,
  );
  // Over the soft limit and not growing (nothing more is streamed): she stays, and loses ephemeral traffic.
  const signal = next(bob, "rk:signal");
  await ok(anna, "rk:signal", { channel: FEED, name: "react", data: { emoji: "+1" } });
  await signal;
  await settled(anna, bob);
  let s = await scrape(url);
  expect(s.value("roomkit_slow_connections")).toBe(1);
  expect(s.value("roomkit_backpressure_dropped_total")).toBe(1);
  expect(s.value("roomkit_server_closes_total", { reason: "slow-consumer" })).toBe(0);

  await streamUntil(h, bob, () => closed);
  expect(await gone).toBe("forced close");
  s = await scrape(url);
  expect(s.value("roomkit_server_closes_total", { reason: "slow-consumer" })).toBe(1);
  expect(s.value("roomkit_disconnects_total", { reason: "forced close" })).toBe(1);
  expect(s.value("roomkit_slow_connections")).toBe(0);
  expect(s.value("roomkit_connections")).toBe(2);
  expect(bob.connected && anna.connected).toBe(true);
}, 120_000);
