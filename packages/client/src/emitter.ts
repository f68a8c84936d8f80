/** The argument list of an event: its tuple in an event map. */
export type EventArgs<T> = T extends unknown[] ? T : never;

/** A listener of one event. */
export type Listener<Args> = (...args: EventArgs<Args>) => void;

/** Adds a listener of one event; the returned function removes it. */
export type On<Events> = <E extends keyof Events>(event: E, listener: Listener<Events[E]>) => () => void;

/** Removes a listener. */
export type Off<Events> = <E extends keyof Events>(event: E, listener: Listener<Events[E]>) => void;

/**
 * Something that can be listened to: the public half of the SDK's internal `Emitter`. Events map names
 * to argument tuples. (`on` and `off` are typed through named aliases so that
 * {@link EventsOf} can read the map back.)
 */
export interface Listenable<Events> {
  /**
   * Calls `listener` on every `event` until the returned function is called.
   *
   * @example
   * const stop = dm.on("message", (m) => render(m));
   * stop(); // no more calls
   */
  readonly on: On<Events>;
  /**
   * Removes a listener added with `on`.
   *
   * @example
   * dm.off("message", render);
   */
  readonly off: Off<Events>;
}

/**
 * The event map of anything listenable, for generic helpers.
 *
 * @example
 * function once<S extends Listenable<any>, E extends keyof EventsOf<S>>(source: S, event: E) { ... }
 */
export type EventsOf<S> = S extends Listenable<infer Events> ? Events : never;

/**
 * A small typed event emitter. A listener that throws does not stop the others or the SDK:
 * its error is rethrown on its own (as an uncaught error), like `EventTarget` does.
 */
export class Emitter<Events> implements Listenable<Events> {
  readonly #listeners = new Map<keyof Events, Set<unknown>>();

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<E extends keyof Events>(event: E, listener: Listener<Events[E]>): void {
    this.#listeners.get(event)?.delete(listener);
  }

  emit<E extends keyof Events>(event: E, ...args: EventArgs<Events[E]>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[E]>)(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
