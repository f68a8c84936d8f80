/**
 * Every error a Roomkit request can be refused with. The set is closed: a client can switch
 * over it exhaustively.
 *
 * - `UNAUTHENTICATED`: no valid identity: the handshake was refused (no token, a bad or expired one).
 * - `FORBIDDEN`: the user is known but policy does not allow this (not a member, muted, not a publisher).
 * - `NOT_FOUND`: the room does not exist (for the server API only), or the member acted on is not in it.
 * - `INVALID`: the request is malformed (bad channel id, unknown family, body fails its schema).
 * - `TOO_LARGE`: a body or attachment is over the configured byte limit.
 * - `RATE_LIMITED`: too many requests of this kind, per connection or per user (`details.retryAfterMs`
 *   says when to retry), or a cap reached: subscriptions on one connection, rooms owned or joined
 *   by the user (`details.limit`).
 * - `CONFLICT`: the request clashes with stored state (a room id that is not available, an existing member).
 * - `UNAVAILABLE`: a store or the server is not able to serve right now (shutting down, Redis down); retry later.
 * - `INTERNAL`: a bug on the server; the request had no effect that can be relied on.
 */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "INVALID"
  | "TOO_LARGE"
  | "RATE_LIMITED"
  | "CONFLICT"
  | "UNAVAILABLE"
  | "INTERNAL";

/** All error codes, in documentation order. */
export const ERROR_CODES: readonly ErrorCode[] = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "INVALID",
  "TOO_LARGE",
  "RATE_LIMITED",
  "CONFLICT",
  "UNAVAILABLE",
  "INTERNAL",
];

/** The error as it travels on the wire, inside `{ ok: false, error }`. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** Extra facts for a program, e.g. `{ retryAfterMs: 250 }` or `{ issues: [...] }`. */
  details?: Record<string, unknown>;
}

/** True when `value` is one of the {@link ErrorCode}s. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * An error with a Roomkit {@link ErrorCode}. The server turns it into an ack; the client
 * rejects with it.
 *
 * @example
 * try {
 *   await room.send({ text: "hi" });
 * } catch (err) {
 *   if (err instanceof RoomkitError && err.code === "FORBIDDEN") showMuted();
 * }
 */
export class RoomkitError extends Error {
  override readonly name = "RoomkitError";
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** The wire form of this error. */
  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error from its wire form; an unknown code becomes `INTERNAL`. */
  static fromPayload(payload: unknown): RoomkitError {
    const p = (payload ?? {}) as Partial<ErrorPayload>;
    const code = isErrorCode(p.code) ? p.code : "INTERNAL";
    const message = typeof p.message === "string" ? p.message : "unknown error";
    const details = p.details && typeof p.details === "object" ? p.details : undefined;
    return new RoomkitError(code, message, details);
  }
}
