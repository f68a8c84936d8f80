import { afterEach, describe, expect, it } from "vitest";
import { clients, collect, next, ok, refusal, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import type { PresenceMember, PresencePush } from "@roomkit/protocol";

let h: Harness;
afterEach(() => h.close());

const LOBBY = "lobby:x";
const sub = (socket: Client, channel = LOBBY) => ok(socket, "rk:subscribe", { channel });
const ids = (members: PresenceMember[]) => members.map((m) => m.userId).sort();
const membersOf = async (socket: Client, channel = LOBBY) => ids((await ok(socket, "rk:presence", { channel })).members);
const diff = (socket: Client, type: "join" | "leave", userId: string, channel = LOBBY) =>
  next<PresencePush>(socket, "rk:presence", (p) => p.channel === channel && p.type === type && p.member.userId === userId);
const about = (pushes: PresencePush[], userId: string) => pushes.filter((p) => p.member.userId === userId);

describe("snapshot and diffs", () => {
  it("a subscriber gets the members in the ack, then joins and leaves of others", async () => {
    h = await startServer();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob", { name: "Bobby", role: "viewer" })]);
    expect((await sub(alice)).members).toEqual([{ userId: "alice", info: { name: "Alice" } }]);
    const joined = diff(alice, "join", "bob");
    const atBob = collect<PresencePush>(bob, "rk:presence");
    const ack = await sub(bob);
    expect(ids(ack.members)).toEqual(["alice", "bob"]);
    // memberInfo from the lobby policy: the name only, not the whole profile.
    expect((await joined).member).toEqual({ userId: "bob", info: { name: "Bobby" } });
    const left = diff(alice, "leave", "bob");
    await ok(bob, "rk:unsubscribe", { channel: LOBBY });
    expect((await left).member.userId).toBe("bob");
    await settled(bob);
    expect(atBob).toEqual([]);
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
    await Promise.all([sub(tab1), sub(dave)]);
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
    await Promise.all([sub(bob), sub(dave)]);
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
    expect((await left).member).toEqual({ userId: "bob", info: { name: "Bob" } });
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
    const [alice, carol] = await Promise.all([h.client("alice"), h.client("carol")]);
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
