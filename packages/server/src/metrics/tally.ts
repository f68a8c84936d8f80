import { Counter } from "prom-client";
import type { Registry } from "prom-client";

/**
 * Counts by label values in a plain map, which a prom-client counter reads at scrape time: a
 * count on a hot path is one map update, with no label hashing or validation.
 */
export class Tally {
  readonly #counts = new Map<string, number>();

  /** Adds `n` to the series of these label values (each from a closed set: see labels.ts). */
  add(n: number, ...values: string[]): void {
    const key = values.join("\t");
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + n);
  }

  entries(): IterableIterator<[string, number]> {
    return this.#counts.entries();
  }
}

/** A counter named `name` on `registry` whose values are those of `tally`, read at each scrape. */
export function tallyCounter(registry: Registry, name: string, help: string, labelNames: readonly string[], tally: Tally): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, value] of tally.entries()) {
        const values = key.split("\t");
        this.inc(Object.fromEntries(labelNames.map((label, i) => [label, values[i] ?? ""])), value);
      }
    },
  });
}
