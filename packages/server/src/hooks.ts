import { logger } from "./log.js";

const log = logger("hooks");

/** Runs an app hook; what it throws is logged, never passed on to a client or the process. */
export function callHook<E>(name: string, hook: ((event: E) => unknown) | undefined, event: E): void {
  if (!hook) return;
  try {
    const result = hook(event);
    if (result instanceof Promise) result.catch((err: unknown) => log("hook %s rejected: %O", name, err));
  } catch (err) {
    log("hook %s threw: %O", name, err);
  }
}
