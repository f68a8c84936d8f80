import { afterEach, describe, expect, it } from "vitest";
import { clients, collect, next, ok, refusal, request, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import type { PresenceMember, PresencePush } from "@roomkit/protocol";

let h: Harness;
afterEach(() => h.close());

const LOBBY = "lobby:x";
const sub = (socket: Client, channel = LOBBY) => ok(socket, "rk:subscribe", { channel });
const ids = (members: PresenceMember[]) => members.map((m) => m.userId).sort();
const membersOf = async (socket: Client, channel = LOBBY) => ids((await ok(socket, "rk:presence", { channel })).members);
const listOf = (push: PresencePush, type: "join" | "leave") => (type === "join" ? push.joins : push.leaves);
/** The next `type` of `userId` in `channel` a socket hears, as the member the push carries. */
const diff = async (socket: Client, type: "join" | "leave", userId: string, channel = LOBBY) => {
  const push = await next<PresencePush>(
    socket,
    "rk:presence",
    (p) => p.channel === channel && listOf(p, type).some((m) => m.userId === userId),
  );
  return listOf(push, type).find((m) => m.userId === userId)!;
};
/** Every change in some pushes, as `join <user>` / `leave <user>`, in order. */
const changes = (pushes: PresencePush[]) =>
  pushes.flatMap((p) => [...p.joins.map((m) => `join ${m.userId}`), ...p.leaves.map((m) => `leave ${m.userId}`)]);
const about = (pushes: PresencePush[], userId: string) => changes(pushes).filter((c) => c.endsWith(` ${userId}`));
/** Subscribes a user's first connection and waits for the push of its own join: later pushes are about later changes. */
const enter = async (socket: Client, userId: string, channel = LOBBY) => {
  const own = diff(socket, "join", userId, channel);
  const ack = await sub(socket, channel);
  await own;
  return ack;
};

describe("snapshot and diffs", () => {
  it("a subscriber gets the members in the ack, then joins and leaves of others", async () => {
    h = await startServer();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob", { name: "Bobby", role: "viewer" })]);
    expect((await enter(alice, "alice")).members).toEqual([{ userId: "alice", info: { name: "Alice" } }]);
    const joined = diff(alice, "join", "bob");
    const atBob = collect<PresencePush>(bob, "rk:presence");
    const ack = await sub(bob);
    expect(ids(ack.members)).toEqual(["alice", "bob"]);
    // memberInfo from the lobby policy: the name only, not the whole profile.
    expect(await joined).toEqual({ userId: "bob", info: { name: "Bobby" } });
    const left = diff(alice, "leave", "bob");
    await ok(bob, "rk:unsubscribe", { channel: LOBBY });
    expect((await left).userId).toBe("bob");
    await settled(bob);
    // Nothing about the others (alice is in bob's snapshot); bob's own join, which his snapshot
    // has already, reaches him too; his leave does not (he has left the channel).
    expect(changes(atBob)).toEqual(["join bob"]);
    expect(await membersOf(alice)).toEqual(["alice"]);
  });

  it("refuses the presence of a channel kind without members", async () => {
    h = await startServer();
    const alice = await h.client("alice");
    expect((await ok(alice, "rk:subscribe", { channel: "chat:general" })).members).toBeUndefined();
    expect(await refusal(alice, "rk:presence", { channel: "chat:general" })).toBe("INVALID");
  });
});

describe("a user with several tabs", () => {
  it("is one member, and closing one tab is not a leave", async () => {
    h = await startServer();
    const [tab1, tab2, carol, dave] = await clients(h, "alice", "alice", "carol", "dave");
    await enter(tab1, "alice");
    await enter(dave, "dave");
    const atCarol = collect<PresencePush>(carol, "rk:presence");
    await sub(carol);
    await sub(tab2);
    expect(await membersOf(carol)).toEqual(["alice", "carol", "dave"]);
    await h.drop(tab1);
    // dave leaves after tab1 dropped: once his leave is in, tab1's removal has run too.
    await h.drop(dave);
    await diff(carol, "leave", "dave");
    expect(about(atCarol, "alice")).toEqual([]);
    expect(await membersOf(carol)).toEqual(["alice", "carol"]);
    const left = diff(carol, "leave", "alice");
    await h.drop(tab2);
    await left;
  });
});

describe("grace period", () => {
  const graceMs = 1000;

  it("a disconnect followed by a reconnect within the grace is neither a leave nor a join", async () => {
    h = await startServer({ presence: { graceMs } });
    const [bob, carol, dave] = await clients(h, "bob", "carol", "dave");
    await enter(bob, "bob");
    await enter(dave, "dave");
    const atCarol = collect<PresencePush>(carol, "rk:presence");
    await sub(carol);
    await h.drop(bob);
    const bobAgain = await h.client("bob");
    expect(ids((await sub(bobAgain)).members)).toEqual(["bob", "carol", "dave"]);
    // dave's grace starts after bob's; when his leave arrives, bob's grace has run out as well.
    await h.drop(dave);
    await diff(carol, "leave", "dave");
    expect(about(atCarol, "bob")).toEqual([]);
    expect(await membersOf(carol)).toEqual(["bob", "carol"]);
  });

  it("a disconnect without return is a leave once the grace is over", async () => {
    h = await startServer({ presence: { graceMs } });
    const [bob, carol] = await Promise.all([h.client("bob"), h.client("carol")]);
    await Promise.all([sub(bob), sub(carol)]);
    const left = diff(carol, "leave", "bob");
    await h.drop(bob);
    expect(await left).toEqual({ userId: "bob", info: { name: "Bob" } });
    expect(await membersOf(carol)).toEqual(["carol"]);
  });
});

describe("room presence", () => {
  it("online members of a new room are present; a member's info is their profile", async () => {
    h = await startServer();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    await ok(alice, "rk:room:create", { channel: "room:r1", members: ["bob"] });
    const { members } = await ok(bob, "rk:presence", { channel: "room:r1" });
    expect(members.sort((a: PresenceMember, b: PresenceMember) => a.userId.localeCompare(b.userId))).toEqual([
      { userId: "alice", info: { name: "Alice", role: "viewer" } },
      { userId: "bob", info: { name: "Bob", role: "viewer" } },
    ]);
  });

  it("an online user invited to a room is present at once, and a kicked one leaves", async () => {
    h = await startServer();
    const [alice] = await Promise.all([h.client("alice"), h.client("carol")]); // carol is online, not subscribed
    await ok(alice, "rk:room:create", { channel: "room:r1" });
    const joined = diff(alice, "join", "carol", "room:r1");
    await ok(alice, "rk:room:invite", { channel: "room:r1", userId: "carol" });
    await joined;
    const left = diff(alice, "leave", "carol", "room:r1");
    await ok(alice, "rk:room:kick", { channel: "room:r1", userId: "carol" });
    await left;
    expect(await membersOf(alice, "room:r1")).toEqual(["alice"]);
  });
});

describe("hooks", () => {
  it("memberJoined on a user's first connection and memberLeft after their last", async () => {
    const events: string[] = [];
    let onLeft!: () => void;
    const gone = new Promise<void>((done) => (onLeft = done));
    h = await startServer({
      hooks: {
        memberJoined: (e) => events.push(`joined ${e.channel} ${e.userId} ${JSON.stringify(e.info)}`),
        memberLeft: (e) => {
          events.push(`left ${e.channel} ${e.userId}`);
          onLeft();
        },
      },
    });
    const [tab1, tab2] = await Promise.all([h.client("alice"), h.client("alice")]);
    await sub(tab1);
    await sub(tab2);
    expect(events).toEqual([`joined ${LOBBY} alice {"name":"Alice"}`]);
    await ok(tab1, "rk:unsubscribe", { channel: LOBBY });
    expect(events).toHaveLength(1);
    await h.drop(tab2);
    await gone;
    expect(events).toEqual([`joined ${LOBBY} alice {"name":"Alice"}`, `left ${LOBBY} alice`]);
  });
});

describe("batching", () => {
  const crowd = Array.from({ length: 20 }, (_, i) => `user${i}`);
  /** A batch that never goes out by its timer during a test: only close() sends it. */
  const held = { presence: { graceMs: 0, batchMs: 60_000 } };

  it("20 users joining reach a subscriber as one push, each user once (the batch is held until close sends it)", async () => {
    h = await startServer(held);
    const observer = await h.client("observer");
    await sub(observer);
    const heard = collect<PresencePush>(observer, "rk:presence");
    const sockets = await Promise.all(crowd.map((id) => h.client(id)));
    await Promise.all(sockets.map((s) => sub(s)));
    await request(observer, "rk:unread", {}); // a round trip: nothing was pushed yet
    expect(heard).toEqual([]);
    const bye = next(observer, "rk:bye");
    await h.rk.close();
    await bye;
    expect(heard).toHaveLength(1);
    expect(heard[0]!.channel).toBe(LOBBY);
    expect(heard[0]!.joins.map((m) => m.userId).sort()).toEqual(["observer", ...crowd].sort());
    expect(heard[0]!.leaves).toEqual([]);
  });

  it("20 users joining on the batch timer: every join arrives once, in at most one push per join", async () => {
    h = await startServer({ presence: { graceMs: 0, batchMs: 200 } });
    const observer = await h.client("observer");
    await enter(observer, "observer");
    const heard = collect<PresencePush>(observer, "rk:presence");
    const sockets = await Promise.all(crowd.map((id) => h.client(id)));
    await Promise.all(sockets.map((s) => sub(s)));
    await settled(observer);
    expect(changes(heard).sort()).toEqual(crowd.map((id) => `join ${id}`).sort());
    expect(heard.length).toBeLessThanOrEqual(crowd.length);
    expect(await membersOf(observer)).toEqual(["observer", ...crowd].sort());
  });

  it("a join then a leave of one user inside a batch arrives as one leave", async () => {
    h = await startServer(held);
    const [observer, bob] = await clients(h, "observer", "bob");
    await sub(observer);
    const heard = collect<PresencePush>(observer, "rk:presence");
    await sub(bob);
    await ok(bob, "rk:unsubscribe", { channel: LOBBY });
    const bye = next(observer, "rk:bye");
    await h.rk.close();
    await bye;
    expect(heard).toHaveLength(1);
    expect(about(heard, "bob")).toEqual(["leave bob"]);
    expect(changes(heard)).toEqual(["join observer", "leave bob"]);
  });

  it("close() sends the pending changes before rk:bye", async () => {
    h = await startServer(held);
    const [observer, bob] = await clients(h, "observer", "bob");
    await Promise.all([sub(observer), sub(bob)]);
    const order: string[] = [];
    observer.onAny((event: string, push: PresencePush) =>
      order.push(event === "rk:presence" ? `${event} ${changes([push]).sort().join(", ")}` : event),
    );
    const bye = next(observer, "rk:bye");
    await h.rk.close();
    await bye;
    expect(order).toEqual(["rk:presence join bob, join observer", "rk:bye"]);
  });
});
