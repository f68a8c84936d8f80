import { afterEach, describe, expect, it } from "vitest";
import { closeClients, connect, until } from "./support/clients.js";
import { startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";

// The SDK over bounded acks (issue 16): a big channel's presence starts with one page and the
// count, loads the rest on request; room.members() pages through a big room.

let h: Harness;
afterEach(async () => {
  closeClients();
  await h?.close();
});

const LOBBY = "lobby:big";
const ids = (members: readonly { userId: string }[]) => members.map((m) => m.userId);

/** Connects and subscribes each user in turn, so they enter in this order. */
async function enter(users: string[]) {
  const handles = [];
  for (const userId of users) {
    const lobby = connect(h.url, userId).channel(LOBBY);
    await lobby.subscribe();
    handles.push(lobby);
  }
  return handles;
}

describe("presence of a channel bigger than a page", () => {
  it("starts with the first page and the count, and loadMore brings the rest until it is complete", async () => {
    h = await startTestServer({ presence: { graceMs: 0, pageSize: 2 } });
    const early = await enter(["u1", "u2", "u3", "u4"]);
    // The joins so far have gone out (the first member heard the last one): the newcomer hears only its own.
    await until(() => early[0]!.presence.has("u4"), [[early[0]!.presence, "change"]]);
    const [lobby] = await enter(["u5"]);
    const presence = lobby!.presence;
    expect(ids(presence.members).slice(0, 2)).toEqual(["u1", "u2"]);
    expect(presence.members.length).toBeLessThanOrEqual(3); // the page, and perhaps its own join
    expect(presence.complete).toBe(false);
    expect(presence.count).toBe(5);
    const joins: string[] = [];
    presence.on("join", (m) => joins.push(m.userId));
    expect(await presence.loadMore()).toBe(true);
    expect(presence.members.length).toBeGreaterThanOrEqual(4);
    expect(await presence.loadMore()).toBe(false);
    expect(ids(presence.members).sort()).toEqual(["u1", "u2", "u3", "u4", "u5"]);
    expect(presence.complete).toBe(true);
    expect(presence.count).toBe(5);
    expect(joins.filter((u) => u !== "u5")).toEqual([]); // pages are not arrivals; only its own join may be
    expect(await presence.loadMore()).toBe(false);
  });

  it("follows the count of each push, joins and leaves of users it does not list included", async () => {
    h = await startTestServer({ presence: { graceMs: 0, pageSize: 2 } });
    const early = await enter(["u1", "u2", "u3"]);
    await until(() => early[0]!.presence.has("u3"), [[early[0]!.presence, "change"]]);
    const [lobby] = await enter(["u4"]);
    const presence = lobby!.presence;
    expect(presence.count).toBe(4);
    await enter(["u5"]);
    await until(() => presence.has("u5"), [[presence, "change"]]);
    expect(presence.count).toBe(5);
    await early[2]!.unsubscribe(); // u3: not in the listed page
    // A leave of someone not listed may change no list, so wait on the count itself.
    await expect.poll(() => presence.count, { timeout: 10_000 }).toBe(4);
    // The page, plus the joins heard since (its own included), less the leave.
    expect(ids(presence.members)).toEqual(expect.arrayContaining(["u1", "u2", "u5"]));
    expect(presence.has("u3")).toBe(false);
    while (await presence.loadMore());
    expect(ids(presence.members).sort()).toEqual(["u1", "u2", "u4", "u5"]);
    expect(presence.count).toBe(4);
  });

  it("a small channel is complete from the start", async () => {
    h = await startTestServer({ presence: { graceMs: 0, pageSize: 2 } });
    const [first, second] = await enter(["alice", "bob"]);
    await until(() => first!.presence.has("bob"), [[first!.presence, "change"]]);
    expect(second!.presence.complete).toBe(true);
    expect(second!.presence.count).toBe(2);
    expect(await second!.presence.loadMore()).toBe(false);
  });
});

describe("room.members() of a big room", () => {
  it("pages through every stored member in join order", async () => {
    h = await startTestServer();
    await h.rk.rooms.create({ owner: "alice", channel: "room:huge" });
    const others = Array.from({ length: 520 }, (_, i) => `m${String(i).padStart(3, "0")}`);
    for (const [i, userId] of others.entries()) {
      await h.rk.stores.rooms.putMember("room:huge", { userId, role: "member", muted: false, joinedAt: Date.now() + i });
    }
    const room = connect(h.url, "alice").channel("room:huge");
    const members = await room.members();
    expect(ids(members)).toEqual(["alice", ...others]);
  });
});
