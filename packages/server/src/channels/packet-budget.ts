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

/** A page trimmed to one packet's attachments; `cut` says messages were left off. */
export interface FittedPage<T = Message> {
  messages: T[];
  cut: boolean;
}

/**
 * The longest contiguous run of `messages` (ascending seq; change entries too, by their edit
 * bodies) whose attachments fit in one packet
 * (at most `budget` binary values), keeping the `"oldest"` end (a page forward, a replay) or the
 * `"newest"` (a page back in time). A page keeps its first message whatever it holds, so paging
 * always moves on (a message has at most `limits.attachments` ≤ 10). Walks only the messages it
 * keeps, plus the one that did not fit.
 *
 * @example
 * const { messages, cut } = fitPacket(page.messages, "newest");
 * return { messages, hasMore: page.hasMore || cut };
 */
export function fitPacket<T extends { body?: unknown }>(
  messages: T[],
  keep: "oldest" | "newest",
  budget = PACKET_ATTACHMENTS,
): FittedPage<T> {
  const n = messages.length;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const at = keep === "oldest" ? i : n - 1 - i;
    used += binaryCount(messages[at]!.body, budget - used);
    if (used > budget && i > 0) {
      const kept = keep === "oldest" ? messages.slice(0, i) : messages.slice(n - i);
      return { messages: kept, cut: true };
    }
  }
  return { messages, cut: false };
}
