import { PROTOCOL_VERSION } from "@roomkit/protocol";
import type { PresenceMember, PresencePush } from "@roomkit/protocol";
import type { Server } from "socket.io";
import { logger } from "../log.js";
import { SLOW_ROOM } from "../transport/slow-consumers.js";

const log = logger("presence");

type Change = { type: "join" | "leave"; member: PresenceMember };

/**
 * Gathers presence changes and sends them as one `rk:presence` push per channel: the first
 * change arms one timer (`batchMs`), and when it fires every pending channel goes out. Within a
 * batch the last change of each user wins, so a join then a leave is one leave.
 */
export class PresenceBatcher {
  readonly #io: Server;
  readonly #batchMs: number;
  /** Pending changes: channel -> user id -> that user's last change. */
  #pending = new Map<string, Map<string, Change>>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(io: Server, batchMs: number) {
    this.#io = io;
    this.#batchMs = batchMs;
  }

  /** Queues one change; the push goes out when the batch's timer fires (or on {@link flush}). */
  add(channel: string, type: "join" | "leave", member: PresenceMember): void {
    let changes = this.#pending.get(channel);
    if (!changes) this.#pending.set(channel, (changes = new Map()));
    changes.delete(member.userId); // re-inserted: the order of a push follows the last changes
    changes.set(member.userId, { type, member });
    this.#timer ??= setTimeout(() => this.flush(), this.#batchMs);
  }

  /** Sends every pending channel now, one push each, and disarms the timer. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    if (pending.size === 0) return;
    this.#pending = new Map();
    for (const [channel, changes] of pending) {
      const push: PresencePush = { v: PROTOCOL_VERSION, channel, joins: [], leaves: [] };
      for (const { type, member } of changes.values()) (type === "join" ? push.joins : push.leaves).push(member);
      // Sent from a timer: a failing broadcast is logged, and the other channels still go out.
      try {
        this.#io.to(channel).except(SLOW_ROOM).emit("rk:presence", push);
      } catch (err) {
        log("could not send the presence of %s: %O", channel, err);
      }
    }
  }
}
