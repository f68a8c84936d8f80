import type { DmChannel, Message } from "@roomkit/client";
import type { BodyOf } from "@roomkit/protocol";
import type { contract } from "./contract.js";

export type Body = BodyOf<typeof contract, "dm">;

/** One conversation: its handle, the messages shown, and how far each side has read. */
export interface Conversation {
  peer: string;
  dm: DmChannel<typeof contract, "dm">;
  /** In seq order: the live messages, and the history before them once `loaded`. */
  messages: Message<Body>[];
  /** The first page of history, asked for when the conversation is first opened. */
  loaded?: Promise<void>;
  /** Both read marks, being asked for (each time the conversation opens, and after a drop). */
  reading?: Promise<void>;
  hasMore: boolean;
  latest: number;
  myRead: number;
  /** How far the other person has read: my messages up to here are "Seen". */
  peerRead: number;
}
