import type { RateLimit } from "../options.js";

/**
 * A token bucket: refills at `limit.rate` tokens per second up to `limit.burst`. The limit is
 * passed to each call rather than kept, so a bucket is two numbers: every connection and every
 * user holds several.
 */
export class TokenBucket {
  private tokens: number;
  private updated: number;

  constructor(limit: RateLimit, now = Date.now()) {
    this.tokens = limit.burst;
    this.updated = now;
  }

  /** Takes a token; returns 0 on success, or how many ms until one is available. */
  take(limit: RateLimit, now = Date.now()): number {
    this.tokens = Math.min(limit.burst, this.tokens + ((now - this.updated) / 1000) * limit.rate);
    this.updated = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / limit.rate) * 1000);
  }
}
