import type { HistoryResult } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import type { Payload } from "../requests/fields.js";
import { optionalInt } from "../requests/fields.js";
import { assertAccess, resolve } from "./access.js";
import { fitPacket, packetBudget } from "./packet-budget.js";

const DEFAULT_PAGE = 50;

/**
 * `rk:history`: a page of a channel the user may read (or of one thread, with `thread`), in
 * ascending seq order, each message as it is now with the user's own reactions marked `mine`.
 * It ends early where its attachments would not fit in one packet (the far end from `after`, or
 * the oldest end when paging back), and `hasMore` says so.
 */
export async function history(ctx: Context, session: Session, p: Payload): Promise<HistoryResult> {
  const ch = resolve(ctx, p.channel);
  const before = optionalInt(p, "before", 1);
  const after = optionalInt(p, "after", 0);
  const limit = optionalInt(p, "limit", 1, ctx.maxPage) ?? Math.min(DEFAULT_PAGE, ctx.maxPage);
  const thread = optionalInt(p, "thread", 1);
  await assertAccess(ctx, session, "read", ch);
  const page = await ctx.stores.messages.range(ch.id, {
    limit,
    reader: session.user.id,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
    ...(thread === undefined ? {} : { thread }),
  });
  const { messages, cut } = fitPacket(page.messages, after === undefined ? "newest" : "oldest", packetBudget(ctx.limits));
  return { messages, hasMore: page.hasMore || cut };
}
