import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { Message, PresencePush } from "@roomkit/protocol";
import { collect, connectUser, eventually, next, ok, startNodes, stopNodes } from "./nodes.js";
import type { NodeProcess } from "./nodes.js";

/** What the three-node suite needs of the Redis it runs on (one server, or a cluster). */
export interface SuiteRedis {
  /** Environment for the nodes (node.ts): REDIS_URL, and REDIS_CLUSTER=1 on a cluster. */
  env: Record<string, string>;
  /** `PUBSUB SHARDNUMSUB` of each channel, on the node that serves it. */
  shardSubscribers(channels: string[]): Promise<number[]>;
  /** A connection that may subscribe to sharded channels. */
  subscriber(): Promise<{ sSubscribe(channel: string, listener: () => void): Promise<unknown>; close(): Promise<unknown> }>;
}

/**
 * Three Roomkit nodes (child processes) on one Redis or one Redis Cluster, under `prefix`: DMs,
 * shard channels, tabs on two nodes, rosters, room members, history, read state and recovery
 * across nodes. `setUp` runs before the nodes start, `tearDown` after they stopped.
 */
export function describeThreeNodes(title: string, prefix: string, setUp: () => Promise<SuiteRedis>, tearDown: () => Promise<void>): void {
  describe(title, () => {
    let nodes: NodeProcess[];
    let redis: SuiteRedis;
    let sockets: Socket[] = [];
    let n = 0;
    /** A user id no other test uses. */
    const user = (name: string) => `${name}-${++n}`;
    const connectTo = async (node: NodeProcess, userId: string) => {
      const socket = await connectUser(node.url, userId);
      sockets.push(socket);
      return socket;
    };
    const names = (members: Array<{ userId: string }>) => members.map((m) => m.userId);
    /** Every change in some presence pushes, as `join <user>` / `leave <user>`, in order. */
    const changes = (pushes: PresencePush[]) =>
      pushes.flatMap((p) => [...p.joins.map((m) => `join ${m.userId}`), ...p.leaves.map((m) => `leave ${m.userId}`)]);

    beforeAll(async () => {
      redis = await setUp();
      nodes = await startNodes(["n0", "n1", "n2"], prefix, redis.env);
    }, 60_000);
    afterEach(() => {
      for (const s of sockets) s.disconnect();
      sockets = [];
    });
    afterAll(async () => {
      await stopNodes(nodes ?? []);
      await tearDown();
    });

    it("runs the sharded adapter on Redis 7", () => {
      expect(nodes.map((node) => node.adapter)).toEqual(["sharded", "sharded", "sharded"]);
    });

    it("delivers DMs between users on different nodes, once each, in order", async () => {
      const [alice, bob] = [user("alice"), user("bob")];
      const a = await connectTo(nodes[0]!, alice);
      const b = await connectTo(nodes[1]!, bob);
      const channel = `dm:${[alice, bob].sort().join("|")}`;
      const atBob = collect<{ message: Message }>(b, "rk:message");
      for (let i = 1; i <= 5; i++) await ok(a, "rk:publish", { channel, body: { text: `hi ${i}` } });
      const reply = next<{ message: Message }>(a, "rk:message", (p) => p.message.from === bob);
      await ok(b, "rk:publish", { channel, body: { text: "hello" } });
      expect((await reply).message.seq).toBe(6);
      // Bob's own message comes back in his ack, not as a push to the sending connection.
      await eventually(() => expect(atBob.map((p) => p.message.seq)).toEqual([1, 2, 3, 4, 5]));
      expect(atBob.slice(0, 5).map((p) => p.message.body)).toEqual([1, 2, 3, 4, 5].map((i) => ({ text: `hi ${i}` })));
    });

    it("sends a DM on the recipients' own shard channels, which only their nodes subscribe to", async () => {
      const [alice, bob] = [user("alice"), user("bob")];
      const a = await connectTo(nodes[0]!, alice);
      await connectTo(nodes[1]!, bob);
      const spy = await redis.subscriber();
      const heard: string[] = [];
      const main = `${prefix}io#/#`;
      expect(await redis.shardSubscribers([`${main}user:${alice}#`, `${main}user:${bob}#`])).toEqual([1, 1]);
      for (const channel of [main, `${main}user:${alice}#`, `${main}user:${bob}#`]) {
        await spy.sSubscribe(channel, () => heard.push(channel.slice(main.length) || "(namespace)"));
      }
      await ok(a, "rk:publish", { channel: `dm:${[alice, bob].sort().join("|")}`, body: { text: "psst" } });
      await eventually(() => expect(heard.sort()).toEqual([`user:${alice}#`, `user:${bob}#`]));
      await spy.close();
    });

    it("counts one user with tabs on two nodes as one member, and reaches both tabs", async () => {
      const [carol, dave, erin] = [user("carol"), user("dave"), user("erin")];
      const lobby = `lobby:tabs-${n}`;
      const watcher = await connectTo(nodes[1]!, dave);
      // The watcher hears its own join too (batched): once it has, later pushes are about later changes.
      const own = next<PresencePush>(watcher, "rk:presence", (p) => names(p.joins).includes(dave));
      await ok(watcher, "rk:subscribe", { channel: lobby });
      await own;
      const diffs = collect<PresencePush>(watcher, "rk:presence");
      const tab1 = await connectTo(nodes[0]!, carol);
      const tab2 = await connectTo(nodes[2]!, carol);
      await ok(tab1, "rk:subscribe", { channel: lobby });
      await ok(tab2, "rk:subscribe", { channel: lobby });
      for (const node of nodes) {
        const s = await connectTo(node, user("reader"));
        expect(names((await ok(s, "rk:presence", { channel: lobby })).members)).toEqual([dave, carol]);
      }
      const sender = await connectTo(nodes[1]!, erin);
      const got = [next(tab1, "rk:message"), next(tab2, "rk:message")];
      await ok(sender, "rk:publish", { channel: `dm:${[carol, erin].sort().join("|")}`, body: { text: "both tabs" } });
      expect((await Promise.all(got)).map((p) => p.message.body.text)).toEqual(["both tabs", "both tabs"]);

      tab1.disconnect();
      const left = next<PresencePush>(watcher, "rk:presence", (p) => p.leaves.length > 0);
      await new Promise((done) => setTimeout(done, 600)); // past the grace period of tab1
      tab2.disconnect();
      expect(names((await left).leaves)).toEqual([carol]);
      expect(changes(diffs)).toEqual([`join ${carol}`, `leave ${carol}`]);
    });

    it("keeps one roster for a room and a presence channel whose members are on all three nodes", async () => {
      const users = [user("u0"), user("u1"), user("u2")];
      const lobby = `lobby:all-${n}`;
      const s = await Promise.all(users.map((id, i) => connectTo(nodes[i]!, id)));
      const { room } = await ok(s[0]!, "rk:room:create", { name: "all", members: users.slice(1) });
      const channels = [room.channel, lobby];
      // Each socket's view of each channel: the snapshot of its subscribe ack, then the diffs it hears.
      const views = s.map(() => new Map(channels.map((channel) => [channel, new Set<string>()])));
      for (const [i, socket] of s.entries()) {
        socket.on("rk:presence", (p: PresencePush) => {
          const view = views[i]!.get(p.channel)!;
          for (const m of p.leaves) view.delete(m.userId);
          for (const m of p.joins) view.add(m.userId);
        });
      }
      for (const [i, socket] of s.entries()) {
        for (const channel of channels) {
          const { members } = await ok(socket, "rk:subscribe", { channel });
          for (const id of names(members)) views[i]!.get(channel)!.add(id);
        }
      }
      // The same list, in the same order, from every node; every socket's view agrees with it.
      const rosters = async (expected: string[]) => {
        for (const channel of channels) {
          const lists = [];
          for (const node of nodes) {
            const reader = await connectTo(node, users[0]!);
            lists.push(names((await ok(reader, "rk:presence", { channel })).members));
          }
          expect([...lists[0]!].sort()).toEqual([...expected].sort());
          expect(lists[1]).toEqual(lists[0]);
          expect(lists[2]).toEqual(lists[0]);
          await eventually(() => {
            for (const [i, view] of views.entries())
              if (s[i]!.connected) expect([...view.get(channel)!].sort()).toEqual([...expected].sort());
          });
        }
      };
      await rosters(users);
      const heard = [next(s[0]!, "rk:message"), next(s[1]!, "rk:message")];
      await ok(s[2]!, "rk:publish", { channel: room.channel, body: { text: "from n2" } });
      expect((await Promise.all(heard)).map((p) => p.message.body.text)).toEqual(["from n2", "from n2"]);

      s[1]!.disconnect();
      await eventually(() => expect(views[0]!.get(lobby)!.has(users[1]!)).toBe(false));
      await rosters([users[0]!, users[2]!]);
    });

    it("counts a new room member in presence on whichever node they are connected to", async () => {
      const [owner, guest] = [user("owner"), user("guest")];
      const a = await connectTo(nodes[0]!, owner);
      const b = await connectTo(nodes[1]!, guest);
      const joined = next(b, "rk:room", (p) => p.type === "joined" || p.type === "created");
      const { room } = await ok(a, "rk:room:create", { name: "invite", members: [guest] });
      await joined;
      for (const node of nodes) {
        const reader = await connectTo(node, owner);
        await eventually(async () =>
          expect(names((await ok(reader, "rk:presence", { channel: room.channel })).members).sort()).toEqual([guest, owner].sort()),
        );
      }
      const heard = next(b, "rk:message");
      await ok(a, "rk:publish", { channel: room.channel, body: { text: "welcome" } });
      expect((await heard).message.body).toEqual({ text: "welcome" });
    });

    it("serves the same history and read state from any node", async () => {
      const users = [user("h0"), user("h1"), user("h2")];
      const s = await Promise.all(users.map((id, i) => connectTo(nodes[i]!, id)));
      const { room } = await ok(s[0]!, "rk:room:create", { name: "history", members: users.slice(1) });
      for (let i = 0; i < 6; i++) await ok(s[i % 3]!, "rk:publish", { channel: room.channel, body: { text: `m${i}` } });
      const pages = await Promise.all(s.map((socket) => ok(socket, "rk:history", { channel: room.channel, limit: 10 })));
      expect(pages[1]).toEqual(pages[0]);
      expect(pages[2]).toEqual(pages[0]);
      expect(pages[0]!.messages.map((m: Message) => [m.seq, m.from])).toEqual([
        [1, users[0]],
        [2, users[1]],
        [3, users[2]],
        [4, users[0]],
        [5, users[1]],
        [6, users[2]],
      ]);
      const receipt = next(s[1]!, "rk:receipt", (p) => p.userId === users[0]);
      await ok(s[0]!, "rk:read", { channel: room.channel, seq: 5 });
      expect(await receipt).toMatchObject({ channel: room.channel, seq: 5 });
      for (const node of nodes) {
        const again = await connectTo(node, users[0]!);
        const { channels } = await ok(again, "rk:unread", { channels: [room.channel] });
        expect(channels).toEqual([{ channel: room.channel, lastRead: 5, latest: 6, unread: 1 }]);
      }
    });

    it("recovers a subscriber since its last seq on a different node from the one it left", async () => {
      const [pub, sub] = [user("pub"), user("sub")];
      const channel = `chat:recover-${n}`;
      const publisher = await connectTo(nodes[0]!, pub);
      await ok(publisher, "rk:subscribe", { channel });
      const first = await connectTo(nodes[1]!, sub);
      const { seq, epoch } = await ok(first, "rk:subscribe", { channel });
      const seen = collect<{ message: Message }>(first, "rk:message");
      for (let i = 1; i <= 3; i++) await ok(publisher, "rk:publish", { channel, body: { text: `before ${i}` } });
      await eventually(() => expect(seen).toHaveLength(3));
      first.disconnect();
      for (let i = 1; i <= 4; i++) await ok(publisher, "rk:publish", { channel, body: { text: `after ${i}` } });
      const last = seen.at(-1)!.message.seq;
      const second = await connectTo(nodes[2]!, sub);
      const resumed = await ok(second, "rk:subscribe", { channel, since: last, epoch });
      expect(seq).toBe(0);
      expect(resumed).toMatchObject({ recovered: true, epoch, seq: 7 });
      expect(resumed.messages.map((m: Message) => [m.seq, m.body])).toEqual([4, 5, 6, 7].map((s, i) => [s, { text: `after ${i + 1}` }]));
    });
  });
}
