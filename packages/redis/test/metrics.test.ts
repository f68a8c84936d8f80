import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoomkit } from "../../server/src/index.js";
import type { Roomkit } from "../../server/src/index.js";
import { roomkitMetrics } from "../../server/src/metrics/index.js";
import type { MetricsServer } from "../../server/src/metrics/index.js";
import { contract } from "../../server/test/support/contract.js";
import type { TestContract } from "../../server/test/support/contract.js";
import { scrape } from "../../server/test/support/exposition.js";
import { redisRoomkit } from "../src/index.js";
import type { RedisRoomkit } from "../src/index.js";
import { connectUser, ok, request } from "./support/nodes.js";
import { ownRedis } from "./support/redis-server.js";
import type { OwnRedis } from "./support/redis-server.js";
import { needRedisServer } from "./support/services.js";

const binary = needRedisServer();

describe.runIf(binary)("metrics of a node on Redis", () => {
  let redis: OwnRedis;
  let node: { rk: Roomkit<TestContract>; redis: RedisRoomkit; io: Server; url: string; endpoint: MetricsServer };
  const sockets: { disconnect(): void }[] = [];

  beforeAll(async () => {
    redis = await ownRedis(binary as string);
    const http = createServer();
    const io = new Server(http);
    const stores = await redisRoomkit(io, { url: redis.url, prefix: "metrics:", commandTimeoutMs: 500 });
    const metrics = roomkitMetrics({ processMetrics: false, probeTimeoutMs: 500 });
    const rk = createRoomkit(io, {
      contract,
      authenticate: (hs) => ({ id: String((hs.auth as { user?: unknown }).user), profile: { name: "x" } }),
      stores: stores.stores,
      metrics,
    });
    await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
    const endpoint = await metrics.listen({ port: 0, host: "127.0.0.1" });
    node = { rk, redis: stores, io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, endpoint };
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await redis?.start().catch(() => undefined);
    await node?.endpoint.close();
    await node?.rk.close();
    await node?.redis.close();
    node?.io.close();
    await redis?.destroy();
  });

  it("time the Redis stores, and report them down (UNAVAILABLE) while Redis is stopped and up once it is back", async () => {
    const metricsUrl = `http://127.0.0.1:${node.endpoint.port}/metrics`;
    const alice = await connectUser(node.url, "alice");
    sockets.push(alice);
    await ok(alice, "rk:publish", { channel: "dm:alice|bob", body: { text: "hi" } });
    let s = await scrape(metricsUrl);
    for (const store of ["messages", "presence", "rooms", "readState"]) expect(s.value("roomkit_store_up", { store })).toBe(1);
    expect(s.value("roomkit_store_operation_seconds_count", { store: "messages", operation: "append" })).toBe(1);
    expect(s.value("roomkit_messages_stored_total", { kind: "dm" })).toBe(1);

    await redis.stop();
    const ack = await request(alice, "rk:publish", { channel: "dm:alice|bob", body: { text: "during" } });
    expect(ack).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    s = await scrape(metricsUrl);
    for (const store of ["messages", "presence", "rooms", "readState"]) expect(s.value("roomkit_store_up", { store })).toBe(0);
    expect(s.value("roomkit_store_errors_total", { store: "messages", operation: "append", code: "UNAVAILABLE" })).toBe(1);
    expect(s.value("roomkit_acks_total", { event: "rk:publish", code: "UNAVAILABLE" })).toBe(1);

    await redis.start();
    // The stores' client reconnects on its own, backing off: each scrape probes again until it answers.
    await expect
      .poll(async () => (await scrape(metricsUrl)).value("roomkit_store_up", { store: "messages" }), { timeout: 20_000, interval: 250 })
      .toBe(1);
    await ok(alice, "rk:publish", { channel: "dm:alice|bob", body: { text: "after" } });
    expect((await scrape(metricsUrl)).value("roomkit_messages_stored_total", { kind: "dm" })).toBe(2);
  }, 60_000);
});
