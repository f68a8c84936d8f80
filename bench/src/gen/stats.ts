/** Latency samples in µs, kept in a growable typed array. */
export class Samples {
  #values: Float64Array;
  #size = 0;

  constructor(capacity = 1024) {
    this.#values = new Float64Array(Math.max(16, capacity));
  }

  get size(): number {
    return this.#size;
  }

  push(value: number): void {
    if (this.#size === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#size++] = value;
  }

  /** p50, p99, p99.9 and max in milliseconds (nearest-rank). */
  percentilesMs(): { p50: number; p99: number; p999: number; max: number } {
    const sorted = this.#values.slice(0, this.#size).sort();
    const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! / 1000);
    return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) };
  }
}

export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** Rounds to `digits` significant digits, for readable JSON. */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
