import { Agent } from "node:http";
import type { Socket as NetSocket } from "node:net";
import { expect, it } from "vitest";
import type { WebSocket } from "ws";
import type { Socket } from "socket.io";
import { createClient } from "@roomkit/client";
import type { MessagePush } from "@roomkit/protocol";
import { SLOW_ROOM } from "../../src/transport/slow-consumers.js";
import { collect, next, ok } from "../support/harness.js";
import type { Client, Harness } from "../support/harness.js";
import { RawSocket } from "../support/raw-socket.js";
import type { TestContract } from "../support/contract.js";
import { attackServers } from "./env.js";
import type { AttackEnv } from "./env.js";

const KiB = 1024;
const MB = 1024 * 1024;
const FEED = "news:feed";
/** A message of about `size` bytes (15 KB by default, under the default `bodyBytes`). */
const headline = (i: number, size: number) => `${i} `.padEnd(size, "x");

/** The server side of `userId`'s only socket. */
function serverSocketOf(h: Harness, userId: string): Socket {
  const socket = [...h.io.of("/").sockets.values()].find((s) => s.data.user?.id === userId);
  if (!socket) throw new Error(`${userId} has no socket on the server`);
  return socket;
}

/** Resolves with the reason once the server side of `socket` disconnects. */
const disconnected = (socket: Socket) => new Promise<string>((done) => socket.once("disconnect", (reason) => done(reason)));

/** Sends an Engine.IO pong now and then, unasked, the way the review's client kept a dead connection alive. */
function keepPonging(raw: RawSocket): () => void {
  const timer = setInterval(() => !raw.closed && raw.send("3"), 200);
  return () => clearInterval(timer);
}

/**
 * Publishes to {@link FEED} through the server API in chunks of 10, each after `pacer` (a
 * reader that keeps up) has received the last, until `done()` or `max` messages. Returns the
 * last seq published.
 */
async function stream(h: Harness, pacer: Client, from: number, max: number, done = () => false, size = 15_000): Promise<number> {
  let seq = from;
  while (seq < from + max && !done()) {
    const target = seq + 10;
    const arrived = next<MessagePush>(pacer, "rk:message", (p) => p.message.seq === target);
    const sent = Array.from({ length: 10 }, (_, i) => h.rk.publish(FEED, { headline: headline(seq + i + 1, size) }));
    await Promise.all([arrived, ...sent]);
    seq = target;
  }
  return seq;
}

/** The seqs of the `rk:message` pushes a client collected. */
const seqsOf = (pushes: MessagePush[]) => pushes.map((p) => p.message.seq);
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** An HTTP agent that keeps the TCP socket of the last connection it made, so a test can stop reading it. */
class TappedAgent extends Agent {
  last: NetSocket | undefined;
  override createConnection(...args: Parameters<Agent["createConnection"]>): ReturnType<Agent["createConnection"]> {
    const socket = super.createConnection(...args);
    this.last = socket as NetSocket;
    return socket;
  }

  /**
   * The `ws` WebSocket on the last socket (ws keeps it under its `kWebSocket` symbol): pausing
   * it, not the socket, keeps ws from resuming the socket on its own.
   */
  lastWebSocket(): WebSocket {
    const socket = this.last as unknown as Record<symbol, WebSocket>;
    const key = Object.getOwnPropertySymbols(socket).find((k) => k.description === "websocket");
    if (!key) throw new Error("no WebSocket on the agent's last socket");
    return socket[key]!;
  }
}

