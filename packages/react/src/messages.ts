import type { SendOptions } from "@roomkit/client";
import type { Message, RoomkitError } from "@roomkit/protocol";
import { AttachedStore } from "./attached.js";
import type { Detach } from "./attached.js";
import type { AnyClient, AnyHandle, RoomkitRuntime } from "./runtime.js";

/** A send not yet stored: `sending` (offline sends wait in the SDK's outbox), or `failed` with the refusal. */
export interface PendingMessage<Input = unknown> {
  /** Stable for the entry's life: a React key. */
  readonly key: string;
  readonly body: Input;
  readonly status: "sending" | "failed";
  readonly error: RoomkitError | undefined;
}

/** What the messages hook gives: the view to render and what to do with it. Every function is stable. */
export interface MessagesState<Body = unknown, Input = unknown> {
  /** Ascending by seq. A message keeps its object identity while it is unchanged, so memoized rows do not re-render. */
  readonly messages: readonly Message<Body>[];
  /** `loading` until the first page is in (and during server rendering); `failed` when the subscription or the page was refused. */
  readonly status: "loading" | "ready" | "failed";
  readonly error: RoomkitError | undefined;
  /** More history lies before `messages[0]`. */
  readonly hasOlder: boolean;
  /** A {@link MessagesState.loadOlder} page is in flight. */
  readonly loadingOlder: boolean;
  /** Sends not yet stored, oldest first: show them after `messages`, greyed, with a retry on `failed`. */
  readonly pending: readonly PendingMessage<Input>[];
  /** Loads the page before the oldest message (a no-op while one loads or when there is none). */
  loadOlder(): Promise<void>;
  /** Sends: the entry is in `pending` until stored; resolves with the stored message, or `undefined` when it failed (the entry stays, `failed`). */
  send(body: Input, options?: SendOptions): Promise<Message<Body> | undefined>;
  /** Sends a failed entry again, under the same key. */
  retry(key: string): void;
  /** Drops a failed entry. */
  discard(key: string): void;
  /** Marks the channel read up to `seq` (default: the newest message); unread counts refresh. */
  markRead(seq?: number): Promise<void>;
}

/** Options of the messages hook. */
export interface MessagesOptions {
  /** Messages per page, the first one and each older one. Default 50. */
  pageSize?: number;
}

interface Actions {
  loadOlder(): Promise<void>;
  send(body: unknown, options?: SendOptions): Promise<Message | undefined>;
  retry(key: string): void;
  discard(key: string): void;
  markRead(seq?: number): Promise<void>;
}

const idle: Actions = {
  loadOlder: async () => undefined,
  send: async () => undefined,
  retry: () => undefined,
  discard: () => undefined,
  markRead: async () => undefined,
};

/** Adds `incoming` to an ascending list, each id once, keeping every object already there. */
export function mergeMessages(list: readonly Message[], incoming: readonly Message[]): readonly Message[] {
  const known = new Set(list.map((m) => m.id));
  const fresh = incoming.filter((m) => !known.has(m.id) && known.add(m.id));
  if (fresh.length === 0) return list;
  const last = list[list.length - 1];
  if (last === undefined || fresh.every((m, i) => m.seq > (fresh[i - 1]?.seq ?? last.seq))) return [...list, ...fresh];
  return [...list, ...fresh].sort((a, b) => a.seq - b.seq);
}

let keys = 0;

/**
 * A channel's messages as a UI renders them: the latest page, the live messages after it
 * (the page ends where they begin: no gap, no overlap), older pages on demand, a reload after a
 * `reset`, and the user's sends while they are pending or failed.
 */
export class MessagesStore extends AttachedStore<MessagesState> {
  readonly #pageSize: number;
  readonly #actions: Actions;
  #handle: AnyHandle | undefined;
  #sends = new Map<string, { body: unknown; options: SendOptions | undefined }>();

  constructor(runtime: RoomkitRuntime, key: string, id: string, options: MessagesOptions) {
    const actions: Actions = { ...idle };
    super(runtime, key, emptyMessages(wrap(actions)), id);
    this.#pageSize = options.pageSize ?? 50;
    this.#actions = actions;
  }

