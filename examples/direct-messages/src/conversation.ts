import type { DmChannel, Message, MessageView } from "@roomkit/client";
import type { UnreadCounter } from "@roomkit/example-kit/unread";
import type { BodyOf } from "@roomkit/protocol";
import type { contract } from "./contract.js";

export type Body = BodyOf<typeof contract, "dm">;
/** A message as it is now (edited, deleted, reacted to, replied to): the SDK folds the changes in. */
export type Entry = Message<Body>;

/** One conversation: its handle, its messages, and how far each side has read. */
export interface Conversation {
  peer: string;
  dm: DmChannel<typeof contract, "dm">;
  /**
   * The messages as they are now, oldest first: the SDK's view, opened with the conversation (it
   * loads the latest page, then follows every message and change, across reconnects).
   */
  view?: MessageView<Body>;
  /** Both read marks, being asked for (each time the conversation opens, and after a drop). */
  reading?: Promise<void>;
  /** My unread messages here (changes never count), and where I have read to. */
  unread: UnreadCounter;
  /** How far the other person has read: my messages up to here are "Seen". */
  peerRead: number;
}
