/**
 * A set that holds a single item without a hash table, and becomes a `Set` from the second on.
 * Most users have one connection and most connections are counted in few channels, so the sets
 * kept per connection and per user are nearly always of one: a `Set` of one costs about 150
 * bytes of heap, this about 20. Iterates in insertion order, like a `Set`. `undefined` is not an
 * item.
 *
 * @example
 * const conns = new SmallSet<string>();
 * conns.add("a"); // no hash table yet
 * conns.add("b"); // now a Set of two
 * conns.delete("a"); // back to one item, no table
 * [...conns]; // ["b"]
 */
export class SmallSet<T> implements Iterable<T> {
  #one: T | undefined;
  #many: Set<T> | undefined;

  constructor(item?: T) {
    this.#one = item;
    this.#many = undefined;
  }

  get size(): number {
    return this.#many ? this.#many.size : this.#one === undefined ? 0 : 1;
  }

  has(item: T): boolean {
    return this.#many ? this.#many.has(item) : item !== undefined && this.#one === item;
  }

  add(item: T): this {
    if (this.#many) this.#many.add(item);
    else if (this.#one === undefined || this.#one === item) this.#one = item;
    else {
      this.#many = new Set([this.#one, item]);
      this.#one = undefined;
    }
    return this;
  }

  /** Removes an item; a set left with one item drops its table. */
  delete(item: T): boolean {
    const many = this.#many;
    if (!many) {
      if (item === undefined || this.#one !== item) return false;
      this.#one = undefined;
      return true;
    }
    if (!many.delete(item)) return false;
    if (many.size === 1) {
      this.#one = many.values().next().value;
      this.#many = undefined;
    }
    return true;
  }

  clear(): void {
    this.#one = undefined;
    this.#many = undefined;
  }

  [Symbol.iterator](): Iterator<T> {
    if (this.#many) return this.#many.values();
    return (this.#one === undefined ? [] : [this.#one]).values();
  }
}
