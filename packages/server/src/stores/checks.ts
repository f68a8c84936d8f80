import type { AppendInput, RangeQuery } from "./types.js";

/**
 * Throws a `TypeError` on an append no server would make: for store implementers, so every
 * store refuses the same programming errors the same way.
 */
export function checkAppendInput(input: AppendInput): void {
  const { channel, from, sentAt, clientId } = input;
  if (typeof channel !== "string" || channel === "") throw new TypeError("channel must be a non-empty string");
  if (typeof from !== "string" || from === "") throw new TypeError("from must be a non-empty string");
  if (!Number.isFinite(sentAt)) throw new TypeError("sentAt must be a finite number");
  if (clientId !== undefined && typeof clientId !== "string") throw new TypeError("clientId must be a string");
}

/** Throws a `TypeError` on a malformed {@link RangeQuery}; for store implementers. */
export function checkRangeQuery(query: RangeQuery): void {
  const { after, before, limit } = query;
  if (!Number.isInteger(limit) || limit < 0) throw new TypeError("limit must be a non-negative integer");
  if (after !== undefined && (!Number.isInteger(after) || after < 0)) throw new TypeError("after must be a non-negative integer");
  if (before !== undefined && (!Number.isInteger(before) || before < 0)) throw new TypeError("before must be a non-negative integer");
}
