import type { Message, RoomkitError } from "@roomkit/protocol";
import { asRoomkitError } from "./errors.js";
import { ObservableValue } from "./observable.js";

/**
 * A send not stored yet, as a view shows it (optimistically, after the stored messages).
 *
 * - `sending`: in the outbox (waiting for the connection, or in flight).
 * - `failed`: refused, or out of retries; `error` says why. `retry()` sends it again with the same
 *   `clientId` (never stored twice); `discard()` drops it.
 */
export interface PendingSend<Body = unknown> {
  /** The send's `clientId`: a stable key for a UI row. */
  readonly key: string;
  /** The body as given to `send` / `reply`. */
  readonly body: Body;
  /** For a reply: the seq of the message it replies to. */
  readonly replyTo?: number;
  readonly state: "sending" | "failed";
  readonly error?: RoomkitError;
  /** Sends a failed one again (while sending: the send under way); resolves with the stored message. */
  retry(): Promise<Message<Body>>;
  /** Drops it from the views (a send in flight still completes). */
  discard(): void;
}

/** Starts one attempt of a send with a fixed `clientId`: the outbox does the retrying. */
export type SendRun = () => Promise<Message>;

/**
 * One channel's sends that are not stored yet. Failed ones stay, for a UI to offer a retry,
 * while a view is open (`keepFailed`); otherwise the caller's rejected promise is all there is.
 */
export class PendingSends {
  readonly list = new ObservableValue<readonly PendingSend[]>([]);

  constructor(private readonly keepFailed: () => boolean) {}

  /** Tracks a send from now until it is stored (or fails and is not kept). */
  track(key: string, body: unknown, replyTo: number | undefined, run: SendRun): Promise<Message> {
    let underway: Promise<Message>;
    const entry = (state: "sending" | "failed", error?: RoomkitError): PendingSend => ({
      key,
      body,
      ...(replyTo === undefined ? {} : { replyTo }),
      state,
      ...(error === undefined ? {} : { error }),
      retry: () => (state === "failed" ? attempt() : underway),
      discard: () => this.#remove(key),
    });
    const attempt = (): Promise<Message> => {
      this.#put(entry("sending"));
      underway = run().then(
        (message) => {
          this.#remove(key);
          return message;
        },
        (err: unknown) => {
          const error = asRoomkitError(err);
          if (this.keepFailed() && this.#has(key)) this.#put(entry("failed", error));
          else this.#remove(key);
          throw error;
        },
      );
      return underway;
    };
    return attempt();
  }

  /** Forgets the failed sends (the last view closed: nobody shows them). */
  dropFailed(): void {
    const list = this.list.current;
    if (list.some((p) => p.state === "failed")) this.list.set(list.filter((p) => p.state !== "failed"));
  }

  #has(key: string): boolean {
    return this.list.current.some((p) => p.key === key);
  }

  #put(next: PendingSend): void {
    const list = this.list.current;
    const index = list.findIndex((p) => p.key === next.key);
    this.list.set(index < 0 ? [...list, next] : list.map((p, i) => (i === index ? next : p)));
  }

  #remove(key: string): void {
    if (this.#has(key)) this.list.set(this.list.current.filter((p) => p.key !== key));
  }
}
