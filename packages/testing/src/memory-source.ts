import { memoryStores } from "@roomkit/server";
import type { Stores } from "@roomkit/server";
import type { StoreSource } from "./node.js";

/** Memory stores, one set per node, kept across its restarts unless a start asks for fresh ones. */
export function memorySource(): StoreSource {
  const kept = new Map<string, Stores>();
  return {
    async open(node, fresh) {
      let stores = kept.get(node);
      if (!stores || fresh) kept.set(node, (stores = memoryStores()));
      return { stores, close: async () => undefined, crash: () => undefined };
    },
    close: async () => undefined,
  };
}
