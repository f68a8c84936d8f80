import type { ChangeEntry, Message, ReactionCount } from "@roomkit/protocol";
import type { ChangeInput, ChangeOutcome } from "../types.js";

/** One kept seq of a stream: a message with its mutable state, or a change entry. */
export type Entry = { seq: number; storedAt: number } & (
  | { message: StoredMessage; change?: never }
  | { change: ChangeEntry; message?: never }
);

/** A message as the memory store holds it: the message, and who gave which reaction. */
export interface StoredMessage {
  /** The message as it is now, without `reactions` (they are counted per reader). */
  readonly message: Message;
  /** Reaction -> the users who gave it, in the order reactions were first added; made on the first reaction. */
  reactions?: Map<string, Set<string>>;
  /** The seqs of this message's edit entries, so a delete can scrub their bodies; made on the first edit. */
  edits?: number[];
}

/** A copy of the message as `reader` sees it, with its reaction counts. */
export function present(stored: StoredMessage, reader: string | undefined): Message {
  const message = { ...stored.message };
  if (stored.message.replies) message.replies = { ...stored.message.replies };
  if (stored.message.deleted) message.deleted = { ...stored.message.deleted };
  if (stored.reactions !== undefined && stored.reactions.size > 0) {
    message.reactions = [...stored.reactions].map(
      ([reaction, users]): ReactionCount => ({
        reaction,
        count: users.size,
        mine: reader !== undefined && users.has(reader),
      }),
    );
  }
  return message;
}

/** A copy of a change entry for a caller. */
export function copyChange(change: ChangeEntry): ChangeEntry {
  return { ...change };
}

/**
 * Applies `input` to a kept, live message and returns the entry to store at `seq` (or why there
 * is none). `findEntry` gives the kept entries by seq, for a delete to scrub its edits.
 */
export function applyChange(
  stored: StoredMessage,
  input: ChangeInput,
  seq: number,
  findEntry: (seq: number) => Entry | undefined,
): ChangeOutcome {
  const { channel, target, by, at } = input;
  const message = stored.message as Message & { body?: unknown };
  const base = { channel, seq, target, by, at };
  switch (input.type) {
    case "edit": {
      message.body = input.body;
      message.editedAt = at;
      (stored.edits ??= []).push(seq);
      message.version = seq;
      return { status: "applied", change: { type: "edit", ...base, body: input.body } };
    }
    case "delete": {
      delete message.body;
      delete message.editedAt;
      stored.reactions?.clear();
      for (const edit of stored.edits ?? []) {
        const entry = findEntry(edit);
        if (entry?.change) delete (entry.change as { body?: unknown }).body;
      }
      if (stored.edits) stored.edits.length = 0;
      message.deleted = { by, at };
      message.version = seq;
      return { status: "applied", change: { type: "delete", ...base } };
    }
    default: {
      const { reaction } = input;
      const reactions = (stored.reactions ??= new Map());
      let users = reactions.get(reaction);
      if (input.type === "react") {
        if (users?.has(by)) return { status: "unchanged" };
        if (!users && reactions.size >= input.maxReactions) return { status: "full" };
        if (!users) reactions.set(reaction, (users = new Set()));
        users.add(by);
      } else {
        if (!users?.delete(by)) return { status: "unchanged" };
        if (users.size === 0) reactions.delete(reaction);
      }
      message.version = seq;
      return { status: "applied", change: { type: input.type, ...base, reaction, count: users.size } };
    }
  }
}
