import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { ERROR_CODES, Pushes, Requests } from "@roomkit/protocol";
import { roomkitMetrics } from "@roomkit/server/metrics";
import type { MetricsServer } from "@roomkit/server/metrics";
import { scrape } from "./support/exposition.js";
import type { Scrape } from "./support/exposition.js";
import { request, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";

let h: Harness | undefined;
let endpoint: MetricsServer | undefined;
afterEach(async () => {
  await endpoint?.close();
  await h?.close();
  endpoint = h = undefined;
});

/** A seeded generator, so that a failure can be run again as it was. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
const HOSTILE_CHARS = `${NAME_CHARS}:|_-.$ é😀"'{}\\`;
const open = { rate: 1e6, burst: 1e6 };

/** Every label whose values must come from a closed set, and that set. */
const CLOSED: Record<string, ReadonlySet<string>> = {
  event: new Set([...Object.values(Requests), ...Object.values(Pushes), "other"]),
  code: new Set([...ERROR_CODES, "OK", "other"]),
  kind: new Set(["dm", "room", "public", "private", "presence", "other"]),
  store: new Set(["messages", "presence", "rooms", "readState"]),
  recovered: new Set(["true", "false"]),
};

it("a client sending 1000 random event names and channel ids grows no label set", async () => {
  const metrics = roomkitMetrics({ processMetrics: false });
  // Limits out of the way: the test is about labels, not about being refused for the rate.
  const limits = {
    ...{ request: open, userRequest: open, publish: open, userPublish: open, signal: open, userSignal: open, roomCreate: open },
    ...{ subscriptions: 1e6, roomsOwned: 1e6, roomMemberships: 1e6 },
  };
  h = await startServer({ metrics, limits });
  endpoint = await metrics.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${endpoint.port}/metrics`;
  const next = random(15);
  const word = (max: number, chars = HOSTILE_CHARS) =>
    Array.from({ length: 1 + Math.floor(next() * max) }, () => chars[Math.floor(next() * chars.length)]).join("");
  const sent = new Set<string>();
  const mallory = await h.client("mallory");
  const requests = Object.values(Requests);

  /**
   * One round: a random event with an ack and one without, and a request on a random channel id
   * (of each family, or an undeclared one). Whether the id is well formed alternates, so that each
   * request, family and form gives the same answer every time its turn comes (every 154 rounds).
   */
  const round = async (socket: Client, i: number) => {
    const event = `${["rk:", "", "rk:room:"][i % 3]}${word(40)}`;
    const family = ["dm", "room", "news", "team", "lobby", "chat", `x${word(8, NAME_CHARS)}`][i % 7];
    const channel = i % 2 ? `${family}:${word(24, NAME_CHARS)}` : `${family}:${word(12)} "${word(12)}`;
    for (const name of [event, channel]) sent.add(name);
    socket.emit(event, { channel });
    socket.emit(event, { channel }, () => undefined); // with an ack id: unknown events are never answered
    await request(socket, requests[i % requests.length]!, { channel, body: { text: word(10) }, since: 1, name: word(6), seq: 1 });
  };
  const run = async (from: number, count: number) => {
    for (let i = from; i < from + count; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => round(mallory, i + k)));
    await settled(mallory);
    return scrape(url);
  };

  // Every kind of hostile request twice over (each request name with each family and form), then 1000 more of the same kinds.
  const before = await run(0, 308);
  const after = await run(308, 1000);
  expect(after.value("roomkit_requests_total", { event: "other" })).toBeGreaterThanOrEqual(2000);
  expect([...after.series()].filter((series) => !before.series().has(series))).toEqual([]);
  assertBounded(after, sent);
}, 120_000);

function assertBounded(s: Scrape, sent: Set<string>): void {
  for (const sample of s.samples.filter((x) => x.name.startsWith("roomkit_"))) {
    for (const [label, value] of Object.entries(sample.labels)) {
      expect(sent.has(value), `${sample.name} has a label value a client sent: ${value}`).toBe(false);
      const closed = CLOSED[label];
      if (closed) expect(closed.has(value), `${sample.name}{${label}="${value}"}`).toBe(true);
    }
  }
}

/** The relative imports of one source file that stay at run time (`import type` is erased). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const found = [...source.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?"([^"]+)"/gm)].map((m) => m[1]!);
  return found;
}

it("a server without the metrics option never loads prom-client: nothing the server entry imports does", () => {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier);
    }
  };
  visit(join(src, "index.ts"));
  expect(seen.size).toBeGreaterThan(30);
  expect([...packages].sort()).not.toContain("prom-client");
  const inSrc = [...seen].map((file) => file.slice(src.length));
  expect(inSrc.filter((file) => file.startsWith("/metrics/"))).toEqual(["/metrics/recorder.ts"]);
  // The metrics entry does load it (the check above would pass on an empty graph otherwise).
  expect(runtimeImports(join(src, "metrics/tally.ts"))).toContain("prom-client");
});
