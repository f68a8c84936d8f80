import type { RateLimit } from "../options.js";

/**
 * A token bucket: refills at `limit.rate` tokens per second up to `limit.burst`. The limit is
 * passed to each call rather than kept, and the bucket keeps one number, the time at which it
 * is full again (0 while it has never been used): every connection and every user holds several.
 */
export class TokenBucket {
  /** A new bucket is full. */
  private fullAt = 0;

  /** Takes a token; returns 0 on success, or how many ms until one is available. */
  take(limit: RateLimit, now = Date.now()): number {
    const msPerToken = 1000 / limit.rate;
    // Tokens missing from a full bucket now, and so the tokens left.
    const missing = this.fullAt > now ? (this.fullAt - now) / msPerToken : 0;
    const tokens = limit.burst - missing;
    if (tokens >= 1) {
      this.fullAt = now + (missing + 1) * msPerToken;
      return 0;
    }
    return Math.ceil((1 - tokens) * msPerToken);
  }
}
