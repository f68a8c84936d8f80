import type { PresenceMember, PresencePush, PresenceResult } from "@roomkit/protocol";
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
  /**
   * How many users are present: the list's length while {@link complete}; in a channel bigger
   * than the server's page (`presence.pageSize`, default 100), the count the server sent last (in
   * the subscribe ack, a page, or a presence push).
   *
   * @example
   * badge.textContent = `${room.presence.count} online`;
   */
  readonly count: number;
  /**
   * False while `members` lists only some of the users present: the subscribe ack of a big
   * channel carries its first page only, so that joining a crowd costs the same whatever its size.
   *
   * @example
   * if (!lobby.presence.complete) showMoreButton();
   */
  readonly complete: boolean;
  /**
   * Loads the next page of members into `members` (one `change`, no `join`: they were there
   * already). Resolves with whether more remain; false at once when the list is complete.
   *
   * @example
   * while (await room.presence.loadMore()); // every member, page by page
   */
  loadMore(): Promise<boolean>;
}

/**
 * One batch from the wire: the net joins and leaves since the last, a user in at most one of
 * them. Applied as set operations, so applying it twice (or over a snapshot that has it) changes nothing.
 */
export type PresenceDiff = Pick<PresencePush, "joins" | "leaves" | "count">;

/** Same info, whatever object carries it (a join of a present member may only refresh it). */
const sameInfo = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Where a snapshot stands among the pages: the server's count, and the cursor of the next page when there is one. */
export interface SnapshotPage {
  count?: number;
  next?: string;
}

/** Asks the server for the page of members after a cursor (`rk:presence { after }`). */
export type PageLoader = (after: string) => Promise<PresenceResult>;

/** The {@link Presence} of one channel handle. */
export class PresenceList<Info = unknown> implements Presence<Info> {
  readonly #events = new Emitter<PresenceEvents<Info>>();
  #byUser = new Map<string, PresenceMember<Info>>();
  #members: readonly PresenceMember<Info>[] = [];
  #count = 0;
  #next: string | undefined;
  /** Bumped by each reset, so a page that was loading for an older snapshot is dropped. */
  #generation = 0;
  #loading: Promise<boolean> | undefined;
  /** Set by the channel handle: how to ask for a page. */
  loader: PageLoader | undefined;

  get members(): readonly PresenceMember<Info>[] {
    return this.#members;
  }

  get count(): number {
    return this.#next === undefined ? this.#byUser.size : Math.max(this.#count, this.#byUser.size);
  }

  get complete(): boolean {
    return this.#next === undefined;
  }

  loadMore(): Promise<boolean> {
    if (this.#next === undefined || !this.loader) return Promise.resolve(false);
    this.#loading ??= this.#load(this.loader, this.#next).finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  async #load(loader: PageLoader, after: string): Promise<boolean> {
    const generation = this.#generation;
    const page = await loader(after);
    if (generation !== this.#generation) return !this.complete;
    let added = false;
    for (const member of page.members as PresenceMember<Info>[]) {
      if (this.#byUser.has(member.userId)) continue;
      this.#byUser.set(member.userId, member);
      added = true;
    }
    this.#count = page.count;
    this.#next = page.next;
    if (added) {
      this.#members = [...this.#byUser.values()];
      this.#events.emit("change", this.#members);
    }
    return !this.complete;
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
  reset(snapshot: readonly PresenceMember[], diffs: readonly PresenceDiff[] = [], page: SnapshotPage = {}): void {
    this.#generation++;
    const next = new Map(snapshot.map((m) => [m.userId, m as PresenceMember<Info>]));
    this.#next = page.next;
    // Batches that came with the ack are older than its count: they move the list, not the count.
    this.#count = page.count ?? snapshot.length;
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
    for (const member of diff.leaves as PresenceMember<Info>[]) {
      if (this.#byUser.delete(member.userId)) left.push(member);
      else if (this.#next !== undefined) this.#count--; // one of the members not listed
    }
    for (const member of diff.joins as PresenceMember<Info>[]) {
      const before = this.#byUser.get(member.userId);
      if (before && sameInfo(before.info, member.info)) continue;
      this.#byUser.set(member.userId, member);
      if (before) refreshed = true;
      else joined.push(member);
    }
    this.#count = typeof diff.count === "number" ? diff.count : this.#count + joined.length - left.length;
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
