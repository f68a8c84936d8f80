import { afterEach, describe, expect, it } from "vitest";
import { RoomkitError } from "@roomkit/client";
import type { ChangeEntry, Message } from "@roomkit/client";
import { clients as rawClients, next as nextPush, ok } from "../../server/test/support/harness.js";
import { userRoom } from "@roomkit/protocol";
import { closeClients, collect, connect, next, state, until } from "./support/clients.js";
import { gate } from "./support/image-recovery.js";
import { startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";
import { expectView, serverHistory, until as viewUntil } from "./support/views.js";

let h: Harness | undefined;
afterEach(async () => {
  closeClients();
  await h?.close();
  h = undefined;
});

async function refusal(promise: Promise<unknown>): Promise<RoomkitError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RoomkitError);
  return err as RoomkitError;
}

describe("edit, delete, react, unreact, reply", () => {
  it("each operation resolves with its stored change; the other user gets every change as a `change` event, in seq order with messages", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const [a, b] = [alice.dm("bob"), bob.dm("alice")];
    await Promise.all([a.subscribe(), b.subscribe()]);
    const seenByBob: (Message | ChangeEntry)[] = [];
    b.on("message", (m) => seenByBob.push(m));
    b.on("change", (c) => seenByBob.push(c));
    const ownChanges = collect(a, "change");

    const first = await a.send({ text: "helo" });
    const edit = await a.edit(first.seq, { text: "hello" });
    expect(edit).toMatchObject({ type: "edit", target: first.seq, by: "alice", body: { text: "hello" } });
    const react = await b.react(first.seq, "👍");
    expect(react).toMatchObject({ type: "react", target: first.seq, by: "bob", reaction: "👍", count: 1 });
    expect(await b.react(first.seq, "👍")).toBeUndefined();
    expect(await b.unreact(first.seq, "👍")).toMatchObject({ type: "unreact", count: 0 });
    expect(await b.unreact(first.seq, "👍")).toBeUndefined();
    await b.react(first.seq, "🎉");
    const reply = await b.reply(first.seq, { text: "hi!" });
    expect(reply).toMatchObject({ replyTo: first.seq, from: "bob" });
    const deleted = await a.delete(first.seq);
    expect(deleted).toMatchObject({ type: "delete", target: first.seq, by: "alice" });

    await until(() => seenByBob.length === 7, [[b, "change"]]);
    // Bob's own reactions and reply come from his acks, alice's changes through pushes: one stream in seq order.
    expect(seenByBob.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seenByBob.map((e) => ("target" in e ? e.type : "message"))).toEqual([
      "message",
      "edit",
      "react",
      "unreact",
      "react",
      "message",
      "delete",
    ]);
    // Alice's handle gets her own changes from their acks and bob's through pushes.
    await until(() => ownChanges.length === 5, [[a, "change"]]);
    expect(ownChanges.map((c) => c.type)).toEqual(["edit", "react", "unreact", "react", "delete"]);

    const thread = await b.history({ thread: first.seq });
    expect(thread.messages.map((m) => m.seq)).toEqual([reply.seq]);
    const [root] = (await a.history({ before: reply.seq })).messages;
    expect(root).toMatchObject({ seq: first.seq, deleted: { by: "alice" }, replies: { count: 1 } });
    expect(root!.body).toBeUndefined();
  });

  it("refusals surface as RoomkitError with the server's code", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const [a, b] = [alice.dm("bob"), bob.dm("alice")];
    const chat = alice.channel("chat:lobby");
    await Promise.all([a.subscribe(), b.subscribe(), chat.subscribe()]);
    const m = await a.send({ text: "mine" });
    expect((await refusal(b.edit(m.seq, { text: "yours now" }))).code).toBe("FORBIDDEN");
    expect((await refusal(b.delete(m.seq))).code).toBe("FORBIDDEN");
    expect((await refusal(a.edit(999, { text: "?" }))).code).toBe("NOT_FOUND");
    expect((await refusal(a.edit(m.seq, { text: "x".repeat(3000) }))).code).toBe("INVALID");
    const posted = await chat.send({ text: "react to me" });
    // A reaction outside the family's list does not compile; forced through, the server refuses it.
    expect((await refusal(chat.react(posted.seq, "🙃" as "👍"))).code).toBe("INVALID");
    await a.delete(m.seq);
    expect((await refusal(a.delete(m.seq))).code).toBe("CONFLICT");
    expect((await refusal(a.edit(m.seq, { text: "too late" }))).code).toBe("CONFLICT");
    expect((await refusal(b.react(m.seq, "👍"))).code).toBe("CONFLICT");
    expect((await refusal(b.reply(m.seq, { text: "to a tombstone" }))).code).toBe("CONFLICT");
  });

  it("operations made offline wait in the outbox and go out once connected", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const a = alice.dm("bob");
    await a.subscribe();
    const m = await a.send({ text: "one" });
    alice.close();
    const edited = a.edit(m.seq, { text: "two" });
    const reacted = a.react(m.seq, "❤️");
    alice.connect();
    expect(await edited).toMatchObject({ type: "edit", body: { text: "two" } });
    expect(await reacted).toMatchObject({ type: "react", count: 1 });
  });
});

