/** A value that changes over time: read `current`, or `subscribe` to every change. */
export interface Observable<T> {
  /** The value now. */
  readonly current: T;
  /**
   * Calls `listener` with each new value (not the current one) until the returned function is called.
   * Fits React's `useSyncExternalStore(rk.connection.subscribe, () => rk.connection.current)`.
   *
   * @example
   * const stop = rk.connection.subscribe((state) => showBanner(state.status));
   */
  subscribe(listener: (value: T) => void): () => void;
}

/** The writable side of an {@link Observable}. */
export class ObservableValue<T> implements Observable<T> {
  #value: T;
  readonly #listeners = new Set<(value: T) => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  get current(): T {
    return this.#value;
  }

  // An arrow property, so `subscribe` can be passed around unbound (as React does).
  readonly subscribe = (listener: (value: T) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(value: T): void {
    this.#value = value;
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
