import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { as, connect, rk, server, settle } from "./support/app.js";

const texts = (messages: readonly { body: { text: string } }[]) => messages.map((m) => m.body.text);

describe("useMessages", () => {
  it("shows the latest page, then live messages after it, each once and in order", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    const room = await bob.rooms.create({ channel: "room:talk", members: ["alice"] });
    for (const text of ["one", "two", "three"]) await room.send({ text });

    const { result } = renderHook(() => rk.useMessages("room:talk"), { wrapper: as(h, "alice") });
    await waitFor(() => expect(result.current.status).toBe("ready"), settle);
    expect(texts(result.current.messages)).toEqual(["one", "two", "three"]);
    expect(result.current.hasOlder).toBe(false);

    await room.send({ text: "four" });
    await waitFor(() => expect(texts(result.current.messages)).toEqual(["one", "two", "three", "four"]), settle);
    expect(result.current.messages.map((m) => m.seq)).toEqual([...result.current.messages.map((m) => m.seq)].sort((a, b) => a - b));
  });

  it("loads older pages on demand, keeping the messages already shown as the same objects", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    const room = await bob.rooms.create({ channel: "room:long", members: ["alice"] });
    for (let i = 1; i <= 7; i++) await room.send({ text: `m${i}` });

    const { result } = renderHook(() => rk.useMessages("room:long", { pageSize: 3 }), { wrapper: as(h, "alice") });
    await waitFor(() => expect(result.current.status).toBe("ready"), settle);
    expect(texts(result.current.messages)).toEqual(["m5", "m6", "m7"]);
    expect(result.current.hasOlder).toBe(true);
    const shown = result.current.messages;

    await act(() => result.current.loadOlder());
    expect(texts(result.current.messages)).toEqual(["m2", "m3", "m4", "m5", "m6", "m7"]);
    expect(result.current.messages.slice(3)).toEqual(shown);
    for (const [i, m] of result.current.messages.slice(3).entries()) expect(m).toBe(shown[i]);
    await act(() => result.current.loadOlder());
    expect(texts(result.current.messages)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    expect(result.current.hasOlder).toBe(false);
  });

  it("a send is pending until stored, then in the list; a refused one stays failed until retried or discarded", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    await bob.rooms.create({ channel: "room:send", members: ["alice"] });
    const { result } = renderHook(() => rk.useMessages("room:send"), { wrapper: as(h, "alice") });
    await waitFor(() => expect(result.current.status).toBe("ready"), settle);

    let sent: Promise<unknown> = Promise.resolve();
    act(() => {
      sent = result.current.send({ text: "hello" });
    });
    expect(result.current.pending).toEqual([expect.objectContaining({ body: { text: "hello" }, status: "sending" })]);
    await act(() => sent);
    expect(result.current.pending).toEqual([]);
    expect(texts(result.current.messages)).toEqual(["hello"]);

    // The contract's body needs a text of at least one character: the server answers INVALID.
    await act(() => result.current.send({ text: "" }));
    const [failed] = result.current.pending;
    expect(failed).toMatchObject({ status: "failed", error: { code: "INVALID" } });
    act(() => result.current.retry(failed!.key));
    await waitFor(() => expect(result.current.pending[0]?.status).toBe("failed"), settle);
    expect(result.current.pending[0]?.key).toBe(failed!.key);
    act(() => result.current.discard(failed!.key));
    expect(result.current.pending).toEqual([]);
    expect(texts(result.current.messages)).toEqual(["hello"]);
  });

  it("marking read moves the unread count", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    const room = await bob.rooms.create({ channel: "room:read", members: ["alice"] });
    await room.send({ text: "unread one" });
    await room.send({ text: "unread two" });
    const { result } = renderHook(() => ({ view: rk.useMessages("room:read"), unread: rk.useUnread() }), { wrapper: as(h, "alice") });
    const count = () => result.current.unread.data?.channels.find((c) => c.channel === "room:read")?.unread;
    await waitFor(() => expect(count()).toBe(2), settle);
    await waitFor(() => expect(result.current.view.messages).toHaveLength(2), settle);
    await act(() => result.current.view.markRead());
    await waitFor(() => expect(count()).toBe(0), settle);
    expect(result.current.unread.data?.total).toBe(0);
  });

  it("with no channel id it reads nothing", async () => {
    const h = await server();
    const { result } = renderHook(() => rk.useMessages(undefined), { wrapper: as(h, "alice") });
    expect(result.current.messages).toEqual([]);
    expect(await result.current.send({ text: "nowhere" })).toBeUndefined();
  });
});
