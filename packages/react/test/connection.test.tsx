import { renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { as, connect, rk, server, settle, socketsOf } from "./support/app.js";

describe("the provider and useConnection", () => {
  it("connects as the user, once under StrictMode's double effects, and closes on unmount", async () => {
    const h = await server();
    let connections = 0;
    h.io.on("connection", () => void connections++);
    const { result, unmount } = renderHook(() => rk.useConnection(), { wrapper: as(h, "alice") });
    expect(result.current.status).toBe("connecting");
    await waitFor(() => expect(result.current.status).toBe("connected"), settle);
    const state = result.current;
    expect(state.status === "connected" && state.user.id).toBe("alice");
    expect(socketsOf(h, "alice")).toHaveLength(1);
    expect(connections).toBe(1);

    const closing = new Promise<void>((done) => socketsOf(h, "alice")[0]!.on("disconnect", () => done()));
    unmount();
    await closing;
    expect(socketsOf(h, "alice")).toHaveLength(0);
  });

  it("shares one client between hooks and gives the client itself to useRoomkit", async () => {
    const h = await server();
    const { result } = renderHook(() => ({ connection: rk.useConnection(), client: rk.useRoomkit() }), { wrapper: as(h, "bob") });
    await waitFor(() => expect(result.current.connection.status).toBe("connected"), settle);
    expect(result.current.client?.user?.id).toBe("bob");
    expect(socketsOf(h, "bob")).toHaveLength(1);
  });

  it("StrictMode and several hooks on one channel subscribe it once and load its first page once", async () => {
    const h = await server();
    const requests: string[] = [];
    h.io.on("connection", (socket) =>
      socket.onAny((event: string, payload: { channel?: string }) => requests.push(`${event} ${payload?.channel}`)),
    );
    await connect(h.url, "bob").rooms.create({ channel: "room:once", members: ["alice"] });
    const { result } = renderHook(
      () => ({
        view: rk.useMessages("room:once"),
        online: rk.usePresence("room:once"),
        typing: rk.useTyping("room:once"),
        again: rk.useMessages("room:once"),
      }),
      { wrapper: as(h, "alice") },
    );
    await waitFor(() => expect(result.current.view.status).toBe("ready"), settle);
    await waitFor(() => expect(result.current.online.map((m) => m.userId)).toContain("alice"), settle);
    expect(result.current.again).toBe(result.current.view);
    const mine = requests.filter((r) => r.endsWith("room:once"));
    expect(mine.filter((r) => r.startsWith("rk:subscribe "))).toHaveLength(2); // bob's (creating it) and alice's
    expect(mine.filter((r) => r.startsWith("rk:history "))).toHaveLength(1);
  });

  it("a hook outside a provider throws a clear error", () => {
    expect(() => renderHook(() => rk.useConnection())).toThrow(/inside a <RoomkitProvider>/);
  });
});
