import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Message } from "@roomkit/client";
import { as, connect, rk, server, settle } from "./support/app.js";

const texts = (messages: readonly Message<{ text: string }>[]) => messages.map((m) => (m.deleted ? "(deleted)" : m.body.text));

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
    expect(result.current.pending).toEqual([expect.objectContaining({ body: { text: "hello" }, state: "sending" })]);
    await act(() => sent);
    expect(result.current.pending).toEqual([]);
    expect(texts(result.current.messages)).toEqual(["hello"]);

    // The contract's body needs a text of at least one character: the server answers INVALID.
    await act(() => result.current.send({ text: "" }));
    const [failed] = result.current.pending;
    expect(failed).toMatchObject({ state: "failed", error: { code: "INVALID" } });
    act(() => result.current.retry(failed!.key));
    await waitFor(() => expect(result.current.pending[0]?.state).toBe("sending"), settle);
    await waitFor(() => expect(result.current.pending[0]?.state).toBe("failed"), settle);
    expect(result.current.pending[0]?.key).toBe(failed!.key);
    act(() => result.current.discard(failed!.key));
    expect(result.current.pending).toEqual([]);
    expect(texts(result.current.messages)).toEqual(["hello"]);
  });

  it("folds edits, deletes and reactions, by others and through the hook, into new objects for the changed messages only", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    const room = await bob.rooms.create({ channel: "room:changes", members: ["alice"] });
    const [first, second, third] = [await room.send({ text: "one" }), await room.send({ text: "two" }), await room.send({ text: "three" })];
    const { result } = renderHook(() => rk.useMessages("room:changes"), { wrapper: as(h, "alice") });
    await waitFor(() => expect(texts(result.current.messages)).toEqual(["one", "two", "three"]), settle);
    const before = result.current.messages;

    await room.edit(first!.seq, { text: "one, edited" });
    await waitFor(() => expect(texts(result.current.messages)).toEqual(["one, edited", "two", "three"]), settle);
    expect(result.current.messages[0]).not.toBe(before[0]);
    expect(result.current.messages[1]).toBe(before[1]);
    expect(result.current.messages[2]).toBe(before[2]);

    await room.delete(third!.seq);
    await waitFor(() => expect(texts(result.current.messages)).toEqual(["one, edited", "two", "(deleted)"]), settle);
    expect(result.current.messages[1]).toBe(before[1]);

    // Alice reacts through the hook; bob's reaction comes from the server.
    await act(async () => {
      await result.current.react(second!.seq, "👍");
    });
    await room.react(second!.seq, "👍");
    const reactionsOf = () => {
      const m = result.current.messages[1]!;
      return m.deleted ? undefined : m.reactions;
    };
    await waitFor(() => expect(reactionsOf()).toEqual([expect.objectContaining({ reaction: "👍", count: 2 })]), settle);
    await act(async () => {
      await result.current.unreact(second!.seq, "👍");
    });
    await waitFor(() => expect(reactionsOf()).toEqual([expect.objectContaining({ reaction: "👍", count: 1 })]), settle);

    // An edit of someone else's message is refused with the server's code, and changes nothing.
    await expect(result.current.edit(second!.seq, { text: "not mine" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(texts(result.current.messages)).toEqual(["one, edited", "two", "(deleted)"]);
  });

  it("with `thread`, shows one thread's replies, and sends into it", async () => {
    const h = await server();
    const bob = connect(h.url, "bob");
    const room = await bob.rooms.create({ channel: "room:threads", members: ["alice"] });
    const root = await room.send({ text: "question" });
    await room.send({ text: "elsewhere" });
    await room.reply(root.seq, { text: "first answer" });
    const { result } = renderHook(
      () => ({ thread: rk.useMessages("room:threads", { thread: root.seq }), channel: rk.useMessages("room:threads") }),
      { wrapper: as(h, "alice") },
    );
    await waitFor(() => expect(texts(result.current.thread.messages)).toEqual(["first answer"]), settle);
    await act(async () => {
      await result.current.thread.send({ text: "second answer" });
    });
    await waitFor(() => expect(texts(result.current.thread.messages)).toEqual(["first answer", "second answer"]), settle);
    expect(result.current.thread.messages.every((m) => m.replyTo === root.seq)).toBe(true);
    // The channel's own view, read beside it, is a view of its own: every message, the root counting its replies.
    await waitFor(() => expect(texts(result.current.channel.messages)).toContain("second answer"), settle);
    expect(texts(result.current.channel.messages).slice(0, 2)).toEqual(["question", "elsewhere"]);
    await waitFor(() => expect(result.current.channel.messages[0]?.replies?.count).toBe(2), settle);
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
