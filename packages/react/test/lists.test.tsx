import { renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { as, connect, rk, server, settle } from "./support/app.js";

describe("useRooms, useRoomMembers and useUnread", () => {
  it("lists the user's rooms and keeps the list current as they are added and leave", async () => {
    const h = await server();
    const { result } = renderHook(() => rk.useRooms(), { wrapper: as(h, "alice") });
    await waitFor(() => expect(result.current.status).toBe("ready"), settle);
    expect(result.current.data).toEqual([]);

    const bob = connect(h.url, "bob");
    const room = await bob.rooms.create({ channel: "room:team", name: "Team", members: ["alice"] });
    await waitFor(() => expect(result.current.data?.map((r) => r.name)).toEqual(["Team"]), settle);
    await room.kick("alice");
    await waitFor(() => expect(result.current.data).toEqual([]), settle);
  });

  it("lists a room's members with their roles, kept current", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    const room = await bob.rooms.create({ channel: "room:crew", members: ["alice"] });
    const { result } = renderHook(() => rk.useRoomMembers("room:crew"), { wrapper: as(h, "alice") });
    const roles = () => Object.fromEntries((result.current.data ?? []).map((m) => [m.userId, m.role]));
    await waitFor(() => expect(roles()).toEqual({ bob: "owner", alice: "member" }), settle);
    await room.invite("carol");
    await waitFor(() => expect(roles()).toEqual({ bob: "owner", alice: "member", carol: "member" }), settle);
    await room.setRole("alice", "admin");
    await waitFor(() => expect(roles()).toEqual({ bob: "owner", alice: "admin", carol: "member" }), settle);
  });

  it("a refused members list is `failed` with the server's code", async () => {
    const h = await server();
    await connect(h.url, "bob").rooms.create({ channel: "room:closed" });
    const { result } = renderHook(() => rk.useRoomMembers("room:closed"), { wrapper: as(h, "alice") });
    await waitFor(() => expect(result.current.status).toBe("failed"), settle);
    expect(result.current.error?.code).toBe("FORBIDDEN");
  });

  it("counts unread messages per channel and in total, as DMs arrive on channels no component has open", async () => {
    const h = await server();
    const { result } = renderHook(() => ({ unread: rk.useUnread(), connection: rk.useConnection() }), { wrapper: as(h, "alice") });
    await waitFor(() => expect(result.current.unread.status).toBe("ready"), settle);
    expect(result.current.unread.data?.total).toBe(0);

    const bob = connect(h.url, "bob");
    await bob.dm("alice").send({ text: "hi" });
    await waitFor(() => expect(result.current.unread.data?.total).toBe(1), settle);
    await bob.dm("alice").send({ text: "are you there?" });
    await waitFor(() => expect(result.current.unread.data?.total).toBe(2), settle);
    expect(result.current.unread.data?.channels).toEqual([expect.objectContaining({ channel: "dm:alice|bob", unread: 2 })]);
  });
});
