import { afterEach, describe, expect, it } from "vitest";
import type { PresenceMember, PresencePush, RoomMember } from "@roomkit/protocol";
import { MemoryReadStateStore } from "@roomkit/server";
import { ReadMarkBatch } from "../src/read-state/mark-batch.js";
import { next, ok, refusal, request, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";

// Bounded answers (issue 16): a subscribe ack and rk:presence list a page of members with the
// count, rk:room:members and rk:room:list page too, and the senders' read marks are one write per tick.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LOBBY = "lobby:crowd";
const ROOM = "room:crowd";
const ids = (members: { userId: string }[]) => members.map((m) => m.userId);
const crowd = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i).padStart(2, "0")}`);

/** Subscribes each user in turn (so they enter in this order), one connection each. */
async function enterInOrder(users: string[], channel = LOBBY): Promise<Client[]> {
  const sockets: Client[] = [];
  for (const userId of users) {
    const socket = await h!.client(userId);
    await ok(socket, "rk:subscribe", { channel });
    sockets.push(socket);
  }
  return sockets;
}

describe("presence pages", () => {
  it("a subscribe ack of a big channel lists the first pageSize members, the count and a cursor; rk:presence pages the rest", async () => {
    h = await startServer({ presence: { graceMs: 0, pageSize: 3 } });
    const users = crowd(6);
    const sockets = await enterInOrder(users.slice(0, 5));
    const last = await h.client(users[5]!);
    const ack = await ok<{ members: PresenceMember[]; memberCount: number; membersNext?: string }>(last, "rk:subscribe", {
      channel: LOBBY,
    });
    expect(ids(ack.members)).toEqual(users.slice(0, 3));
    expect(ack.members[0]).toEqual({ userId: "u00", info: { name: "U00" } });
    expect(ack.memberCount).toBe(6);
    expect(typeof ack.membersNext).toBe("string");
    const second = await ok<{ members: PresenceMember[]; count: number; next?: string }>(last, "rk:presence", {
      channel: LOBBY,
      after: ack.membersNext,
    });
    expect(second).toEqual({ ok: true, members: users.slice(3).map((u) => ({ userId: u, info: { name: u.toUpperCase() } })), count: 6 });
    // Someone leaves between pages: the cursor still holds, the count follows.
    await ok(sockets[4]!, "rk:unsubscribe", { channel: LOBBY });
    const again = await ok<{ members: PresenceMember[]; count: number; next?: string }>(last, "rk:presence", {
      channel: LOBBY,
      after: ack.membersNext,
      limit: 2,
    });
    expect(ids(again.members)).toEqual(["u03", "u05"]);
    expect(again.count).toBe(5);
    expect(again.next).toBeUndefined();
    const first = await ok<{ members: PresenceMember[]; count: number; next?: string }>(last, "rk:presence", { channel: LOBBY });
    expect(ids(first.members)).toEqual(users.slice(0, 3));
  });

  it("each presence push carries the channel's count as it goes out", async () => {
    h = await startServer({ presence: { graceMs: 0, pageSize: 1 } });
    const [alice] = await enterInOrder(["alice"]);
    const joined = next<PresencePush>(alice!, "rk:presence", (p) => p.joins.some((m) => m.userId === "bob"));
    const [bob] = await enterInOrder(["bob"]);
    expect((await joined).count).toBe(2);
    const left = next<PresencePush>(alice!, "rk:presence", (p) => p.leaves.some((m) => m.userId === "bob"));
    await ok(bob!, "rk:unsubscribe", { channel: LOBBY });
    expect((await left).count).toBe(1);
  });

  it("a channel within one page is listed whole, with its count and no cursor", async () => {
    h = await startServer({ presence: { graceMs: 0, pageSize: 3 } });
    await enterInOrder(["alice"]);
    const bob = await h.client("bob");
    const ack = await ok(bob, "rk:subscribe", { channel: LOBBY });
    expect(ids(ack.members)).toEqual(["alice", "bob"]);
    expect(ack.memberCount).toBe(2);
    expect("membersNext" in ack).toBe(false);
    expect(await ok(bob, "rk:presence", { channel: LOBBY })).toEqual({
      ok: true,
      members: [
        { userId: "alice", info: { name: "Alice" } },
        { userId: "bob", info: { name: "Bob" } },
      ],
      count: 2,
    });
  });

  it("refuses bad paging fields with INVALID and answers a cursor it did not give with no members", async () => {
    h = await startServer({ presence: { graceMs: 0, pageSize: 3 } });
    const [alice] = await enterInOrder(["alice"]);
    for (const bad of [
      { limit: 0 },
      { limit: 4 },
      { limit: 1.5 },
      { limit: "2" },
      { after: "" },
      { after: 5 },
      { after: "x".repeat(65) },
      { after: ["1"] },
    ]) {
      expect(await refusal(alice!, "rk:presence", { channel: LOBBY, ...bad }), JSON.stringify(bad)).toBe("INVALID");
    }
    for (const after of ["zzz", "-1", "1e9", "__proto__", "9".repeat(64)]) {
      expect(await ok(alice!, "rk:presence", { channel: LOBBY, after }), after).toEqual({ ok: true, members: [], count: 1 });
    }
    expect(await refusal(alice!, "rk:presence", { channel: "chat:general", after: "1" })).toBe("INVALID");
  });

  it("bounds a room's ack too, and refuses its pages to a non-member", async () => {
    h = await startServer({ presence: { graceMs: 0, pageSize: 2 } });
    const users = crowd(4);
    await h.rk.rooms.create({ owner: users[0]!, channel: ROOM, members: users.slice(1) });
    const sockets = await Promise.all(users.map((u) => h!.client(u)));
    for (const socket of sockets) await ok(socket, "rk:subscribe", { channel: ROOM });
    const ack = await ok(sockets[0]!, "rk:subscribe", { channel: ROOM });
    expect(ack.members).toHaveLength(2);
    expect(ack.memberCount).toBe(4);
    const rest = await ok(sockets[0]!, "rk:presence", { channel: ROOM, after: ack.membersNext });
    expect([...ids(ack.members), ...ids(rest.members)].sort()).toEqual(users);
    const mallory = await h.client("mallory");
    expect(await refusal(mallory, "rk:presence", { channel: ROOM, after: ack.membersNext })).toBe("FORBIDDEN");
  });
});

describe("room member pages", () => {
  it("pages the stored members in join order with the count", async () => {
    h = await startServer();
    const users = crowd(7);
    await h.rk.rooms.create({ owner: users[0]!, channel: ROOM, members: users.slice(1) });
    const owner = await h.client(users[0]!);
    const seen: RoomMember[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await ok<{ members: RoomMember[]; count: number; next?: string }>(owner, "rk:room:members", {
        channel: ROOM,
        limit: 3,
        ...(after === undefined ? {} : { after }),
      });
      expect(page.count).toBe(7);
      seen.push(...page.members);
      after = page.next;
      pages++;
    } while (after !== undefined);
    expect(pages).toBe(3);
    expect(ids(seen)).toEqual(users);
    expect(seen[0]!.role).toBe("owner");
    const all = await ok(owner, "rk:room:members", { channel: ROOM });
    expect(ids(all.members)).toEqual(users);
    expect(all.count).toBe(7);
    expect("next" in all).toBe(false);
  });

  it("refuses bad paging fields with INVALID, and a non-member with FORBIDDEN", async () => {
    h = await startServer();
    await h.rk.rooms.create({ owner: "alice", channel: ROOM });
    const alice = await h.client("alice");
    for (const bad of [{ limit: 0 }, { limit: 501 }, { after: "" }, { after: {} }]) {
      expect(await refusal(alice, "rk:room:members", { channel: ROOM, ...bad }), JSON.stringify(bad)).toBe("INVALID");
    }
    expect(await ok(alice, "rk:room:members", { channel: ROOM, after: "nope" })).toEqual({ ok: true, members: [], count: 1 });
    const mallory = await h.client("mallory");
    expect(await refusal(mallory, "rk:room:members", { channel: ROOM, limit: 1 })).toBe("FORBIDDEN");
  });
});

describe("room list pages", () => {
  type ListPage = { rooms: { channel: string; role: string }[]; count: number; next?: string };
  const channels = (page: ListPage) => page.rooms.map((r) => r.channel);

  it("pages my rooms in the order I joined them, with the count; a payload left out or {} gets the first page", async () => {
    h = await startServer();
    const rooms = ["room:c", "room:a", "room:e", "room:b", "room:d"] as const;
    for (const channel of rooms) await h.rk.rooms.create({ owner: "bob", channel, members: ["alice"] });
    const alice = await h.client("alice");
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await ok<ListPage>(alice, "rk:room:list", { limit: 2, ...(after === undefined ? {} : { after }) });
      expect(page.count).toBe(5);
      seen.push(...channels(page));
      after = page.next;
      pages++;
    } while (after !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(rooms);
    const all = await ok<ListPage>(alice, "rk:room:list", {});
    expect(channels(all)).toEqual(rooms);
    expect(all.count).toBe(5);
    expect("next" in all).toBe(false);
    expect(await alice.timeout(5000).emitWithAck("rk:room:list")).toEqual({ ok: true, rooms: all.rooms, count: 5 });
  });

  it("answers at most 500 rooms by default, with a cursor to the rest", async () => {
    h = await startServer();
    const rooms = Array.from({ length: 503 }, (_, i) => `room:r${i}` as const);
    for (let i = 0; i < rooms.length; i += 100) {
      await Promise.all(rooms.slice(i, i + 100).map((channel) => h!.rk.rooms.create({ owner: "alice", channel })));
    }
    const alice = await h.client("alice");
    const first = await ok<ListPage>(alice, "rk:room:list", {});
    expect(first.rooms).toHaveLength(500);
    expect(first.count).toBe(503);
    const rest = await ok<ListPage>(alice, "rk:room:list", { after: first.next });
    expect([...channels(first), ...channels(rest)].sort()).toEqual([...rooms].sort());
    expect("next" in rest).toBe(false);
  });

  it("keeps a cursor valid while rooms come and go, refuses bad paging fields with INVALID, and answers a cursor it did not give with no rooms", async () => {
    h = await startServer();
    for (const channel of ["room:w0", "room:w1", "room:w2", "room:w3"] as const)
      await h.rk.rooms.create({ owner: "alice", channel, members: ["bob"] });
    const bob = await h.client("bob");
    const first = await ok<ListPage>(bob, "rk:room:list", { limit: 2 });
    expect(channels(first)).toEqual(["room:w0", "room:w1"]);
    await ok(bob, "rk:room:leave", { channel: "room:w1" });
    await ok(bob, "rk:room:leave", { channel: "room:w2" });
    await h.rk.rooms.create({ owner: "bob", channel: "room:w4" });
    expect(await ok(bob, "rk:room:list", { after: first.next, limit: 2 })).toEqual({
      ok: true,
      rooms: [
        expect.objectContaining({ channel: "room:w3", role: "member" }),
        expect.objectContaining({ channel: "room:w4", role: "owner" }),
      ],
      count: 3,
    });
    for (const bad of [
      { limit: 0 },
      { limit: 501 },
      { limit: 2.5 },
      { limit: "2" },
      { after: "" },
      { after: "x".repeat(65) },
      { after: 7 },
      { after: {} },
    ]) {
      expect(await refusal(bob, "rk:room:list", bad), JSON.stringify(bad)).toBe("INVALID");
    }
    expect(await refusal(bob, "rk:room:list", "all")).toBe("INVALID");
    for (const after of ["nope", "room:w0", "-1", "99999999999999999999"]) {
      expect(await ok(bob, "rk:room:list", { after }), after).toEqual({ ok: true, rooms: [], count: 3 });
    }
  });
});

describe("senders' read marks", () => {
  /** The memory store, counting its writes. */
  class CountingReadState extends MemoryReadStateStore {
    writes = 0;
    override mark(userId: string, channel: string, seq: number): Promise<number> {
      this.writes++;
      return super.mark(userId, channel, seq);
    }
  }

  it("marks raised in one tick are one write per user and channel, at the highest seq, and each caller waits for it", async () => {
    const store = new CountingReadState();
    const batch = new ReadMarkBatch(store);
    const done = [batch.raise("alice", "room:a", 3), batch.raise("alice", "room:a", 5), batch.raise("alice", "room:a", 4)];
    const other = batch.raise("bob", "room:a", 2);
    expect(done[0]).toBe(done[1]);
    expect(await store.get("alice", "room:a")).toBe(0); // not written yet: on the next turn
    await Promise.all([...done, other]);
    expect(store.writes).toBe(2);
    expect(await store.get("alice", "room:a")).toBe(5);
    expect(await store.get("bob", "room:a")).toBe(2);
    await batch.raise("alice", "room:a", 9);
    expect(store.writes).toBe(3);
    expect(await store.get("alice", "room:a")).toBe(9);
  });

  it("a failed write rejects every caller it covered", async () => {
    const failing = new (class extends MemoryReadStateStore {
      override mark(): Promise<number> {
        return Promise.reject(new Error("store down"));
      }
    })();
    const batch = new ReadMarkBatch(failing);
    const results = await Promise.allSettled([batch.raise("alice", "room:a", 1), batch.raise("alice", "room:a", 2)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("a burst of publishes is acknowledged only with the sender's mark at or past each message", async () => {
    const readState = new CountingReadState();
    h = await startServer({ stores: { readState } });
    await h.rk.rooms.create({ owner: "alice", channel: ROOM, members: ["bob"] });
    const alice = await h.client("alice");
    const acks = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request<{ message: { seq: number } }>(alice, "rk:publish", { channel: ROOM, body: { text: `m${i}` } }),
      ),
    );
    const seqs = acks.map((a) => (a.ok ? a.message.seq : 0));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await readState.get("alice", ROOM)).toBe(30);
    expect(readState.writes).toBeLessThanOrEqual(30);
    const unread = await ok(alice, "rk:unread", { channels: [ROOM] });
    expect(unread.channels).toEqual([{ channel: ROOM, lastRead: 30, latest: 30, unread: 0 }]);
  });
});
