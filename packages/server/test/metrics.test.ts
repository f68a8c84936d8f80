import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import { createRoomkit } from "@roomkit/server";
import { roomkitMetrics } from "@roomkit/server/metrics";
import type { MetricsServer, RoomkitMetrics } from "@roomkit/server/metrics";
import { contract } from "./support/contract.js";
import { scrape } from "./support/exposition.js";
import { clients, ok, refusal, settled, startServer } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

let h: Harness | undefined;
let endpoint: MetricsServer | undefined;
afterEach(async () => {
  await endpoint?.close();
  await h?.close();
  endpoint = h = undefined;
});

/** A server with metrics on, and their endpoint on a port of its own. */
async function metered(options: Parameters<typeof startServer>[0] = {}): Promise<{ h: Harness; metrics: RoomkitMetrics; url: string }> {
  const metrics = roomkitMetrics();
  h = await startServer({ ...options, metrics });
  endpoint = await metrics.listen({ port: 0, host: "127.0.0.1" });
  return { h, metrics, url: `http://127.0.0.1:${endpoint.port}/metrics` };
}

describe("metrics, scraped over HTTP from a real server", () => {
  it("count connections, users, requests and acks by code, messages stored and delivered, store latency", async () => {
    const { h, url } = await metered();
    const [alice, bob] = await clients(h, "alice", "bob");
    await settled(alice, bob);
    let s = await scrape(url);
    expect(s.types.get("roomkit_acks_total")).toBe("counter");
    expect(s.value("roomkit_connections")).toBe(2);
    expect(s.value("roomkit_users")).toBe(2);
    expect(s.value("roomkit_connections_opened_total")).toBe(2);
    expect(s.value("roomkit_deliveries_total", { event: "rk:welcome" })).toBe(2);

    const dm = "dm:alice|bob";
    for (const text of ["one", "two", "three"]) await ok(alice, "rk:publish", { channel: dm, body: { text }, clientId: text });
    await ok(alice, "rk:publish", { channel: dm, body: { text: "one" }, clientId: "one" }); // a retry: stored once
    expect(await refusal(alice, "rk:publish", { channel: "team:b-team", body: { text: "hi" } })).toBe("FORBIDDEN");
    expect(await refusal(alice, "rk:publish", { channel: dm, body: { text: 5 } })).toBe("INVALID");
    expect(await refusal(bob, "rk:history", { channel: "nope:x" })).toBe("INVALID");
    await settled(alice, bob);

    s = await scrape(url);
    expect(s.value("roomkit_requests_total", { event: "rk:publish" })).toBe(6);
    expect(s.value("roomkit_acks_total", { event: "rk:publish", code: "OK" })).toBe(4);
    expect(s.value("roomkit_acks_total", { event: "rk:publish", code: "FORBIDDEN" })).toBe(1);
    expect(s.value("roomkit_acks_total", { event: "rk:publish", code: "INVALID" })).toBe(1);
    expect(s.value("roomkit_acks_total", { event: "rk:history", code: "INVALID" })).toBe(1);
    expect(s.value("roomkit_request_duration_seconds_count", { event: "rk:publish" })).toBe(6);
    expect(s.value("roomkit_messages_stored_total", { kind: "dm" })).toBe(3);
    expect(s.value("roomkit_messages_duplicate_total", { kind: "dm" })).toBe(1);
    // Each of the three reaches bob; alice's own connection has it in its ack.
    expect(s.value("roomkit_deliveries_total", { event: "rk:message" })).toBe(3);
    expect(s.value("roomkit_store_operation_seconds_count", { store: "messages", operation: "append" })).toBe(4);
    expect(s.value("roomkit_store_operation_seconds_bucket", { store: "messages", operation: "append", le: "+Inf" })).toBe(4);
    for (const store of ["messages", "presence", "rooms", "readState"]) expect(s.value("roomkit_store_up", { store })).toBe(1);
    expect(s.value("process_cpu_user_seconds_total")).toBeGreaterThan(0);

    await ok(alice, "rk:edit", { channel: dm, seq: 1, body: { text: "uno" } });
    await h.drop(bob);
    expect((await h.refused({})).data?.code).toBe("UNAUTHENTICATED");
    s = await scrape(url);
    expect(s.value("roomkit_changes_stored_total", { type: "edit" })).toBe(1);
    expect(s.value("roomkit_connections")).toBe(1);
    expect(s.value("roomkit_disconnects_total", { reason: "client namespace disconnect" })).toBe(1);
    expect(s.value("roomkit_handshakes_refused_total", { code: "UNAUTHENTICATED" })).toBe(1);
  });

  it("count recoveries by outcome, and presence sizes and entries", async () => {
    const { h, url } = await metered();
    const [alice, bob] = await clients(h, "alice", "bob");
    for (let i = 1; i <= 3; i++) await h.rk.publish("news:feed", { headline: `${i}` });
    const { epoch } = await ok(alice, "rk:subscribe", { channel: "news:feed" });
    const back = await ok(bob, "rk:subscribe", { channel: "news:feed", since: 1, epoch });
    expect(back).toMatchObject({ recovered: true, messages: [{ seq: 2 }, { seq: 3 }] });
    expect(await ok(bob, "rk:subscribe", { channel: "news:feed", since: 1, epoch: "another-epoch" })).toMatchObject({ recovered: false });
    await ok(alice, "rk:subscribe", { channel: "lobby:main" });
    await ok(bob, "rk:subscribe", { channel: "lobby:main" });
    await settled(alice, bob);

    const s = await scrape(url);
    expect(s.value("roomkit_recoveries_total", { kind: "public", recovered: "true" })).toBe(1);
    expect(s.value("roomkit_recoveries_total", { kind: "public", recovered: "false" })).toBe(1);
    expect(s.value("roomkit_messages_stored_total", { kind: "public" })).toBe(3);
    expect(s.value("roomkit_presence_entries")).toBe(2);
    expect(s.value("roomkit_presence_channels")).toBe(1);
    // Two snapshots read: one member for alice's subscribe, two for bob's.
    expect(s.value("roomkit_presence_members_count", { kind: "presence" })).toBe(2);
    expect(s.value("roomkit_presence_members_sum", { kind: "presence" })).toBe(3);
  });

  it("serve on the app's own HTTP server through the handler; the own port answers only at its path", async () => {
    const metrics = roomkitMetrics({ prefix: "chat_", processMetrics: false });
    const http = createServer((req, res) => {
      if (req.url === "/metrics") return metrics.handler(req, res);
      res.writeHead(404).end();
    });
    const io = new Server(http);
    const rk = createRoomkit(io, { contract, authenticate: () => null, metrics });
    await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    endpoint = await metrics.listen({ port: 0, host: "127.0.0.1" });
    try {
      const s = await scrape(`${base}/metrics`);
      expect(s.value("chat_connections")).toBe(0);
      expect(s.matching("process_cpu_user_seconds_total")).toEqual([]);
      expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
      const head = await fetch(`${base}/metrics`, { method: "HEAD" });
      expect([head.status, await head.text()]).toEqual([200, ""]);
      expect((await fetch(`http://127.0.0.1:${endpoint.port}/other`)).status).toBe(404);
      expect((await scrape(`http://127.0.0.1:${endpoint.port}/metrics`)).value("chat_users")).toBe(0);
      expect(await metrics.text()).toContain("chat_store_up");
      expect(() => createRoomkit(new Server(), { contract, authenticate: () => null, metrics })).toThrow(/one server/);
    } finally {
      await rk.close();
      io.close();
      await new Promise((done) => http.close(done));
    }
  });
});
