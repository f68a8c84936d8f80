import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReceiptPush, UnreadCount } from "@roomkit/protocol";
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
