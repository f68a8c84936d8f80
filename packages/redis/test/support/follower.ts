import type { Socket } from "socket.io-client";
import type { Message } from "@roomkit/protocol";
import { request } from "./nodes.js";

/**
 * What a client SDK does to see a channel's messages exactly once and in order across
 * reconnects and nodes, done by hand on a raw socket: subscribe with `{ since, epoch }` after
 * every (re)connection, drop what it has seen, hold what came early, and fetch a gap from
 * history when it does not fill by itself.
 */
export class Follower {
  /** What the app would see: each message once, in seq order. */
  readonly delivered: Message[] = [];
  /** Pushes dropped because they were seen already (replayed and pushed, or pushed twice). */
  duplicates = 0;
  /** Subscribes that answered `recovered: false`: the test fails on any. */
  readonly lost: number[] = [];
  readonly #socket: Socket;
  readonly #channel: string;
  readonly #early = new Map<number, Message>();
  #epoch: string | undefined;
  #subscribing = false;
  #gapTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: Socket, channel: string) {
    this.#socket = socket;
    this.#channel = channel;
    socket.on("rk:message", ({ message }: { message: Message }) => message.channel === channel && this.#offer(message));
    socket.on("rk:welcome", () => void this.#subscribe());
    if (socket.connected) void this.#subscribe();
  }

  /** True once a subscribe was acknowledged. */
  get subscribed(): boolean {
    return this.#epoch !== undefined;
  }

  get last(): number {
    return this.delivered.at(-1)?.seq ?? 0;
  }

  async #subscribe(): Promise<void> {
    if (this.#subscribing) return;
    this.#subscribing = true;
    try {
      while (this.#socket.connected) {
        const since = this.last;
        const ack = await request(this.#socket, "rk:subscribe", {
          channel: this.#channel,
          since,
          ...(this.#epoch ? { epoch: this.#epoch } : {}),
        }).catch(() => undefined);
        if (ack?.ok) {
          if (ack.recovered === false) this.lost.push(since);
          this.#epoch = ack.epoch as string;
          for (const message of ack.messages as Message[]) this.#offer(message);
          return;
        }
        await new Promise((done) => setTimeout(done, 100));
      }
    } finally {
      this.#subscribing = false;
    }
  }

  #offer(message: Message): void {
    if (message.seq <= this.last || this.#early.has(message.seq)) {
      this.duplicates++;
      return;
    }
    this.#early.set(message.seq, message);
    for (let next = this.#early.get(this.last + 1); next; next = this.#early.get(this.last + 1)) {
      this.#early.delete(next.seq);
      this.delivered.push(next);
    }
    clearTimeout(this.#gapTimer);
    if (this.#early.size > 0) this.#gapTimer = setTimeout(() => void this.#fillGap(), 300);
  }

  async #fillGap(): Promise<void> {
    const ack = await request(this.#socket, "rk:history", { channel: this.#channel, after: this.last, limit: 100 }).catch(() => undefined);
    if (ack?.ok) for (const message of ack.messages as Message[]) this.#offer(message);
  }
}
