import type { RoomInfo, RoomMember } from "@roomkit/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import type { Stores } from "../stores/types.js";

/** What the room tests take from the suite: the current test's stores, and a channel name unique to it. */
export interface ConformanceTest {
  readonly stores: Stores;
  ch(base: string): string;
}

/** The room store's part of the store conformance suite (see `describeStoreConformance`). */
export function describeRoomConformance(t: ConformanceTest): void {
  describe("rooms", () => {
    let alice: string;
    let bob: string;
    let owner: RoomMember;
    const room = (channel: string, extra: Partial<RoomInfo> = {}): RoomInfo => ({
      channel,
      name: "Design",
      owner: alice,
      open: false,
      createdAt: 1_700_000_000_000,
      ...extra,
    });
    const member = (userId: string, joinedAt: number, extra: Partial<RoomMember> = {}): RoomMember => ({
      userId,
      role: "member",
      muted: false,
      joinedAt,
      ...extra,
    });
    beforeEach(() => {
      alice = t.ch("alice");
      bob = t.ch("bob");
      owner = member(alice, 1, { role: "owner" });
    });

    it("creates a room once: a taken channel is refused and nothing of the second create is stored", async () => {
      const channel = t.ch("room:create");
      expect(await t.stores.rooms.get(channel)).toBeUndefined();
      expect(await t.stores.rooms.create(room(channel), [owner])).toBe(true);
      expect(await t.stores.rooms.get(channel)).toEqual(room(channel));
      expect(await t.stores.rooms.create(room(channel, { name: "Other", owner: bob }), [member(bob, 2, { role: "owner" })])).toBe(false);
      expect(await t.stores.rooms.get(channel)).toEqual(room(channel));
      expect(await t.stores.rooms.members(channel)).toEqual([owner]);
      expect(await t.stores.rooms.roomsOf(bob)).toEqual([]);
    });

    it("updates a room's info", async () => {
      const channel = t.ch("room:update");
      await t.stores.rooms.create(room(channel), [owner]);
      await t.stores.rooms.update(room(channel, { name: "Renamed", open: true }));
      expect(await t.stores.rooms.get(channel)).toEqual(room(channel, { name: "Renamed", open: true }));
      expect(await t.stores.rooms.members(channel)).toEqual([owner]);
    });

    it("lists members in join order; replacing a member changes them in place", async () => {
      const channel = t.ch("room:members");
      const [carol, dave] = [t.ch("carol"), t.ch("dave")];
      await t.stores.rooms.create(room(channel), [owner, member(bob, 2)]);
      await t.stores.rooms.putMember(channel, member(carol, 3));
      await t.stores.rooms.putMember(channel, member(dave, 4));
      const promoted = member(bob, 2, { role: "admin", muted: true });
      await t.stores.rooms.putMember(channel, promoted);
      expect(await t.stores.rooms.members(channel)).toEqual([owner, promoted, member(carol, 3), member(dave, 4)]);
      expect(await t.stores.rooms.member(channel, bob)).toEqual(promoted);
      expect(await t.stores.rooms.member(channel, t.ch("erin"))).toBeUndefined();
      expect(await t.stores.rooms.roomsOf(bob)).toEqual([channel]);
    });

    it("removes a member once and keeps roomsOf in sync", async () => {
      const [first, second] = [t.ch("room:one"), t.ch("room:two")];
      await t.stores.rooms.create(room(first), [owner, member(bob, 2)]);
      await t.stores.rooms.create(room(second), [owner]);
      await t.stores.rooms.putMember(second, member(bob, 3));
      expect([...(await t.stores.rooms.roomsOf(bob))].sort()).toEqual([first, second].sort());
      expect(await t.stores.rooms.removeMember(first, bob)).toBe(true);
      expect(await t.stores.rooms.removeMember(first, bob)).toBe(false);
      expect(await t.stores.rooms.removeMember(t.ch("room:none"), bob)).toBe(false);
      expect(await t.stores.rooms.member(first, bob)).toBeUndefined();
      expect(await t.stores.rooms.members(first)).toEqual([owner]);
      expect(await t.stores.rooms.roomsOf(bob)).toEqual([second]);
      expect(await t.stores.rooms.roomsOf(t.ch("nobody"))).toEqual([]);
    });

    it("counts the rooms a user owns and is in, through create, role changes, removal and delete", async () => {
      const [first, second, third] = [t.ch("room:c1"), t.ch("room:c2"), t.ch("room:c3")];
      expect(await t.stores.rooms.countRooms(alice)).toEqual({ owned: 0, member: 0 });
      expect(await t.stores.rooms.create(room(first), [owner, member(bob, 2)])).toBe(true);
      await t.stores.rooms.create(room(second), [owner]);
      await t.stores.rooms.create(room(third, { owner: bob }), [member(bob, 3, { role: "owner" }), member(alice, 4)]);
      expect(await t.stores.rooms.create(room(first), [member(bob, 5, { role: "owner" })])).toBe(false);
      expect(await t.stores.rooms.countRooms(alice)).toEqual({ owned: 2, member: 3 });
      expect(await t.stores.rooms.countRooms(bob)).toEqual({ owned: 1, member: 2 });
      await t.stores.rooms.putMember(first, member(bob, 2, { role: "owner" }));
      await t.stores.rooms.putMember(first, member(alice, 1, { role: "admin" }));
      expect(await t.stores.rooms.countRooms(alice)).toEqual({ owned: 1, member: 3 });
      expect(await t.stores.rooms.countRooms(bob)).toEqual({ owned: 2, member: 2 });
      await t.stores.rooms.putMember(t.ch("room:none"), member(bob, 6, { role: "owner" }));
      expect(await t.stores.rooms.removeMember(third, bob)).toBe(true);
      expect(await t.stores.rooms.countRooms(bob)).toEqual({ owned: 1, member: 1 });
      await t.stores.rooms.delete(second);
      await t.stores.rooms.delete(first);
      expect(await t.stores.rooms.countRooms(alice)).toEqual({ owned: 0, member: 1 });
      expect(await t.stores.rooms.countRooms(bob)).toEqual({ owned: 0, member: 0 });
    });

    it("deletes a room with all its members, after which the channel can be created again", async () => {
      const [gone, kept] = [t.ch("room:gone"), t.ch("room:kept")];
      await t.stores.rooms.create(room(gone), [owner, member(bob, 2)]);
      await t.stores.rooms.create(room(kept), [owner]);
      await t.stores.rooms.delete(gone);
      expect(await t.stores.rooms.get(gone)).toBeUndefined();
      expect(await t.stores.rooms.members(gone)).toEqual([]);
      expect(await t.stores.rooms.member(gone, bob)).toBeUndefined();
      expect(await t.stores.rooms.roomsOf(bob)).toEqual([]);
      expect(await t.stores.rooms.roomsOf(alice)).toEqual([kept]);
      await t.stores.rooms.delete(gone);
      const newOwner = member(bob, 5, { role: "owner" });
      expect(await t.stores.rooms.create(room(gone, { owner: bob }), [newOwner])).toBe(true);
      expect(await t.stores.rooms.members(gone)).toEqual([newOwner]);
      expect(await t.stores.rooms.roomsOf(bob)).toEqual([gone]);
    });

    it("hands out rooms and members that callers can mutate without changing what is stored", async () => {
      const channel = t.ch("room:copies");
      const info = room(channel);
      const members = [{ ...owner }];
      await t.stores.rooms.create(info, members);
      info.name = "mutated input";
      members[0]!.role = "member";
      Object.assign((await t.stores.rooms.get(channel))!, { name: "mutated output" });
      Object.assign((await t.stores.rooms.members(channel))[0]!, { muted: true });
      Object.assign((await t.stores.rooms.member(channel, alice))!, { role: "admin" });
      (await t.stores.rooms.roomsOf(alice)).push("room:fake");
      expect(await t.stores.rooms.get(channel)).toEqual(room(channel));
      expect(await t.stores.rooms.members(channel)).toEqual([owner]);
      expect(await t.stores.rooms.roomsOf(alice)).toEqual([channel]);
    });
  });
}
