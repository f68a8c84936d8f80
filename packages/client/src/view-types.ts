import type { Message, RoomkitError } from "@roomkit/protocol";
import type { Observable } from "./observable.js";
import type { PendingSend } from "./pending.js";

/** Options of `channel.view(options)`. */
export interface ViewOptions {
  /** A view of one thread: the replies of the root with this seq (the root is not in it). */
  thread?: number;
  /** Messages per page loaded (the first one and each `loadOlder`). Default: the server's (50). */
  pageSize?: number;
}

/**
 * What a view shows at one moment: an immutable snapshot. A new snapshot is made for every
 * change; within it, a message that changed is a new object and the others keep their identity,
 * so rows keyed by `seq` (or `id`) whose message did not change need not render again.
 */
export interface ViewSnapshot<Body = unknown> {
  /** The stored messages held, ascending by seq, with every change folded in (tombstones included). */
  readonly messages: readonly Message<Body>[];
  /** Sends not stored yet, in the order they were made: show them after `messages`. */
  readonly pending: readonly PendingSend<Body>[];
  /** Older messages can be loaded (`loadOlder`). */
  readonly hasOlder: boolean;
  /** A page is being loaded (the first one, an older one, or a reload after a reset). */
  readonly loading: boolean;
  /** Why the last load failed, until the next one succeeds (e.g. `FORBIDDEN`). */
  readonly error?: RoomkitError;
}

/**
 * A live, ordered view of a channel's messages (or of one thread's) with every edit, delete,
 * reaction and reply folded in: the thing a UI renders. It loads the latest page at once, keeps
 * itself right across reconnects and recovery (a `recovered: false` reloads the latest page),
 * and shows the channel's sends not stored yet. An {@link Observable} of {@link ViewSnapshot}s,
 * ready for React's `useSyncExternalStore`.
 *
 * @example
 * const view = room.view({ pageSize: 30 });
 * const stop = view.subscribe(({ messages, pending }) => render(messages, pending));
 * olderButton.onclick = () => view.loadOlder();
 * // React: useSyncExternalStore(view.subscribe, () => view.current)
 * // when done: stop(); view.close();
 */
export interface MessageView<Body = unknown> extends Observable<ViewSnapshot<Body>> {
  /** The thread root's seq, for a thread's view. */
  readonly thread: number | undefined;
  /** Shorthand for `current.hasOlder`. */
  readonly hasOlder: boolean;
  /** Shorthand for `current.loading`. */
  readonly loading: boolean;
  /**
   * Loads the page before the oldest message held (nothing when `hasOlder` is false or a page
   * is loading). Live messages keep flowing meanwhile. Rejects with a {@link RoomkitError}.
   *
   * @example
   * list.addEventListener("scroll", () => list.scrollTop === 0 && view.loadOlder());
   */
  loadOlder(): Promise<void>;
  /**
   * Stops following the channel; the last snapshot stays readable. The channel stays subscribed.
   *
   * @example
   * view.close();
   */
  close(): void;
}
