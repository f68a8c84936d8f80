import type { AnyClient, AnyHandle, RoomkitRuntime } from "./runtime.js";
import { SharedStore } from "./store.js";

/** Undoes what an attach did (listeners removed, timers cleared). */
export type Detach = () => void;

/**
 * A shared store that holds the provider's client while it has readers, and with a channel id,
 * that channel's subscription too (one per channel for every store that reads it).
 */
export abstract class AttachedStore<T> extends SharedStore<T> {
  #detach: Detach | undefined;

  constructor(
    runtime: RoomkitRuntime,
    key: string,
    initial: T,
    protected readonly channelId?: string,
  ) {
    super(runtime, key, initial);
  }

  /** Starts listening; the returned function stops. */
  protected abstract attach(client: AnyClient, handle: AnyHandle | undefined): Detach;

  protected start(): void {
    const client = this.runtime.acquire();
    const handle = this.channelId === undefined ? undefined : this.runtime.openChannel(client, this.channelId);
    this.#detach = this.attach(client, handle);
  }

  protected stop(): void {
    this.#detach?.();
    this.#detach = undefined;
    if (this.channelId !== undefined) this.runtime.closeChannel(this.channelId);
    this.runtime.release();
  }
}

/**
 * Runs `fetch` now and again after each `refresh()`, one request at a time: refreshes asked for
 * while one is in flight make a single one after it. Results and failures go to the callbacks
 * until `stop()`.
 */
export function refresher<R>(fetch: () => Promise<R>, done: (result: R) => void, failed: (error: unknown) => void) {
  let inFlight = false;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    fetch().then(
      (result) => {
        inFlight = false;
        if (stopped) return;
        if (again) {
          again = false;
          run();
        } else done(result);
      },
      (error: unknown) => {
        inFlight = false;
        if (stopped) return;
        if (again) {
          again = false;
          run();
        } else failed(error);
      },
    );
  };
  return {
    refresh: run,
    stop: () => {
      stopped = true;
    },
  };
}
