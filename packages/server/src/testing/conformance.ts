import { randomUUID } from "node:crypto";
import type { Message } from "@roomkit/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppendInput, RangeQuery, Stores } from "../stores/types.js";
import { describeChangeConformance } from "./conformance-changes.js";
import { describePageConformance } from "./conformance-pages.js";
import { describeRoomConformance } from "./conformance-rooms.js";
import { describeSyncConformance } from "./conformance-sync.js";

export interface StoreConformanceOptions {
  /** Runs after every test with that test's stores: delete what they wrote, close clients. */
  cleanup?: (stores: Stores) => Promise<void> | void;
  /**
   * The message store's retention per channel, when it has one; enables the retention tests.
   * `maxPerChannel` must be at least 200. A store that trims in the background rather than as it
   * appends gives `apply`, which the tests call after writing, to trim now.
   */
  retention?: { maxPerChannel: number; apply?: (stores: Stores) => Promise<unknown> };
}

/** The entries a store must keep per channel for the suite: the change tests write up to 150 to one channel. */
const MIN_KEPT = 200;
const PAGE = 10;

/**
 * The behaviour every {@link Stores} implementation must have, as a vitest suite. `factory` is
 * called once per test and must return stores that share no state with earlier calls' channels
 * (channel names are unique per test anyway). Stores must keep at least the latest 200 entries per channel.
 *
 * @example
 * // test/redis-stores.test.ts
 * describeStoreConformance("redis", () => redisStores({ client, prefix: `t-${randomUUID()}:` }), {
 *   cleanup: (stores) => deleteKeys(stores),
 * });
 */
