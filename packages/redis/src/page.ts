import type { MemberPage, PageQuery } from "@roomkit/server";

/**
 * A page query as script arguments: the cursor (a join score; `""` from the start, `"-"` for a
 * cursor this store did not make) and the limit.
 */
export function cursorArgs(query: PageQuery): [string, string] {
  if (!Number.isInteger(query?.limit) || query.limit < 1) throw new TypeError("limit must be an integer of at least 1");
  const after = query.after === undefined ? "" : /^\d{1,15}$/.test(query.after) ? query.after : "-";
  return [after, String(query.limit)];
}

/** A page script's reply `{count, next, (key, value)...}` as a page, each pair made a member by `member`. */
export function pageOf<T>(flat: (string | number)[], member: (key: string, value: string) => T): MemberPage<T> {
  const members: T[] = [];
  for (let i = 2; i < flat.length; i += 2) members.push(member(String(flat[i]), String(flat[i + 1])));
  const count = Number(flat[0]);
  const next = String(flat[1]);
  return next === "" ? { members, count } : { members, count, next };
}
