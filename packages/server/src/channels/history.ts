import type { HistoryResult } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { Payload } from "../requests/fields.js";
import { optionalInt } from "../requests/fields.js";
import { assertAccess, resolve } from "./access.js";

const DEFAULT_PAGE = 50;

/** `rk:history`: a page of a channel the user may read, in ascending seq order. */
export async function history(ctx: Context, session: Session, p: Payload): Promise<HistoryResult> {
  const ch = resolve(ctx, p.channel);
  const before = optionalInt(p, "before", 1);
  const after = optionalInt(p, "after", 0);
  const limit = optionalInt(p, "limit", 1, ctx.maxPage) ?? Math.min(DEFAULT_PAGE, ctx.maxPage);
  await assertAccess(ctx, session, "read", ch);
  return ctx.stores.messages.range(ch.id, {
    limit,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  });
}
