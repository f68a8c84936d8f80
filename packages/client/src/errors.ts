import { RoomkitError } from "@roomkit/protocol";

/**
 * Why the client itself (not the server) failed a request. These errors have code
 * `UNAVAILABLE`, and `details.failure` says which:
 *
 * - `timeout`: no answer within the time allowed, after every retry.
 * - `disconnected`: the connection dropped while the request was out (requests other than sends are not retried).
 * - `outbox-full`: too many sends are already waiting (see `outbox.limit`).
 * - `closed`: the client was closed, or the channel unsubscribed, before the request could finish.
 */
export type ClientFailure = "timeout" | "disconnected" | "outbox-full" | "closed";

/** An error the client raises itself: code `UNAVAILABLE` with `details.failure`. */
export function clientError(failure: ClientFailure, message: string): RoomkitError {
  return new RoomkitError("UNAVAILABLE", message, { failure });
}

/**
 * The {@link ClientFailure} of an error, or `undefined` for an error the server sent.
 *
 * @example
 * try { await dm.send({ text }) } catch (err) { if (failureOf(err) === "timeout") showRetry() }
 */
export function failureOf(err: unknown): ClientFailure | undefined {
  if (!(err instanceof RoomkitError)) return undefined;
  const failure = err.details?.failure;
  return failure === "timeout" || failure === "disconnected" || failure === "outbox-full" || failure === "closed" ? failure : undefined;
}

/** Errors worth trying again later with the same request: the server or the link is busy or away. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof RoomkitError)) return false;
  // A cap (`details.limit`, e.g. subscriptions per connection) does not lift by waiting.
  if (err.code === "RATE_LIMITED") return err.details?.limit === undefined;
  return err.code === "UNAVAILABLE";
}

/** Any thrown value as a {@link RoomkitError} (an unexpected one becomes `INTERNAL`). */
export function asRoomkitError(err: unknown): RoomkitError {
  if (err instanceof RoomkitError) return err;
  return new RoomkitError("INTERNAL", err instanceof Error ? err.message : String(err));
}
