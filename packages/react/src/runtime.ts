import type { AnyContract } from "@roomkit/protocol";
import type {
  ClientOptions,
  HistoryPage,
  HistoryQuery,
  Listener,
  MessageView,
  Presence,
  RoomkitClient,
  SendOptions,
  ViewOptions,
} from "@roomkit/client";
import { createClient } from "@roomkit/client";
import type { DeleteChange, EditChange, Message, ReactionChange, RoomMember } from "@roomkit/protocol";
import type { SharedStore } from "./store.js";

/** Any client, as the runtime holds it: the typed hooks give it back typed by the contract. */
export type AnyClient = RoomkitClient<AnyContract>;

/** What the stores use of a channel handle, whatever its kind (the typed hooks say which kinds have which). */
export interface AnyHandle {
  readonly id: string | undefined;
  readonly presence?: Presence<unknown>;
  on(event: string, listener: Listener<unknown[]>): () => void;
  send(body: unknown, options?: SendOptions): Promise<Message<unknown>>;
  reply(seq: number, body: unknown, options?: SendOptions): Promise<Message<unknown>>;
  edit(seq: number, body: unknown, options?: SendOptions): Promise<EditChange<unknown>>;
  delete(seq: number, options?: SendOptions): Promise<DeleteChange | undefined>;
  react(seq: number, reaction: string, options?: SendOptions): Promise<ReactionChange<string> | undefined>;
  unreact(seq: number, reaction: string, options?: SendOptions): Promise<ReactionChange<string> | undefined>;
  view(options?: ViewOptions): MessageView<unknown>;
  history(query?: HistoryQuery): Promise<HistoryPage<unknown>>;
  markRead(seq?: number): Promise<number>;
  members(): Promise<RoomMember[]>;
  unsubscribe(): Promise<void>;
}

/** Where the client comes from: made from a URL and options (and closed by the provider), or the app's own. */
export type ClientSource = { client: RoomkitClient<AnyContract> } | { url: string; options?: ClientOptions };

/**
 * What one provider owns: its client (made on first use inside an effect, so server rendering
 * opens no socket), the shared stores its hooks read, and one subscription per channel however
 * many hooks read that channel.
 */
export class RoomkitRuntime {
  readonly #source: ClientSource;
  #client: AnyClient | undefined;
  #users = 0;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #stores = new Map<string, SharedStore<unknown>>();
  readonly #channels = new Map<string, { handle: AnyHandle; count: number; off: () => void }>();
  readonly #unreadListeners = new Set<(channel: string) => void>();

  constructor(source: ClientSource) {
    this.#source = source;
    if ("client" in source) this.#client = source.client;
  }

  /** The client, made now if need be; each call is matched by one {@link release}. */
  acquire(): AnyClient {
    clearTimeout(this.#closeTimer);
    this.#users += 1;
    if (this.#client === undefined && "url" in this.#source) this.#client = createClient(this.#source.url, this.#source.options);
    return this.#client as AnyClient;
  }

  /** One user fewer; a client the provider made is closed a tick after its last user (StrictMode remounts keep it). */
  release(): void {
    this.#users -= 1;
    if (this.#users > 0 || "client" in this.#source) return;
    this.#closeTimer = setTimeout(() => {
      if (this.#users > 0) return;
      this.#client?.close();
      this.#client = undefined;
    }, 0);
  }

  /** The shared store under `key`, made by `make` when there is none. */
  store<S extends SharedStore<unknown>>(key: string, make: (key: string) => S): S {
    let store = this.#stores.get(key);
    if (store === undefined) this.#stores.set(key, (store = make(key)));
    return store as S;
  }

  /** A store stopped: the next reader gets a fresh one. */
  forget(store: SharedStore<unknown>): void {
    if (this.#stores.get(store.key) === store) this.#stores.delete(store.key);
  }

  /** The channel's handle, subscribing it; matched by one {@link closeChannel}. Needs an acquired client. */
  openChannel(client: AnyClient, id: string): AnyHandle {
    let entry = this.#channels.get(id);
    if (entry === undefined) {
      const handle = client.channel(id as never) as unknown as AnyHandle;
      const off = handle.on("message", () => this.unreadMoved(id));
      this.#channels.set(id, (entry = { handle, count: 0, off }));
    }
    entry.count += 1;
    return entry.handle;
  }

  /** The last reader of a channel is gone: unsubscribe it (leaving its presence). */
  closeChannel(id: string): void {
    const entry = this.#channels.get(id);
    if (entry === undefined || --entry.count > 0) return;
    this.#channels.delete(id);
    entry.off();
    void entry.handle.unsubscribe();
  }

  /** A channel's unread count may have moved (a message on an open channel, a read mark set through a hook). */
  unreadMoved(channel: string): void {
    for (const listener of [...this.#unreadListeners]) listener(channel);
  }

  /** Calls `listener` after each {@link unreadMoved}. */
  onUnreadMoved(listener: (channel: string) => void): () => void {
    this.#unreadListeners.add(listener);
    return () => this.#unreadListeners.delete(listener);
  }
}
