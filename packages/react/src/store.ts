import type { RoomkitRuntime } from "./runtime.js";

/**
 * A value shared by every component that reads it through one provider, in the shape
 * `useSyncExternalStore` wants: `subscribe`, `getSnapshot` (the same object until it changes)
 * and `getServerSnapshot` (the value before any connection, also the first one on the client,
 * so hydration matches). Work starts with the first subscriber and stops a tick after the
 * last one leaves, so StrictMode's unmount-and-mount of effects subscribes once.
 */
export abstract class SharedStore<T> {
  readonly #initial: T;
  #snapshot: T;
  readonly #listeners = new Set<() => void>();
  #running = false;
  #stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    protected readonly runtime: RoomkitRuntime,
    readonly key: string,
    initial: T,
  ) {
    this.#initial = initial;
    this.#snapshot = initial;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    clearTimeout(this.#stopTimer);
    if (!this.#running) {
      this.#running = true;
      this.start();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stopTimer = setTimeout(() => this.#stop(), 0);
    };
  };

  readonly getSnapshot = (): T => this.#snapshot;

  readonly getServerSnapshot = (): T => this.#initial;

  /** Whether it has subscribers (its work is running). */
  protected get running(): boolean {
    return this.#running;
  }

  /** The value now, for subclasses building the next one. */
  protected get snapshot(): T {
    return this.#snapshot;
  }

  /** Publishes a new value (a new object: readers compare by reference). */
  protected set(next: T): void {
    if (!this.#running || next === this.#snapshot) return;
    this.#snapshot = next;
    for (const listener of [...this.#listeners]) listener();
  }

  /** Begins the work: open the client and channels, listen, fetch. */
  protected abstract start(): void;

  /** Ends what `start` began. */
  protected abstract stop(): void;

  #stop(): void {
    if (this.#listeners.size > 0 || !this.#running) return;
    this.#running = false;
    this.stop();
    this.#snapshot = this.#initial;
    this.runtime.forget(this);
  }
}
