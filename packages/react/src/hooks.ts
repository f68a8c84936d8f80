import type { ConnectionState } from "@roomkit/client";
import type { PresenceMember, RoomMember, RoomSummary, UnreadResult } from "@roomkit/protocol";
import { useSyncExternalStore } from "react";
import { ChannelStore, ClientStore, ConnectionStore } from "./connection.js";
import { MembersStore, RoomsStore, UnreadStore } from "./lists.js";
import { MessagesStore, emptyMessages } from "./messages.js";
import type { MessagesOptions, MessagesState } from "./messages.js";
import { PresenceStore } from "./presence.js";
import { useRuntime } from "./provider.js";
import type { Fetched } from "./resource.js";
import type { AnyClient, AnyHandle } from "./runtime.js";
import type { SharedStore } from "./store.js";
import { TypingStore } from "./typing.js";
import type { TypingOptions } from "./typing.js";

// The untyped hooks: `createRoomkitHooks` gives each its contract's types.

function useStore<T>(store: SharedStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);
}

/** A hook with no channel id reads this: nothing, and nothing to subscribe to. */
class Constant<T> {
  constructor(readonly value: T) {}
  readonly subscribe = () => () => undefined;
  readonly getSnapshot = () => this.value;
  readonly getServerSnapshot = this.getSnapshot;
}

function useChannelStore<T>(id: string | undefined, kind: string, make: (key: string, id: string) => SharedStore<T>, none: Constant<T>): T {
  const runtime = useRuntime();
  const store = id === undefined ? none : runtime.store(`${kind} ${id}`, (key) => make(key, id));
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);
}

export function useClientAny(): AnyClient | undefined {
  const runtime = useRuntime();
  return useStore(runtime.store("client", (key) => new ClientStore(runtime, key)));
}

export function useConnectionAny(): ConnectionState {
  const runtime = useRuntime();
  return useStore(runtime.store("connection", (key) => new ConnectionStore(runtime, key)));
}

const noHandle = new Constant<AnyHandle | undefined>(undefined);
export function useChannelAny(id: string | undefined): AnyHandle | undefined {
  const runtime = useRuntime();
  return useChannelStore(id, "channel", (key, id) => new ChannelStore(runtime, key, id), noHandle);
}

const noMessagesStore = new Constant<MessagesState>(emptyMessages());
export function useMessagesAny(id: string | undefined, options: MessagesOptions = {}): MessagesState {
  const runtime = useRuntime();
  const key = `messages ${options.pageSize ?? "-"} ${options.thread ?? "-"}`;
  return useChannelStore(id, key, (key, id) => new MessagesStore(runtime, key, id, options), noMessagesStore);
}

const noMembers = new Constant<readonly PresenceMember[]>([]);
export function usePresenceAny(id: string | undefined): readonly PresenceMember[] {
  const runtime = useRuntime();
  return useChannelStore(id, "presence", (key, id) => new PresenceStore(runtime, key, id), noMembers);
}

const nobody = new Constant<readonly string[]>([]);
export function useTypingAny(id: string | undefined, options: TypingOptions = {}): readonly string[] {
  const runtime = useRuntime();
  const key = `typing ${options.signal ?? "typing"} ${options.expiresMs ?? 6000}`;
  return useChannelStore(id, key, (key, id) => new TypingStore(runtime, key, id, options), nobody);
}

export function useUnreadAny(): Fetched<UnreadResult> {
  const runtime = useRuntime();
  return useStore(runtime.store("unread", (key) => new UnreadStore(runtime, key)));
}

export function useRoomsAny(): Fetched<RoomSummary[]> {
  const runtime = useRuntime();
  return useStore(runtime.store("rooms", (key) => new RoomsStore(runtime, key)));
}

const noRoom = new Constant<Fetched<RoomMember[]>>({ data: undefined, status: "loading", error: undefined, refresh: () => undefined });
export function useRoomMembersAny(id: string | undefined): Fetched<RoomMember[]> {
  const runtime = useRuntime();
  return useChannelStore(id, "members", (key, id) => new MembersStore(runtime, key, id), noRoom);
}
