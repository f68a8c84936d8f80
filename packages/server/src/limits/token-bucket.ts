import type { RateLimit } from "../options.js";

/**
 * Token buckets by kind, one number each: the time the bucket is full again (0 while it has
 * never been used). A bucket refills at `limit.rate` tokens per second up to `limit.burst`;
 * the limit is passed to each take rather than kept. Every connection and every user holds a
 * few, so a subclass declares its kinds as number fields, set to 0, and nothing else.
 *
 * @example
 * class Buckets extends TokenBuckets<"publish" | "request"> {
 *   publish = 0;
 *   request = 0;
 * }
 * const wait = new Buckets().take("publish", { rate: 20, burst: 40 }); // 0: taken
 */
export abstract class TokenBuckets<K extends string> {
  /** Takes a token of `kind`'s bucket; returns 0 on success, or how many ms until one is available. */
  take(kind: K, limit: RateLimit, now = Date.now()): number {
    const fullAt = this as unknown as Record<K, number>;
    const msPerToken = 1000 / limit.rate;
    // Tokens missing from a full bucket now, and so the tokens left.
    const missing = fullAt[kind] > now ? (fullAt[kind] - now) / msPerToken : 0;
    const tokens = limit.burst - missing;
    if (tokens >= 1) {
      fullAt[kind] = now + (missing + 1) * msPerToken;
      return 0;
    }
    return Math.ceil((1 - tokens) * msPerToken);
  }
}

/** A connection's buckets, one per kind of request: `limits.publish`, `limits.signal`, `limits.request`. */
export class ConnectionBuckets extends TokenBuckets<"publish" | "signal" | "request"> {
  publish = 0;
  signal = 0;
  request = 0;
}
