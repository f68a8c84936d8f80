import type { PresenceMember, PresencePush } from "@roomkit/protocol";
import type { Listenable } from "./emitter.js";
import { Emitter } from "./emitter.js";

/** Presence events: a user came or went, and the whole list after any change. */
export type PresenceEvents<Info> = {
  join: [member: PresenceMember<Info>];
  leave: [member: PresenceMember<Info>];
  change: [members: readonly PresenceMember<Info>[]];
};

/**
 * Who is in a presence or room channel now, one entry per user (many tabs are one member),
 * kept current from the subscribe snapshot and the batched join/leave pushes after it: one
 * `change` per push, after a `join` or `leave` for each member it adds or removes.
 */
export interface Presence<Info> extends Listenable<PresenceEvents<Info>> {
  /**
   * The members now; a new array after each change (one per batch of changes), so it can be
   * compared by reference.
   *
   * @example
   * render(room.presence.members.map((m) => m.userId));
   */
  readonly members: readonly PresenceMember<Info>[];
  /**
   * True when the user is present.
   *
   * @example
   * if (lobby.presence.has("bob")) showGreenDot("bob");
   */
  has(userId: string): boolean;
}

/**
 * One batch from the wire: the net joins and leaves since the last, a user in at most one of
 * them. Applied as set operations, so applying it twice (or over a snapshot that has it) changes nothing.
 */
export type PresenceDiff = Pick<PresencePush, "joins" | "leaves">;

/** Same info, whatever object carries it (a join of a present member may only refresh it). */
const sameInfo = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The {@link Presence} of one channel handle. */
export class PresenceList<Info = unknown> implements Presence<Info> {
  readonly #events = new Emitter<PresenceEvents<Info>>();
  #byUser = new Map<string, PresenceMember<Info>>();
  #members: readonly PresenceMember<Info>[] = [];

  get members(): readonly PresenceMember<Info>[] {
    return this.#members;
  }

  has(userId: string): boolean {
    return this.#byUser.has(userId);
  }

  on: Presence<Info>["on"] = (event, listener) => this.#events.on(event, listener);
  off: Presence<Info>["off"] = (event, listener) => this.#events.off(event, listener);

  /**
   * Replaces the list with a snapshot and the batches that arrived with it (folded in order),
   * announcing only the net difference from the list before (so a resync is not a storm of
   * leave/join pairs).
   */
  reset(snapshot: readonly PresenceMember[], diffs: readonly PresenceDiff[] = []): void {
    const next = new Map(snapshot.map((m) => [m.userId, m as PresenceMember<Info>]));
    for (const diff of diffs) fold(next, diff);
    const left = [...this.#byUser.values()].filter((m) => !next.has(m.userId));
    const joined = [...next.values()].filter((m) => !this.#byUser.has(m.userId));
    this.#byUser = next;
    this.#members = [...next.values()];
    for (const m of left) this.#events.emit("leave", m);
    for (const m of joined) this.#events.emit("join", m);
    if (left.length + joined.length > 0) this.#events.emit("change", this.#members);
  }

  /**
   * Applies one live batch: one new members array, a `leave` / `join` per member removed or
   * added, then one `change` (none when the batch changes nothing, such as a join of oneself).
   */
  apply(diff: PresenceDiff): void {
    const left: PresenceMember<Info>[] = [];
    const joined: PresenceMember<Info>[] = [];
    let refreshed = false;
    for (const member of diff.leaves as PresenceMember<Info>[]) if (this.#byUser.delete(member.userId)) left.push(member);
    for (const member of diff.joins as PresenceMember<Info>[]) {
      const before = this.#byUser.get(member.userId);
      if (before && sameInfo(before.info, member.info)) continue;
      this.#byUser.set(member.userId, member);
      if (before) refreshed = true;
      else joined.push(member);
    }
    if (left.length + joined.length === 0 && !refreshed) return;
    this.#members = [...this.#byUser.values()];
    for (const m of left) this.#events.emit("leave", m);
    for (const m of joined) this.#events.emit("join", m);
    this.#events.emit("change", this.#members);
  }

  /** Empties the list (unsubscribed, or removed from the room). */
  clear(): void {
    this.reset([]);
  }
}

/** Folds one batch into a list by user id: leaves removed, joins added or replaced. */
function fold<Info>(list: Map<string, PresenceMember<Info>>, diff: PresenceDiff): void {
  for (const member of diff.leaves) list.delete(member.userId);
  for (const member of diff.joins) list.set(member.userId, member as PresenceMember<Info>);
}
