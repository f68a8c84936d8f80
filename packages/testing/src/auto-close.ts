/** Everything started and not closed yet, for {@link autoClose}. */
const open = new Set<() => Promise<void>>();

/** Tracks a started app until it closes; the returned function stops tracking it. */
export function opened(close: () => Promise<void>): () => void {
  open.add(close);
  return () => open.delete(close);
}

/**
 * Registers with the test runner's hook (vitest's or node:test's `afterEach`, or `after` /
 * `afterAll` for apps started once per file) a function that closes every app started and not
 * closed yet, with its clients, nodes and Redis keys, even when the test failed.
 *
 * @example
 * import { afterEach } from "vitest";        // or: import { afterEach } from "node:test";
 * import { autoClose, startApp } from "@roomkit/testing";
 * autoClose(afterEach);
 */
export function autoClose(hook: (fn: () => Promise<void>) => unknown): void {
  hook(async () => {
    await Promise.all([...open].map((close) => close()));
  });
}
