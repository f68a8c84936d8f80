import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReceiptPush, ReceiptsResult, UnreadCount } from "@roomkit/protocol";
import { collect, next, ok, refusal, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";

let h: Harness;
let alice: Client;
let bob: Client;
let carol: Client;
beforeEach(async () => {
  h = await startServer();
  [alice, bob, carol] = await Promise.all([h.client("alice"), h.client("bob"), h.client("carol")]);
  await ok(alice, "rk:room:create", { channel: ROOM, members: ["bob", "carol"] });
});
afterEach(() => h.close());

const ROOM = "room:r1";
const DM = "dm:alice|bob";

async function send(socket: Client, channel: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await ok(socket, "rk:publish", { channel, body: { text: `#${i}` } });
}
const unread = async (socket: Client, channels?: string[]) => {
  const ack = await ok(socket, "rk:unread", channels ? { channels } : {});
  const byChannel = Object.fromEntries(ack.channels.map((c: UnreadCount) => [c.channel, c.unread]));
  return { byChannel, total: ack.total as number, counts: ack.channels as UnreadCount[] };
};
const mark = async (socket: Client, channel: string, seq: number) => (await ok(socket, "rk:read", { channel, seq })).lastRead;
const receipt = (socket: Client, userId: string) => next<ReceiptPush>(socket, "rk:receipt", (p) => p.userId === userId);

describe("unread counts", () => {
  it("count per channel and in total, over rooms and DMs, and fall as the user reads", async () => {
    await send(alice, ROOM, 3);
    await send(alice, DM, 2);
    const before = await unread(bob);
    expect(before.byChannel).toEqual({ [ROOM]: 3, [DM]: 2 });
    expect(before.total).toBe(5);
    expect(before.counts.find((c) => c.channel === ROOM)).toEqual({ channel: ROOM, lastRead: 0, latest: 3, unread: 3 });
    expect(await mark(bob, ROOM, 2)).toBe(2);
    expect(await unread(bob)).toMatchObject({ byChannel: { [ROOM]: 1, [DM]: 2 }, total: 3 });
    await mark(bob, DM, 2);
    expect(await unread(bob)).toMatchObject({ byChannel: { [ROOM]: 1, [DM]: 0 }, total: 1 });
  });

  it("a sender's own messages are not unread for them", async () => {
    await send(bob, ROOM, 1);
    await send(alice, ROOM, 2);
    await send(alice, DM, 2);
    expect(await unread(alice)).toMatchObject({ byChannel: { [ROOM]: 0, [DM]: 0 }, total: 0 });
    expect(await unread(carol)).toMatchObject({ byChannel: { [ROOM]: 3 }, total: 3 });
  });

  it("a new member does not inherit the room's earlier history as unread", async () => {
    const [alice, carol] = await Promise.all([h.client("alice"), h.client("carol")]);
    await ok(alice, "rk:room:create", { channel: "room:r", members: [] });
    for (const text of ["one", "two"]) await ok(alice, "rk:publish", { channel: "room:r", body: { text } });
    await ok(alice, "rk:room:invite", { channel: "room:r", userId: "carol" });
    await ok(alice, "rk:publish", { channel: "room:r", body: { text: "three" } });
    const { channels } = await ok(carol, "rk:unread", {});
    expect(channels).toContainEqual({ channel: "room:r", lastRead: 2, latest: 3, unread: 1 });
  });

  it("a room the user left no longer counts", async () => {
    await send(alice, ROOM, 2);
    await ok(carol, "rk:room:leave", { channel: ROOM });
    expect(await unread(carol)).toEqual({ byChannel: {}, total: 0, counts: [] });
  });

  it("explicitly named channels must be readable by the user", async () => {
    await send(alice, DM, 1);
    expect(await refusal(carol, "rk:unread", { channels: [DM] })).toBe("FORBIDDEN");
    expect(await refusal(carol, "rk:unread", { channels: ["team:a-team"] })).toBe("FORBIDDEN");
    expect(await refusal(carol, "rk:unread", { channels: ["nope:1"] })).toBe("INVALID");
    await send(alice, ROOM, 2);
    expect(await unread(carol, [ROOM, "chat:general"])).toMatchObject({ byChannel: { [ROOM]: 2, "chat:general": 0 }, total: 2 });
  });
});

describe("marking read", () => {
  it("never goes down, and stops at the latest seq", async () => {
    await send(alice, ROOM, 3);
    expect(await mark(bob, ROOM, 2)).toBe(2);
    expect(await mark(bob, ROOM, 1)).toBe(2);
    expect(await mark(bob, ROOM, 99)).toBe(3);
    await send(alice, ROOM, 1);
    expect((await unread(bob)).byChannel[ROOM]).toBe(1);
  });

  it("needs access to the channel", async () => {
    await send(alice, DM, 1);
    expect(await refusal(carol, "rk:read", { channel: DM, seq: 1 })).toBe("FORBIDDEN");
  });
});

describe("receipts", () => {
  it("go to the other members of a room when the mark moves, and not when it does not", async () => {
    await send(alice, ROOM, 3);
    const atAlice = collect<ReceiptPush>(alice, "rk:receipt");
    const atCarol = receipt(carol, "bob");
    await mark(bob, ROOM, 2);
    expect(await atCarol).toEqual({ v: 1, channel: ROOM, userId: "bob", seq: 2 });
    await mark(bob, ROOM, 1);
    await settled(alice);
    expect(atAlice).toEqual([{ v: 1, channel: ROOM, userId: "bob", seq: 2 }]);
  });

  it("go to the other user of a DM, and to nobody else", async () => {
    await send(alice, DM, 2);
    const atCarol = collect(carol, "rk:receipt");
    const atAlice = receipt(alice, "bob");
    await mark(bob, DM, 2);
    expect(await atAlice).toEqual({ v: 1, channel: DM, userId: "bob", seq: 2 });
    await settled(carol);
    expect(atCarol).toEqual([]);
  });
});

describe("receipts on request (rk:receipts)", () => {
  const receipts = async (socket: Client, channel: string) => (await ok<ReceiptsResult>(socket, "rk:receipts", { channel })).receipts;

  it("show a DM peer's mark to a user who reconnects, having missed the receipt", async () => {
    await send(alice, DM, 3);
    await h.drop(alice);
    await mark(bob, DM, 2);
    const again = await h.client("alice");
    expect(await receipts(again, DM)).toEqual([
      { userId: "alice", seq: 3 },
      { userId: "bob", seq: 2 },
    ]);
    expect(await receipts(bob, DM)).toEqual([
      { userId: "alice", seq: 3 },
      { userId: "bob", seq: 2 },
    ]);
  });

  it("list both users of a DM at 0 before anyone has read anything", async () => {
    expect(await receipts(alice, "dm:alice|dave")).toEqual([
      { userId: "alice", seq: 0 },
      { userId: "dave", seq: 0 },
    ]);
  });

  it("give every stored member's mark in a room, in join order, with 0 for who has read nothing", async () => {
    await send(alice, ROOM, 3);
    await mark(bob, ROOM, 2);
    await ok(alice, "rk:room:invite", { channel: ROOM, userId: "dave" }); // offline; joins with the history read
    expect(await receipts(carol, ROOM)).toEqual([
      { userId: "alice", seq: 3 },
      { userId: "bob", seq: 2 },
      { userId: "carol", seq: 0 },
      { userId: "dave", seq: 3 },
    ]);
    await ok(bob, "rk:room:leave", { channel: ROOM });
    expect((await receipts(alice, ROOM)).map((r) => r.userId)).toEqual(["alice", "carol", "dave"]);
  });

  it("answer for the first 500 members of a bigger room, by join order", async () => {
    const members = Array.from({ length: 520 }, (_, i) => `u${String(i).padStart(3, "0")}`);
    for (const [i, userId] of members.entries()) {
      await h.rk.stores.rooms.putMember(ROOM, { userId, role: "member", muted: false, joinedAt: Date.now() + i });
    }
    const list = await receipts(alice, ROOM);
    expect(list).toHaveLength(500);
    expect(list.map((r) => r.userId)).toEqual(["alice", "bob", "carol", ...members.slice(0, 497)]);
    expect(await h.rk.receipts(ROOM)).toEqual(list);
  });

  it("are refused to a user outside the DM or room, whether or not the room exists", async () => {
    const dave = await h.client("dave");
    await send(alice, DM, 1);
    expect(await refusal(carol, "rk:receipts", { channel: DM })).toBe("FORBIDDEN");
    expect(await refusal(dave, "rk:receipts", { channel: ROOM })).toBe("FORBIDDEN");
    expect(await refusal(dave, "rk:receipts", { channel: "room:nowhere" })).toBe("FORBIDDEN");
    await ok(carol, "rk:room:leave", { channel: ROOM });
    expect(await refusal(carol, "rk:receipts", { channel: ROOM })).toBe("FORBIDDEN");
  });

  it("are INVALID for the kinds without receipts, and for bad ids", async () => {
    for (const channel of ["chat:general", "news:front", "team:a-team", "lobby:main"]) {
      expect(await refusal(alice, "rk:receipts", { channel })).toBe("INVALID");
      await expect(h.rk.receipts(channel as never)).rejects.toMatchObject({ code: "INVALID" });
    }
    for (const channel of ["nope:1", "dm:bob|alice", 5, undefined])
      expect(await refusal(alice, "rk:receipts", { channel })).toBe("INVALID");
  });

  it("are read by the server API without a policy, as the requests see them", async () => {
    await send(alice, DM, 2);
    await mark(bob, DM, 1);
    expect(await h.rk.receipts(DM)).toEqual([
      { userId: "alice", seq: 2 },
      { userId: "bob", seq: 1 },
    ]);
    expect(await h.rk.receipts("room:nowhere")).toEqual([]);
  });
});
