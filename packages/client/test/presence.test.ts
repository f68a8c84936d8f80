import { afterEach, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "@roomkit/protocol";
import type { PresenceMember, PresencePush } from "@roomkit/protocol";
import { closeClients, connect, next } from "./support/clients.js";
import { startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";

let h: Harness;
afterEach(async () => {
  closeClients();
  await h?.close();
});

const LOBBY = "lobby:main";
const member = (userId: string): PresenceMember<{ name: string }> => ({ userId, info: { name: userId } });
const push = (joins: PresenceMember[], leaves: PresenceMember[] = []): PresencePush => ({
  v: PROTOCOL_VERSION,
  channel: LOBBY,
  joins,
  leaves,
});

describe("batched presence pushes", () => {
  it("a push with N joins is N join events and one change, with one new members array", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const lobby = alice.channel(LOBBY);
    await lobby.subscribe();
    const events: string[] = [];
    const changes: (readonly PresenceMember[])[] = [];
    lobby.presence.on("join", (m) => events.push(`join ${m.userId}`));
    lobby.presence.on("leave", (m) => events.push(`leave ${m.userId}`));
    lobby.presence.on("change", (members) => changes.push(members));

    const crowd = ["u1", "u2", "u3", "u4", "u5"].map(member);
    const changed = next(lobby.presence, "change");
    h.io.to(LOBBY).emit("rk:presence", push(crowd));
    await changed;
    expect(events).toEqual(crowd.map((m) => `join ${m.userId}`));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toBe(lobby.presence.members);
    expect(lobby.presence.members.map((m) => m.userId)).toEqual(["alice", "u1", "u2", "u3", "u4", "u5"]);
    expect(crowd.every((m) => lobby.presence.has(m.userId))).toBe(true);

    // Leaves and joins in one push: a leave per member gone, a join per newcomer, still one change.
    events.length = 0;
    const again = next(lobby.presence, "change");
    h.io.to(LOBBY).emit("rk:presence", push([member("u6")], [member("u1"), member("u2"), member("nobody")]));
    await again;
    expect(events).toEqual(["leave u1", "leave u2", "join u6"]);
    expect(changes).toHaveLength(2);
    expect(lobby.presence.members.map((m) => m.userId)).toEqual(["alice", "u3", "u4", "u5", "u6"]);
  });

  it("ignores a malformed push, and a push that changes nothing emits nothing", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const lobby = alice.channel(LOBBY);
    await lobby.subscribe();
    const seen: string[] = [];
    for (const event of ["join", "leave", "change"] as const) lobby.presence.on(event, () => seen.push(event));
    const before = lobby.presence.members;
    for (const bad of [
      { v: 1, channel: LOBBY, type: "join", member: member("old-shape") },
      { v: 1, channel: LOBBY, joins: "u1", leaves: [] },
      { v: 1, channel: LOBBY, joins: [member("u1")] },
      { v: 1, channel: LOBBY, joins: [{ info: {} }], leaves: [] },
      { v: 1, channel: LOBBY, joins: [null], leaves: [] },
      null,
    ])
      h.io.to(LOBBY).emit("rk:presence", bad);
    // Already known: alice with the same info, and the leave of someone absent.
    h.io.to(LOBBY).emit("rk:presence", push([{ userId: "alice", info: { name: "Alice" } }], [member("ghost")]));
    const good = next(lobby.presence, "join");
    h.io.to(LOBBY).emit("rk:presence", push([member("bob")]));
    expect((await good)[0]).toEqual(member("bob"));
    expect(seen).toEqual(["join", "change"]);
    expect(before.map((m) => m.userId)).toEqual(["alice"]);
    expect(lobby.presence.members.map((m) => m.userId)).toEqual(["alice", "bob"]);
  });
});
