import type { ChangeEntry, Message } from "@roomkit/protocol";
import type { Context } from "../context.js";
import { fitPacket, packetBudget } from "./packet-budget.js";
import type { PacketBudget } from "./packet-budget.js";

/** What a subscribe with `since` answers about the gap. */
export interface Recovery {
  latest: number;
  epoch: string;
  recovered: boolean;
  /** The gap's messages as they are now, ascending. */
  messages: Message[];
  /** The gap's change entries, ascending, including those to messages older than `since`. */
  changes: ChangeEntry[];
  /** The replay stops before `latest` (its attachments would not fit in one packet): subscribe again from its last seq. */
  hasMore: boolean;
}

type Entry = { seq: number; body?: unknown; message?: Message; change?: ChangeEntry };

/** The replay's messages and changes as one run in seq order, cut where its attachments would not fit in one packet. */
function fitReplay(
  messages: Message[],
  changes: ChangeEntry[],
  budget: PacketBudget,
): { messages: Message[]; changes: ChangeEntry[]; cut: boolean } {
  const entries: Entry[] = [
    ...messages.map((message) => ({ seq: message.seq, body: message.body, message })),
    ...changes.map((change) => ({ seq: change.seq, body: change.type === "edit" ? change.body : undefined, change })),
  ].sort((a, b) => a.seq - b.seq);
  const fitted = fitPacket(entries, "oldest", budget);
  if (!fitted.cut) return { messages, changes, cut: false };
  const last = fitted.messages[fitted.messages.length - 1]!.seq;
  return { messages: messages.filter((m) => m.seq <= last), changes: changes.filter((c) => c.seq <= last), cut: true };
}

/**
 * Every entry after `since`, messages and changes, or `recovered: false` when they cannot all be
 * given: the epoch changed, the store knows less than the client (a restarted in-memory server),
 * the gap is older than retention, or longer than `maxReplay`. A replay whose attachments would
 * not fit in one packet keeps its oldest run and says `hasMore`. `reader` marks their own reactions.
 */
export async function recover(ctx: Context, channel: string, since: number, epoch: string | undefined, reader: string): Promise<Recovery> {
  const stream = await ctx.stores.messages.stream(channel);
  const base = { latest: stream.latest, epoch: stream.epoch, messages: [], changes: [], hasMore: false };
  const lost = { ...base, recovered: false };
  if (epoch !== undefined && epoch !== stream.epoch) return lost;
  if (since > stream.latest) return lost;
  if (since === stream.latest) return { ...base, recovered: true };
  if (since + 1 < stream.oldest || stream.latest - since > ctx.maxReplay) return lost;
  const replay = await ctx.stores.messages.replay(channel, { after: since, limit: stream.latest - since, reader });
  // Retention may trim between stream() and replay(): a replay that does not start right after `since` is a gap.
  if (Math.min(replay.messages[0]?.seq ?? Infinity, replay.changes[0]?.seq ?? Infinity) !== since + 1) return lost;
  const fitted = fitReplay(replay.messages, replay.changes, packetBudget(ctx.limits));
  return { ...base, recovered: true, messages: fitted.messages, changes: fitted.changes, hasMore: fitted.cut };
}
