import { describe, expectTypeOf, it } from "vitest";
import type { MemberPage, PageQuery, PresenceStore, ReadStateStore, RoomMembership, RoomStore } from "@roomkit/server";
import type { MemoryPresenceStore, MemoryReadStateStore, MemoryRoomStore } from "@roomkit/server";
import type { PresenceMember, RoomMember } from "@roomkit/protocol";

// Type tests are compiled, never run: these values only carry types.
declare const withoutPage: Omit<PresenceStore, "page">;
declare const withoutMembershipPage: Omit<RoomStore, "membershipPage">;

describe("the paged and batched store reads", () => {
  it("are part of each store's interface", () => {
    expectTypeOf<PresenceStore["page"]>().toEqualTypeOf<(channel: string, query: PageQuery) => Promise<MemberPage<PresenceMember>>>();
    expectTypeOf<RoomStore["memberPage"]>().toEqualTypeOf<(channel: string, query: PageQuery) => Promise<MemberPage<RoomMember>>>();
    expectTypeOf<RoomStore["membershipPage"]>().toEqualTypeOf<(userId: string, query: PageQuery) => Promise<MemberPage<RoomMembership>>>();
    expectTypeOf<ReadStateStore["getMany"]>().toEqualTypeOf<(channel: string, userIds: readonly string[]) => Promise<number[]>>();
    expectTypeOf<MemoryPresenceStore>().toMatchTypeOf<PresenceStore>();
    expectTypeOf<MemoryRoomStore>().toMatchTypeOf<RoomStore>();
    expectTypeOf<MemoryReadStateStore>().toMatchTypeOf<ReadStateStore>();
  });

  it("a store without them is not a store", () => {
    // @ts-expect-error a presence store must page its members
    const presence: PresenceStore = withoutPage;
    void presence;
    // @ts-expect-error a room store must page a user's rooms
    const rooms: RoomStore = withoutMembershipPage;
    void rooms;
    // @ts-expect-error a page query needs a limit
    const query: PageQuery = { after: "3" };
    void query;
  });
});
