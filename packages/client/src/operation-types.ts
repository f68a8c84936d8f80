import type {
  AnyContract,
  BodyInputOf,
  BodyOf,
  ChangeEntry,
  DeleteChange,
  EditChange,
  FamilyName,
  Message,
  ReactionChange,
  ReactionOf,
  RoomkitError,
} from "@roomkit/protocol";
import type { Sendable } from "./attachments.js";
import type { SendOptions } from "./types.js";
import type { MessageView, ViewOptions } from "./view-types.js";

/** A change entry of a family: its edit bodies and reactions typed from the contract. */
export type ChangeOf<C extends AnyContract, F extends FamilyName<C>> = ChangeEntry<BodyOf<C, F>, ReactionOf<C, F>>;

/**
 * What every channel handle can do to stored messages, and its view. Each operation goes through
 * the outbox like `send` (made offline, it waits for the connection; a drop retries it) and
 * rejects with a {@link RoomkitError} the server refused it with (`FORBIDDEN`, `NOT_FOUND`,
 * `CONFLICT`, `INVALID`, `RATE_LIMITED` with `details.limit`...). The change reaches this
 * handle's `change` listeners and views from its ack (the server pushes it to everyone else).
 */
export interface MessageOperations<C extends AnyContract, F extends FamilyName<C>> {
  /**
   * Replaces the body of one of your messages (validated like a new one). Resolves with the
   * stored `edit` entry. A retried edit stores the same body again: nobody sees a difference.
   *
   * @example
   * await room.edit(message.seq, { text: "fixed the typo" });
   */
  edit(seq: number, body: Sendable<BodyInputOf<C, F>>, options?: SendOptions): Promise<EditChange<BodyOf<C, F>>>;
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
  react(seq: number, reaction: ReactionOf<C, F>, options?: SendOptions): Promise<ReactionChange<ReactionOf<C, F>> | undefined>;
  /**
   * Removes your reaction. Resolves with the `unreact` entry, or `undefined` when you had not given it.
   *
   * @example
   * await room.unreact(message.seq, "👍");
   */
  unreact(seq: number, reaction: ReactionOf<C, F>, options?: SendOptions): Promise<ReactionChange<ReactionOf<C, F>> | undefined>;
  /**
   * Sends a message in reply to the message at `seq` (a reply to a reply joins its root's
   * thread). Like `send`; page a thread with `history({ thread: rootSeq })`.
   *
   * @example
   * const answer = await room.reply(question.seq, { text: "yes" });
   * const thread = await room.history({ thread: answer.replyTo! });
   */
  reply(seq: number, body: Sendable<BodyInputOf<C, F>>, options?: SendOptions): Promise<Message<BodyOf<C, F>>>;
  /**
   * A live, ordered view of the channel's messages (or, with `thread`, of one thread's replies)
   * with every change folded in, and the sends not stored yet. Close it when the UI is done.
   *
   * @example
   * const view = room.view();
   * view.subscribe((snapshot) => render(snapshot.messages, snapshot.pending));
   * const thread = room.view({ thread: root.seq });
   */
  view(options?: ViewOptions): MessageView<BodyOf<C, F>>;
}
