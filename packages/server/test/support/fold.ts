import type { ChangeEntry, Message, ReactionCount } from "@roomkit/protocol";

const versionOf = (m: Message) => m.version ?? m.seq;

/**
 * A channel's messages as one user sees them, folded from what the wire gives: messages (pushes,
 * publish acks, replays) and change entries (`rk:change`, replays), by the `version` rule of
 * docs/protocol.md §8.5. The SDK's folded view replaces it.
 */
export class FoldedView {
  readonly #messages = new Map<number, Message>();
  /** Every seq this view was given, messages and changes. */
  readonly seen = new Set<number>();

  constructor(readonly me: string) {}

  /** A message as it is now: kept when newer than what the view holds; a new reply counts in its root. */
  message(incoming: Message): void {
    this.seen.add(incoming.seq);
    const held = this.#messages.get(incoming.seq);
    if (held && versionOf(held) >= versionOf(incoming)) return;
    this.#messages.set(incoming.seq, structuredClone(incoming));
    if (held || incoming.replyTo === undefined) return;
    const root = this.#messages.get(incoming.replyTo);
    if (!root || incoming.seq <= versionOf(root)) return;
    root.replies = { count: (root.replies?.count ?? 0) + 1, lastAt: incoming.sentAt };
    root.version = incoming.seq;
  }

  /** A change entry: applied to its target only when newer than the target's version. */
  change(change: ChangeEntry): void {
    this.seen.add(change.seq);
    const m = this.#messages.get(change.target) as (Message & { body?: unknown }) | undefined;
    if (!m || change.seq <= versionOf(m)) return;
    m.version = change.seq;
    if (change.type === "edit") {
      if ("body" in change) m.body = structuredClone(change.body);
      m.editedAt = change.at;
    } else if (change.type === "delete") {
      delete m.body;
      delete m.editedAt;
      delete m.reactions;
      m.deleted = { by: change.by, at: change.at };
    } else {
      const reactions: ReactionCount[] = m.reactions ?? [];
      let r = reactions.find((x) => x.reaction === change.reaction);
      if (!r) reactions.push((r = { reaction: change.reaction, count: 0, mine: false }));
      r.count = change.count;
      if (change.by === this.me) r.mine = change.type === "react";
      const left = reactions.filter((x) => x.count > 0);
      if (left.length > 0) m.reactions = left;
      else delete m.reactions;
    }
  }

  /** A subscribe ack's replay, or a batch of pushes: everything in seq order. */
  fold(entries: { messages?: Message[]; changes?: ChangeEntry[] }): void {
    const all = [
      ...(entries.messages ?? []).map((m) => ({ seq: m.seq, apply: () => this.message(m) })),
      ...(entries.changes ?? []).map((c) => ({ seq: c.seq, apply: () => this.change(c) })),
    ].sort((a, b) => a.seq - b.seq);
    for (const entry of all) entry.apply();
  }

  /** The highest seq given. */
  get last(): number {
    return Math.max(0, ...this.seen);
  }

  /** The messages in seq order, as history pages show them. */
  list(): Message[] {
    return [...this.#messages.values()].sort((a, b) => a.seq - b.seq);
  }
}
