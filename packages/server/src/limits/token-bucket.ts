import type { RateLimit } from "../options.js";

/** A token bucket: refills at `rate` tokens per second up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private updated: number;

  constructor(private readonly limit: RateLimit, private readonly now: () => number = Date.now) {
    this.tokens = limit.burst;
    this.updated = now();
  }

  /** Takes a token; returns 0 on success, or how many ms until one is available. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.updated) / 1000) * this.limit.rate);
    this.updated = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.limit.rate) * 1000);
  }
}
