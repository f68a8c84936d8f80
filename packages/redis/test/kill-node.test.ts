import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { Message, PresencePush } from "@roomkit/protocol";
import { createClient } from "@roomkit/client";
import type { RoomkitClient } from "@roomkit/client";
import type { TestContract } from "../../server/test/support/contract.js";
import type { RedisClient } from "../src/client.js";
import { Follower } from "./support/follower.js";
import { collect, connectUser, eventually, next, ok, startNodes, stopNodes } from "./support/nodes.js";
import type { NodeProcess } from "./support/nodes.js";
import { tcpProxy } from "./support/proxy.js";
import type { TcpProxy } from "./support/proxy.js";
import { deleteKeys, testClient, uniquePrefix } from "./support/redis.js";
import { needRedis } from "./support/services.js";

const redis = await needRedis();
const STREAM = 150;
const KILL_AFTER = 40;

describe.runIf(redis)("a node killed with SIGKILL while messages flow", () => {
  const prefix = uniquePrefix("kill");
  let client: RedisClient;
  let nodes: NodeProcess[];
  let balancer: TcpProxy;
  const sockets: Socket[] = [];
  const sdkClients: Array<RoomkitClient<TestContract>> = [];
  const port = (node: NodeProcess) => Number(new URL(node.url).port);
  /** A client behind the balancer: it lands on n2 while n2 lives, then on the others, reconnecting by itself. */
  const behindBalancer = (userId: string) => {
    const socket = connect(`http://127.0.0.1:${balancer.port}`, {
      auth: { user: userId },
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 400,
    });
    sockets.push(socket);
    return socket;
  };
  /** An SDK client behind the balancer, following `channel`: what it delivers to the app, and its resets. */
  const sdkFollower = (userId: string, channel: "chat:stream") => {
    const rk = createClient<TestContract>(`http://127.0.0.1:${balancer.port}`, {
      auth: { user: userId },
      reconnect: { minDelayMs: 100, maxDelayMs: 400 },
      socket: { transports: ["websocket"], forceNew: true },
    });
    sdkClients.push(rk);
    const handle = rk.channel(channel);
    const delivered: Message[] = [];
    const resets: unknown[] = [];
    const drops: string[] = [];
    rk.connection.subscribe((state) => void (state.status === "reconnecting" && drops.push(state.reason)));
    handle.on("message", (m) => void delivered.push(m as Message));
    handle.on("reset", (e) => void resets.push(e));
    return { delivered, resets, drops, subscribed: handle.subscribe() };
  };
  const direct = async (node: NodeProcess, userId: string) => {
    const socket = await connectUser(node.url, userId);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    client = await testClient();
    nodes = await startNodes(["n0", "n1", "n2"], prefix);
    balancer = await tcpProxy(() => [nodes[2]!, nodes[0]!, nodes[1]!].map(port));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const rk of sdkClients) rk.close();
    await balancer?.close();
    await stopNodes(nodes ?? []);
    await deleteKeys(client, prefix);
    await client.close();
  });

  it("moves its clients to the other nodes, each seeing every message once and in order (SDK and raw), and its members leave presence once", async () => {
    const channel = "chat:stream";
    const lobby = "lobby:kill";
    const publisher = await direct(nodes[0]!, "pub");
    await ok(publisher, "rk:subscribe", { channel });
    const watcher = await direct(nodes[0]!, "watcher");
    // The watcher hears its own join too (batched): once it has, later pushes are about later changes.
    const own = next<PresencePush>(watcher, "rk:presence", (p) => p.joins.some((m) => m.userId === "watcher"));
    await ok(watcher, "rk:subscribe", { channel: lobby });
    await own;
    const diffs = collect<PresencePush>(watcher, "rk:presence");
    const changes = () => diffs.flatMap((p) => [...p.joins.map((m) => `join ${m.userId}`), ...p.leaves.map((m) => `leave ${m.userId}`)]);
    const followers = ["reader1", "reader2"].map((id) => new Follower(behindBalancer(id), channel));
    const moved = sockets.slice(-2).map((socket) => new Promise((done) => socket.once("disconnect", done)));
    const sdk = ["sdk1", "sdk2"].map((id) => sdkFollower(id, channel));
    await Promise.all(sdk.map((f) => f.subscribed));
    // A user who stays away once n2 dies, and one who comes back through the balancer.
    const ghost = await direct(nodes[2]!, "ghost");
    await ok(ghost, "rk:subscribe", { channel: lobby });
    const mover = behindBalancer("mover");
    mover.on("rk:welcome", () => void ok(mover, "rk:subscribe", { channel: lobby }).catch(() => undefined));
    await eventually(async () => {
      const { members } = await ok(watcher, "rk:presence", { channel: lobby });
      expect(members.map((m: { userId: string }) => m.userId).sort()).toEqual(["ghost", "mover", "watcher"]);
    });
    await eventually(() => expect(followers.map((f) => f.subscribed)).toEqual([true, true]));

    for (let i = 1; i <= STREAM; i++) {
      await ok(publisher, "rk:publish", { channel, body: { text: `m${i}` }, clientId: `c${i}` });
      if (i === KILL_AFTER) nodes[2]!.child.kill("SIGKILL");
      await new Promise((done) => setTimeout(done, 5));
    }
    expect(await nodes[2]!.exited).toBe("SIGKILL");
    expect(await Promise.all(moved)).toEqual(["transport close", "transport close"]);

    const all = Array.from({ length: STREAM }, (_, i) => i + 1);
    for (const follower of followers) {
      await eventually(() => expect(follower.last).toBe(STREAM), 15_000);
      expect(follower.delivered.map((m) => m.seq)).toEqual(all);
      expect(follower.delivered.map((m) => m.body)).toEqual(all.map((i) => ({ text: `m${i}` })));
      expect(follower.lost).toEqual([]);
    }
    for (const follower of sdk) {
      await eventually(() => expect(follower.delivered.at(-1)?.seq).toBe(STREAM), 15_000);
      expect(follower.delivered.map((m) => m.seq)).toEqual(all);
      expect(follower.delivered.map((m) => m.body)).toEqual(all.map((i) => ({ text: `m${i}` })));
      expect(follower.resets).toEqual([]);
      expect(follower.drops).toContain("transport-closed"); // it was on n2, and moved
    }

    await eventually(() => expect(changes().filter((c) => c.startsWith("leave"))).toEqual(["leave ghost"]), 15_000);
    // Several more heartbeat rounds: a second sweep must not announce the ghost again.
    await new Promise((done) => setTimeout(done, 1500));
    // Joins from different nodes' batches may arrive in either order; the ghost's leave comes after them.
    const seen = changes();
    expect(seen.slice(0, 2).sort()).toEqual(["join ghost", "join mover"]);
    expect(seen.slice(2)).toEqual(["leave ghost"]);
    for (const node of nodes.slice(0, 2)) {
      const reader = await direct(node, "reader");
      const { members } = await ok(reader, "rk:presence", { channel: lobby });
      expect(members.map((m: { userId: string }) => m.userId).sort()).toEqual(["mover", "watcher"]);
    }
  });
});
