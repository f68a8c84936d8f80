import type { ReadStateStore } from "../types.js";

/**
 * Per-user read positions in process memory.
 *
 * @example
 * const reads = new MemoryReadStateStore();
 * await reads.mark("alice", "room:42", 17); // 17
 * await reads.mark("alice", "room:42", 3); // still 17: read state never goes back
 */
export class MemoryReadStateStore implements ReadStateStore {
  readonly #byUser = new Map<string, Map<string, number>>();

  async mark(userId: string, channel: string, seq: number): Promise<number> {
    return this.#mark(userId, channel, seq);
  }

  /**
   * {@link mark} at once (see `ReadStateStore.markSync`): the memory store needs no I/O, so a
   * sender's read mark is written as the message is sent. It is undefined in a subclass that
   * overrides `mark`, so the server goes through the override.
   */
  get markSync(): ((userId: string, channel: string, seq: number) => number) | undefined {
    return this.mark === MemoryReadStateStore.prototype.mark ? this.#markNow : undefined;
  }

  readonly #markNow = (userId: string, channel: string, seq: number): number => this.#mark(userId, channel, seq);

  #mark(userId: string, channel: string, seq: number): number {
    if (typeof userId !== "string" || userId === "") throw new TypeError("userId must be a non-empty string");
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    if (!Number.isInteger(seq) || seq < 0) throw new TypeError("seq must be a non-negative integer");
    let channels = this.#byUser.get(userId);
    if (!channels) {
      channels = new Map();
      this.#byUser.set(userId, channels);
    }
    const lastRead = Math.max(channels.get(channel) ?? 0, seq);
    channels.set(channel, lastRead);
    return lastRead;
  }

  async get(userId: string, channel: string): Promise<number> {
    return this.#byUser.get(userId)?.get(channel) ?? 0;
  }

  async getMany(channel: string, userIds: readonly string[]): Promise<number[]> {
    return userIds.map((userId) => this.#byUser.get(userId)?.get(channel) ?? 0);
  }

  async all(userId: string): Promise<Map<string, number>> {
    return new Map(this.#byUser.get(userId));
  }
}