export function describeStoreConformance(
  name: string,
  factory: () => Stores | Promise<Stores>,
  options: StoreConformanceOptions = {},
): void {
  const retention = options.retention;
  if (retention && !(retention.maxPerChannel >= MIN_KEPT)) throw new TypeError(`retention.maxPerChannel must be at least ${MIN_KEPT}`);

  describe(`store conformance: ${name}`, () => {
    let stores: Stores;
    let suffix: string;
    const ch = (base: string) => `${base}-${suffix}`;
    const input = (channel: string, extra: Partial<AppendInput> = {}): AppendInput => ({
      channel,
      from: "alice",
      body: { text: "hi" },
      sentAt: 1_700_000_000_000,
      ...extra,
    });
    const appendMany = async (channel: string, count: number): Promise<Message[]> => {
      const sent: Message[] = [];
      for (let i = 1; i <= count; i++) sent.push((await stores.messages.append(input(channel, { body: { n: i } }))).message);
      return sent;
    };
    const seqs = (messages: Message[]) => messages.map((m) => m.seq);
    const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    beforeEach(async () => {
      stores = await factory();
      suffix = randomUUID().slice(0, 8);
    });
    afterEach(() => options.cleanup?.(stores));

    describe("messages", () => {
      it("stores a message with seq from 1, gap-free, a unique id and the fields it was given", async () => {
        const channel = ch("room:seq");
        const first = await stores.messages.append(input(channel, { from: "bob", body: { text: "a" }, sentAt: 5, clientId: "c-1" }));
        expect(first.duplicate).toBe(false);
        expect(first.message).toEqual({
          id: first.message.id,
          channel,
          seq: 1,
          from: "bob",
          body: { text: "a" },
          sentAt: 5,
          clientId: "c-1",
          version: 1,
        });
        const rest = await appendMany(channel, 4);
        expect(seqs(rest)).toEqual([2, 3, 4, 5]);
        expect(rest[0]!.clientId).toBeUndefined();
        expect(new Set([first.message, ...rest].map((m) => m.id)).size).toBe(5);
        expect(await stores.messages.stream(channel)).toMatchObject({ latest: 5, oldest: 1 });
      });

      it("gives 200 concurrent appends the seqs 1..200 exactly once and resolves them in seq order", async () => {
        const channel = ch("room:burst");
        const resolved: number[] = [];
        const results = await Promise.all(
          span(1, 200).map((i) =>
            stores.messages.append(input(channel, { body: i, from: `u${i % 7}` })).then((r) => {
              resolved.push(r.message.seq);
              return r;
            }),
          ),
        );
        expect(seqs(results.map((r) => r.message)).sort((a, b) => a - b)).toEqual(span(1, 200));
        expect(resolved).toEqual(span(1, 200));
        expect((await stores.messages.stream(channel)).latest).toBe(200);
        const page = await stores.messages.range(channel, { limit: PAGE });
        expect(page.messages).toEqual(results.slice(-PAGE).map((r) => r.message));
        expect(page.hasMore).toBe(true);
      });

      it("numbers each channel independently", async () => {
        const [a, b] = [ch("room:a"), ch("room:b")];
        const got: Record<string, number[]> = { [a]: [], [b]: [] };
        for (const channel of [a, b, b, a, b, a, a]) got[channel]!.push((await stores.messages.append(input(channel))).message.seq);
        expect(got[a]).toEqual([1, 2, 3, 4]);
        expect(got[b]).toEqual([1, 2, 3]);
        const page = await stores.messages.range(b, { limit: 10 });
        expect(page.messages.every((m) => m.channel === b)).toBe(true);
        expect(seqs(page.messages)).toEqual([1, 2, 3]);
      });

      it("dedupes a repeated (channel, from, clientId): the first message comes back and nothing is stored", async () => {
        const channel = ch("room:dedupe");
        const first = await stores.messages.append(input(channel, { clientId: "k1", body: "first" }));
        const again = await stores.messages.append(input(channel, { clientId: "k1", body: "second", sentAt: 99 }));
        expect(again).toEqual({ message: first.message, duplicate: true });
        expect((await stores.messages.stream(channel)).latest).toBe(1);
        expect((await stores.messages.append(input(channel, { clientId: "k2" }))).message.seq).toBe(2);
        expect(seqs((await stores.messages.range(channel, { limit: 10 })).messages)).toEqual([1, 2]);
      });

      it("does not dedupe across senders, channels, or appends without a clientId", async () => {
        const channel = ch("room:keys");
        await stores.messages.append(input(channel, { clientId: "k" }));
        const otherSender = await stores.messages.append(input(channel, { clientId: "k", from: "bob" }));
        const otherChannel = await stores.messages.append(input(ch("room:other"), { clientId: "k" }));
        const plain1 = await stores.messages.append(input(channel));
        const plain2 = await stores.messages.append(input(channel));
        expect([otherSender, otherChannel, plain1, plain2].map((r) => r.duplicate)).toEqual([false, false, false, false]);
        expect([otherSender, plain1, plain2].map((r) => r.message.seq)).toEqual([2, 3, 4]);
        expect(otherChannel.message.seq).toBe(1);
      });

      it("stores concurrent retries of one clientId once", async () => {
        const channel = ch("room:retry");
        const results = await Promise.all(span(1, 10).map(() => stores.messages.append(input(channel, { clientId: "same" }))));
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
        expect(results.every((r) => r.message.seq === 1)).toBe(true);
        expect((await stores.messages.stream(channel)).latest).toBe(1);
      });

      it("reads an empty or unknown channel as empty in every direction", async () => {
        const channel = ch("room:empty");
        for (const query of [{ limit: 5 }, { after: 0, limit: 5 }, { before: 10, limit: 5 }, { after: 0, before: 3, limit: 5 }]) {
          expect(await stores.messages.range(channel, query)).toEqual({ messages: [], hasMore: false });
        }
      });

      // [query, the seqs of the page, hasMore], over a channel holding seqs 1..10
      const pages: Array<[RangeQuery, number[], boolean]> = [
        [{ after: 0, limit: 3 }, [1, 2, 3], true],
        [{ after: 6, limit: 3 }, [7, 8, 9], true],
        [{ after: 7, limit: 3 }, [8, 9, 10], false],
        [{ after: 0, limit: 50 }, span(1, 10), false],
        [{ after: 10, limit: 3 }, [], false],
        [{ after: 15, limit: 3 }, [], false],
        [{ before: 5, limit: 3 }, [2, 3, 4], true],
        [{ before: 4, limit: 3 }, [1, 2, 3], false],
        [{ before: 1, limit: 3 }, [], false],
        [{ before: 100, limit: 2 }, [9, 10], true],
        [{ before: 11, limit: 20 }, span(1, 10), false],
        [{ after: 2, before: 9, limit: 3 }, [3, 4, 5], true],
        [{ after: 2, before: 6, limit: 3 }, [3, 4, 5], false],
        [{ after: 2, before: 9, limit: 10 }, span(3, 8), false],
        [{ after: 5, before: 6, limit: 3 }, [], false],
        [{ limit: 3 }, [8, 9, 10], true],
        [{ limit: 10 }, span(1, 10), false],
        [{ limit: 50 }, span(1, 10), false],
      ];
      it.each(pages)("range %o over seqs 1..10 gives %o, hasMore %s", async (query, expected, hasMore) => {
        const channel = ch("room:pages");
        const sent = await appendMany(channel, 10);
        expect(await stores.messages.range(channel, query)).toEqual({ messages: expected.map((seq) => sent[seq - 1]), hasMore });
      });

      it("describes an unknown stream as latest 0, oldest 1, with an epoch that appends do not change", async () => {
        const channel = ch("room:stream");
        const before = await stores.messages.stream(channel);
        expect(before).toEqual({ epoch: expect.stringMatching(/./), latest: 0, oldest: 1 });
        expect((await stores.messages.stream(channel)).epoch).toBe(before.epoch);
        await appendMany(channel, 3);
        expect(await stores.messages.stream(channel)).toEqual({ epoch: before.epoch, latest: 3, oldest: 1 });
        const appendedFirst = ch("room:appended");
        await appendMany(appendedFirst, 1);
        const { epoch } = await stores.messages.stream(appendedFirst);
        await appendMany(appendedFirst, 2);
        expect((await stores.messages.stream(appendedFirst)).epoch).toBe(epoch);
      });

      it("hands out messages that callers can mutate without changing what is stored", async () => {
        const channel = ch("room:alias");
        const { message } = await stores.messages.append(input(channel, { body: "original", clientId: "k" }));
        const expected = { ...message };
        Object.assign(message, { seq: 42, from: "mallory", body: "changed" });
        const page = await stores.messages.range(channel, { limit: 5 });
        expect(page.messages).toEqual([expected]);
        Object.assign(page.messages[0]!, { body: "changed again" });
        page.messages.push(message);
        expect((await stores.messages.range(channel, { limit: 5 })).messages).toEqual([expected]);
        expect((await stores.messages.append(input(channel, { clientId: "k" }))).message).toEqual(expected);
      });

      it.runIf(retention !== undefined)("drops the oldest messages beyond retention without lowering latest", async () => {
        const keep = retention!.maxPerChannel;
        const channel = ch("room:retention");
        const sent = await appendMany(channel, keep + 5);
        await retention!.apply?.(stores);
        const kept = sent.slice(5);
        const { epoch } = await stores.messages.stream(channel);
        expect(await stores.messages.stream(channel)).toEqual({ epoch, latest: keep + 5, oldest: 6 });
        expect(await stores.messages.range(channel, { after: 0, limit: keep + 10 })).toEqual({ messages: kept, hasMore: false });
        expect(await stores.messages.range(channel, { before: 8, limit: 10 })).toEqual({ messages: kept.slice(0, 2), hasMore: false });
        expect(await stores.messages.range(channel, { before: 5, limit: 10 })).toEqual({ messages: [], hasMore: false });
        expect(await stores.messages.range(channel, { limit: keep + 5 })).toEqual({ messages: kept, hasMore: false });
        expect((await stores.messages.append(input(channel))).message.seq).toBe(keep + 6);
      });
    });

    describe("presence", () => {
      it("reports first on a user's first connection and last on their last, across many connections", async () => {
        const channel = ch("presence:lobby");
        expect(await stores.presence.add({ channel, userId: "alice", connId: "c1", info: { v: 1 } })).toEqual({ first: true });
        expect(await stores.presence.add({ channel, userId: "alice", connId: "c2", info: { v: 2 } })).toEqual({ first: false });
        expect(await stores.presence.add({ channel, userId: "alice", connId: "c3", info: { v: 3 } })).toEqual({ first: false });
        expect(await stores.presence.remove(channel, "alice", "c2")).toEqual({ last: false });
        expect(await stores.presence.remove(channel, "alice", "c1")).toEqual({ last: false });
        expect(await stores.presence.members(channel)).toEqual([{ userId: "alice", info: { v: 3 } }]);
        expect(await stores.presence.remove(channel, "alice", "c3")).toEqual({ last: true, member: { userId: "alice", info: { v: 3 } } });
        expect(await stores.presence.members(channel)).toEqual([]);
        expect(await stores.presence.add({ channel, userId: "alice", connId: "c4", info: null })).toEqual({ first: true });
      });

      it("treats adding the same connection twice as one connection", async () => {
        const channel = ch("presence:twice");
        await stores.presence.add({ channel, userId: "alice", connId: "c1", info: "old" });
        expect(await stores.presence.add({ channel, userId: "alice", connId: "c1", info: "new" })).toEqual({ first: false });
        expect(await stores.presence.remove(channel, "alice", "c1")).toEqual({ last: true, member: { userId: "alice", info: "new" } });
      });

      it("answers last: false for connections it does not know, and keeps the member", async () => {
        const channel = ch("presence:unknown");
        expect(await stores.presence.remove(ch("presence:nobody"), "alice", "c1")).toEqual({ last: false });
        await stores.presence.add({ channel, userId: "alice", connId: "c1", info: 1 });
        expect(await stores.presence.remove(channel, "alice", "c9")).toEqual({ last: false });
        expect(await stores.presence.remove(channel, "bob", "c1")).toEqual({ last: false });
        expect(await stores.presence.remove(channel, "alice", "c1")).toEqual({ last: true, member: { userId: "alice", info: 1 } });
        expect(await stores.presence.remove(channel, "alice", "c1")).toEqual({ last: false });
      });

      it("lists one member per user with their latest info, per channel", async () => {
        const [channel, other] = [ch("presence:many"), ch("presence:other")];
        await stores.presence.add({ channel, userId: "alice", connId: "a1", info: { name: "A" } });
        await stores.presence.add({ channel, userId: "bob", connId: "b1", info: { name: "B" } });
        await stores.presence.add({ channel, userId: "bob", connId: "b2", info: { name: "B2" } });
        await stores.presence.add({ channel, userId: "carol", connId: "c1", info: { name: "C" } });
        expect(await stores.presence.add({ channel: other, userId: "bob", connId: "b1", info: "elsewhere" })).toEqual({ first: true });
        const members = await stores.presence.members(channel);
        expect([...members].sort((x, y) => x.userId.localeCompare(y.userId))).toEqual([
          { userId: "alice", info: { name: "A" } },
          { userId: "bob", info: { name: "B2" } },
          { userId: "carol", info: { name: "C" } },
        ]);
        expect(await stores.presence.remove(other, "bob", "b1")).toMatchObject({ last: true });
        expect(await stores.presence.members(channel)).toHaveLength(3);
        expect(await stores.presence.members(other)).toEqual([]);
      });

      it("removes every connection of a user at once and returns the member", async () => {
        const channel = ch("presence:kick");
        await stores.presence.add({ channel, userId: "alice", connId: "a1", info: "A" });
        await stores.presence.add({ channel, userId: "alice", connId: "a2", info: "A2" });
        await stores.presence.add({ channel, userId: "bob", connId: "b1", info: "B" });
        expect(await stores.presence.removeUser(channel, "alice")).toEqual({ userId: "alice", info: "A2" });
        expect(await stores.presence.members(channel)).toEqual([{ userId: "bob", info: "B" }]);
        expect(await stores.presence.removeUser(channel, "alice")).toBeUndefined();
        expect(await stores.presence.remove(channel, "alice", "a1")).toEqual({ last: false });
        expect(await stores.presence.add({ channel, userId: "alice", connId: "a3", info: "A3" })).toEqual({ first: true });
        expect(await stores.presence.removeUser(ch("presence:nobody"), "alice")).toBeUndefined();
      });
    });

    describeChangeConformance(
      {
        get stores() {
          return stores;
        },
        ch,
      },
      retention,
    );

    describeRoomConformance({
      get stores() {
        return stores;
      },
      ch,
    });

    describePageConformance({
      get stores() {
        return stores;
      },
      ch,
    });

    describeSyncConformance({
      get stores() {
        return stores;
      },
      ch,
    });

    describe("read state", () => {
      it("raises the last read seq and never lowers it", async () => {
        const channel = ch("room:read");
        expect(await stores.readState.get("alice", channel)).toBe(0);
        expect(await stores.readState.mark("alice", channel, 5)).toBe(5);
        expect(await stores.readState.mark("alice", channel, 3)).toBe(5);
        expect(await stores.readState.get("alice", channel)).toBe(5);
        expect(await stores.readState.mark("alice", channel, 9)).toBe(9);
        expect(await stores.readState.get("bob", channel)).toBe(0);
      });

      it("ends at the highest of concurrent marks", async () => {
        const channel = ch("room:race");
        const marks = span(1, 50).sort(() => Math.random() - 0.5);
        await Promise.all(marks.map((seq) => stores.readState.mark("alice", channel, seq)));
        expect(await stores.readState.get("alice", channel)).toBe(50);
      });

      it("lists every channel a user has read state for, including ones marked at 0", async () => {
        const user = `reader-${suffix}`;
        const [a, b, c] = [ch("room:a"), ch("dm:x"), ch("public:news")];
        expect(await stores.readState.all(user)).toEqual(new Map());
        await stores.readState.mark(user, a, 4);
        await stores.readState.mark(user, b, 0);
        await stores.readState.mark(user, c, 2);
        await stores.readState.mark(`other-${suffix}`, ch("room:z"), 7);
        expect(await stores.readState.mark(user, a, 0)).toBe(4);
        const all = await stores.readState.all(user);
        expect(all).toEqual(
          new Map([
            [a, 4],
            [b, 0],
            [c, 2],
          ]),
        );
        all.set(a, 100);
        all.delete(b);
        expect(await stores.readState.all(user)).toEqual(
          new Map([
            [a, 4],
            [b, 0],
            [c, 2],
          ]),
        );
      });
    });
  });
}
