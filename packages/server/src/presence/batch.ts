import { PROTOCOL_VERSION } from "@roomkit/protocol";
import type { PresenceMember, PresencePush } from "@roomkit/protocol";
import type { Server } from "socket.io";
import { logger } from "../log.js";
import { SLOW_ROOM } from "../transport/slow-consumers.js";

const log = logger("presence");

type Change = { type: "join" | "leave"; member: PresenceMember };

/** Reads how many users a channel has now, for the `count` of its pushes. */
export type PresenceCount = (channel: string) => Promise<number>;

/**
 * Gathers presence changes and sends them as one `rk:presence` push per channel: the first
 * change arms one timer (`batchMs`), and when it fires every pending channel goes out. Within a
 * batch the last change of each user wins, so a join then a leave is one leave. With `count`,
 * each push carries the channel's member count read as it goes out (left out when it cannot be
 * read), so a client holding one page of a big channel still knows how many are there.
 */
export class PresenceBatcher {
  readonly #io: Server;
  readonly #batchMs: number;
  readonly #count: PresenceCount | undefined;
  /** Pending changes: channel -> user id -> that user's last change. */
  #pending = new Map<string, Map<string, Change>>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(io: Server, batchMs: number, count?: PresenceCount) {
    this.#io = io;
    this.#batchMs = batchMs;
    this.#count = count;
  }

  /** Queues one change; the push goes out when the batch's timer fires (or on {@link flush}). */
  add(channel: string, type: "join" | "leave", member: PresenceMember): void {
    let changes = this.#pending.get(channel);
    if (!changes) this.#pending.set(channel, (changes = new Map()));
    changes.delete(member.userId); // re-inserted: the order of a push follows the last changes
    changes.set(member.userId, { type, member });
    this.#timer ??= setTimeout(() => void this.flush(), this.#batchMs);
  }

  /**
   * Sends every pending channel now, one push each, and disarms the timer. Without `count` the
   * pushes are sent before it returns; with it, each once its count is read. Resolves once all are sent.
   */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    if (pending.size === 0) return Promise.resolve();
    this.#pending = new Map();
    const sent: Promise<void>[] = [];
    for (const [channel, changes] of pending) {
      const push: PresencePush = { v: PROTOCOL_VERSION, channel, joins: [], leaves: [] };
      for (const { type, member } of changes.values()) (type === "join" ? push.joins : push.leaves).push(member);
      if (!this.#count) this.#send(push);
      else sent.push(this.#withCount(this.#count, push));
    }
    return sent.length === 0 ? Promise.resolve() : Promise.all(sent).then(() => undefined);
  }

  async #withCount(count: PresenceCount, push: PresencePush): Promise<void> {
    try {
      push.count = await count(push.channel);
    } catch (err) {
      log("could not count the presence of %s: %O", push.channel, err);
    }
    this.#send(push);
  }

  /** Sent from a timer: a failing broadcast is logged, and the other channels still go out. */
  #send(push: PresencePush): void {
    try {
      this.#io.to(push.channel).except(SLOW_ROOM).emit("rk:presence", push);
    } catch (err) {
      log("could not send the presence of %s: %O", push.channel, err);
    }
  }
}
