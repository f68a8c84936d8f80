import { Buffer } from "node:buffer";
import { expect, it } from "vitest";
import type { Message } from "@roomkit/protocol";
import { ok } from "../support/harness.js";
import type { Client } from "../support/harness.js";
import { markOf as markOfPng, png } from "../support/png.js";
import { attackServers } from "./env.js";
import type { AttackEnv } from "./env.js";

/** The most binary parts a stock socket.io-parser Decoder accepts in one packet. */
const PARSER_MAX_ATTACHMENTS = 10;

type ImageBody = { text?: string; image?: { type: string; data: Buffer } };
type Page = { messages: Message<ImageBody>[]; hasMore: boolean };

/** An image whose filler bytes say which message it belongs to. */
const imageOf = (n: number) => ({ type: "image/png", data: png(16, n) });

/** The binary parts a stock client decoded from one ack's messages. */
const attachmentsIn = (messages: Message<ImageBody>[]) => messages.filter((m) => Buffer.isBuffer(m.body!.image?.data)).length;

/** Each image is the one its message was sent with: no splicing of another message's bytes. */
function expectOwnImages(messages: Message<ImageBody>[], markOf: (m: Message<ImageBody>) => number): void {
  for (const m of messages) if (m.body!.image) expect(markOfPng(m.body!.image.data), `image of seq ${m.seq}`).toBe(markOf(m));
}

/** Counts the `disconnect`s a stock client sees from now on. */
function disconnects(socket: Client): () => number {
  let count = 0;
  socket.on("disconnect", () => count++);
  return () => count;
}

/**
 * Finding 2b: acks a stock Socket.IO client cannot decode. Its parser takes at most 10 binary
 * parts per packet and disconnects on more, so history pages and recovery replays end early at
 * 10 attachments and say `hasMore`, and paging on gives the rest.
 */
export function packetAttacks(env: AttackEnv): void {
  const servers = attackServers(env);

  it("after 12 image messages, rk:history {limit: 50} is acked with ≤ 10 attachments and hasMore; paging either way gives each message once", async () => {
    const h = await servers.start();
    const [mallory, bob] = await Promise.all([h.client("mallory"), h.client("bob")]);
    const channel = "dm:bob|mallory";
    // Seqs 5, 10 and 15 are text; the other 12 are images marked with their seq.
    for (let seq = 1; seq <= 15; seq++) {
      await ok(mallory, "rk:publish", { channel, body: seq % 5 === 0 ? { text: `text ${seq}` } : { image: imageOf(seq) } });
    }
    const dropped = disconnects(bob);

    const newest = await ok<Page>(bob, "rk:history", { channel, limit: 50 });
    expect(attachmentsIn(newest.messages)).toBe(PARSER_MAX_ATTACHMENTS);
    expect(newest.messages.map((m) => m.seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(newest.hasMore).toBe(true);
    const older = await ok<Page>(bob, "rk:history", { channel, before: 3, limit: 50 });
    expect([older.messages.map((m) => m.seq), older.hasMore]).toEqual([[1, 2], false]);

    const forward: Message<ImageBody>[] = [];
    const pages: boolean[] = [];
    for (let after = 0, more = true; more; after = forward.at(-1)!.seq) {
      const page = await ok<Page>(bob, "rk:history", { channel, after, limit: 50 });
      expect(attachmentsIn(page.messages)).toBeLessThanOrEqual(PARSER_MAX_ATTACHMENTS);
      forward.push(...page.messages);
      pages.push((more = page.hasMore));
    }
    expect(pages).toEqual([true, false]);
    expect(forward.map((m) => m.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expectOwnImages([...older.messages, ...newest.messages, ...forward], (m) => m.seq);
    expect(dropped()).toBe(0);
    expect(bob.connected).toBe(true);
  });

  it("a stock client away during 50 image messages resubscribes with since: the replay says hasMore, history pages the rest, no disconnect", async () => {
    const h = await servers.start();
    const channel = "dm:alice|bob";
    const first = await h.client("bob");
    await h.rk.sendDirect("alice", "bob", { text: "before" });
    const { seq: since, epoch } = await ok<{ seq: number; epoch: string }>(first, "rk:subscribe", { channel });
    await h.drop(first);
    for (let n = 1; n <= 50; n++) await h.rk.sendDirect("alice", "bob", { image: imageOf(n) });

    const bob = await h.client("bob");
    const dropped = disconnects(bob);
    const ack = await ok<Page & { recovered: boolean; seq: number }>(bob, "rk:subscribe", { channel, since, epoch });
    expect(ack).toMatchObject({ recovered: true, hasMore: true, seq: since + 50 });
    expect(attachmentsIn(ack.messages)).toBe(PARSER_MAX_ATTACHMENTS);
    const recovered = [...ack.messages];
    while (recovered.at(-1)!.seq < ack.seq) {
      const page = await ok<Page>(bob, "rk:history", { channel, after: recovered.at(-1)!.seq, before: ack.seq + 1 });
      expect(attachmentsIn(page.messages)).toBeLessThanOrEqual(PARSER_MAX_ATTACHMENTS);
      expect(page.messages.length).toBeGreaterThan(0);
      recovered.push(...page.messages);
      if (!page.hasMore) break;
    }
    expect(recovered.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => since + 1 + i));
    expectOwnImages(recovered, (m) => m.seq - since);
    expect(dropped()).toBe(0);
    expect(bob.connected).toBe(true);
  });
}
