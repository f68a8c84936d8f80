import { describe, expect, it } from "vitest";
import { ConnectionBuckets } from "../src/limits/token-bucket.js";
import { SmallSet } from "../src/small-set.js";

/** A deterministic sequence of small integers (a linear congruential generator). */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
}

describe("SmallSet", () => {
  it("answers like a Set over 2,000 random adds, deletes and clears, in insertion order", () => {
    const next = numbers(7);
    const small = new SmallSet<string>();
    const set = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const item = `k${next() % 5}`;
      const op = next() % 20;
      if (op < 9) {
        expect(small.add(item)).toBe(small);
        set.add(item);
      } else if (op < 18) expect(small.delete(item)).toBe(set.delete(item));
      else if (op === 18) {
        small.clear();
        set.clear();
      }
      expect(small.size).toBe(set.size);
      expect(small.has(item)).toBe(set.has(item));
      expect([...small]).toEqual([...set]);
    }
  });

  it("starts with its item, and never holds undefined", () => {
    const one = new SmallSet("a");
    expect([...one]).toEqual(["a"]);
    expect(one.has(undefined as never)).toBe(false);
    expect(one.delete(undefined as never)).toBe(false);
    expect(new SmallSet<string>().size).toBe(0);
  });

  it("can lose items while it is being iterated, as a Set can", () => {
    const sessions = new SmallSet("a").add("b").add("c");
    const seen: string[] = [];
    for (const s of sessions) {
      seen.push(s);
      sessions.delete(s);
    }
    expect(seen).toEqual(["a", "b", "c"]);
    expect(sessions.size).toBe(0);
  });
});

/** The bucket as it was written before it kept one number: tokens and the time they were counted. */
class TwoNumberBucket {
  tokens: number;
  updated: number;
  constructor(burst: number, now: number) {
    this.tokens = burst;
    this.updated = now;
  }
  take(limit: { rate: number; burst: number }, now: number): number {
    this.tokens = Math.min(limit.burst, this.tokens + ((now - this.updated) / 1000) * limit.rate);
    this.updated = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / limit.rate) * 1000);
  }
}

describe("TokenBuckets", () => {
  it("gives a burst, then refuses with the ms until the next token, then refills at its rate", () => {
    const limit = { rate: 2, burst: 3 };
    const buckets = new ConnectionBuckets();
    expect([0, 1, 2].map(() => buckets.take("publish", limit, 1000))).toEqual([0, 0, 0]);
    expect(buckets.take("publish", limit, 1000)).toBe(500);
    expect(buckets.take("publish", limit, 1250)).toBe(250);
    // Each kind is a bucket of its own.
    expect(buckets.take("signal", limit, 1250)).toBe(0);
    expect(buckets.take("publish", limit, 1500)).toBe(0);
    // Idle long enough, it is full again, and no fuller.
    expect([0, 1, 2].map(() => buckets.take("publish", limit, 60_000))).toEqual([0, 0, 0]);
    expect(buckets.take("publish", limit, 60_000)).toBe(500);
  });

  it("decides every take as the two-number bucket did, over 2,000 random takes per limit and pauses", () => {
    for (const limit of [
      { rate: 1, burst: 1 },
      { rate: 3, burst: 7 },
      { rate: 50, burst: 100 },
      { rate: 0.2, burst: 2 },
    ]) {
      const next = numbers(limit.burst);
      let now = 1_700_000_000_000;
      const buckets = new ConnectionBuckets();
      const reference = new TwoNumberBucket(limit.burst, now);
      for (let i = 0; i < 2000; i++) {
        now += next() % 4 === 0 ? next() % Math.ceil(3000 / limit.rate) : 0;
        const got = buckets.take("request", limit, now);
        const want = reference.take(limit, now);
        // The same decision; a wait may differ by a rounding of the last ms.
        expect(got === 0).toBe(want === 0);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1);
      }
    }
  });
});
