import { isValidReaction } from "@roomkit/protocol";
import type { AppendInput, ChangeInput, RangeQuery, ReplayQuery } from "./types.js";

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
  if (input.replyTo !== undefined && !(Number.isSafeInteger(input.replyTo) && input.replyTo >= 1))
    throw new TypeError("replyTo must be a positive integer");
}

/** Throws a `TypeError` on a malformed {@link RangeQuery}; for store implementers. */
export function checkRangeQuery(query: RangeQuery): void {
  const { after, before, limit, thread } = query;
  if (!Number.isInteger(limit) || limit < 0) throw new TypeError("limit must be a non-negative integer");
  if (after !== undefined && (!Number.isInteger(after) || after < 0)) throw new TypeError("after must be a non-negative integer");
  if (before !== undefined && (!Number.isInteger(before) || before < 0)) throw new TypeError("before must be a non-negative integer");
  if (thread !== undefined && (!Number.isInteger(thread) || thread < 1)) throw new TypeError("thread must be a positive integer");
  checkReader(query.reader);
}

/** Throws a `TypeError` on a malformed {@link ReplayQuery}; for store implementers. */
export function checkReplayQuery(query: ReplayQuery): void {
  if (!Number.isInteger(query.after) || query.after < 0) throw new TypeError("after must be a non-negative integer");
  if (!Number.isInteger(query.limit) || query.limit < 0) throw new TypeError("limit must be a non-negative integer");
  checkReader(query.reader);
}

/** Throws a `TypeError` on a change no server would make; for store implementers. */
export function checkChangeInput(input: ChangeInput): void {
  if (typeof input.channel !== "string" || input.channel === "") throw new TypeError("channel must be a non-empty string");
  if (!Number.isSafeInteger(input.target) || input.target < 1) throw new TypeError("target must be a positive integer");
  if (typeof input.by !== "string" || input.by === "") throw new TypeError("by must be a non-empty string");
  if (!Number.isFinite(input.at)) throw new TypeError("at must be a finite number");
  if (input.type === "react" || input.type === "unreact") {
    if (!isValidReaction(input.reaction)) throw new TypeError("reaction must be a valid reaction (isValidReaction)");
    if (!Number.isInteger(input.maxReactions) || input.maxReactions < 1) throw new TypeError("maxReactions must be a positive integer");
  } else if (input.type !== "edit" && input.type !== "delete") {
    throw new TypeError("type must be edit, delete, react or unreact");
  }
}

function checkReader(reader: unknown): void {
  if (reader !== undefined && (typeof reader !== "string" || reader === "")) throw new TypeError("reader must be a non-empty string");
}
