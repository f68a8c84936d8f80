import { RoomkitError } from "@roomkit/protocol";
import type { Stores } from "../stores/types.js";

/** Which of the four stores a call went to: the `store` label. */
export type StoreName = keyof Stores;

export const STORE_NAMES: readonly StoreName[] = ["messages", "presence", "rooms", "readState"];

/** What is told of each store call that returned a promise, once it settled. */
export interface StoreCall {
  store: StoreName;
  /** The method's name: bounded by the store's code, never by what a client sends. */
  operation: string;
  args: readonly unknown[];
  seconds: number;
  /** The resolved value, when `ok`. */
  result?: unknown;
  /** The error's code when it failed (`INTERNAL` for one that is not a `RoomkitError`); undefined when `ok`. */
  code?: string;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";

/**
 * One store seen through a proxy that times every method call returning a promise, whatever the
 * store is (memory, Redis, PostgreSQL, the app's own): the methods run on the store itself (its
 * private fields work), and what they return is passed on untouched.
 */
function measureStore<T extends object>(store: T, name: StoreName, observe: (call: StoreCall) => void): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      let measured = wrapped.get(key);
      if (!measured) {
        const operation = String(key);
        const method = value as (...args: unknown[]) => unknown;
        measured = (...args: unknown[]) => {
          const started = performance.now();
          const out = method.apply(target, args);
          if (!isThenable(out)) return out;
          const seconds = () => (performance.now() - started) / 1000;
          return Promise.resolve(out).then(
            (result) => {
              observe({ store: name, operation, args, seconds: seconds(), result });
              return result;
            },
            (err: unknown) => {
              const code = err instanceof RoomkitError ? err.code : "INTERNAL";
              observe({ store: name, operation, args, seconds: seconds(), code });
              throw err;
            },
          );
        };
        wrapped.set(key, measured);
      }
      return measured;
    },
  });
}

/** The four stores, each measured by {@link measureStore}. */
export function measureStores(stores: Stores, observe: (call: StoreCall) => void): Stores {
  return {
    messages: measureStore(stores.messages, "messages", observe),
    presence: measureStore(stores.presence, "presence", observe),
    rooms: measureStore(stores.rooms, "rooms", observe),
    readState: measureStore(stores.readState, "readState", observe),
  };
}
