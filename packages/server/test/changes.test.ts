import { Buffer } from "node:buffer";
import { afterEach, describe, expect, it } from "vitest";
import type { ChangeEntry, Message } from "@roomkit/protocol";
import { clients, collect, next, ok, settled, startServer } from "./support/harness.js";
import { png } from "./support/png.js";
import type { Client, Harness } from "./support/harness.js";
import { refused } from "./support/refusals.js";

const room = "room:changes";
const text = (t: string) => ({ text: t });

describe("changes to messages", () => {
  let h: Harness;
  afterEach(() => h?.close());

  /** A room of alice (owner), bob (admin) and carol, dave (members), each connected. */
  async function roomOfFour(options: Parameters<typeof startServer>[0] = {}) {
    h = await startServer(options);
    await h.rk.rooms.create({ owner: "alice", channel: room, members: ["bob", "carol", "dave"] });
    await h.rk.rooms.setRole(room, "bob", "admin");
    const [alice, bob, carol, dave] = await clients(h, "alice", "bob", "carol", "dave");
    await settled(alice, bob, carol, dave);
    return { alice, bob, carol, dave };
  }
  const publish = async (socket: Client, t: string, extra: object = {}): Promise<Message> =>
    (await ok<{ message: Message }>(socket, "rk:publish", { channel: room, body: text(t), ...extra })).message;
  const page = async (reader?: string) => (await h.rk.history(room, { limit: 100, ...(reader ? { reader } : {}) })).messages;
  const latest = async () => (await h.rk.stores.messages.stream(room)).latest;

  describe("edit", () => {
    it("stores an edit as the next seq, pushes it to everyone but the editor's connection, and history shows the new body", async () => {
      const { alice, carol } = await roomOfFour();
      const original = await publish(alice, "helo");
      const atCarol = collect<{ change: ChangeEntry }>(carol, "rk:change");
      const atAlice = collect(alice, "rk:change");
      const { change } = await ok<{ changed: true; change: ChangeEntry }>(alice, "rk:edit", { channel: room, seq: 1, body: text("hello") });
      expect(change).toEqual({ type: "edit", channel: room, seq: 2, target: 1, by: "alice", at: expect.any(Number), body: text("hello") });
      await settled(alice, carol);
      expect(atCarol).toEqual([{ v: 1, change }]);
      expect(atAlice).toEqual([]);
      expect(await page()).toEqual([{ ...original, body: text("hello"), editedAt: change.at, version: 2 }]);
      expect((await ok(carol, "rk:history", { channel: room })).messages.map((m: Message) => m.seq)).toEqual([1]);
    });

    it("refuses editing someone else's message, a body failing the schema, a missing seq, a change entry's seq and a deleted message; changes nothing", async () => {
      const { alice, bob, carol } = await roomOfFour();
      await publish(alice, "one");
      await ok(alice, "rk:edit", { channel: room, seq: 1, body: text("two") });
      await publish(carol, "three");
      await ok(carol, "rk:delete", { channel: room, seq: 3 });
      const before = await page();
      const heard = collect(carol, "rk:change");
      await refused(bob, "rk:edit", { channel: room, seq: 1, body: text("admin edit") }, "FORBIDDEN");
      const schema = await refused(alice, "rk:edit", { channel: room, seq: 1, body: { text: "" } }, "INVALID");
      expect(schema.details?.issues).toBeDefined();
      await refused(alice, "rk:edit", { channel: room, seq: 1, body: { text: "x".repeat(20_000) } }, "TOO_LARGE");
      await refused(alice, "rk:edit", { channel: room, seq: 9, body: text("x") }, "NOT_FOUND");
      await refused(alice, "rk:edit", { channel: room, seq: 2, body: text("x") }, "NOT_FOUND");
      await refused(carol, "rk:edit", { channel: room, seq: 3, body: text("x") }, "CONFLICT");
      await settled(carol);
      expect(heard).toEqual([]);
      expect(await page()).toEqual(before);
      expect(await latest()).toBe(4);
    });

    it("refuses an edit after messages.editWindowMs, and accepts one within it", async () => {
      h = await startServer({ messages: { editWindowMs: 1 } });
      await h.rk.rooms.create({ owner: "alice", channel: room });
      const [alice] = await clients(h, "alice");
      await publish(alice, "late");
      await new Promise((done) => setTimeout(done, 20));
      const error = await refused(alice, "rk:edit", { channel: room, seq: 1, body: text("too late") }, "FORBIDDEN");
      expect(error.details).toEqual({ editWindowMs: 1 });
      await h.close();
      h = await startServer({ messages: { editWindowMs: 60_000 } });
      await h.rk.rooms.create({ owner: "alice", channel: room });
      const [again] = await clients(h, "alice");
      await publish(again, "soon");
      await ok(again, "rk:edit", { channel: room, seq: 1, body: text("in time") });
    });

    it("a muted member edits nothing, not even their own message; nobody edits another's", async () => {
      const { alice, carol } = await roomOfFour();
      await publish(carol, "mine");
      await h.rk.rooms.mute(room, "carol", true);
      await refused(carol, "rk:edit", { channel: room, seq: 1, body: text("muted") }, "FORBIDDEN");
      await refused(alice, "rk:edit", { channel: room, seq: 1, body: text("not mine") }, "FORBIDDEN");
      expect((await page())[0]!.body).toEqual(text("mine"));
    });
  });

  describe("delete", () => {
    it("the author deletes their own message: a tombstone without body in history, pushed to the others", async () => {
      const { alice, bob } = await roomOfFour();
      const message = await publish(alice, "oops");
      await ok(bob, "rk:react", { channel: room, seq: 1, reaction: "👍" });
      const atBob = collect<{ change: ChangeEntry }>(bob, "rk:change");
      const { change } = await ok<{ change: ChangeEntry }>(alice, "rk:delete", { channel: room, seq: 1 });
      expect(change).toEqual({ type: "delete", channel: room, seq: 3, target: 1, by: "alice", at: expect.any(Number) });
      await settled(bob);
      expect(atBob).toEqual([{ v: 1, change }]);
      const [tombstone] = await page("bob");
      expect(tombstone).toEqual({
        id: message.id,
        channel: room,
        seq: 1,
        from: "alice",
        sentAt: message.sentAt,
        version: 3,
        deleted: { by: "alice", at: change.at },
      });
      expect(tombstone).not.toHaveProperty("body");
      await refused(alice, "rk:delete", { channel: room, seq: 1 }, "CONFLICT");
      await refused(bob, "rk:react", { channel: room, seq: 1, reaction: "❤️" }, "CONFLICT");
    });

    it("a room's owner and admins delete any message; a plain member only their own", async () => {
      const { alice, bob, carol, dave } = await roomOfFour();
      for (const [who, t] of [
        [dave, "d1"],
        [dave, "d2"],
        [alice, "a1"],
        [carol, "c1"],
      ] as const)
        await publish(who, t);
      await refused(carol, "rk:delete", { channel: room, seq: 1 }, "FORBIDDEN");
      await refused(dave, "rk:delete", { channel: room, seq: 3 }, "FORBIDDEN");
      await ok(bob, "rk:delete", { channel: room, seq: 1 });
      await ok(alice, "rk:delete", { channel: room, seq: 2 });
      await refused(bob, "rk:delete", { channel: room, seq: 9 }, "NOT_FOUND");
      await ok(carol, "rk:delete", { channel: room, seq: 4 });
      expect((await page()).map((m) => [m.seq, m.deleted?.by ?? null])).toEqual([
        [1, "bob"],
        [2, "alice"],
        [3, null],
        [4, "carol"],
      ]);
    });

    it("in a DM, each user deletes only their own messages", async () => {
      h = await startServer();
      const [alice, bob] = await clients(h, "alice", "bob");
      const dm = "dm:alice|bob";
      await ok(alice, "rk:publish", { channel: dm, body: text("from alice") });
      await refused(bob, "rk:delete", { channel: dm, seq: 1 }, "FORBIDDEN");
      await ok(alice, "rk:delete", { channel: dm, seq: 1 });
    });
  });

  describe("hooks.beforeChange", () => {
    it("can refuse an edit or a delete with a reason and a code, or give an edit another body; it sees the message as it is", async () => {
      const seen: unknown[] = [];
      const { alice } = await roomOfFour({
        hooks: {
          beforeChange: (draft) => {
            seen.push(draft);
            if (draft.type === "delete") return { reject: "deleting is off", code: "CONFLICT" };
            if ((draft.body as { text: string }).text === "nope") return { reject: "not that" };
            return { body: { text: (draft.body as { text: string }).text.toUpperCase() } };
          },
        },
      });
      await publish(alice, "one");
      expect((await refused(alice, "rk:edit", { channel: room, seq: 1, body: text("nope") }, "FORBIDDEN")).message).toBe("not that");
      expect((await refused(alice, "rk:delete", { channel: room, seq: 1 }, "CONFLICT")).message).toBe("deleting is off");
      const { change } = await ok<{ change: ChangeEntry & { body: unknown } }>(alice, "rk:edit", {
        channel: room,
        seq: 1,
        body: text("loud"),
      });
      expect(change.body).toEqual(text("LOUD"));
      expect(seen[0]).toEqual({
        type: "edit",
        channel: { id: room, family: "room", name: "changes", kind: "room" },
        by: "alice",
        message: expect.objectContaining({ seq: 1, body: text("one") }),
        body: text("nope"),
      });
      expect(seen[1]).toMatchObject({ type: "delete", by: "alice", message: { seq: 1 } });
      expect(await latest()).toBe(2);
    });
  });

  describe("reactions", () => {
    it("adds one reaction per user, idempotently (no seq, `changed: false`), counts it, and marks it `mine` for its giver", async () => {
      const { alice, bob, carol } = await roomOfFour();
      await publish(alice, "react to me");
      const atAlice = collect<{ change: ChangeEntry }>(alice, "rk:change");
      expect(await ok(bob, "rk:react", { channel: room, seq: 1, reaction: "👍" })).toMatchObject({
        changed: true,
        change: { type: "react", seq: 2, count: 1, by: "bob" },
      });
      expect(await ok(bob, "rk:react", { channel: room, seq: 1, reaction: "👍" })).toEqual({ ok: true, changed: false });
      expect(await ok(carol, "rk:react", { channel: room, seq: 1, reaction: "👍" })).toMatchObject({ change: { seq: 3, count: 2 } });
      expect(await ok(carol, "rk:unreact", { channel: room, seq: 1, reaction: "👍" })).toMatchObject({
        change: { type: "unreact", seq: 4, count: 1 },
      });
      expect(await ok(carol, "rk:unreact", { channel: room, seq: 1, reaction: "👍" })).toEqual({ ok: true, changed: false });
      expect(await latest()).toBe(4);
      await settled(alice);
      expect(atAlice.map((p) => [p.change.type, p.change.seq])).toEqual([
        ["react", 2],
        ["react", 3],
        ["unreact", 4],
      ]);
      expect((await ok(bob, "rk:history", { channel: room })).messages[0].reactions).toEqual([{ reaction: "👍", count: 1, mine: true }]);
      expect((await ok(carol, "rk:history", { channel: room })).messages[0].reactions).toEqual([{ reaction: "👍", count: 1, mine: false }]);
    });

    it("refuses a new reaction past limits.reactionsPerMessage (RATE_LIMITED, details.limit), a malformed one, and one outside the family's list", async () => {
      const { alice, bob } = await roomOfFour({ limits: { reactionsPerMessage: 2 } });
      await publish(alice, "busy");
      await ok(bob, "rk:react", { channel: room, seq: 1, reaction: "a" });
      await ok(bob, "rk:react", { channel: room, seq: 1, reaction: "b" });
      expect((await refused(bob, "rk:react", { channel: room, seq: 1, reaction: "c" }, "RATE_LIMITED")).details).toEqual({ limit: 2 });
      await ok(alice, "rk:react", { channel: room, seq: 1, reaction: "a" });
      await refused(bob, "rk:react", { channel: room, seq: 1, reaction: "x".repeat(33) }, "INVALID");
      await refused(bob, "rk:react", { channel: room, seq: 7, reaction: "a" }, "NOT_FOUND");
      const [viewer] = await clients(h, "erin");
      await ok(viewer, "rk:subscribe", { channel: "chat:general" });
      await h.rk.publish("chat:general", text("feed"));
      const list = await refused(viewer, "rk:react", { channel: "chat:general", seq: 1, reaction: "🤡" }, "INVALID");
      expect(list.details).toEqual({ accepted: ["👍", "❤️", "🎉"] });
      await ok(viewer, "rk:react", { channel: "chat:general", seq: 1, reaction: "❤️" });
    });

    it("are charged to the publish buckets", async () => {
      const { alice, bob } = await roomOfFour({ limits: { publish: { rate: 0.001, burst: 3 } } });
      await publish(alice, "one");
      await ok(bob, "rk:react", { channel: room, seq: 1, reaction: "a" });
      await ok(bob, "rk:react", { channel: room, seq: 1, reaction: "b" });
      await ok(bob, "rk:unreact", { channel: room, seq: 1, reaction: "b" });
      expect(
        (await refused(bob, "rk:react", { channel: room, seq: 1, reaction: "c" }, "RATE_LIMITED")).details?.retryAfterMs,
      ).toBeGreaterThan(0);
      await refused(bob, "rk:publish", { channel: room, body: text("x") }, "RATE_LIMITED");
    });
  });

  describe("replies", () => {
    it("a reply names its root; a reply to a reply joins the root's thread; the root counts them; a thread pages like history", async () => {
      const { alice, bob } = await roomOfFour();
      await publish(alice, "root");
      await publish(alice, "other");
      const r1 = await publish(bob, "r1", { replyTo: 1 });
      const r2 = await publish(alice, "r2", { replyTo: r1.seq });
      const r3 = await publish(bob, "r3", { replyTo: 1 });
      expect([r1.replyTo, r2.replyTo, r3.replyTo]).toEqual([1, 1, 1]);
      const root = (await page())[0]!;
      expect(root).toMatchObject({ seq: 1, version: r3.seq, replies: { count: 3, lastAt: r3.sentAt } });
      const thread = await ok(bob, "rk:history", { channel: room, thread: 1, limit: 2 });
      expect(thread).toMatchObject({ messages: [{ seq: r2.seq }, { seq: r3.seq }], hasMore: true });
      expect(await ok(bob, "rk:history", { channel: room, thread: 1, before: r2.seq })).toMatchObject({
        messages: [{ seq: r1.seq }],
        hasMore: false,
      });
      await refused(bob, "rk:publish", { channel: room, body: text("x"), replyTo: 99 }, "NOT_FOUND");
      await ok(alice, "rk:delete", { channel: room, seq: 2 });
      await refused(bob, "rk:publish", { channel: room, body: text("x"), replyTo: 2 }, "CONFLICT");
    });
  });

  describe("unread counts", () => {
    it("count messages only: an edit, a delete or a reaction never makes a channel unread; rk:read may mark a change's seq", async () => {
      const { alice, bob } = await roomOfFour();
      await publish(alice, "one");
      await publish(alice, "two");
      await ok(bob, "rk:read", { channel: room, seq: 2 });
      await ok(alice, "rk:edit", { channel: room, seq: 1, body: text("one!") });
      await ok(alice, "rk:react", { channel: room, seq: 2, reaction: "👍" });
      await ok(alice, "rk:delete", { channel: room, seq: 2 });
      const counts = async () => (await ok(bob, "rk:unread", { channels: [room] })).channels[0];
      expect(await counts()).toEqual({ channel: room, lastRead: 2, latest: 5, unread: 0 });
      await publish(alice, "three");
      await ok(alice, "rk:react", { channel: room, seq: 6, reaction: "👍" });
      expect(await counts()).toEqual({ channel: room, lastRead: 2, latest: 7, unread: 1 });
      expect(await ok(bob, "rk:read", { channel: room, seq: 4 })).toMatchObject({ lastRead: 4 });
      expect((await counts()).unread).toBe(1);
      expect((await h.rk.unread("bob")).total).toBe(1);
    });
  });

  describe("the server API", () => {
    it("edits, deletes, reacts and unreacts as the system (any message) or as a user (their rights)", async () => {
      const { carol } = await roomOfFour();
      const atCarol = collect<{ change: ChangeEntry }>(carol, "rk:change");
      await h.rk.publish(room, text("by alice"), { as: "alice" });
      expect(await h.rk.edit(room, 1, text("moderated"))).toMatchObject({ type: "edit", by: "$system", body: text("moderated") });
      await expect(h.rk.edit(room, 1, text("not hers"), { as: "carol" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await h.rk.edit(room, 1, text("hers"), { as: "alice" })).toMatchObject({ by: "alice", seq: 3 });
      expect(await h.rk.react(room, 1, "👍", { as: "carol" })).toMatchObject({ changed: true, change: { by: "carol", count: 1 } });
      expect(await h.rk.react(room, 1, "👍", { as: "carol" })).toEqual({ changed: false });
      expect(await h.rk.unreact(room, 1, "👍", { as: "carol" })).toMatchObject({ changed: true, change: { count: 0 } });
      await expect(h.rk.delete(room, 1, { as: "dave" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await h.rk.delete(room, 1, { as: "bob" })).toMatchObject({ type: "delete", by: "bob", seq: 6 });
      await expect(h.rk.delete(room, 1)).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(h.rk.react(room, 1, "x\n", { as: "carol" })).rejects.toMatchObject({ code: "INVALID" });
      await settled(carol);
      expect(atCarol.map((p) => p.change.seq)).toEqual([2, 3, 4, 5, 6]);
      expect((await page("carol"))[0]).toMatchObject({ deleted: { by: "bob" }, version: 6 });
    });
  });

  it("an edit's attachments are checked like a new message's, and the new image reaches the others and the history", async () => {
    h = await startServer();
    const [alice, bob] = await clients(h, "alice", "bob");
    const dm = "dm:alice|bob";
    await ok(alice, "rk:publish", { channel: dm, body: text("pic soon") });
    await refused(
      alice,
      "rk:edit",
      { channel: dm, seq: 1, body: { image: { type: "image/png", data: Buffer.from("not a png") } } },
      "INVALID",
    );
    await refused(alice, "rk:edit", { channel: dm, seq: 1, body: { image: { type: "text/plain", data: png(4) } } }, "INVALID");
    const pushed = next<{ change: { body: { image: { data: Uint8Array } } } }>(bob, "rk:change");
    await ok(alice, "rk:edit", { channel: dm, seq: 1, body: { image: { type: "image/png", data: png(4) } } });
    expect(Buffer.from((await pushed).change.body.image.data)).toEqual(png(4));
    const [stored] = (await h.rk.history(dm)).messages as Message<{ image: { data: Uint8Array } }>[];
    expect(Buffer.from(stored!.body!.image.data)).toEqual(png(4));
  });
});
