import type { RoomkitError } from "@roomkit/protocol";
import { AttachedStore, refresher } from "./attached.js";
import type { Detach } from "./attached.js";
import type { AnyClient, AnyHandle, RoomkitRuntime } from "./runtime.js";

/**
 * Something fetched from the server and kept current: `data` is `undefined` until the first
 * answer, and stays the last good one while a refresh is in flight or after one failed.
 */
export interface Fetched<T> {
  readonly data: T | undefined;
  /** `loading` until the first answer (and during server rendering), then `ready` or `failed`. */
  readonly status: "loading" | "ready" | "failed";
  /** The last refusal (a {@link RoomkitError} such as `FORBIDDEN`), cleared by the next success. */
  readonly error: RoomkitError | undefined;
  /** Fetches again now (one request at a time; the hook already refreshes on the events that move it). */
  refresh(): void;
}

/**
 * A {@link Fetched} value as a shared store: fetched when first read and again after every
 * (re)connection and every event `watch` reports, one request at a time.
 */
export abstract class FetchedStore<T> extends AttachedStore<Fetched<T>> {
  // The snapshots' `refresh` is one function for the store's life; it reaches the running fetcher through this box.
  readonly #fetcher: { refresh: () => void };

  constructor(runtime: RoomkitRuntime, key: string, channelId?: string) {
    const fetcher: { refresh: () => void } = { refresh: () => undefined };
    super(runtime, key, { data: undefined, status: "loading", error: undefined, refresh: () => fetcher.refresh() }, channelId);
    this.#fetcher = fetcher;
  }

  /** One fetch. */
  protected abstract fetch(client: AnyClient, handle: AnyHandle | undefined): Promise<T>;

  /** Calls `changed` whenever the value may have moved; returns the function that stops. */
  protected abstract watch(client: AnyClient, handle: AnyHandle | undefined, changed: () => void): Detach;

  protected attach(client: AnyClient, handle: AnyHandle | undefined): Detach {
    const fetching = refresher(
      () => this.fetch(client, handle),
      (data) => this.set({ ...this.snapshot, data, status: "ready", error: undefined }),
      (error) => this.set({ ...this.snapshot, status: "failed", error: error as RoomkitError }),
    );
    this.#fetcher.refresh = fetching.refresh;
    const offConnection = client.connection.subscribe((state) => state.status === "connected" && fetching.refresh());
    const offWatch = this.watch(client, handle, fetching.refresh);
    fetching.refresh();
    return () => {
      fetching.stop();
      offConnection();
      offWatch();
      this.#fetcher.refresh = () => undefined;
    };
  }
}
