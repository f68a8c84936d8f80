import { brief, matches } from "./match.js";
import type { Received } from "./pushes.js";

interface Waiter {
  event: string;
  match: unknown;
  done(push: unknown): void;
}

/** What the failure of a wait names: the client, and the state of its connection now. */
export interface MailboxOwner {
  name: string;
  state(): string;
}

/** How many of the unconsumed pushes a failure message lists (the latest ones). */
const SHOWN = 12;

/**
 * The pushes one client received and no wait has taken yet, in arrival order. A wait takes the
 * first push that matches, whether it arrived before the wait began or arrives during it, so a
 * test never races the network.
 */
export class Mailbox {
  readonly #pending: Received[] = [];
  readonly #waiters = new Set<Waiter>();
  #taken = 0;

  constructor(private readonly owner: MailboxOwner) {}

  /** Records a push, handing it to the first wait that looks for it. */
  add(received: Received): void {
    for (const waiter of this.#waiters) {
      if (hit(received, waiter.event, waiter.match)) {
        this.#waiters.delete(waiter);
        this.#taken++;
        return waiter.done(received.push);
      }
    }
    this.#pending.push(received);
  }

  /** The pushes of `event` (or of every event) not taken yet, oldest first. */
  pending(event?: string): Received[] {
    return this.#pending.filter((r) => event === undefined || r.event === event);
  }

  /** Takes the first push of `event` matching `match`, waiting up to `timeoutMs` for it. */
  take(event: string, match: unknown, timeoutMs: number): Promise<unknown> {
    const at = this.#pending.findIndex((r) => hit(r, event, match));
    if (at >= 0) {
      this.#taken++;
      return Promise.resolve(this.#pending.splice(at, 1)[0]!.push);
    }
    // Made here, so that its stack points at the test's line rather than at a timer.
    const error = new Error();
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        error.message = this.#timedOut(event, match, timeoutMs);
        fail(error);
      }, timeoutMs);
      const waiter: Waiter = {
        event,
        match,
        done: (push) => {
          clearTimeout(timer);
          done(push);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Throws, listing them, when pushes of `event` matching `match` are waiting. */
  assertNone(event: string, match: unknown): void {
    const found = this.#pending.filter((r) => hit(r, event, match));
    if (found.length === 0) return;
    throw new Error(
      `${this.owner.name} received ${found.length} ${event} push(es)${match === undefined ? "" : ` matching ${brief(match)}`} but should have received none:\n${found.map(line).join("\n")}`,
    );
  }

  #timedOut(event: string, match: unknown, timeoutMs: number): string {
    const what = `${event}${match === undefined ? "" : ` matching ${brief(match)}`}`;
    const head = `${this.owner.name} received no ${what} within ${timeoutMs} ms (connection: ${this.owner.state()}).`;
    if (this.#pending.length === 0) return `${head}\nNothing else arrived that no earlier wait took (${this.#taken} taken).`;
    const shown = this.#pending.slice(-SHOWN);
    const more = this.#pending.length - shown.length;
    return `${head}\nWhat arrived instead, not taken by an earlier wait (${this.#pending.length}${more > 0 ? `, the last ${SHOWN} shown` : ""}; ${this.#taken} taken):\n${shown.map(line).join("\n")}`;
  }
}

/** Whether a push is of `event` and matches (no pattern: any push of it). */
function hit(received: Received, event: string, match: unknown): boolean {
  return received.event === event && (match === undefined || matches(received.push, match));
}

function line({ event, push }: Received): string {
  return `  - ${event} ${brief(push)}`;
}
