import type { ChangeEntry, Message } from "@roomkit/protocol";
import { describe, expect, it } from "vitest";
import type { AppendInput, ChangeInput } from "../stores/types.js";
import type { ConformanceTest } from "./conformance-rooms.js";
import type { StoreConformanceOptions } from "./conformance.js";

const AT = 1_700_000_000_000;
const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqsOf = (items: { seq: number }[]) => items.map((i) => i.seq);

/**
 * The message store's changes (edits, deletes, reactions, replies) as part of the store
 * conformance suite: seqs shared gap-free with messages, the `version` rule, a delete that really
 * removes the body, reaction counts under concurrency, thread pages and replays.
 */
export function describeChangeConformance(t: ConformanceTest, retention?: StoreConformanceOptions["retention"]): void {
  describe("changes", () => {
    const append = async (channel: string, extra: Partial<AppendInput> = {}): Promise<Message> =>
      (await t.stores.messages.append({ channel, from: "alice", body: { text: "hi" }, sentAt: AT, ...extra })).message;
    const edit = (channel: string, target: number, body: unknown, by = "alice"): ChangeInput => ({
      type: "edit",
      channel,
      target,
      by,
      at: AT + 5,
      body,
    });
    const reaction = (
      channel: string,
      target: number,
      by: string,
      type: "react" | "unreact" = "react",
      emoji = "👍",
      maxReactions = 20,
    ): ChangeInput => ({ type, channel, target, by, at: AT + 7, reaction: emoji, maxReactions });
    const applied = async (input: ChangeInput): Promise<ChangeEntry> => {
      const outcome = await t.stores.messages.change(input);
      if (outcome.status !== "applied") throw new Error(`expected the change to apply, got ${outcome.status}`);
      return outcome.change;
    };

    it("stores an edit as the next seq, gap-free with messages, and shows the message as it is now", async () => {
      const channel = t.ch("room:edit");
      const first = await append(channel);
      await append(channel, { from: "bob" });
      const change = await applied(edit(channel, 1, { text: "fixed ✓ é" }));
      expect(change).toEqual({ type: "edit", channel, seq: 3, target: 1, by: "alice", at: AT + 5, body: { text: "fixed ✓ é" } });
      const third = await append(channel);
      expect(third.seq).toBe(4);
      const now = { ...first, body: { text: "fixed ✓ é" }, editedAt: AT + 5, version: 3 };
      expect(await t.stores.messages.get(channel, 1)).toEqual(now);
      expect((await t.stores.messages.range(channel, { limit: 10 })).messages).toEqual([
        now,
        expect.objectContaining({ seq: 2, version: 2 }),
        third,
      ]);
      expect((await t.stores.messages.stream(channel)).latest).toBe(4);
      expect(await t.stores.messages.get(channel, 3)).toBeUndefined();
    });

    it("answers missing for a seq with no message (never stored, a change entry, past the end) and stores nothing", async () => {
      const channel = t.ch("room:missing");
      expect(await t.stores.messages.change(edit(channel, 1, "x"))).toEqual({ status: "missing" });
      await append(channel);
      await applied(edit(channel, 1, "x"));
      for (const target of [2, 3, 99]) {
        expect(await t.stores.messages.change(edit(channel, target, "y"))).toEqual({ status: "missing" });
        expect(await t.stores.messages.change(reaction(channel, target, "bob"))).toEqual({ status: "missing" });
      }
      expect((await t.stores.messages.stream(channel)).latest).toBe(2);
    });

    it("deletes for good: a tombstone without body, edit time or reactions, the bodies of its edit entries gone, later changes refused", async () => {
      const channel = t.ch("room:delete");
      const message = await append(channel, { clientId: "k1", body: { text: "secret" } });
      await applied(edit(channel, 1, { text: "secret 2" }));
      await applied(reaction(channel, 1, "bob"));
      const removed = await applied({ type: "delete", channel, target: 1, by: "carol", at: AT + 9 });
      expect(removed).toEqual({ type: "delete", channel, seq: 4, target: 1, by: "carol", at: AT + 9 });
      const tombstone = {
        id: message.id,
        channel,
        seq: 1,
        from: "alice",
        sentAt: AT,
        clientId: "k1",
        version: 4,
        deleted: { by: "carol", at: AT + 9 },
      };
      expect(await t.stores.messages.get(channel, 1, "bob")).toEqual(tombstone);
      expect((await t.stores.messages.range(channel, { limit: 5 })).messages).toEqual([tombstone]);
      const replay = await t.stores.messages.replay(channel, { after: 0, limit: 10 });
      expect(replay.messages).toEqual([tombstone]);
      expect(replay.changes.map((c) => c.type)).toEqual(["edit", "react", "delete"]);
      expect(replay.changes[0]).toEqual({ type: "edit", channel, seq: 2, target: 1, by: "alice", at: AT + 5 });
      expect(JSON.stringify(replay)).not.toContain("secret");
      expect((await t.stores.messages.append({ channel, from: "alice", body: "retry", sentAt: AT, clientId: "k1" })).message).toEqual(
        tombstone,
      );
      for (const input of [
        edit(channel, 1, "again"),
        reaction(channel, 1, "bob", "unreact"),
        { type: "delete" as const, channel, target: 1, by: "alice", at: AT },
      ]) {
        expect(await t.stores.messages.change(input)).toEqual({ status: "deleted" });
      }
      expect((await t.stores.messages.stream(channel)).latest).toBe(4);
    });

    it("counts reactions once per user, idempotently, in the order first added, `mine` for the reader", async () => {
      const channel = t.ch("room:react");
      await append(channel);
      expect(await applied(reaction(channel, 1, "bob"))).toEqual({
        type: "react",
        channel,
        seq: 2,
        target: 1,
        by: "bob",
        at: AT + 7,
        reaction: "👍",
        count: 1,
      });
      expect(await t.stores.messages.change(reaction(channel, 1, "bob"))).toEqual({ status: "unchanged" });
      expect(await applied(reaction(channel, 1, "carol", "react", "❤️"))).toMatchObject({ seq: 3, count: 1 });
      expect(await applied(reaction(channel, 1, "carol"))).toMatchObject({ seq: 4, reaction: "👍", count: 2 });
      expect(await t.stores.messages.change(reaction(channel, 1, "dave", "unreact"))).toEqual({ status: "unchanged" });
      const asBob = await t.stores.messages.get(channel, 1, "bob");
      expect(asBob).toMatchObject({
        version: 4,
        reactions: [
          { reaction: "👍", count: 2, mine: true },
          { reaction: "❤️", count: 1, mine: false },
        ],
      });
      expect((await t.stores.messages.range(channel, { limit: 1, reader: "carol" })).messages[0]!.reactions).toEqual([
        { reaction: "👍", count: 2, mine: true },
        { reaction: "❤️", count: 1, mine: true },
      ]);
      expect((await t.stores.messages.get(channel, 1))!.reactions!.every((r) => !r.mine)).toBe(true);
      expect(await applied(reaction(channel, 1, "carol", "unreact", "❤️"))).toMatchObject({ seq: 5, type: "unreact", count: 0 });
      expect(await t.stores.messages.get(channel, 1, "bob")).toMatchObject({
        version: 5,
        reactions: [{ reaction: "👍", count: 2, mine: true }],
      });
      expect((await t.stores.messages.stream(channel)).latest).toBe(5);
    });

    it("refuses a new distinct reaction past maxReactions as full, while known ones still count", async () => {
      const channel = t.ch("room:full");
      await append(channel);
      for (const emoji of ["a", "b", "c"]) await applied(reaction(channel, 1, "bob", "react", emoji, 3));
      expect(await t.stores.messages.change(reaction(channel, 1, "carol", "react", "d", 3))).toEqual({ status: "full" });
      expect(await applied(reaction(channel, 1, "carol", "react", "b", 3))).toMatchObject({ count: 2 });
      await applied(reaction(channel, 1, "bob", "unreact", "a", 3));
      expect(await applied(reaction(channel, 1, "carol", "react", "d", 3))).toMatchObject({ count: 1 });
      expect((await t.stores.messages.get(channel, 1))!.reactions!.map((r) => r.reaction)).toEqual(["b", "c", "d"]);
    });

    it("keeps reaction counts right under concurrent adds and removes from many users, every change at its own seq", async () => {
      const channel = t.ch("room:crowd");
      await append(channel);
      const users = span(1, 60).map((i) => `u${i}`);
      await Promise.all(users.map((u) => t.stores.messages.change(reaction(channel, 1, u))));
      const [outs, ins, again] = await Promise.all([
        Promise.all(users.slice(0, 25).map((u) => t.stores.messages.change(reaction(channel, 1, u, "unreact")))),
        Promise.all(users.map((u) => t.stores.messages.change(reaction(channel, 1, u, "react", "🎉")))),
        Promise.all(users.slice(30).map((u) => t.stores.messages.change(reaction(channel, 1, u)))),
      ]);
      expect(outs.every((o) => o.status === "applied")).toBe(true);
      expect(ins.every((o) => o.status === "applied")).toBe(true);
      expect(again.every((o) => o.status === "unchanged")).toBe(true);
      const message = await t.stores.messages.get(channel, 1, "u1");
      expect(message!.reactions).toEqual([
        { reaction: "👍", count: 35, mine: false },
        { reaction: "🎉", count: 60, mine: true },
      ]);
      const latest = 1 + 60 + 25 + 60;
      expect(message!.version).toBe(latest);
      const { changes } = await t.stores.messages.replay(channel, { after: 1, limit: latest });
      expect(seqsOf(changes)).toEqual(span(2, latest));
      const lastThumb = changes.filter((c) => c.type !== "edit" && c.type !== "delete" && c.reaction === "👍").at(-1);
      expect(lastThumb).toMatchObject({ count: 35 });
    });

    it("gives concurrent appends and changes on one channel the seqs 1..n exactly once; each target's version is its last change", async () => {
      const channel = t.ch("room:mixed");
      await Promise.all(span(1, 10).map((i) => append(channel, { body: i })));
      const results = await Promise.all([
        ...span(1, 10).map((i) => t.stores.messages.change(edit(channel, i, { v: i }))),
        ...span(11, 30).map((i) => append(channel, { body: i }).then((m) => ({ status: "message", seq: m.seq }))),
        ...span(1, 10).map((i) => t.stores.messages.change(reaction(channel, i, `u${i}`))),
      ]);
      const seqs = results.map((r) => ("change" in r ? r.change.seq : (r as { seq: number }).seq)).sort((a, b) => a - b);
      expect(seqs).toEqual(span(11, 50));
      const replay = await t.stores.messages.replay(channel, { after: 0, limit: 50 });
      expect([...seqsOf(replay.messages), ...seqsOf(replay.changes)].sort((a, b) => a - b)).toEqual(span(1, 50));
      for (const message of replay.messages.filter((m) => m.seq <= 10)) {
        const last = Math.max(...replay.changes.filter((c) => c.target === message.seq).map((c) => c.seq));
        expect(message.version).toBe(last);
        expect(message.body).toEqual({ v: message.seq });
      }
    });

    it("pages a thread's replies by seq like history; the root counts them and takes the latest reply's seq as version", async () => {
      const channel = t.ch("room:thread");
      const root = await append(channel);
      await append(channel);
      const replies: Message[] = [];
      for (let i = 0; i < 6; i++) {
        replies.push(await append(channel, { replyTo: 1, sentAt: AT + i, body: { n: i } }));
        await append(channel, { body: "between" });
      }
      expect(replies.map((r) => r.replyTo)).toEqual([1, 1, 1, 1, 1, 1]);
      const replySeqs = seqsOf(replies);
      expect(await t.stores.messages.get(channel, 1)).toEqual({ ...root, version: replySeqs[5], replies: { count: 6, lastAt: AT + 5 } });
      const page = (query: { after?: number; before?: number; limit: number }) => t.stores.messages.range(channel, { ...query, thread: 1 });
      expect(await page({ limit: 2 })).toEqual({ messages: replies.slice(4), hasMore: true });
      expect(await page({ after: 0, limit: 4 })).toEqual({ messages: replies.slice(0, 4), hasMore: true });
      expect(await page({ after: replySeqs[3]!, limit: 4 })).toEqual({ messages: replies.slice(4), hasMore: false });
      expect(await page({ before: replySeqs[2]!, limit: 5 })).toEqual({ messages: replies.slice(0, 2), hasMore: false });
      expect(await t.stores.messages.range(channel, { thread: 2, limit: 5 })).toEqual({ messages: [], hasMore: false });
      expect((await t.stores.messages.range(channel, { limit: 50 })).messages).toHaveLength(14);
    });

    it("replays every seq after `after`: messages as they are now, and changes to messages older than `after`", async () => {
      const channel = t.ch("room:replay");
      for (let i = 0; i < 3; i++) await append(channel, { body: i });
      await applied(edit(channel, 1, "new 1"));
      await applied(reaction(channel, 2, "bob"));
      await append(channel, { replyTo: 1 });
      await applied(edit(channel, 6, "new 6"));
      const replay = await t.stores.messages.replay(channel, { after: 3, limit: 4, reader: "bob" });
      expect(seqsOf(replay.messages)).toEqual([6]);
      expect(replay.messages[0]).toMatchObject({ replyTo: 1, body: "new 6", version: 7 });
      expect(replay.changes).toEqual([
        expect.objectContaining({ type: "edit", seq: 4, target: 1, body: "new 1" }),
        expect.objectContaining({ type: "react", seq: 5, target: 2, count: 1 }),
        expect.objectContaining({ type: "edit", seq: 7, target: 6 }),
      ]);
      expect(await t.stores.messages.replay(channel, { after: 3, limit: 2 })).toEqual({
        messages: [],
        changes: replay.changes.slice(0, 2),
      });
      expect(await t.stores.messages.replay(t.ch("room:none"), { after: 0, limit: 5 })).toEqual({ messages: [], changes: [] });
    });

    it("counts messages, not change entries, after a seq", async () => {
      const channel = t.ch("room:count");
      expect(await t.stores.messages.countAfter(channel, 0)).toEqual({ latest: 0, messages: 0 });
      await append(channel);
      await append(channel);
      await applied(edit(channel, 1, "e"));
      await applied(reaction(channel, 2, "bob"));
      await append(channel);
      expect(await t.stores.messages.countAfter(channel, 0)).toEqual({ latest: 5, messages: 3 });
      expect(await t.stores.messages.countAfter(channel, 2)).toEqual({ latest: 5, messages: 1 });
      expect(await t.stores.messages.countAfter(channel, 3)).toEqual({ latest: 5, messages: 1 });
      expect(await t.stores.messages.countAfter(channel, 5)).toEqual({ latest: 5, messages: 0 });
    });

    it("hands out changes and messages that callers can mutate without changing what is stored", async () => {
      const channel = t.ch("room:alias-changes");
      await append(channel);
      const change = await applied(reaction(channel, 1, "bob"));
      Object.assign(change, { count: 99, reaction: "x" });
      const got = (await t.stores.messages.get(channel, 1, "bob"))!;
      got.reactions![0]!.count = 42;
      got.version = 0;
      expect(await t.stores.messages.get(channel, 1, "bob")).toMatchObject({
        version: 2,
        reactions: [{ reaction: "👍", count: 1, mine: true }],
      });
      expect((await t.stores.messages.replay(channel, { after: 1, limit: 1 })).changes[0]).toMatchObject({ count: 1, reaction: "👍" });
    });

    it.runIf(retention !== undefined)("counts change entries in retention; a change to a message no longer kept is missing", async () => {
      const keep = retention!.maxPerChannel;
      const channel = t.ch("room:retention-changes");
      await append(channel);
      for (let i = 0; i < keep; i++) await applied(reaction(channel, 1, "bob", i % 2 === 0 ? "react" : "unreact"));
      await retention!.apply?.(t.stores);
      expect(await t.stores.messages.stream(channel)).toMatchObject({ latest: keep + 1, oldest: 2 });
      expect(await t.stores.messages.get(channel, 1)).toBeUndefined();
      expect(await t.stores.messages.change(reaction(channel, 1, "late"))).toEqual({ status: "missing" });
      expect((await t.stores.messages.range(channel, { limit: 10 })).messages).toEqual([]);
      expect(await t.stores.messages.countAfter(channel, 0)).toEqual({ latest: keep + 1, messages: 1 });
    });
  });
}
