import { renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { as, connect, rk, server, settle, socketsOf } from "./support/app.js";

describe("usePresence and useTyping", () => {
  it("lists who is in a presence channel as they come and go, and leaves it on unmount", async () => {
    const h = await server();
    const { result, unmount } = renderHook(() => rk.usePresence("lobby:main"), { wrapper: as(h, "alice") });
    await waitFor(() => expect(result.current.map((m) => m.userId)).toEqual(["alice"]), settle);

    const bob = connect(h.url, "bob");
    const lobby = bob.channel("lobby:main");
    await lobby.subscribe();
    await waitFor(() => expect(result.current.map((m) => m.userId).sort()).toEqual(["alice", "bob"]), settle);
    expect(result.current.find((m) => m.userId === "bob")?.info).toEqual({ name: "Bob" });

    await lobby.unsubscribe();
    await waitFor(() => expect(result.current.map((m) => m.userId)).toEqual(["alice"]), settle);

    // The last reader gone, the hook's channel is unsubscribed: alice leaves the lobby for bob.
    await lobby.subscribe();
    await waitFor(() => expect(lobby.presence.has("alice")).toBe(true), settle);
    const left = new Promise<void>((done) => lobby.presence.on("leave", (m) => m.userId === "alice" && done()));
    unmount();
    await left;
    expect(socketsOf(h, "alice")).toHaveLength(0);
  });

  it("shows who types from typing signals, until `{ on: false }`, a message, or the signal expires", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    const dm = bob.dm("alice");
    // Every typing line rendered, so the expiry is seen however slow the machine (no race with the clock).
    const lines: string[] = [];
    const { result } = renderHook(
      () => {
        const typing = rk.useTyping("dm:alice|bob", { expiresMs: 1000 });
        if (lines.at(-1) !== typing.join()) lines.push(typing.join());
        return { typing, view: rk.useMessages("dm:alice|bob") };
      },
      { wrapper: as(h, "alice") },
    );
    await waitFor(() => expect(result.current.view.status).toBe("ready"), settle);
    await dm.subscribe();

    await dm.signal("typing", { on: true });
    await waitFor(() => expect(result.current.typing).toEqual(["bob"]), settle);
    await dm.signal("typing", { on: false });
    await waitFor(() => expect(result.current.typing).toEqual([]), settle);

    await dm.signal("typing", { on: true });
    await waitFor(() => expect(result.current.typing).toEqual(["bob"]), settle);
    await dm.send({ text: "done typing" });
    await waitFor(() => expect(result.current.typing).toEqual([]), settle);

    // No `off` ever comes: the signal holds for expiresMs, then the typing line clears by itself.
    const mark = lines.length;
    await dm.signal("typing", { on: true });
    await waitFor(() => expect(lines.slice(mark)).toEqual(["bob", ""]), settle);
  });

  it("does not list the user's own typing", async () => {
    const h = await server();
    const { result } = renderHook(
      () => ({ typing: rk.useTyping("room:t"), channel: rk.useChannel("room:t"), view: rk.useMessages("room:t") }),
      {
        wrapper: as(h, "alice"),
      },
    );
    const bob = connect(h.url, "bob");
    await connect(h.url, "carol").rooms.create({ channel: "room:t", members: ["alice", "bob"] });
    await waitFor(() => expect(result.current.channel?.status).toBe("subscribed"), settle);
    const room = bob.channel("room:t");
    await room.subscribe();
    await result.current.channel?.signal("typing");
    await room.signal("typing");
    await waitFor(() => expect(result.current.typing).toEqual(["bob"]), settle);
  });
});
