import type { ReadStateStore } from "@roomkit/server";
import { checkPrefix, tagged } from "./keys.js";
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

/** A user's read state key: `read/{<user>}`, a hash of channel -> last read seq. */
export function readKey(prefix: string, userId: string): string {
  return `${prefix}read/${tagged(userId)}`;
}

/** At most this many marks wait to be taken; past it they are forgotten (the next mark then costs a round trip). */
const MAX_NOTED = 10_000;

/**
 * The sender marks an append already raised, in the append's own script: the server's
 * `mark(sender, channel, seq)` that follows each message is then answered from here, without a
 * second round trip to Redis. Each noted mark answers one call, for the appended seq.
 * The answer is the mark as the append left it; a later raise by another node is not in it, as
 * if the call had run just before that raise.
 */
export class SenderMarks {
  readonly #noted = new Map<string, { seq: number; mark: number }>();

  /** The append of `seq` raised the sender's mark to `mark` (at least `seq`). */
  note(userId: string, channel: string, seq: number, mark: number): void {
    if (this.#noted.size >= MAX_NOTED) this.#noted.clear();
    this.#noted.set(`${userId}\n${channel}`, { seq, mark });
  }

  /** The noted mark, once, for a call that raises to the appended seq itself; else undefined. */
  take(userId: string, channel: string, seq: number): number | undefined {
    const key = `${userId}\n${channel}`;
    const noted = this.#noted.get(key);
    if (noted?.seq !== seq) return undefined;
    this.#noted.delete(key);
    return noted.mark;
  }
}

/**
 * Per-user read positions in Redis: `read/{<user>}` is a hash of channel -> last read seq,
 * raised atomically so concurrent marks from many nodes end at the highest. One user's read
 * state is one key, so on Redis Cluster it is in one slot.
 *
 * @example
 * const reads = new RedisReadStateStore(client, { prefix: "myapp:" });
 * await reads.mark("alice", "room:42", 17); // 17
 */
export class RedisReadStateStore implements ReadStateStore {
  readonly #client: CommandClient;
  readonly #prefix: string;
  readonly #noted: SenderMarks | undefined;

  constructor(client: CommandClient, options: { prefix?: string; senderMarks?: SenderMarks } = {}) {
    this.#client = client;
    this.#prefix = checkPrefix(options.prefix ?? "rk:");
    this.#noted = options.senderMarks;
  }

  async mark(userId: string, channel: string, seq: number): Promise<number> {
    if (typeof userId !== "string" || userId === "") throw new TypeError("userId must be a non-empty string");
    if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
    if (!Number.isInteger(seq) || seq < 0) throw new TypeError("seq must be a non-negative integer");
    const noted = this.#noted?.take(userId, channel, seq);
    if (noted !== undefined) return noted;
    return (await guard(MARK.run(this.#client, [readKey(this.#prefix, userId)], [channel, String(seq)]))) as number;
  }

  async get(userId: string, channel: string): Promise<number> {
    const seq = (await guard(this.#client.sendCommand(["HGET", readKey(this.#prefix, userId), channel]))) as string | null;
    return seq === null ? 0 : Number(seq);
  }

  /** One `HGET` per user, all sent at once (one pipeline, one round trip). */
  async getMany(channel: string, userIds: readonly string[]): Promise<number[]> {
    return Promise.all(userIds.map((userId) => this.get(userId, channel)));
  }

  async all(userId: string): Promise<Map<string, number>> {
    const flat = (await guard(this.#client.sendCommand(["HGETALL", readKey(this.#prefix, userId)]))) as string[];
    const marks = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) marks.set(flat[i]!, Number(flat[i + 1]));
    return marks;
  }
}
