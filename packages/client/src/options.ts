import type { ManagerOptions, SocketOptions } from "socket.io-client";

/** What the server's `authenticate` reads from `handshake.auth` (a token, usually). */
export type AuthPayload = Record<string, unknown>;

/** Options of {@link createClient}; every one has a default. */
export interface ClientOptions {
  /**
   * Credentials sent with each connection attempt. A function is called before every attempt,
   * so a fresh token can be fetched for each reconnect.
   */
  auth?: AuthPayload | (() => AuthPayload | Promise<AuthPayload>);
  /** How long a request other than a send waits for its ack. Default 10 000 ms. */
  requestTimeoutMs?: number;
  send?: {
    /** How long one attempt of a send waits for its ack. Default 10 000 ms. */
    timeoutMs?: number;
    /** Attempts after the first, on a timeout or `UNAVAILABLE`; drops do not use them up. Default 2. */
    retries?: number;
  };
  outbox?: {
    /** Most sends waiting (offline or in flight) at once; more are refused with `outbox-full`. Default 100. */
    limit?: number;
  };
  reconnect?: {
    /** First delay before reconnecting; doubles per failed attempt, with jitter. Default 500 ms. */
    minDelayMs?: number;
    /** Longest delay between attempts. Default 10 000 ms. */
    maxDelayMs?: number;
  };
  ordering?: {
    /**
     * How long a message that arrived ahead of a missing one is held before the gap is fetched
     * with a replay (messages from several server nodes can arrive out of order). Default 500 ms.
     */
    gapTimeoutMs?: number;
  };
  history?: {
    /** Messages loaded after `recovered: false` (a `reset`). Default: the server's page size (50). */
    resetPageSize?: number;
  };
  /** Passed to socket.io-client (`path`, `transports`, `extraHeaders`...). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

/** {@link ClientOptions} with the defaults filled in. */
export interface ResolvedOptions {
  requestTimeoutMs: number;
  send: { timeoutMs: number; retries: number };
  outboxLimit: number;
  reconnect: { minDelayMs: number; maxDelayMs: number };
  gapTimeoutMs: number;
  resetPageSize: number | undefined;
}

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  return {
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    send: { timeoutMs: options.send?.timeoutMs ?? 10_000, retries: options.send?.retries ?? 2 },
    outboxLimit: options.outbox?.limit ?? 100,
    reconnect: { minDelayMs: options.reconnect?.minDelayMs ?? 500, maxDelayMs: options.reconnect?.maxDelayMs ?? 10_000 },
    gapTimeoutMs: options.ordering?.gapTimeoutMs ?? 500,
    resetPageSize: options.history?.resetPageSize,
  };
}
