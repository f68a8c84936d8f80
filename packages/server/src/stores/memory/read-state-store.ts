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