describe("view", () => {
  it("folds every change; a changed message is a new object, the others keep their identity; equals the server's history", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const bob = connect(h.url, "bob");
    const [a, b] = [alice.dm("bob"), bob.dm("alice")];
    const sent = [];
    for (const text of ["one", "two", "three"]) sent.push(await a.send({ text }));
    const view = b.view();
    await viewUntil(view, (s) => !s.loading && s.messages.length === 3);
    const before = view.current;
    expect(view.current).toBe(before); // stable between changes (useSyncExternalStore)
    await a.edit(sent[1]!.seq, { text: "TWO" });
    await viewUntil(view, (s) => s.messages[1]?.body?.text === "TWO");
    const after = view.current;
    expect(after).not.toBe(before);
    expect(after.messages[0]).toBe(before.messages[0]);
    expect(after.messages[2]).toBe(before.messages[2]);
    expect(after.messages[1]).not.toBe(before.messages[1]);

    await b.react(sent[0]!.seq, "👍");
    await a.react(sent[0]!.seq, "👍");
    await b.reply(sent[2]!.seq, { text: "re: three" });
    await a.delete(sent[1]!.seq);
    await viewUntil(view, (s) => s.messages.length === 4 && s.messages[1]!.deleted !== undefined);
    expect(view.current.messages[0]!.reactions).toEqual([{ reaction: "👍", count: 2, mine: true }]);
    expect(view.current.messages[2]!.replies).toMatchObject({ count: 1 });
    await expectView(view, await serverHistory(h.url, "bob", (rk) => rk.dm("alice")));
    const aliceView = a.view();
    await expectView(aliceView, await serverHistory(h.url, "alice", (rk) => rk.dm("bob")));
    view.close();
    aliceView.close();
  });

  it("shows sends not stored yet as pending; a refused one stays failed until retried or discarded", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice");
    const a = alice.dm("bob");
    const view = a.view();
    await viewUntil(view, (s) => !s.loading);
    alice.close();
    const sending = a.send({ text: "offline" });
    expect(view.current.pending.map((p) => [p.state, p.body])).toEqual([["sending", { text: "offline" }]]);
    alice.connect();
    const stored = await sending;
    await viewUntil(view, (s) => s.pending.length === 0 && s.messages.some((m) => m.seq === stored.seq));

    const refused = a.send({ text: "x".repeat(3000) });
    expect((await refusal(refused)).code).toBe("INVALID");
    expect(view.current.pending).toHaveLength(1);
    const failed = view.current.pending[0]!;
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("INVALID");
    expect((await refusal(failed.retry())).code).toBe("INVALID");
    view.current.pending[0]!.discard();
    expect(view.current.pending).toEqual([]);
    view.close();
  });

  it("loads older pages while live messages flow; a thread view holds one thread's replies", async () => {
    h = await startTestServer();
    const alice = connect(h.url, "alice", { outbox: { limit: 1000 } });
    const bob = connect(h.url, "bob");
    const [a, b] = [alice.dm("bob"), bob.dm("alice")];
    const root = await a.send({ text: "root" });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? a.reply(root.seq, { text: `r${i}` }) : a.send({ text: `m${i}` }))),
    );
    const view = b.view({ pageSize: 10 });
    const thread = b.view({ thread: root.seq, pageSize: 4 });
    await viewUntil(view, (s) => !s.loading && s.messages.length === 10);
    expect(view.hasOlder).toBe(true);
    const live = Promise.all(Array.from({ length: 10 }, (_, i) => a.send({ text: `live${i}` })));
    while (view.hasOlder) await view.loadOlder();
    await live;
    while (thread.hasOlder) await thread.loadOlder();
    await b.reply(root.seq, { text: "bob's reply" });
    await expectView(view, await serverHistory(h.url, "bob", (rk) => rk.dm("alice")));
    await viewUntil(thread, (s) => s.messages.length === 11);
    expect(thread.current.messages.every((m) => m.replyTo === root.seq)).toBe(true);
    expect(view.current.messages[0]).toMatchObject({ seq: root.seq, replies: { count: 11 } });
    view.close();
    thread.close();
  });
});

