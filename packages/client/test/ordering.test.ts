import { afterEach, describe, expect, it, vi } from "vitest";
import { PROTOCOL_VERSION, userRoom } from "@roomkit/protocol";
import type { ChangeEntry, Message, MessagePush, PresenceMember } from "@roomkit/protocol";
import { Sequencer } from "../src/ordering.js";
import { PresenceList } from "../src/presence.js";
import { closeClients, collect, connect, until } from "./support/clients.js";
import { startTestServer } from "./support/servers.js";
import type { Harness } from "./support/servers.js";

const msg = (seq: number): Message => ({
  id: `m${seq}`,
  channel: "room:1",
  seq,
  from: "alice",
  body: { text: `${seq}` },
  sentAt: 0,
  version: seq,
});

/** A sequencer over a fake stream of `stored` messages, recording what it delivers. */
function sequencer(stored: Message[], gapTimeoutMs = 100) {
  const delivered: number[] = [];
  const fetched: number[] = [];
  let lost = 0;
  const seq = new Sequencer(
    {
      deliver: (m) => delivered.push(m.seq),
      fetchAfter: async (after) => {
        fetched.push(after);
        return stored.filter((m) => m.seq > after);
      },
      lost: () => lost++,
    },
    gapTimeoutMs,
  );
  return { seq, delivered, fetched, lost: () => lost };
}

describe("Sequencer", () => {
  afterEach(() => vi.useRealTimers());

  it("delivers in seq order and drops duplicates", () => {
    const { seq, delivered } = sequencer([]);
    seq.reset(0);
    for (const n of [1, 3, 2, 2, 1, 4, 3]) seq.offer(msg(n));
    expect(delivered).toEqual([1, 2, 3, 4]);
    expect(seq.last).toBe(4);
  });

  it("holds a message ahead of a gap, then fetches the gap with a replay when it does not fill itself", async () => {
    vi.useFakeTimers();
    const { seq, delivered, fetched } = sequencer([1, 2, 3, 4, 5].map(msg));
    seq.reset(1);
    seq.offer(msg(4));
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(99);
    expect(fetched).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetched).toEqual([1]);
    expect(delivered).toEqual([2, 3, 4, 5]);
  });

  it("does not fetch when the missing message arrives in time", async () => {
    vi.useFakeTimers();
    const { seq, delivered, fetched } = sequencer([]);
    seq.reset(0);
    seq.offer(msg(2));
    seq.offer(msg(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(delivered).toEqual([1, 2]);
    expect(fetched).toEqual([]);
  });

  it("reports a gap that a replay no longer holds", async () => {
    vi.useFakeTimers();
    const { seq, delivered, lost } = sequencer([msg(5)]);
    seq.reset(2);
    seq.offer(msg(5));
    await vi.advanceTimersByTimeAsync(100);
    expect(delivered).toEqual([]);
    expect(lost()).toBe(1);
  });
});

describe("PresenceList", () => {
  const m = (userId: string): PresenceMember => ({ userId, info: { name: userId } });

  it("applies the batches that came with a snapshot after it, in order, announcing only the net change", () => {
    const list = new PresenceList();
    list.reset([m("alice"), m("bob")]);
    const events: string[] = [];
    list.on("join", (x) => events.push(`join ${x.userId}`));
    list.on("leave", (x) => events.push(`leave ${x.userId}`));
    list.on("change", (members) => events.push(`change ${members.length}`));
    list.reset(
      [m("alice"), m("carol")],
      [
        { joins: [m("carol"), m("erin")], leaves: [] },
        { joins: [m("dave")], leaves: [m("alice")] },
        { joins: [], leaves: [m("erin")] },
      ],
    );
    expect(list.members.map((x) => x.userId)).toEqual(["carol", "dave"]);
    expect(events).toEqual(["leave alice", "leave bob", "join carol", "join dave", "change 2"]);
    // Applied again (or over a snapshot that has them), batches change nothing.
    list.apply({ joins: [m("dave")], leaves: [m("zed")] });
    list.apply({ joins: [], leaves: [] });
    expect(events).toHaveLength(5);
  });
});

describe("ordering against a real server", () => {
  let h: Harness;
  afterEach(async () => {
    closeClients();
    await h?.close();
  });

  it("shows messages pushed out of order and twice (as from several nodes) once each, in order, filling gaps with replays", async () => {
    h = await startTestServer();
    const bob = connect(h.url, "bob", { ordering: { gapTimeoutMs: 10 } });
    const dm = bob.dm("alice");
    await dm.subscribe();
    const shown = collect(dm, "message");
    const stored: Message[] = [];
    for (let i = 1; i <= 4; i++)
      stored.push(
        (await h.rk.stores.messages.append({ channel: "dm:alice|bob", from: "alice", body: { text: `${i}` }, sentAt: 0 })).message,
      );
    const push = (m: Message) => h.io.to(userRoom("bob")).emit("rk:message", { v: PROTOCOL_VERSION, message: m } satisfies MessagePush);
    for (const i of [2, 0, 2, 0, 3]) push(stored[i]!);
    await until(() => shown.length === 4, [[dm, "message"]]);
    push(stored[1]!);
    await bob.unread();
    expect(shown.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it("fills a gap left by a change entry (which history pages skip) with a replay, then delivers what waited, once", async () => {
    h = await startTestServer();
    const bob = connect(h.url, "bob", { ordering: { gapTimeoutMs: 10 } });
    const dm = bob.dm("alice");
    await dm.subscribe();
    const shown: (Message | ChangeEntry)[] = [];
    dm.on("message", (m) => shown.push(m));
    dm.on("change", (c) => shown.push(c));
    const channel = "dm:alice|bob";
    const first = (await h.rk.stores.messages.append({ channel, from: "alice", body: { text: "1" }, sentAt: 0 })).message;
    const push = (m: Message) => h.io.to(userRoom("bob")).emit("rk:message", { v: PROTOCOL_VERSION, message: m } satisfies MessagePush);
    push(first);
    // Seq 2, an edit, is stored but never pushed: seq 3 arrives ahead of it.
    await h.rk.stores.messages.change({ channel, target: 1, by: "alice", at: 1, type: "edit", body: { text: "1 edited" } });
    const third = (await h.rk.stores.messages.append({ channel, from: "alice", body: { text: "3" }, sentAt: 0 })).message;
    push(third);
    await until(() => shown.length === 3, [[dm, "message"]]);
    await bob.unread();
    expect(shown.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(shown[1]).toMatchObject({ type: "edit", target: 1, body: { text: "1 edited" } });
  });
});
