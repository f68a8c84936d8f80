import { afterEach, describe, expect, it } from "vitest";
import type { AppendInput, AppendResult } from "@roomkit/server";
import { MemoryMessageStore, MemoryReadStateStore } from "@roomkit/server";
import { ReadMarkBatch } from "../src/read-state/mark-batch.js";
import { ok, startServer } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

// The synchronous publish path (issue 16): stores with appendSync/markSync are called without a
// promise; a subclass that overrides append or mark is called through its override.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DM = "dm:alice|bob";

describe("synchronous store twins", () => {
  it("a memory read-state store is marked at once: raise has nothing to wait for", async () => {
    const store = new MemoryReadStateStore();
    const batch = new ReadMarkBatch(store);
    expect(batch.raise("alice", "room:a", 3)).toBeUndefined();
    expect(await store.get("alice", "room:a")).toBe(3);
    expect(batch.raise("alice", "room:a", 2)).toBeUndefined();
    expect(await store.get("alice", "room:a")).toBe(3);
  });

  it("a subclass that overrides append or mark has no twin, so the server goes through the override", async () => {
    const calls: string[] = [];
    const messages = new (class extends MemoryMessageStore {
      override append(input: AppendInput): Promise<AppendResult> {
        calls.push(`append ${input.channel}`);
        return super.append(input);
      }
    })();
    const readState = new (class extends MemoryReadStateStore {
      override mark(userId: string, channel: string, seq: number): Promise<number> {
        calls.push(`mark ${userId} ${seq}`);
        return super.mark(userId, channel, seq);
      }
    })();
    expect(messages.appendSync).toBeUndefined();
    expect(readState.markSync).toBeUndefined();
    expect(new MemoryMessageStore().appendSync).toBeTypeOf("function");
    expect(new MemoryReadStateStore().markSync).toBeTypeOf("function");

    h = await startServer({ stores: { messages, readState } });
    const alice = await h.client("alice");
    const first = await ok<{ message: { seq: number } }>(alice, "rk:publish", { channel: DM, body: { text: "one" } });
    const second = await ok<{ message: { seq: number } }>(alice, "rk:publish", { channel: DM, body: { text: "two" } });
    expect([first.message.seq, second.message.seq]).toEqual([1, 2]);
    expect(calls).toContain(`append ${DM}`);
    expect(calls.filter((c) => c.startsWith("append"))).toHaveLength(2);
    // The first DM message starts both users' counts at 0, then each publish marks the sender.
    expect(calls).toEqual(expect.arrayContaining(["mark alice 0", "mark bob 0", "mark alice 1", "mark alice 2"]));
    expect(await readState.get("alice", DM)).toBe(2);
  });

  it("on the memory stores each ack comes with the message stored and the sender's mark at it, in order", async () => {
    const messages = new MemoryMessageStore();
    const readState = new MemoryReadStateStore();
    h = await startServer({ stores: { messages, readState } });
    const [alice, bob] = [await h.client("alice"), await h.client("bob")];
    const pushed: number[] = [];
    bob.on("rk:message", (push: { message: { seq: number } }) => pushed.push(push.message.seq));
    for (let i = 1; i <= 5; i++) {
      const ack = await ok<{ message: { seq: number; version: number } }>(alice, "rk:publish", { channel: DM, body: { text: `m${i}` } });
      expect(ack.message).toMatchObject({ seq: i, version: i });
      expect(await readState.get("alice", DM)).toBe(i);
      expect((await messages.stream(DM)).latest).toBe(i);
    }
    await expect.poll(() => pushed).toEqual([1, 2, 3, 4, 5]);
    const unread = await ok<{ channels: unknown[] }>(bob, "rk:unread", { channels: [DM] });
    expect(unread.channels).toEqual([{ channel: DM, lastRead: 0, latest: 5, unread: 5 }]);
  });
});