  protected attach(_client: AnyClient, handle: AnyHandle | undefined): Detach {
    if (handle === undefined) return () => undefined;
    this.#handle = handle;
    Object.assign(this.#actions, {
      loadOlder: () => this.#loadOlder(),
      send: (body: unknown, options?: SendOptions) => this.#send(`send-${++keys}`, body, options),
      retry: (key: string) => {
        const entry = this.#sends.get(key);
        if (entry) void this.#send(key, entry.body, entry.options);
      },
      discard: (key: string) => this.#settle(key),
      markRead: async (seq?: number) => {
        await handle.markRead(seq ?? this.snapshot.messages[this.snapshot.messages.length - 1]?.seq);
        this.runtime.unreadMoved(handle.id ?? "");
      },
    } satisfies Actions);
    const stops = [
      handle.on("message", (message) => this.#update({ messages: mergeMessages(this.snapshot.messages, [message as Message]) })),
      handle.on("reset", (reset) => {
        const { messages, hasMore } = reset as { messages: Message[]; hasMore: boolean };
        this.#update({ messages: mergeMessages([], messages), hasOlder: hasMore });
      }),
      handle.on("error", (error) => this.#update({ status: "failed", error: error as RoomkitError })),
    ];
    handle.history({ untilSubscribed: true, limit: this.#pageSize }).then(
      (page) => this.#update({ messages: mergeMessages(page.messages, this.snapshot.messages), hasOlder: page.hasMore, status: "ready" }),
      (error: RoomkitError) => this.#update({ status: "failed", error }),
    );
    return () => {
      for (const stop of stops) stop();
      Object.assign(this.#actions, idle);
      this.#handle = undefined;
    };
  }

  #update(change: Partial<MessagesState>): void {
    this.set({ ...this.snapshot, ...change });
  }

  async #loadOlder(): Promise<void> {
    const handle = this.#handle;
    const oldest = this.snapshot.messages[0];
    if (!handle || this.snapshot.loadingOlder || !this.snapshot.hasOlder || oldest === undefined) return;
    this.#update({ loadingOlder: true });
    try {
      const page = await handle.history({ before: oldest.seq, limit: this.#pageSize });
      if (this.#handle === handle) this.#update({ messages: mergeMessages(page.messages, this.snapshot.messages), hasOlder: page.hasMore });
    } catch (error) {
      if (this.#handle === handle) this.#update({ error: error as RoomkitError });
    } finally {
      if (this.#handle === handle) this.#update({ loadingOlder: false });
    }
  }

  async #send(key: string, body: unknown, options: SendOptions | undefined): Promise<Message | undefined> {
    const handle = this.#handle;
    if (!handle) return undefined;
    this.#sends.set(key, { body, options });
    this.#pend({ key, body, status: "sending", error: undefined });
    try {
      const message = await handle.send(body, options);
      if (this.#handle === handle) {
        this.#update({ messages: mergeMessages(this.snapshot.messages, [message]) });
        this.#settle(key);
      }
      return message;
    } catch (error) {
      if (this.#handle === handle) this.#pend({ key, body, status: "failed", error: error as RoomkitError });
      return undefined;
    }
  }

  /** Adds or replaces the pending entry of `entry.key`, keeping its place. */
  #pend(entry: PendingMessage): void {
    const { pending } = this.snapshot;
    const at = pending.findIndex((p) => p.key === entry.key);
    this.#update({ pending: at < 0 ? [...pending, entry] : pending.map((p, i) => (i === at ? entry : p)) });
  }

  #settle(key: string): void {
    this.#sends.delete(key);
    if (this.snapshot.pending.some((p) => p.key === key)) this.#update({ pending: this.snapshot.pending.filter((p) => p.key !== key) });
  }
}

/** The view before the first page (and with no channel): empty, loading. */
export function emptyMessages(actions: Actions = idle): MessagesState {
  return { messages: [], status: "loading", error: undefined, hasOlder: false, loadingOlder: false, pending: [], ...actions };
}

/** Stable functions that call whatever `actions` holds now. */
function wrap(actions: Actions): Actions {
  return {
    loadOlder: () => actions.loadOlder(),
    send: (body, options) => actions.send(body, options),
    retry: (key) => actions.retry(key),
    discard: (key) => actions.discard(key),
    markRead: (seq) => actions.markRead(seq),
  };
}
