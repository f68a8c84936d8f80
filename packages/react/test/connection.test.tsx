import { renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { as, rk, server, settle, socketsOf } from "./support/app.js";

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

  it("a hook outside a provider throws a clear error", () => {
    expect(() => renderHook(() => rk.useConnection())).toThrow(/inside a <RoomkitProvider>/);
  });
});
