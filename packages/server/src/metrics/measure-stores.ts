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

/** The optional synchronous twins of store methods (`MessageStore.appendSync`...): a call is told under its twin's name. */
const SYNC_TWINS: ReadonlyMap<string, string> = new Map([
  ["appendSync", "append"],
  ["markSync", "mark"],
]);

/** Tells one call of a synchronous twin, which returns its result or throws. */
function observeSync(
  method: (...args: unknown[]) => unknown,
  target: object,
  args: unknown[],
  call: { store: StoreName; operation: string },
  observe: (call: StoreCall) => void,
): unknown {
  const started = performance.now();
  let result: unknown;
  try {
    result = method.apply(target, args);
  } catch (err) {
    const code = err instanceof RoomkitError ? err.code : "INTERNAL";
    observe({ ...call, args, seconds: (performance.now() - started) / 1000, code });
    throw err;
  }
  observe({ ...call, args, seconds: (performance.now() - started) / 1000, result });
  return result;
}

/**
 * One store seen through a proxy that times every method call returning a promise, whatever the
 * store is (memory, Redis, PostgreSQL, the app's own): the methods run on the store itself (its
 * private fields work), and what they return is passed on untouched. A synchronous twin
 * (`appendSync`, `markSync`) is timed too, and told as the method it stands for.
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
        const twin = SYNC_TWINS.get(operation);
        const call = twin === undefined ? undefined : { store: name, operation: twin };
        measured = (...args: unknown[]) => {
          if (call) return observeSync(method, target, args, call, observe);
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
