import { describe, expect, it } from "vitest";
import {
  MemoryMessageStore,
  MemoryPresenceStore,
  MemoryReadStateStore,
  MemoryRoomStore,
  memoryStores,
} from "../src/stores/memory/index.js";
import { describeStoreConformance } from "../src/testing/index.js";

describeStoreConformance("memory", () => memoryStores({ messages: { maxPerChannel: 200 } }), {
  retention: { maxPerChannel: 200 },
});

const input = (clientId?: string) => ({ channel: "room:1", from: "alice", body: "hi", sentAt: 0, clientId });

describe("MemoryMessageStore", () => {
  it("drops messages stored longer ago than maxAgeMs, by its clock", async () => {
    let now = 10_000;
    const store = new MemoryMessageStore({ maxAgeMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) await store.append(input());
    now += 500;
    for (let i = 0; i < 2; i++) await store.append(input());
    now += 500;
    expect(await store.stream("room:1")).toMatchObject({ latest: 5, oldest: 1 });
    now += 1;
    expect(await store.stream("room:1")).toMatchObject({ latest: 5, oldest: 4 });
    expect((await store.range("room:1", { limit: 10 })).messages.map((m) => m.seq)).toEqual([4, 5]);
    expect(await store.range("room:1", { before: 4, limit: 10 })).toEqual({ messages: [], hasMore: false });
    now += 500;
    expect(await store.stream("room:1")).toMatchObject({ latest: 5, oldest: 6 });
    expect(await store.range("room:1", { limit: 10 })).toEqual({ messages: [], hasMore: false });
    expect((await store.append(input())).message.seq).toBe(6);
  });

  it("keeps paging correctly while retention trims a long stream", async () => {
    const store = new MemoryMessageStore({ maxPerChannel: 3 });
    for (let i = 0; i < 100; i++) await store.append(input());
    expect(await store.stream("room:1")).toMatchObject({ latest: 100, oldest: 98 });
    expect((await store.range("room:1", { after: 0, limit: 2 })).messages.map((m) => m.seq)).toEqual([98, 99]);
    expect((await store.range("room:1", { limit: 5 })).messages.map((m) => m.seq)).toEqual([98, 99, 100]);
  });

  it("forgets the oldest clientIds beyond dedupeWindow", async () => {
    const store = new MemoryMessageStore({ dedupeWindow: 2 });
    for (const id of ["k1", "k2", "k3"]) await store.append(input(id));
    expect(await store.append(input("k3"))).toMatchObject({ duplicate: true, message: { seq: 3 } });
    expect(await store.append(input("k1"))).toMatchObject({ duplicate: false, message: { seq: 4 } });
  });

  it("still dedupes a clientId whose message retention has dropped", async () => {
    const store = new MemoryMessageStore({ maxPerChannel: 2 });
    const first = await store.append(input("k1"));
    for (let i = 0; i < 3; i++) await store.append(input());
    expect(await store.append(input("k1"))).toEqual({ message: first.message, duplicate: true });
    expect((await store.stream("room:1")).latest).toBe(4);
  });

  it("starts a new epoch in a new store, as after a restart", async () => {
    const a = await new MemoryMessageStore().stream("room:1");
    const b = await new MemoryMessageStore().stream("room:1");
    expect(a.epoch).not.toBe(b.epoch);
  });

  it("answers a limit of 0 with no messages and whether any exist", async () => {
    const store = new MemoryMessageStore();
    for (let i = 0; i < 3; i++) await store.append(input());
    expect(await store.range("room:1", { limit: 0 })).toEqual({ messages: [], hasMore: true });
    expect(await store.range("room:1", { after: 3, limit: 0 })).toEqual({ messages: [], hasMore: false });
  });

  it("rejects bad input and bad options with a TypeError", async () => {
    const store = new MemoryMessageStore();
    await expect(store.range("room:1", { limit: -1 })).rejects.toThrow(TypeError);
    await expect(store.range("room:1", { limit: 1.5 })).rejects.toThrow(TypeError);
    await expect(store.range("room:1", { after: -1, limit: 1 })).rejects.toThrow(TypeError);
    await expect(store.append({ ...input(), sentAt: Number.NaN })).rejects.toThrow(TypeError);
    await expect(store.append({ ...input(), channel: "" })).rejects.toThrow(TypeError);
    expect(() => new MemoryMessageStore({ maxPerChannel: 0 })).toThrow(TypeError);
    expect(() => new MemoryMessageStore({ maxAgeMs: -5 })).toThrow(TypeError);
    expect(() => new MemoryMessageStore({ dedupeWindow: 1.5 })).toThrow(TypeError);
  });
});

describe("MemoryPresenceStore", () => {
  it("lists members in the order they joined", async () => {
    const presence = new MemoryPresenceStore();
    for (const [userId, connId] of [
      ["carol", "c1"],
      ["alice", "a1"],
      ["carol", "c2"],
      ["bob", "b1"],
    ] as const) {
      await presence.add({ channel: "presence:lobby", userId, connId, info: null });
    }
    expect((await presence.members("presence:lobby")).map((m) => m.userId)).toEqual(["carol", "alice", "bob"]);
  });
});

describe("MemoryRoomStore", () => {
  it("ignores members put into a room that does not exist", async () => {
    const rooms = new MemoryRoomStore();
    await rooms.putMember("room:none", { userId: "alice", role: "member", muted: false, joinedAt: 0 });
    expect(await rooms.members("room:none")).toEqual([]);
    expect(await rooms.roomsOf("alice")).toEqual([]);
  });
});

describe("MemoryReadStateStore", () => {
  it("rejects a seq that is negative or not an integer", async () => {
    const reads = new MemoryReadStateStore();
    await expect(reads.mark("alice", "room:1", -1)).rejects.toThrow(TypeError);
    await expect(reads.mark("alice", "room:1", Number.NaN)).rejects.toThrow(TypeError);
    expect(await reads.all("alice")).toEqual(new Map());
  });
});

describe("memoryStores", () => {
  it("builds the four memory stores and passes the message options on", async () => {
    const stores = memoryStores({ messages: { maxPerChannel: 1 } });
    expect(stores.presence).toBeInstanceOf(MemoryPresenceStore);
    expect(stores.rooms).toBeInstanceOf(MemoryRoomStore);
    expect(stores.readState).toBeInstanceOf(MemoryReadStateStore);
    await stores.messages.append(input());
    await stores.messages.append(input());
    expect(await stores.messages.stream("room:1")).toMatchObject({ latest: 2, oldest: 2 });
  });
});