/** Findings 3 and 9: a connection that does not read, or sends half a binary packet, must not hold the server's memory. */
export function transportAttacks(env: AttackEnv): void {
  const servers = attackServers(env);
  const small = { outboundSoftBytes: 64 * KiB, outboundHardBytes: 512 * KiB };

  it("a client that never reads but keeps ponging is closed (slow-consumer) over outboundHardBytes; bystanders get every message and stay connected", async () => {
    const h = await servers.start({ limits: { ...small, outboundStallMs: 60_000 } });
    const bob = await h.client("bob");
    const carol = await h.client("carol");
    await Promise.all([ok(bob, "rk:subscribe", { channel: FEED }), ok(carol, "rk:subscribe", { channel: FEED })]);
    const [bobGot, carolGot] = [collect<MessagePush>(bob, "rk:message"), collect<MessagePush>(carol, "rk:message")];
    const raw = await RawSocket.connect(h.url, { user: "mallory" });
    expect(await raw.request(1, "rk:subscribe", { channel: FEED })).toMatchObject({ ok: true });
    const gone = disconnected(serverSocketOf(h, "mallory"));
    let closed = false;
    void gone.then(() => (closed = true));
    raw.pause();
    const stopPonging = keepPonging(raw);
    try {
      // Up to 3,000 messages of 15 KB (45 MB); the kernel takes a few MB before the server queues any.
      const atClose = await stream(h, bob, 0, 3000, () => closed);
      expect(closed, "mallory closed while the room streamed").toBe(true);
      const last = await stream(h, bob, atClose, 200);
      expect(await gone).toBe("forced close");
      await ok(carol, "rk:unread", {});
      expect(seqsOf(bobGot)).toEqual(upTo(last));
      expect(seqsOf(carolGot)).toEqual(upTo(last));
      expect(bob.connected && carol.connected).toBe(true);
    } finally {
      stopPonging();
      await raw.close();
    }
  });

  it("a client whose queue stops moving is closed after outboundStallMs, below the hard limit and ponging", async () => {
    const h = await servers.start({ limits: { outboundSoftBytes: 64 * KiB, outboundHardBytes: 256 * MB, outboundStallMs: 2000 } });
    const bob = await h.client("bob");
    await ok(bob, "rk:subscribe", { channel: FEED });
    const raw = await RawSocket.connect(h.url, { user: "mallory" });
    expect(await raw.request(1, "rk:subscribe", { channel: FEED })).toMatchObject({ ok: true });
    const mallory = serverSocketOf(h, "mallory");
    const gone = disconnected(mallory);
    let closed = false;
    void gone.then(() => (closed = true));
    raw.pause();
    const stopPonging = keepPonging(raw);
    try {
      // Fill the kernel's buffers until bytes wait in the server's own, then stop: nothing moves after that.
      await stream(h, bob, 0, 3000, () => mallory.rooms.has(SLOW_ROOM));
      expect(mallory.rooms.has(SLOW_ROOM), "bytes waiting for mallory").toBe(true);
      await expect.poll(() => closed, { timeout: 10_000 }).toBe(true);
      expect(bob.connected).toBe(true);
    } finally {
      stopPonging();
      await raw.close();
    }
  });

  it("over the soft limit a connection loses signals and presence diffs but keeps every message", async () => {
    const h = await servers.start({ limits: { outboundSoftBytes: 64 * KiB, outboundHardBytes: 256 * MB, outboundStallMs: 60_000 } });
    const [bob, dave] = [await h.client("bob"), await h.client("dave")];
    for (const c of [bob, dave]) await ok(c, "rk:subscribe", { channel: FEED });
    await ok(dave, "rk:subscribe", { channel: "lobby:main" });
    const raw = await RawSocket.connect(h.url, { user: "mallory" });
    expect(await raw.request(1, "rk:subscribe", { channel: FEED })).toMatchObject({ ok: true });
    expect(await raw.request(2, "rk:subscribe", { channel: "lobby:main" })).toMatchObject({ ok: true });
    const mallory = serverSocketOf(h, "mallory");
    raw.pause();
    try {
      const last = await stream(h, dave, 0, 3000, () => mallory.rooms.has(SLOW_ROOM));
      expect(mallory.rooms.has(SLOW_ROOM), "mallory over the soft limit").toBe(true);
      const signal = next(dave, "rk:signal", (p) => p.data?.emoji === "slow");
      const join = next(dave, "rk:presence", (p) => p.joins.some((m: { userId: string }) => m.userId === "carol"));
      await ok(bob, "rk:signal", { channel: FEED, name: "react", data: { emoji: "slow" } });
      const carol = await h.client("carol");
      await ok(carol, "rk:subscribe", { channel: "lobby:main" });
      await Promise.all([signal, join]);
      await h.rk.publish(FEED, { headline: "after" });
      raw.resume();
      await raw.find((f) => typeof f === "string" && f.includes(`"seq":${last + 1},`), 20_000);
      expect(raw.events("rk:message").map(([, p]) => (p as MessagePush).message.seq)).toEqual(upTo(last + 1));
      expect(raw.events("rk:signal")).toEqual([]);
      expect(raw.events("rk:presence").filter(([, p]) => JSON.stringify(p).includes('"carol"'))).toEqual([]);
      // Drained, it is back in the ephemeral traffic.
      await expect.poll(() => mallory.rooms.has(SLOW_ROOM), { timeout: 5000 }).toBe(false);
      await ok(bob, "rk:signal", { channel: FEED, name: "react", data: { emoji: "back" } });
      await raw.find((f) => typeof f === "string" && f.includes('"emoji":"back"'));
      expect(mallory.connected).toBe(true);
    } finally {
      await raw.close();
    }
  });

  it("the SDK on a connection that stops reading is closed, reconnects after it reads again, and recovers every message once, in order", async () => {
    // Messages of 100 KB, so the kernel's buffers fill within the history a reconnect replays.
    const h = await servers.start({
      limits: {
        bodyBytes: 128 * KiB,
        requestBytes: 256 * KiB,
        outboundSoftBytes: 256 * KiB,
        outboundHardBytes: 4 * MB,
        outboundStallMs: 2000,
      },
    });
    const bob = await h.client("bob");
    await ok(bob, "rk:subscribe", { channel: FEED });
    const agent = new TappedAgent();
    const alice = createClient<TestContract>(h.url, {
      auth: { user: "alice" },
      reconnect: { minDelayMs: 20, maxDelayMs: 200 },
      socket: { transports: ["websocket"], forceNew: true, agent: agent as never },
    });
    try {
      const feed = alice.channel(FEED);
      const shown: number[] = [];
      feed.on("message", (m) => shown.push(m.seq));
      await feed.subscribe();
      const gone = disconnected(serverSocketOf(h, "alice"));
      let closed = false;
      void gone.then(() => (closed = true));
      agent.lastWebSocket().pause();
      const last = await stream(h, bob, 0, 900, () => closed, 100_000);
      expect(closed, "alice closed as a slow consumer").toBe(true);
      const total = await stream(h, bob, last, 20, undefined, 100_000);
      agent.lastWebSocket().resume();
      await expect.poll(() => shown.length, { timeout: 15_000 }).toBe(total);
      expect(shown).toEqual(upTo(total));
      expect(alice.connection.current.status).toBe("connected");
    } finally {
      alice.close();
      agent.destroy();
    }
  });

  it("10 connections that announce 10 attachments and send 9 of 900 KB are closed over attachmentBytes, long before binaryPacketMs", async () => {
    // Only the byte bound can close them within the test: the time bound is a minute away.
    const h = await servers.start({ limits: { binaryPacketMs: 60_000 } });
    const bob = await h.client("bob");
    const placeholders = Array.from({ length: 10 }, (_, num) => ({ _placeholder: true, num }));
    const part = new Uint8Array(900_000).fill(7);
    const raws = await Promise.all(Array.from({ length: 10 }, () => RawSocket.connect(h.url, { user: "mallory" })));
    const stops = raws.map(keepPonging);
    try {
      for (const raw of raws) {
        raw.send(`4510-1${JSON.stringify(["rk:publish", { channel: "dm:bob|mallory", body: { parts: placeholders } }])}`);
        raw.send(...Array.from({ length: 9 }, () => part));
      }
      await expect.poll(() => raws.every((r) => r.closed), { timeout: 5000 }).toBe(true);
      await ok(bob, "rk:unread", {});
      expect(bob.connected).toBe(true);
    } finally {
      for (const stop of stops) stop();
      await Promise.all(raws.map((r) => r.close()));
    }
  });

  it("a binary packet whose parts stop coming closes its connection after binaryPacketMs, pongs or not", async () => {
    const h = await servers.start({ limits: { binaryPacketMs: 1000 } });
    const raw = await RawSocket.connect(h.url, { user: "mallory" });
    const stop = keepPonging(raw);
    try {
      raw.send(
        `452-1${JSON.stringify(["rk:publish", { channel: "dm:bob|mallory", body: { a: { _placeholder: true, num: 0 }, b: { _placeholder: true, num: 1 } } }])}`,
      );
      raw.send(new Uint8Array(100));
      await expect.poll(() => raw.closed, { timeout: 5000 }).toBe(true);
    } finally {
      stop();
      await raw.close();
    }
  });
}
