/** What the server says of one channel's read state (`rk.unread()`, `channel.unread()`). */
export interface ServerCount {
  /** The channel's latest seq, of a message or a change. */
  latest: number;
  lastRead: number;
  /** Messages above `lastRead`: changes (edits, deletes, reactions) are not counted. */
  unread: number;
}

/**
 * One channel's unread count, in messages. Seqs cannot be subtracted for it: edits, deletes and
 * reactions take seqs too, and never make a channel unread. So the count starts from the
 * server's and grows by the messages that come live after what it covered.
 *
 * @example
 * const unread = new UnreadCounter();
 * unread.fromServer(await dm.unread());
 * dm.on("message", (m) => unread.message(m.seq, m.from === me));
 * badge.textContent = String(unread.count);
 */
export class UnreadCounter {
  /** Messages not read yet. */
  count = 0;
  /** The highest seq seen, of a message or a change: where "read up to here" goes. */
  latest = 0;
  /** The reader's own read mark. */
  read = 0;
  /** The seq up to which `count` is exact. */
  #covered = 0;

  /** The server's count; an older answer than what came live since is ignored. */
  fromServer({ latest, lastRead, unread }: ServerCount): void {
    this.latest = Math.max(this.latest, latest);
    this.read = Math.max(this.read, lastRead);
    if (latest < this.#covered) return;
    this.#covered = latest;
    this.count = unread;
  }

  /** A message came (live, or replayed after a drop). Sending one reads everything before it. */
  message(seq: number, mine: boolean): void {
    this.latest = Math.max(this.latest, seq);
    if (mine) {
      this.read = Math.max(this.read, seq);
      this.count = 0;
    }
    if (seq <= this.#covered) return;
    this.#covered = seq;
    if (!mine && seq > this.read) this.count++;
  }

  /** Something of the channel was seen at `seq` (a change, the seq a subscription started at). */
  seen(seq: number): void {
    this.latest = Math.max(this.latest, seq);
  }

  /**
   * The reader read up to `seq` (here or in another tab). True when the count is known after it;
   * false when messages may be left above it, and the server should be asked again.
   */
  readUpTo(seq: number): boolean {
    this.read = Math.max(this.read, seq);
    if (seq < this.#covered) return false;
    this.count = 0;
    return true;
  }
}
