import { RoomkitError, isErrorCode } from "@roomkit/protocol";
import type { ErrorCode, User } from "@roomkit/protocol";
import type { Socket } from "socket.io-client";
import { Emitter } from "./emitter.js";
import { clientError } from "./errors.js";
import { ObservableValue } from "./observable.js";
import type { RoomkitSocket } from "./request.js";
import type { ConnectionState, DropReason, StopReason } from "./state.js";
import type { Deferred } from "./timing.js";
import { backoffDelay, deferred, timer } from "./timing.js";

/** Refusals that trying again cannot fix: the credentials are wrong. */
const TERMINAL_CODES: readonly ErrorCode[] = ["UNAUTHENTICATED", "FORBIDDEN", "INVALID"];

export interface ReconnectOptions {
  minDelayMs: number;
  maxDelayMs: number;
}

type ConnectionEvents<Profile> = {
  /** Connected (after `rk:welcome`) for the `generation`-th time. */
  up: [generation: number, user: User<Profile>];
  /** The connection that was up is gone. */
  down: [];
};

function dropReason(reason: Socket.DisconnectReason): DropReason {
  if (reason === "io server disconnect") return "server-disconnect";
  if (reason === "ping timeout") return "ping-timeout";
  return "transport-closed";
}

/**
 * Owns the socket's life: the observable state, a generation number per connection, and the
 * reconnect policy. socket.io-client reconnects by itself after transport drops; it does not
 * after a server-side disconnect or a refusal in the handshake, so those are retried here
 * with backoff, except the refusals of {@link TERMINAL_CODES}.
 */
export class Connection<Profile = unknown> {
  readonly state = new ObservableValue<ConnectionState<Profile>>({ status: "connecting", attempt: 0 });
  readonly events = new Emitter<ConnectionEvents<Profile>>();
  #generation = 0;
  #attempt = 0;
  #everConnected = false;
  #bye = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #up: Deferred<User<Profile>> = deferred();
  #lastUser: User<Profile> | undefined;

  constructor(
    readonly socket: RoomkitSocket,
    private readonly backoff: ReconnectOptions,
  ) {
    socket.on("rk:welcome", (push) => this.#welcome(push.user as User<Profile>));
    socket.on("rk:bye", (push) => {
      // A slow consumer's close is a transport drop like any other: reconnect and recover.
      this.#bye = push.reason === "shutdown";
    });
    socket.on("disconnect", (reason) => this.#dropped(reason));
    socket.on("connect_error", (err) => this.#failed(err as Error & { data?: unknown }));
  }

  /** Increases with each connection; work started on an older one is stale. */
  get generation(): number {
    return this.#generation;
  }

  get isConnected(): boolean {
    return this.state.current.status === "connected" && this.socket.connected;
  }

  /** The user of the current (or last) connection. */
  get user(): User<Profile> | undefined {
    return this.#lastUser;
  }

  /** Resolves once connected (at once if connected now); rejects when the client stops for good. */
  whenConnected(): Promise<User<Profile>> {
    return this.#up.promise;
  }

  /** Starts connecting: at first, after the client stopped, or at once instead of after a backoff delay. */
  connect(): void {
    const status = this.state.current.status;
    if (status === "connected" || this.socket.active) return;
    this.#clearRetry();
    if (this.#up.settled) this.#up = deferred();
    this.#attempt = 0;
    if (status === "disconnected") this.state.set({ status: "connecting", attempt: 0 });
    this.socket.connect();
  }

  /** Stops for good: no more reconnects; waiters are rejected. */
  close(): void {
    this.#stop("closed");
  }

  #welcome(user: User<Profile>): void {
    this.#clearRetry();
    this.#attempt = 0;
    this.#bye = false;
    this.#everConnected = true;
    this.#lastUser = user;
    this.#generation++;
    this.state.set({ status: "connected", user });
    this.events.emit("up", this.#generation, user);
    if (this.#up.settled) this.#up = deferred();
    this.#up.resolve(user);
  }

  #dropped(reason: Socket.DisconnectReason): void {
    if (reason === "io client disconnect") return;
    const why = this.#bye ? "shutdown" : dropReason(reason);
    this.#bye = false;
    if (this.#up.settled) this.#up = deferred();
    this.state.set({ status: "reconnecting", attempt: 0, reason: why });
    this.events.emit("down");
    if (!this.socket.active) this.#scheduleConnect();
  }

  #failed(err: Error & { data?: unknown }): void {
    const payload = err.data as { code?: unknown } | undefined;
    const code = isErrorCode(payload?.code) ? payload.code : undefined;
    const error = code ? RoomkitError.fromPayload(payload) : undefined;
    if (code && TERMINAL_CODES.includes(code)) return this.#stop("refused", error);
    this.#attempt++;
    const reason: DropReason = code ? "unavailable" : "unreachable";
    const status = this.#everConnected ? "reconnecting" : "connecting";
    this.state.set({ status, attempt: this.#attempt, reason, ...(error ? { error } : {}) });
    if (!this.socket.active) this.#scheduleConnect();
  }

  #scheduleConnect(): void {
    this.#clearRetry();
    const delay = backoffDelay(this.#attempt, this.backoff.minDelayMs, this.backoff.maxDelayMs);
    this.#retry = timer(delay, () => {
      this.#retry = undefined;
      if (this.state.current.status !== "disconnected" && !this.socket.active) this.socket.connect();
    });
  }

  #clearRetry(): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  #stop(reason: StopReason, error?: RoomkitError): void {
    this.#clearRetry();
    const wasUp = this.state.current.status === "connected";
    this.state.set({ status: "disconnected", reason, ...(error ? { error } : {}) });
    if (this.#up.settled) this.#up = deferred();
    this.#up.reject(error ?? clientError("closed", "the client was closed"));
    this.socket.disconnect();
    if (wasUp) this.events.emit("down");
  }
}
