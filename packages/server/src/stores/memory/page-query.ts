import type { PageQuery } from "../types.js";

/** Throws a `TypeError` for a page query the server never sends: a limit that is not an integer of at least 1, a cursor that is not a string. */
export function checkPageQuery(query: PageQuery): void {
  if (!Number.isInteger(query?.limit) || query.limit < 1) throw new TypeError("limit must be an integer of at least 1");
  if (query.after !== undefined && typeof query.after !== "string") throw new TypeError("after must be a string");
}
