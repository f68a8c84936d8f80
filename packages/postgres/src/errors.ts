import { RoomkitError } from "@roomkit/protocol";

/**
 * SQLSTATE classes and codes that mean "PostgreSQL cannot serve right now", not "the request
 * was wrong": connection exceptions (08), insufficient resources (53), operator intervention
 * (57: shutdown, restart, statement timeout), serialization failures and deadlocks (40), locks not available.
 */
const TRANSIENT = [/^08/, /^53/, /^57/, /^40001$/, /^40P01$/, /^55P03$/, /^58/];
/** Data a client sent that PostgreSQL cannot store (a NUL character, an invalid escape). */
const UNSTORABLE = new Set(["22021", "22P05"]);

/**
 * What a failed query becomes for the server, decided here and nowhere else: unreachable,
 * restarting, timed out or overloaded is `UNAVAILABLE` (the client may retry); text PostgreSQL
 * cannot hold is `INVALID`; any other database error is a bug and stays as it is.
 */
export function storeError(err: unknown): unknown {
  if (err instanceof RoomkitError || err instanceof TypeError) return err;
  const { code, severity } = (err ?? {}) as { code?: unknown; severity?: unknown };
  if (typeof code === "string" && UNSTORABLE.has(code))
    return new RoomkitError("INVALID", "the value cannot be stored (PostgreSQL refused its text)");
  // Errors from PostgreSQL carry a severity; the driver's own (connection refused, reset, timed out) do not.
  const database = typeof severity === "string";
  if (database && !(typeof code === "string" && TRANSIENT.some((pattern) => pattern.test(code)))) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new RoomkitError("UNAVAILABLE", `the store is unavailable (PostgreSQL: ${reason})`);
}

/** Runs a query, turning the errors above into their codes. */
export function guard<T>(call: Promise<T>): Promise<T> {
  return call.catch((err: unknown) => {
    throw storeError(err);
  });
}
