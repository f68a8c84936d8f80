import type { MessageView, PendingSend, SendOptions, ViewSnapshot } from "@roomkit/client";
import { RoomkitError } from "@roomkit/protocol";
import type { DeleteChange, EditChange, Message, ReactionChange } from "@roomkit/protocol";
import { AttachedStore } from "./attached.js";
import type { Detach } from "./attached.js";
import type { AnyClient, AnyHandle, RoomkitRuntime } from "./runtime.js";

/**
 * What the messages hook gives: the SDK's folded view of a channel (or of one thread) to render,
 * and what to do with it. Every function is the same from one render to the next.
 */
export interface MessagesState<Body = unknown, Input = unknown, Reaction extends string = string> {
  /**
   * Ascending by seq, with every edit, delete and reaction folded in. A message keeps its object
   * while it is unchanged (a changed one is a new object), so memoized rows render only when
   * theirs changed. A deleted message has `deleted` set and no `body`.
   */
  readonly messages: readonly Message<Body>[];
  /** `loading` until the first page is in (and during server rendering); `failed` when the subscription or the first page was refused. */
  readonly status: "loading" | "ready" | "failed";
  /** The last refusal (the subscription's, or a page's). */
  readonly error: RoomkitError | undefined;
  /** More history lies before `messages[0]`. */
  readonly hasOlder: boolean;
  /** A {@link MessagesState.loadOlder} page is in flight. */
  readonly loadingOlder: boolean;
  /** Sends not stored yet, oldest first: `sending`, or `failed` with `error` (each with its own `retry()` and `discard()`). */
  readonly pending: readonly PendingSend<Input>[];
  /** Loads the page before the oldest message (a no-op while one loads or when there is none). */
  loadOlder(): Promise<void>;
  /** Sends; the entry is in `pending` until stored. Resolves with the stored message, or `undefined` when it failed (the entry stays, `failed`). */
  send(body: Input, options?: SendOptions): Promise<Message<Body> | undefined>;
  /** Replies to the message at `seq`, like `send` (in a thread view, to the thread's root). */
  reply(seq: number, body: Input, options?: SendOptions): Promise<Message<Body> | undefined>;
  /** Sends a failed entry again, with its `clientId` (never stored twice). */
  retry(key: string): void;
  /** Drops a failed entry. */
  discard(key: string): void;
  /** Replaces the body of one of the user's messages; rejects with the server's `RoomkitError`. */
  edit(seq: number, body: Input, options?: SendOptions): Promise<EditChange<Body>>;
  /** Deletes a message (`undefined`: a retry found it done); rejects with the server's `RoomkitError`. */
  delete(seq: number, options?: SendOptions): Promise<DeleteChange | undefined>;
  /** Adds the user's reaction (`undefined`: given already). */
  react(seq: number, reaction: Reaction, options?: SendOptions): Promise<ReactionChange<Reaction> | undefined>;
  /** Removes the user's reaction (`undefined`: not given). */
  unreact(seq: number, reaction: Reaction, options?: SendOptions): Promise<ReactionChange<Reaction> | undefined>;
  /** Marks the channel read up to `seq` (default: the newest message); unread counts refresh. */
  markRead(seq?: number): Promise<void>;
}

/** Options of the messages hook. */
export interface MessagesOptions {
  /** Messages per page, the first one and each older one. Default: the server's page size (50). */
  pageSize?: number;
  /** One thread's replies instead of the channel: the seq of its root message. */
  thread?: number;
}

/** What a store's snapshot delegates to; swapped in on attach, so the snapshot's functions stay the same. */
type Actions = Pick<
  MessagesState,
  "loadOlder" | "send" | "reply" | "retry" | "discard" | "edit" | "delete" | "react" | "unreact" | "markRead"
>;

const closed = () => Promise.reject(new RoomkitError("UNAVAILABLE", "the channel is not open yet"));
const idle: Actions = {
  loadOlder: async () => undefined,
  send: async () => undefined,
  reply: async () => undefined,
  retry: () => undefined,
  discard: () => undefined,
  edit: closed,
  delete: closed,
  react: closed,
  unreact: closed,
  markRead: async () => undefined,
};

/** The view before the first page (and with no channel): empty, loading. */
export function emptyMessages(actions: Actions = idle): MessagesState {
  return { messages: [], status: "loading", error: undefined, hasOlder: false, loadingOlder: false, pending: [], ...actions };
}

/** A channel's (or a thread's) messages: the SDK's {@link MessageView}, as a shared store. */
export class MessagesStore extends AttachedStore<MessagesState> {
  readonly #options: MessagesOptions;
  readonly #actions: Actions;

  constructor(runtime: RoomkitRuntime, key: string, id: string, options: MessagesOptions) {
    const actions: Actions = { ...idle };
    super(runtime, key, emptyMessages(delegate(actions)), id);
    this.#options = options;
    this.#actions = actions;
  }

  protected attach(_client: AnyClient, handle: AnyHandle | undefined): Detach {
    if (handle === undefined) return () => undefined;
    const view = handle.view(this.#options);
    const pendingOf = (key: string) => view.current.pending.find((p) => p.key === key);
    const stored = (sent: Promise<Message>) => sent.catch(() => undefined);
    Object.assign(this.#actions, {
      loadOlder: () => view.loadOlder().catch(() => undefined),
      send: (body, options) =>
        stored(this.#options.thread === undefined ? handle.send(body, options) : handle.reply(this.#options.thread, body, options)),
      reply: (seq, body, options) => stored(handle.reply(seq, body, options)),
      retry: (key) =>
        void pendingOf(key)
          ?.retry()
          .catch(() => undefined),
      discard: (key) => pendingOf(key)?.discard(),
      edit: (seq, body, options) => handle.edit(seq, body, options),
      delete: (seq, options) => handle.delete(seq, options),
      react: (seq, reaction, options) => handle.react(seq, reaction, options),
      unreact: (seq, reaction, options) => handle.unreact(seq, reaction, options),
      markRead: async (seq) => {
        await handle.markRead(seq ?? view.current.messages.at(-1)?.seq);
        this.runtime.unreadMoved(handle.id ?? "");
      },
    } satisfies Actions);
    let ready = false;
    const show = (snapshot: ViewSnapshot) => {
      if (!snapshot.loading && snapshot.error === undefined) ready = true;
      const status = ready ? "ready" : snapshot.loading || snapshot.error === undefined ? "loading" : "failed";
      const { messages, pending, hasOlder, error } = snapshot;
      this.set({ ...this.snapshot, messages, pending, hasOlder, error, status, loadingOlder: ready && snapshot.loading });
    };
    show(view.current);
    const stop = view.subscribe(show);
    return () => {
      stop();
      view.close();
      Object.assign(this.#actions, idle);
    };
  }
}

/** Stable functions that call whatever `actions` holds now. */
function delegate(actions: Actions): Actions {
  return {
    loadOlder: () => actions.loadOlder(),
    send: (body, options) => actions.send(body, options),
    reply: (seq, body, options) => actions.reply(seq, body, options),
    retry: (key) => actions.retry(key),
    discard: (key) => actions.discard(key),
    edit: (seq, body, options) => actions.edit(seq, body, options),
    delete: (seq, options) => actions.delete(seq, options),
    react: (seq, reaction, options) => actions.react(seq, reaction, options),
    unreact: (seq, reaction, options) => actions.unreact(seq, reaction, options),
    markRead: (seq) => actions.markRead(seq),
  };
}
