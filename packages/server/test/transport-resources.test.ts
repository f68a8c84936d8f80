import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import type { MessagePush } from "@roomkit/protocol";
import type { RoomkitLimits } from "@roomkit/server";
import { next, ok } from "./support/harness.js";
import type { Client } from "./support/harness.js";
import { RawSocket } from "./support/raw-socket.js";
import { killTestProcesses, spawnTsx } from "./support/test-processes.js";

// Transport resource tests: the server runs in its own process (support/resource-server.ts), so its RSS is
// the server's alone, not the test's clients'. Too heavy to run on every store; the transport
// does not depend on the store.

const MB = 1024 * 1024;
const script = fileURLToPath(new URL("./support/resource-server.ts", import.meta.url));
const tsconfig = fileURLToPath(new URL("../../../tsconfig.test.json", import.meta.url));

interface Stats {
  rss: number;
  sockets: number;
}

const sockets: (Client | RawSocket)[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) await s.close();
  await killTestProcesses();
});

/** Starts a server process with `limits`; resolves with its URL once it listens. */
function startServerProcess(limits: Partial<RoomkitLimits>): Promise<string> {
  const child = spawnTsx(script, {
    env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig, ROOMKIT_LIMITS: JSON.stringify(limits) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((done, fail) => {
    let out = "";
    child.once("exit", (code) => fail(new Error(`the server process exited with ${code} before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) done(`http://127.0.0.1:${port}`);
    });
  });
}

const stats = async (url: string): Promise<Stats> => (await fetch(`${url}/stats`)).json() as Promise<Stats>;

/** Prints the server's RSS before and after and returns the growth in MB. */
function growth(label: string, before: Stats, after: Stats): number {
  console.log(`${label}: server RSS ${(before.rss / MB).toFixed(1)} MB -> ${(after.rss / MB).toFixed(1)} MB`);
  return (after.rss - before.rss) / MB;
}

async function client(url: string, user: string): Promise<Client> {
  const socket = connect(url, { auth: { user }, transports: ["websocket"], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((done, fail) => socket.once("connect", () => done()).once("connect_error", fail));
  return socket;
}

/** Sends `count` messages of 15 KB to `channel`, 10 at a time, each batch once `reader` has it all. */
async function stream(publisher: Client, reader: Client, channel: string, count: number): Promise<void> {
  const headline = "x".repeat(15_000);
  for (let seq = 0; seq < count; seq += 10) {
    const arrived = next<MessagePush>(reader, "rk:message", (p) => p.message.seq === seq + 10);
    for (let i = 0; i < 10; i++) void publisher.emit("rk:publish", { channel, body: { headline } });
    await arrived;
  }
}

// Bounds in the test names: a room streaming 45 MB moves a few tens of MB through the heap even
// when nothing is held; without the limits the slow consumer alone would hold ~40 MB of it, and
// the 10 half-sent packets ~81 MB.
it("a client that never reads but keeps ponging, while its room streams 45 MB: closed, and the server's RSS stays under +48 MB", async () => {
  const url = await startServerProcess({ outboundSoftBytes: 64 * 1024, outboundHardBytes: 512 * 1024, outboundStallMs: 2000 });
  const [anna, bob] = [await client(url, "anna"), await client(url, "bob")];
  // The default policy of a public family: its subscribers may publish.
  await Promise.all([anna, bob].map((c) => ok(c, "rk:subscribe", { channel: "news:feed" })));
  const mallory = await RawSocket.connect(url, { user: "mallory" });
  sockets.push(mallory);
  expect(await mallory.request(1, "rk:subscribe", { channel: "news:feed" })).toMatchObject({ ok: true });
  const pong = setInterval(() => mallory.send("3"), 200);
  try {
    mallory.pause();
    const before = await stats(url);
    await stream(anna, bob, "news:feed", 3000);
    const after = await stats(url);
    expect(after.sockets, "mallory is gone, anna and bob are not").toBe(2);
    expect(growth("slow consumer", before, after)).toBeLessThan(48);
  } finally {
    clearInterval(pong);
  }
});

it("10 connections that announce 10 attachments and send 9 of 900 KB: all closed, and the server's RSS stays under +40 MB", async () => {
  const url = await startServerProcess({ binaryPacketMs: 60_000 });
  const bob = await client(url, "bob");
  const before = await stats(url);
  const raws = await Promise.all(Array.from({ length: 10 }, () => RawSocket.connect(url, { user: "mallory" })));
  sockets.push(...raws);
  const pong = setInterval(
    () =>
      raws.forEach((r) => {
        if (!r.closed) r.send("3");
      }),
    200,
  );
  try {
    const placeholders = Array.from({ length: 10 }, (_, num) => ({ _placeholder: true, num }));
    const part = new Uint8Array(900_000).fill(7);
    for (const raw of raws) {
      raw.send(`4510-1${JSON.stringify(["rk:publish", { channel: "dm:bob|mallory", body: { parts: placeholders } }])}`);
      raw.send(...Array.from({ length: 9 }, () => part));
    }
    await expect.poll(() => raws.every((r) => r.closed), { timeout: 10_000 }).toBe(true);
    const after = await stats(url);
    expect(after.sockets, "only bob is left").toBe(1);
    expect(growth("partial binary packets", before, after)).toBeLessThan(40);
    await ok(bob, "rk:unread", {});
  } finally {
    clearInterval(pong);
  }
});
