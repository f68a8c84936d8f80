import type { RoomInfo, RoomMember } from "@roomkit/protocol";
import { describe, expect, it } from "vitest";
import type { MemberPage, RoomMembership, Stores } from "../stores/types.js";
import type { ConformanceTest } from "./conformance-rooms.js";

/** Every page of a list, following `next` (at most 100 pages, so a store that loops fails). */
async function allPages<T>(read: (after?: string) => Promise<MemberPage<T>>): Promise<T[][]> {
  const pages: T[][] = [];
  let after: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await read(after);
    pages.push(page.members);
    if (page.next === undefined) return pages;
    after = page.next;
  }
  throw new Error("more than 100 pages");
}

const ids = (members: { userId: string }[]) => members.map((m) => m.userId);

/**
 * The batched and paged reads of the store conformance suite (see `describeStoreConformance`):
 * presence and room member pages, a user's rooms page by page, and many read marks at once.
 */
export function describePageConformance(t: ConformanceTest): void {
  const stores = (): Stores => t.stores;
  const users = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i).padStart(2, "0")}`);

  describe("presence pages", () => {
    it("pages members in join order with the member count, one per user, and ends without a next", async () => {
      const channel = t.ch("presence:paged");
      // Entered in a different order than their ids sort; a second connection keeps a user's place.
      const order = ["u05", "u01", "u03", "u00", "u04", "u02", "u06"];
      for (const userId of order) await stores().presence.add({ channel, userId, connId: `${userId}-a`, info: { n: userId } });
      await stores().presence.add({ channel, userId: "u05", connId: "u05-b", info: { n: "again" } });
      const first = await stores().presence.page(channel, { limit: 3 });
      expect(first.count).toBe(7);
      expect(first.members).toEqual([
        { userId: "u05", info: { n: "again" } },
        { userId: "u01", info: { n: "u01" } },
        { userId: "u03", info: { n: "u03" } },
      ]);
      expect(typeof first.next).toBe("string");
      const pages = await allPages((after) => stores().presence.page(channel, { limit: 3, ...(after === undefined ? {} : { after }) }));
      expect(pages.map(ids)).toEqual([order.slice(0, 3), order.slice(3, 6), order.slice(6)]);
      const whole = await stores().presence.page(channel, { limit: 7 });
      expect(whole.next).toBeUndefined();
      expect(ids(whole.members)).toEqual(order);
    });

    it("keeps a cursor valid while members leave and join: the next page starts after the last one listed", async () => {
      const channel = t.ch("presence:moving");
      for (const userId of users(6)) await stores().presence.add({ channel, userId, connId: userId, info: null });
      const first = await stores().presence.page(channel, { limit: 2 });
      expect(ids(first.members)).toEqual(["u00", "u01"]);
      await stores().presence.remove(channel, "u01", "u01"); // the page's last member leaves
      await stores().presence.remove(channel, "u02", "u02"); // and the next page's first
      await stores().presence.add({ channel, userId: "u00", connId: "u00-b", info: null });
      await stores().presence.add({ channel, userId: "u02", connId: "u02-b", info: null }); // back: now last
      const second = await stores().presence.page(channel, { after: first.next!, limit: 10 });
      expect(ids(second.members)).toEqual(["u03", "u04", "u05", "u02"]);
      expect(second.count).toBe(5);
      expect(second.next).toBeUndefined();
    });

    it("never gives a newcomer a join number at or below a cursor already handed out, after the last members left", async () => {
      const channel = t.ch("presence:renumber");
      for (const userId of users(3)) await stores().presence.add({ channel, userId, connId: userId, info: null });
      const first = await stores().presence.page(channel, { limit: 2 });
      expect(ids(first.members)).toEqual(["u00", "u01"]);
      // The page's last member and the one after it leave: the newest left is now u00.
      await stores().presence.remove(channel, "u01", "u01");
      await stores().presence.remove(channel, "u02", "u02");
      await stores().presence.add({ channel, userId: "u09", connId: "u09", info: null });
      const second = await stores().presence.page(channel, { after: first.next!, limit: 10 });
      expect(ids(second.members)).toEqual(["u09"]);
    });

    it("answers an unknown channel and a cursor it did not make with no members, never an error", async () => {
      const channel = t.ch("presence:cursor");
      expect(await stores().presence.page(t.ch("presence:nobody"), { limit: 5 })).toEqual({ members: [], count: 0 });
      await stores().presence.add({ channel, userId: "alice", connId: "a", info: 1 });
      for (const after of ["", "x", "-1", "1e3", "99999999999999999999", "../../"]) {
        const page = await stores().presence.page(channel, { after, limit: 5 });
        expect(page.members, after).toEqual([]);
        expect(page.next).toBeUndefined();
      }
    });
  });

  describe("room pages and a user's rooms", () => {
    const room = (channel: string, owner: string): RoomInfo => ({ channel, name: "R", owner, open: false, createdAt: 1 });
    const member = (userId: string, joinedAt: number, extra: Partial<RoomMember> = {}): RoomMember => ({
      userId,
      role: "member",
      muted: false,
      joinedAt,
      ...extra,
    });

    it("pages members in join order with the count; a replaced member keeps their place; a removed one is gone", async () => {
      const channel = t.ch("room:paged");
      const [owner, ...rest] = ["u04", "u00", "u03", "u01", "u02"];
      await stores().rooms.create(room(channel, owner!), [member(owner!, 1, { role: "owner" })]);
      for (const [i, userId] of rest.entries()) await stores().rooms.putMember(channel, member(userId, i + 2));
      await stores().rooms.putMember(channel, member("u00", 2, { role: "admin" }));
      const pages = await allPages((after) => stores().rooms.memberPage(channel, { limit: 2, ...(after === undefined ? {} : { after }) }));
      expect(pages.map(ids)).toEqual([["u04", "u00"], ["u03", "u01"], ["u02"]]);
      expect(pages[0]![1]).toEqual(member("u00", 2, { role: "admin" }));
      const first = await stores().rooms.memberPage(channel, { limit: 2 });
      expect(first.count).toBe(5);
      await stores().rooms.removeMember(channel, "u03");
      const second = await stores().rooms.memberPage(channel, { after: first.next!, limit: 10 });
      expect(second).toEqual({ members: [member("u01", 4), member("u02", 5)], count: 4 });
    });

    it("never gives a member's join number twice: a member who joins after the page's last members left comes after its cursor", async () => {
      const channel = t.ch("room:renumber");
      await stores().rooms.create(room(channel, "u00"), [member("u00", 1, { role: "owner" }), member("u01", 1), member("u02", 1)]);
      const first = await stores().rooms.memberPage(channel, { limit: 2 });
      expect(ids(first.members)).toEqual(["u00", "u01"]);
      await stores().rooms.removeMember(channel, "u01");
      await stores().rooms.removeMember(channel, "u02");
      await stores().rooms.putMember(channel, member("u03", 2));
      expect(ids((await stores().rooms.memberPage(channel, { after: first.next!, limit: 5 })).members)).toEqual(["u03"]);
    });

    it("answers an unknown room and a cursor it did not make with no members", async () => {
      const channel = t.ch("room:cursor");
      expect(await stores().rooms.memberPage(t.ch("room:nobody"), { limit: 5 })).toEqual({ members: [], count: 0 });
      await stores().rooms.create(room(channel, "alice"), [member("alice", 1, { role: "owner" })]);
      for (const after of ["", "abc", "-5", "1.5"]) {
        expect(await stores().rooms.memberPage(channel, { after, limit: 5 }), after).toEqual({ members: [], count: 1 });
      }
    });

    const channels = (page: MemberPage<RoomMembership>) => page.members.map((m) => m.room.channel);
    const pageOfRooms = (userId: string, limit: number) => (after?: string) =>
      stores().rooms.membershipPage(userId, { limit, ...(after === undefined ? {} : { after }) });

    it("pages a user's rooms in the order they joined, each with the room's info and the user's entry, with the count", async () => {
      const alice = t.ch("alice");
      const bob = t.ch("bob");
      // Joined in a different order than their ids sort.
      const [a, b, c, d, e] = ["room:me", "room:mb", "room:md", "room:ma", "room:mc"].map((id) => t.ch(id));
      await stores().rooms.create(room(a!, alice), [member(alice, 1, { role: "owner" }), member(bob, 1)]);
      await stores().rooms.create(room(b!, bob), [member(bob, 2, { role: "owner" }), member(alice, 2, { muted: true })]);
      await stores().rooms.create(room(c!, bob), [member(bob, 3, { role: "owner" })]);
      await stores().rooms.create(room(d!, bob), [member(bob, 4, { role: "owner" })]);
      await stores().rooms.putMember(d!, member(alice, 4));
      await stores().rooms.create(room(e!, alice), [member(alice, 5, { role: "owner" })]);
      await stores().rooms.putMember(c!, member(alice, 6));
      await stores().rooms.putMember(b!, member(alice, 2, { role: "admin" })); // replaced: keeps its place
      const first = await stores().rooms.membershipPage(alice, { limit: 2 });
      expect(first.count).toBe(5);
      expect(first.members).toEqual([
        { room: room(a!, alice), member: member(alice, 1, { role: "owner" }) },
        { room: room(b!, bob), member: member(alice, 2, { role: "admin" }) },
      ]);
      expect(typeof first.next).toBe("string");
      expect((await allPages(pageOfRooms(alice, 2))).map((p) => p.map((m) => m.room.channel))).toEqual([[a, b], [d, e], [c]]);
      const whole = await stores().rooms.membershipPage(alice, { limit: 5 });
      expect(whole.next).toBeUndefined();
      expect(channels(whole)).toEqual([a, b, d, e, c]);
      expect(await stores().rooms.roomsOf(alice)).toEqual([a, b, d, e, c]);
      expect(await stores().rooms.membershipPage(t.ch("nobody"), { limit: 5 })).toEqual({ members: [], count: 0 });
    });

    it("keeps a cursor valid while rooms come and go; a deleted room is left out; a room joined again is at the end", async () => {
      const alice = t.ch("alice");
      const ids = ["room:w0", "room:w1", "room:w2", "room:w3", "room:w4"].map((id) => t.ch(id));
      for (const [i, id] of ids.entries()) await stores().rooms.create(room(id, alice), [member(alice, i, { role: "owner" })]);
      const first = await stores().rooms.membershipPage(alice, { limit: 2 });
      expect(channels(first)).toEqual([ids[0], ids[1]]);
      await stores().rooms.removeMember(ids[1]!, alice); // the page's last room is left
      await stores().rooms.delete(ids[2]!); // and the next page's first is deleted
      await stores().rooms.removeMember(ids[0]!, alice);
      await stores().rooms.putMember(ids[0]!, member(alice, 9)); // joined again: now last
      const later = t.ch("room:w5");
      await stores().rooms.create(room(later, alice), [member(alice, 10, { role: "owner" })]);
      const second = await stores().rooms.membershipPage(alice, { after: first.next!, limit: 10 });
      expect(channels(second)).toEqual([ids[3], ids[4], ids[0], later]);
      expect(second.count).toBe(4);
      expect(second.next).toBeUndefined();
    });

    it("never gives a join number twice: a room joined after the page's last rooms are left comes after its cursor", async () => {
      const alice = t.ch("alice");
      const [r0, r1, r2, r3] = ["room:n0", "room:n1", "room:n2", "room:n3"].map((id) => t.ch(id));
      for (const [i, id] of [r0!, r1!, r2!].entries()) await stores().rooms.create(room(id, alice), [member(alice, i, { role: "owner" })]);
      const first = await stores().rooms.membershipPage(alice, { limit: 2 });
      expect(channels(first)).toEqual([r0, r1]);
      await stores().rooms.removeMember(r1!, alice);
      await stores().rooms.removeMember(r2!, alice);
      await stores().rooms.create(room(r3!, alice), [member(alice, 3, { role: "owner" })]);
      expect(channels(await stores().rooms.membershipPage(alice, { after: first.next!, limit: 5 }))).toEqual([r3]);
    });

    it("answers a cursor it did not make with no rooms, never an error", async () => {
      const alice = t.ch("alice");
      await stores().rooms.create(room(t.ch("room:mcursor"), alice), [member(alice, 1, { role: "owner" })]);
      for (const after of ["", "x", "-1", "1.5", "1e3", "99999999999999999999", "room:mcursor", "../../"]) {
        const page = await stores().rooms.membershipPage(alice, { after, limit: 5 });
        expect(page, after).toEqual({ members: [], count: 1 });
      }
    });
  });

  describe("read marks at once", () => {
    it("reads many users' marks in one channel, in the order asked, 0 for none", async () => {
      const channel = t.ch("room:many");
      const [alice, bob, carol] = [t.ch("alice"), t.ch("bob"), t.ch("carol")];
      await stores().readState.mark(alice, channel, 7);
      await stores().readState.mark(carol, channel, 0);
      await stores().readState.mark(bob, t.ch("room:elsewhere"), 9);
      expect(await stores().readState.getMany(channel, [bob, alice, carol, alice])).toEqual([0, 7, 0, 7]);
      expect(await stores().readState.getMany(channel, [])).toEqual([]);
    });
  });
}