describe("view across a reset", () => {
  it("recovered: false reloads the latest page: the view drops what it held and equals the server's history again", async () => {
    h = await startTestServer({ history: { maxReplay: 5 } });
    const server = h;
    const alice = connect(server.url, "alice", { outbox: { limit: 1000 } });
    const bob = connect(server.url, "bob");
    const [a, b] = [alice.dm("bob"), bob.dm("alice")];
    await Promise.all([a.subscribe(), b.subscribe()]);
    const first = await a.send({ text: "before" });
    const view = b.view();
    await viewUntil(view, (s) => !s.loading && s.messages.length === 1);
    let offline = true;
    gate(server, "bob", () => offline);
    server.io.in(userRoom("bob")).disconnectSockets();
    await state(bob, (s) => s.status === "reconnecting");
    await a.edit(first.seq, { text: "before (edited)" });
    for (let i = 0; i < 10; i++) await a.send({ text: `gap ${i}` });
    const reset = next(b, "reset");
    offline = false;
    await reset;
    expect(b.recovered).toBe(false);
    await expectView(view, await serverHistory(server.url, "bob", (rk) => rk.dm("alice")));
    expect(view.current.messages[0]).toMatchObject({ body: { text: "before (edited)" } });
    view.close();
  });
});

describe("with a stock socket.io-client", () => {
  it("changes made on the wire by a plain client reach an SDK view, and the SDK's changes reach the plain client as rk:change", async () => {
    h = await startTestServer();
    const [carol] = await rawClients(h, "carol");
    const alice = connect(h.url, "alice");
    const chat = alice.channel("chat:lobby");
    await chat.subscribe();
    await ok(carol, "rk:subscribe", { channel: "chat:lobby" });
    const view = chat.view();
    await viewUntil(view, (s) => !s.loading);
    const { message } = await ok<{ message: Message }>(carol, "rk:publish", { channel: "chat:lobby", body: { text: "from the wire" } });
    await ok(carol, "rk:edit", { channel: "chat:lobby", seq: message.seq, body: { text: "edited on the wire" } });
    await ok(carol, "rk:react", { channel: "chat:lobby", seq: message.seq, reaction: "🎉" });
    await viewUntil(view, (s) => s.messages[0]?.reactions?.[0]?.count === 1);
    expect(view.current.messages[0]).toMatchObject({
      body: { text: "edited on the wire" },
      reactions: [{ reaction: "🎉", count: 1, mine: false }],
    });

    const pushed = nextPush<{ change: ChangeEntry }>(carol, "rk:change");
    const mine = await chat.react(message.seq, "🎉");
    expect((await pushed).change).toEqual(mine);
    expect(view.current.messages[0]!.reactions).toEqual([{ reaction: "🎉", count: 2, mine: true }]);
    carol.disconnect();
    view.close();
  });
});
