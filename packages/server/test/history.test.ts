import { afterEach, describe, expect, it } from "vitest";
import { MemoryMessageStore } from "@roomkit/server";
import { collect, ok, refusal, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import type { Message } from "@roomkit/protocol";

const servers: Harness[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<Harness> {
  const h = await startServer(options);
  servers.push(h);
  return h;
}

const DM = "dm:alice|bob";
const seqs = (messages: Message[]) => messages.map((m) => m.seq);

/** alice sends `count` DMs to bob, numbered in their text from `first`. */
async function sendMany(alice: Client, count: number, first = 1): Promise<void> {
  for (let i = first; i < first + count; i++) await ok(alice, "rk:publish", { channel: DM, body: { text: `m${i}` } });
}

const page = (socket: Client, query: object) => ok(socket, "rk:history", { channel: DM, ...query });
const resubscribe = (socket: Client, since: number, epoch?: string) =>
  ok(socket, "rk:subscribe", { channel: DM, since, ...(epoch === undefined ? {} : { epoch }) });

describe("paging", () => {
  it("pages back with before/limit and forward with after, always ascending, with hasMore", async () => {
    const h = await server();
    const alice = await h.client("alice");
    await sendMany(alice, 5);
    const latest = await page(alice, { limit: 2 });
    expect([seqs(latest.messages), latest.hasMore]).toEqual([[4, 5], true]);
    const older = await page(alice, { before: 4, limit: 2 });
    expect([seqs(older.messages), older.hasMore]).toEqual([[2, 3], true]);
    const oldest = await page(alice, { before: 2, limit: 2 });
    expect([seqs(oldest.messages), oldest.hasMore]).toEqual([[1], false]);
    const forward = await page(alice, { after: 0, limit: 3 });
    expect([seqs(forward.messages), forward.hasMore]).toEqual([[1, 2, 3], true]);
    const rest = await page(alice, { after: 3, limit: 3 });
    expect([seqs(rest.messages), rest.hasMore]).toEqual([[4, 5], false]);
    expect(rest.messages.map((m: Message) => m.body)).toEqual([{ text: "m4" }, { text: "m5" }]);
    const all = await page(alice, {});
    expect(seqs(all.messages)).toEqual([1, 2, 3, 4, 5]);
  });

  it("refuses a page larger than history.maxPage", async () => {
    const h = await server({ history: { maxPage: 3 } });
    const alice = await h.client("alice");
    await sendMany(alice, 5);
    expect(await refusal(alice, "rk:history", { channel: DM, limit: 4 })).toBe("INVALID");
    expect(seqs((await page(alice, { limit: 3 })).messages)).toEqual([3, 4, 5]);
    expect(seqs((await page(alice, {})).messages)).toEqual([3, 4, 5]);
  });
});

describe("recovery with since", () => {
  it("replays the gap in order", async () => {
    const h = await server();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    await sendMany(alice, 2);
    const { epoch } = await resubscribe(bob, 0);
    await sendMany(alice, 3, 3);
    const ack = await resubscribe(bob, 2, epoch);
    expect(ack).toMatchObject({ recovered: true, seq: 5, epoch });
    expect(seqs(ack.messages)).toEqual([3, 4, 5]);
    expect(ack.messages.map((m: Message) => m.body)).toEqual([{ text: "m3" }, { text: "m4" }, { text: "m5" }]);
  });

  it("answers recovered with nothing when the client is up to date", async () => {
    const h = await server();
    const alice = await h.client("alice");
    await sendMany(alice, 3);
    const { epoch } = await resubscribe(alice, 0);
    expect(await resubscribe(alice, 3, epoch)).toMatchObject({ recovered: true, messages: [], seq: 3 });
  });

  it("answers recovered: false after a restarted in-memory server, by seq and by epoch", async () => {
    const first = await server();
    const alice = await first.client("alice");
    await sendMany(alice, 3);
    const { epoch } = await resubscribe(alice, 3);
    const restarted = await server();
    const again = await restarted.client("alice");
    expect(await resubscribe(again, 3, epoch)).toMatchObject({ recovered: false, messages: [], seq: 0 });
    await sendMany(again, 4);
    const ack = await resubscribe(again, 3, epoch);
    expect(ack).toMatchObject({ recovered: false, messages: [], seq: 4 });
    expect(ack.epoch).not.toBe(epoch);
    expect(await resubscribe(again, 3, ack.epoch)).toMatchObject({ recovered: true, messages: [expect.objectContaining({ seq: 4 })] });
  });

  it("answers recovered: false when the gap is longer than history.maxReplay", async () => {
    const h = await server({ history: { maxReplay: 3 } });
    const alice = await h.client("alice");
    await sendMany(alice, 5);
    expect(await resubscribe(alice, 1)).toMatchObject({ recovered: false, messages: [] });
    expect(seqs((await resubscribe(alice, 2)).messages)).toEqual([3, 4, 5]);
  });

  it("answers recovered: false when the gap is older than retention", async () => {
    const h = await server({ stores: { messages: new MemoryMessageStore({ maxPerChannel: 10 }) } });
    const alice = await h.client("alice");
    await sendMany(alice, 15);
    expect(await resubscribe(alice, 4)).toMatchObject({ recovered: false, messages: [], seq: 15 });
    const ack = await resubscribe(alice, 5);
    expect([ack.recovered, seqs(ack.messages)]).toEqual([true, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]]);
  });
});

describe("dedupe by clientId", () => {
  it("a retried publish returns the stored message and is stored and broadcast once", async () => {
    const h = await server();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    const atBob = collect(bob, "rk:message");
    const send = { channel: DM, body: { text: "once" }, clientId: "c-1" };
    const first = await ok(alice, "rk:publish", send);
    const retry = await ok(alice, "rk:publish", send);
    expect(retry.message).toEqual(first.message);
    expect(first.message.clientId).toBe("c-1");
    await settled(bob);
    expect(atBob.map((p) => p.message.id)).toEqual([first.message.id]);
    expect(seqs((await page(alice, {})).messages)).toEqual([1]);
  });

  it("keys are per sender: another user's identical clientId is another message", async () => {
    const h = await server();
    const [alice, bob] = await Promise.all([h.client("alice"), h.client("bob")]);
    const a = await ok(alice, "rk:publish", { channel: DM, body: { text: "a" }, clientId: "same" });
    const b = await ok(bob, "rk:publish", { channel: DM, body: { text: "b" }, clientId: "same" });
    expect([a.message.seq, b.message.seq]).toEqual([1, 2]);
  });
});
