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
 * kept current from the subscribe snapshot and the join/leave pushes after it.
 */
export interface Presence<Info> extends Listenable<PresenceEvents<Info>> {
  /**
   * The members now; a new array after each change, so it can be compared by reference.
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

/** A diff from the wire, applied as a set operation (so applying it twice changes nothing). */
export type PresenceDiff = Pick<PresencePush, "type" | "member">;

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
   * Replaces the list with a snapshot and the diffs that arrived with it, announcing only the
   * net difference from the list before (so a resync is not a storm of leave/join pairs).
   */
  reset(snapshot: readonly PresenceMember[], diffs: readonly PresenceDiff[] = []): void {
    const next = new Map(snapshot.map((m) => [m.userId, m as PresenceMember<Info>]));
    for (const { type, member } of diffs) {
      if (type === "join") next.set(member.userId, member as PresenceMember<Info>);
      else next.delete(member.userId);
    }
    const left = [...this.#byUser.values()].filter((m) => !next.has(m.userId));
    const joined = [...next.values()].filter((m) => !this.#byUser.has(m.userId));
    this.#byUser = next;
    this.#members = [...next.values()];
    for (const m of left) this.#events.emit("leave", m);
    for (const m of joined) this.#events.emit("join", m);
    if (left.length + joined.length > 0) this.#events.emit("change", this.#members);
  }

  /** Applies one live diff. */
  apply(diff: PresenceDiff): void {
    const { userId } = diff.member;
    const member = diff.member as PresenceMember<Info>;
    if (diff.type === "join") {
      const before = this.#byUser.get(userId);
      this.#byUser.set(userId, member);
      this.#members = [...this.#byUser.values()];
      if (!before) this.#events.emit("join", member);
      this.#events.emit("change", this.#members);
      return;
    }
    if (!this.#byUser.delete(userId)) return;
    this.#members = [...this.#byUser.values()];
    this.#events.emit("leave", member);
    this.#events.emit("change", this.#members);
  }

  /** Empties the list (unsubscribed, or removed from the room). */
  clear(): void {
    this.reset([]);
  }
}
