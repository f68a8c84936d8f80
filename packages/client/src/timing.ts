/** How long to wait before retry number `attempt` (0-based): exponential from `minMs` to `maxMs`, with jitter. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.5 + Math.random() / 2));
}

/** A timer that does not keep a Node process alive on its own (browsers ignore the difference). */
export function timer(ms: number, run: () => void): ReturnType<typeof setTimeout> {
  const handle = setTimeout(run, ms);
  (handle as { unref?: () => void }).unref?.();
  return handle;
}

/** Resolves after `ms`, without keeping a Node process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((done) => timer(ms, done));
}

/** A promise with its resolve and reject at hand. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
  settled: boolean;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // Waiting is optional: a deferred nobody awaits must not report an unhandled rejection.
  promise.catch(() => undefined);
  const d: Deferred<T> = {
    promise,
    settled: false,
    resolve: (value) => {
      d.settled = true;
      resolve(value);
    },
    reject: (reason) => {
      d.settled = true;
      reject(reason);
    },
  };
  return d;
}

/**
 * Returns `promise` marked as handled: a caller may await it and see its rejection, and a caller
 * who fires and forgets (`dm.signal("typing")`) gets no unhandled-rejection report.
 */
export function optional<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
