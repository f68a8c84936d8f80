import { describe, expect, it } from "vitest";
import type { Message } from "@roomkit/protocol";
import { binaryCount, fitPacket, packetBudget } from "../src/channels/packet-budget.js";

const bytes = () => new Uint8Array(4);
const message = (seq: number, body: unknown): Message => ({
  id: `m${seq}`,
  channel: "dm:a|b",
  seq,
  from: "a",
  body,
  sentAt: 0,
  version: seq,
});
/** Messages 1..n, each with `images(seq)` attachments. */
const page = (n: number, images: (seq: number) => number) =>
  Array.from({ length: n }, (_, i) =>
    message(i + 1, { images: Array.from({ length: images(i + 1) }, () => ({ type: "image/png", data: bytes() })) }),
  );
const seqs = (messages: Message[]) => messages.map((m) => m.seq);

describe("packet budget", () => {
  it("counts binary values at any depth, own keys only, and stops once over the cap", () => {
    const inherited = Object.create({ hidden: bytes() }) as object;
    expect(binaryCount({ a: [bytes(), { b: new ArrayBuffer(2) }], c: "x", d: null, e: inherited }, 10)).toBe(2);
    expect(binaryCount(Array.from({ length: 100 }, bytes), 3)).toBe(4);
  });

  it("keeps the oldest run for a page forward and the newest for a page back, at most 10 attachments", () => {
    const messages = page(30, (seq) => (seq % 3 === 0 ? 0 : 1));
    const forward = fitPacket(messages, "oldest");
    expect([seqs(forward.messages), forward.cut]).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], true]);
    const back = fitPacket(messages, "newest");
    expect([seqs(back.messages), back.cut]).toEqual([[15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30], true]);
    expect(
      fitPacket(
        page(30, () => 0),
        "oldest",
      ),
    ).toMatchObject({ cut: false });
  });

  it("always keeps the first message, even one that fills the packet alone", () => {
    expect(
      seqs(
        fitPacket(
          page(3, () => 10),
          "oldest",
        ).messages,
      ),
    ).toEqual([1]);
    expect(
      seqs(
        fitPacket(
          page(3, () => 10),
          "newest",
        ).messages,
      ),
    ).toEqual([3]);
    expect(
      seqs(
        fitPacket(
          page(3, (seq) => (seq === 1 ? 11 : 0)),
          "oldest",
        ).messages,
      ),
    ).toEqual([1]);
  });

  it("walks no message beyond the first that does not fit", () => {
    const messages = page(12, () => 1);
    for (const m of messages.slice(11))
      Object.defineProperty(m, "body", {
        get: () => {
          throw new Error(`walked seq ${m.seq}`);
        },
      });
    expect(seqs(fitPacket(messages, "oldest").messages)).toHaveLength(10);
  });

  it("also ends a page at a quarter of outboundHardBytes, so a replay never closes its own reader as a slow consumer", () => {
    const budget = packetBudget({ outboundHardBytes: 4 * 1024 * 1024 });
    expect(budget).toEqual({ attachments: 10, bytes: 1024 * 1024 });
    // 30 text messages of 100 KB: about 10 fit in 1 MiB.
    const big = Array.from({ length: 30 }, (_, i) => ({ seq: i + 1, body: { text: "x".repeat(100_000) } }));
    const forward = fitPacket(big, "oldest", budget);
    expect(forward.cut).toBe(true);
    expect(forward.messages.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    const back = fitPacket(big, "newest", budget);
    expect(back.messages.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 21));
    // One message bigger than the budget still goes out alone, so paging moves on.
    expect(
      fitPacket(
        [
          { seq: 1, body: "y".repeat(2_000_000) },
          { seq: 2, body: "z" },
        ],
        "oldest",
        budget,
      ).messages,
    ).toHaveLength(1);
    expect(packetBudget({ outboundHardBytes: 8 * 1024 * 1024 }).bytes).toBe(1024 * 1024);
    expect(packetBudget({ outboundHardBytes: 1024 * 1024 }).bytes).toBe(256 * 1024);
  });
});
