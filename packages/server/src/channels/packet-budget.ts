import { isBinary } from "@roomkit/protocol";
import type { Message } from "@roomkit/protocol";

/**
 * The most binary values one packet may carry: a stock socket.io-parser `Decoder` accepts 10
 * (`maxAttachments`) and disconnects the client ("parse error") on a packet with more.
 */
export const PACKET_ATTACHMENTS = 10;

/**
 * The binary values in `value` (the ones socket.io-parser would send as attachments), counted
 * with an explicit stack and given up on once there are more than `cap`.
 *
 * @example
 * binaryCount({ a: { type: "image/png", data: bytes }, b: [bytes] }, 10); // 2
 */
export function binaryCount(value: unknown, cap: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= cap) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (isBinary(v)) count++;
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    // Own enumerable keys, as the parser walks them: an inherited key is never sent.
    else for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  return count;
}

/**
 * About how many bytes `value` takes on the wire (strings by length, binary by size, 8 for any
 * other value or key overhead), walked like {@link binaryCount} and given up on past `cap`.
 */
export function wireBytes(value: unknown, cap: number): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && bytes <= cap) {
    const v = stack.pop();
    if (typeof v === "string") bytes += v.length + 2;
    else if (v === null || typeof v !== "object") bytes += 8;
    else if (isBinary(v)) bytes += v.byteLength;
    else if (Array.isArray(v)) for (const item of v) (bytes += 1), stack.push(item);
    else for (const key of Object.keys(v)) (bytes += key.length + 4), stack.push((v as Record<string, unknown>)[key]);
  }
  return bytes;
}

/** A page trimmed to one packet's attachments and bytes; `cut` says messages were left off. */
export interface FittedPage<T = Message> {
  messages: T[];
  cut: boolean;
}

/** What one packet of history may hold: at most `attachments` binary values and about `bytes` bytes. */
export interface PacketBudget {
  attachments: number;
  bytes: number;
}

/**
 * The longest contiguous run of `messages` (ascending seq; change entries too, by their edit
 * bodies) that fits in one packet's {@link PacketBudget}: the attachments a stock parser takes,
 * and bytes well under what a connection may have waiting (a replay bigger than
 * `limits.outboundHardBytes` would close its own reader as a slow consumer, again and again).
 * It keeps the `"oldest"` end (a page forward, a replay) or the `"newest"` (a page back in
 * time). A page keeps its first message whatever it holds, so paging always moves on. Walks only
 * the messages it keeps, plus the one that did not fit.
 *
 * @example
 * const { messages, cut } = fitPacket(page.messages, "newest", packetBudget(ctx.limits));
 * return { messages, hasMore: page.hasMore || cut };
 */
export function fitPacket<T extends { body?: unknown }>(
  messages: T[],
  keep: "oldest" | "newest",
  budget: PacketBudget = { attachments: PACKET_ATTACHMENTS, bytes: Number.POSITIVE_INFINITY },
): FittedPage<T> {
  const n = messages.length;
  let binaries = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const body = messages[keep === "oldest" ? i : n - 1 - i]!.body;
    binaries += binaryCount(body, budget.attachments - binaries);
    bytes += wireBytes(body, budget.bytes - bytes) + 64;
    if ((binaries > budget.attachments || bytes > budget.bytes) && i > 0) {
      const kept = keep === "oldest" ? messages.slice(0, i) : messages.slice(n - i);
      return { messages: kept, cut: true };
    }
  }
  return { messages, cut: false };
}

/** The packet budget of history pages and replays: 10 attachments, and a quarter of the hard outbound limit (at most 1 MiB). */
export function packetBudget(limits: { outboundHardBytes: number }): PacketBudget {
  return { attachments: PACKET_ATTACHMENTS, bytes: Math.min(1024 * 1024, Math.floor(limits.outboundHardBytes / 4)) };
}
