import { RoomkitError } from "@roomkit/protocol";
import type { ErrorCode } from "@roomkit/protocol";
import { logger } from "./log.js";

const log = logger("hooks");

/** Runs an app hook; what it throws is logged, never passed on to a client or the process. */
export function callHook<E>(name: string, hook: ((event: E) => unknown) | undefined, event: E): void {
  if (!hook) return;
  try {
    const result = hook(event);
    if (result instanceof Promise) result.catch((err: unknown) => log("hook %s rejected: %O", name, err));
  } catch (err) {
    log("hook %s threw: %O", name, err);
  }
}

/**
 * Asks an app hook that may refuse (`canAddMember`...): `false` or `{ reject }` throws `code`
 * with the hook's reason (or `refusal`). What the hook throws fails the request like
 * `beforeMessage`'s: a `RoomkitError` keeps its code, anything else is `INTERNAL`.
 */
export async function askHook<E>(
  hook: ((event: E) => boolean | { reject: string } | Promise<boolean | { reject: string }>) | undefined,
  event: E,
  code: ErrorCode,
  refusal: string,
): Promise<void> {
  if (!hook) return;
  const verdict = await hook(event);
  if (verdict === false) throw new RoomkitError(code, refusal);
  if (typeof verdict === "object" && verdict !== null && typeof verdict.reject === "string")
    throw new RoomkitError(code, verdict.reject.slice(0, 200));
}
