import type { ChangeEntry, DeletedMessage, LiveMessage, Message, ReactionCount } from "@roomkit/protocol";

/**
 * The folding rule of docs/protocol.md §8.5, as pure functions: each returns a NEW message
 * when something changed, or `undefined` when the input is already in what is held. Callers keep
 * the unchanged objects, so a UI row whose message did not change keeps its identity.
 */

/** Whether `entry` is a change entry (messages have no `target`). */
export function isChange(entry: Message | ChangeEntry): entry is ChangeEntry {
  return "target" in entry && typeof entry.target === "number";
}

/**
 * A message arriving for a seq: it replaces what is held only when it is a newer state
 * (a higher `version`).
 *
 * @example
 * const next = foldMessage(held, page.messages[0]); // undefined: keep `held`
 */
export function foldMessage<M extends Message>(held: M | undefined, incoming: M): M | undefined {
  if (held && held.version >= incoming.version) return undefined;
  return incoming;
}

/**
 * A new reply counted in its thread's root (when the reply is newer than the root's `version`).
 *
 * @example
 * const root = countReply(messages.get(reply.replyTo), reply);
 */
export function countReply<M extends Message>(root: M | undefined, reply: Message): M | undefined {
  if (!root || reply.seq <= root.version) return undefined;
  return { ...root, version: reply.seq, replies: { count: (root.replies?.count ?? 0) + 1, lastAt: reply.sentAt } };
}

/**
 * A change entry folded into the message it targets: applies only when `change.seq` is above the
 * message's `version`. `me` is the reading user, whose reactions are `mine`.
 *
 * @example
 * const next = foldChange(message, change, rk.user?.id);
 */
export function foldChange<Body>(message: Message<Body>, change: ChangeEntry<Body>, me: string | undefined): Message<Body> | undefined {
  if (change.target !== message.seq || change.seq <= message.version) return undefined;
  switch (change.type) {
    case "edit": {
      if (message.deleted) return { ...message, version: change.seq };
      const edited: LiveMessage<Body> = { ...message, version: change.seq, editedAt: change.at };
      if ("body" in change && change.body !== undefined) edited.body = change.body;
      return edited;
    }
    case "delete": {
      const { body: _body, editedAt: _editedAt, reactions: _reactions, ...rest } = message;
      const tombstone: DeletedMessage = { ...rest, version: change.seq, deleted: { by: change.by, at: change.at } };
      return tombstone;
    }
    case "react":
    case "unreact": {
      if (message.deleted) return { ...message, version: change.seq };
      const reactions = foldReaction(
        message.reactions ?? [],
        change.reaction,
        change.count,
        change.by === me ? change.type === "react" : undefined,
      );
      const next: LiveMessage<Body> = { ...message, version: change.seq };
      if (reactions.length > 0) next.reactions = reactions;
      else delete next.reactions;
      return next;
    }
  }
}

/** The reactions list with one reaction's new count (and `mine`, when the change was the reader's). */
function foldReaction(list: ReactionCount[], reaction: string, count: number, mine: boolean | undefined): ReactionCount[] {
  const index = list.findIndex((r) => r.reaction === reaction);
  const held = index >= 0 ? list[index]! : { reaction, count: 0, mine: false };
  const next = { reaction, count, mine: mine ?? held.mine };
  if (index < 0) return count > 0 ? [...list, next] : list;
  return count > 0 ? list.map((r, i) => (i === index ? next : r)) : list.filter((_, i) => i !== index);
}
