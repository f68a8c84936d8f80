/**
 * Keys in join order, for paging without walking the whole list: each key gets the next join
 * number, and a page starts by binary search after a cursor (a join number). Adding is O(1),
 * removing O(log n) plus a move of the array's tail, a page O(log n + page).
 */
export class JoinOrder {
  /** Join numbers, ascending; `keys[i]` joined as `numbers[i]`. */
  readonly #numbers: number[] = [];
  readonly #keys: string[] = [];
  readonly #numberOf = new Map<string, number>();
  #next = 1;

  get size(): number {
    return this.#keys.length;
  }

  /** Every key, in join order (a copy). */
  keys(): string[] {
    return [...this.#keys];
  }

  /** Adds a key at the end; a key already in keeps its place. */
  add(key: string): void {
    if (this.#numberOf.has(key)) return;
    const n = this.#next++;
    this.#numberOf.set(key, n);
    this.#numbers.push(n);
    this.#keys.push(key);
  }

  delete(key: string): void {
    const n = this.#numberOf.get(key);
    if (n === undefined) return;
    this.#numberOf.delete(key);
    const i = this.#firstAfter(n - 1);
    this.#numbers.splice(i, 1);
    this.#keys.splice(i, 1);
  }

  /**
   * Up to `limit` keys after the cursor `after` (a join number as text; none: from the start),
   * and the cursor of the next page when more follow. A cursor this index did not make gives none.
   */
  page(after: string | undefined, limit: number): { keys: string[]; next?: string } {
    let from = 0;
    if (after !== undefined) {
      if (!/^\d{1,15}$/.test(after)) return { keys: [] };
      from = this.#firstAfter(Number(after));
    }
    const end = Math.min(from + limit, this.#keys.length);
    const keys = this.#keys.slice(from, end);
    return end < this.#keys.length && end > from ? { keys, next: String(this.#numbers[end - 1]) } : { keys };
  }

  /** The index of the first join number above `n`. */
  #firstAfter(n: number): number {
    let lo = 0;
    let hi = this.#numbers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#numbers[mid]! <= n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
