import type {
  AnyContract,
  ChangeEntry,
  DeleteChange,
  EditChange,
  FamilyName,
  Message,
  ReactionChange,
  RoomkitError,
} from "@roomkit/protocol";
import type { Sendable } from "./attachments.js";
import type { FamilyOf, FamilyTypes } from "./family.js";
import type { SendOptions } from "./types.js";
import type { MessageView, ViewOptions } from "./view-types.js";

/** A change entry of a family: its edit bodies and reactions typed by the family. */
export type FamilyChange<T extends FamilyTypes> = ChangeEntry<T["body"], T["reaction"]>;

/** A change entry of family `F` of contract `C`. */
export type ChangeOf<C extends AnyContract, F extends FamilyName<C>> = FamilyChange<FamilyOf<C, F>>;

/**
 * What every channel handle can do to stored messages, and its view. Each operation goes through
 * the outbox like `send` (made offline, it waits for the connection; a drop retries it) and
 * rejects with a {@link RoomkitError} the server refused it with (`FORBIDDEN`, `NOT_FOUND`,
 * `CONFLICT`, `INVALID`, `RATE_LIMITED` with `details.limit`...). The change reaches this
 * handle's `change` listeners and views from its ack (the server pushes it to everyone else).
 */
export interface MessageOperations<T extends FamilyTypes> {
  /**
   * Replaces the body of one of your messages (validated like a new one). Resolves with the
   * stored `edit` entry. A retried edit stores the same body again: nobody sees a difference.
   *
   * @example
   * await room.edit(message.seq, { text: "fixed the typo" });
   */
  edit(seq: number, body: Sendable<T["input"]>, options?: SendOptions): Promise<EditChange<T["body"]>>;
  /**
   * Deletes a message for good (yours; in a room, any message for its owner and admins).
   * Resolves with the `delete` entry, or `undefined` when a retry found the first attempt had
   * done it. A message deleted already rejects with `CONFLICT`.
   *
   * @example
   * await room.delete(message.seq);
   */
  delete(seq: number, options?: SendOptions): Promise<DeleteChange | undefined>;
  /**
   * Adds your reaction to a message (one of the family's declared reactions, when it declares
   * a list). Resolves with the `react` entry, or `undefined` when you had given it already.
   *
   * @example
   * await room.react(message.seq, "👍");
   */
  react(seq: number, reaction: T["reaction"], options?: SendOptions): Promise<ReactionChange<T["reaction"]> | undefined>;
  /**
   * Removes your reaction. Resolves with the `unreact` entry, or `undefined` when you had not given it.
   *
   * @example
   * await room.unreact(message.seq, "👍");
   */
  unreact(seq: number, reaction: T["reaction"], options?: SendOptions): Promise<ReactionChange<T["reaction"]> | undefined>;
  /**
   * Sends a message in reply to the message at `seq` (a reply to a reply joins its root's
   * thread). Like `send`; page a thread with `history({ thread: rootSeq })`.
   *
   * @example
   * const answer = await room.reply(question.seq, { text: "yes" });
   * const thread = await room.history({ thread: answer.replyTo! });
   */
  reply(seq: number, body: Sendable<T["input"]>, options?: SendOptions): Promise<Message<T["body"]>>;
  /**
   * A live, ordered view of the channel's messages (or, with `thread`, of one thread's replies)
   * with every change folded in, and the sends not stored yet. Close it when the UI is done.
   *
   * @example
   * const view = room.view();
   * view.subscribe((snapshot) => render(snapshot.messages, snapshot.pending));
   * const thread = room.view({ thread: root.seq });
   */
  view(options?: ViewOptions): MessageView<T["body"]>;
}
