import { describe, expect, it } from "vitest";
import type { AppendInput, Stores } from "../stores/types.js";
import type { ConformanceTest } from "./conformance-rooms.js";

/**
 * The optional synchronous twins of the store conformance suite (see `describeStoreConformance`):
 * `MessageStore.appendSync` and `ReadStateStore.markSync`, when a store has them, do what
 * `append` and `mark` do, on the same data, and answer without a promise. A store without them
 * passes trivially.
 */
export function describeSyncConformance(t: ConformanceTest): void {
  const stores = (): Stores => t.stores;
  const input = (channel: string, extra: Partial<AppendInput> = {}): AppendInput => ({
    channel,
    from: "alice",
    body: { text: "hi" },
    sentAt: 1_700_000_000_000,
    ...extra,
  });

  describe("synchronous twins", () => {
    it("appendSync, when present, stores at the next seq with append, dedupes with it and refuses what it refuses", async () => {
      const { messages } = stores();
      if (!messages.appendSync) return;
      const channel = t.ch("room:sync");
      const first = messages.appendSync(input(channel, { clientId: "k1" }));
      expect(first).not.toBeInstanceOf(Promise);
      expect(first.duplicate).toBe(false);
      expect(first.message).toMatchObject({ channel, seq: 1, from: "alice", body: { text: "hi" }, clientId: "k1", version: 1 });
      expect((await messages.append(input(channel))).message.seq).toBe(2);
      expect(messages.appendSync(input(channel, { clientId: "k1", body: "again" }))).toEqual({ message: first.message, duplicate: true });
      expect(messages.appendSync(input(channel, { replyTo: 1 })).message).toMatchObject({ seq: 3, replyTo: 1 });
      expect((await messages.range(channel, { limit: 10 })).messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(() => messages.appendSync!(input(""))).toThrow(TypeError);
      await expect(messages.append(input(""))).rejects.toThrow(TypeError);
      // What it hands out is a copy, as with append.
      first.message.body = "changed";
      expect((await messages.get(channel, 1))?.body).toEqual({ text: "hi" });
    });

    it("markSync, when present, raises the same mark as mark, never lowers it, and refuses what mark refuses", async () => {
      const { readState } = stores();
      if (!readState.markSync) return;
      const channel = t.ch("room:sync-read");
      expect(readState.markSync("alice", channel, 5)).toBe(5);
      expect(await readState.mark("alice", channel, 3)).toBe(5);
      expect(readState.markSync("alice", channel, 2)).toBe(5);
      expect(readState.markSync("alice", channel, 8)).toBe(8);
      expect(await readState.get("alice", channel)).toBe(8);
      expect(() => readState.markSync!("alice", channel, -1)).toThrow(TypeError);
      await expect(readState.mark("alice", channel, -1)).rejects.toThrow(TypeError);
    });
  });
}
