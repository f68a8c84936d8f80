import type { Stores } from "../types.js";
import { MemoryMessageStore, type MemoryMessageStoreOptions } from "./message-store.js";
import { MemoryPresenceStore } from "./presence-store.js";
import { MemoryReadStateStore } from "./read-state-store.js";
import { MemoryRoomStore } from "./room-store.js";

export type { MemoryMessageStoreOptions };
export { MemoryMessageStore, MemoryPresenceStore, MemoryReadStateStore, MemoryRoomStore };

export interface MemoryStoresOptions {
  messages?: MemoryMessageStoreOptions;
}

/**
 * The four stores in process memory: the embedded default for a single node.
 *
 * @example
 * const stores = memoryStores({ messages: { maxPerChannel: 500 } });
 */
export function memoryStores(options: MemoryStoresOptions = {}): Stores {
  return {
    messages: new MemoryMessageStore(options.messages),
    presence: new MemoryPresenceStore(),
    rooms: new MemoryRoomStore(),
    readState: new MemoryReadStateStore(),
  };
}
