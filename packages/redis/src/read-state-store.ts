import type { ReadStateStore } from "@roomkit/server";
import { checkPrefix, keyPart } from "./keys.js";
import { Script } from "./script.js";
import type { CommandClient } from "./script.js";
import { guard } from "./unavailable.js";

/** KEYS reads; ARGV channel seq -> the mark after raising it */
const MARK = new Script(`
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
local seq = tonumber(ARGV[2])
if seq > current then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return seq
end
return current
`);

export const READ_STATE_SCRIPTS = [MARK];

/**
 * Per-user read positions in Redis: `read/<user>` is a hash of channel -> last read seq,
 * raised atomically so concurrent marks from many nodes end at the highest.
 *
 * @example
 * const reads = new RedisReadStateStore(client, { prefix: "myapp:" });
 * await reads.mark("alice", "room:42", 17); // 17
 */
export class RedisReadStateStore implements ReadStateStore {
  readonly #client: CommandClient;
  readonly #prefix: string;

  constructor(client: CommandClient, options: { prefix?: string } = {}) {
    this.#client = client;
    this.#prefix = checkPrefix(options.prefix ?? "rk:");
  }

  async mark(userId: string, channel: string, seq: number): Promise<number> {
    if (typeof userId !== "string" || userId === "") throw new TypeError("userId must be a non-empty string");
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    if (!Number.isInteger(seq) || seq < 0) throw new TypeError("seq must be a non-negative integer");
    return (await guard(MARK.run(this.#client, [this.#key(userId)], [channel, String(seq)]))) as number;
  }

  async get(userId: string, channel: string): Promise<number> {
    const seq = (await guard(this.#client.sendCommand(["HGET", this.#key(userId), channel]))) as string | null;
    return seq === null ? 0 : Number(seq);
  }

  /** One `HGET` per user, all sent at once (one pipeline, one round trip). */
  async getMany(channel: string, userIds: readonly string[]): Promise<number[]> {
    return Promise.all(userIds.map((userId) => this.get(userId, channel)));
  }

  async all(userId: string): Promise<Map<string, number>> {
    const flat = (await guard(this.#client.sendCommand(["HGETALL", this.#key(userId)]))) as string[];
    const marks = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) marks.set(flat[i]!, Number(flat[i + 1]));
    return marks;
  }

  #key(userId: string): string {
    return `${this.#prefix}read/${keyPart(userId)}`;
  }
}
