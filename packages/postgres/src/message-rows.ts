import type { ChangeEntry, ChangeType, Message, ReactionCount } from "@roomkit/protocol";
import { decodeBody } from "@roomkit/server";

/** The columns of `entries` the message store reads, plus `mine` (the reader's reactions). */
export const ENTRY_COLUMNS =
  "e.seq, e.kind, e.ref, e.id, e.sender, e.sent_at, e.client_id, e.body, e.reaction, e.count, e.version, e.edited_at, " +
  "e.deleted_by, e.deleted_at, e.reactions, e.replies, e.last_reply_at";

/** `mine` for the reader in parameter `$n`: the reactions they gave to the entry. */
export const mineColumn = (n: number) =>
  `CASE WHEN e.kind = 'm' AND e.reactions IS NOT NULL AND $${n}::text IS NOT NULL THEN ` +
  `ARRAY(SELECT r.reaction FROM {s}.reactions r WHERE r.channel = e.channel AND r.seq = e.seq AND r.user_id = $${n}) END AS mine`;

/** One row of `entries` as the driver gives it (bigint columns arrive as strings). */
export interface EntryRow {
  seq: string | number;
  kind?: string;
  ref: string | number | null;
  id: string | null;
  sender: string;
  sent_at: number;
  client_id: string | null;
  body: unknown;
  reaction?: string | null;
  count?: number | null;
  version: string | number | null;
  edited_at: number | null;
  deleted_by: string | null;
  deleted_at: number | null;
  reactions: Array<[string, number]> | null;
  replies: number | null;
  last_reply_at: number | null;
  mine: string[] | null;
}

const CHANGE_TYPES: Record<string, ChangeType> = { e: "edit", d: "delete", r: "react", u: "unreact" };

const decoded = (body: unknown) => decodeBody(body as Parameters<typeof decodeBody>[0]);

/** A message row as the message is now, `mine` for the row's reader. */
export function messageOf(channel: string, row: EntryRow): Message {
  const seq = Number(row.seq);
  const message = { id: row.id, channel, seq, from: row.sender, sentAt: row.sent_at } as Message;
  if (row.body !== null) message.body = decoded(row.body);
  if (row.client_id !== null) message.clientId = row.client_id;
  message.version = row.version === null ? seq : Number(row.version);
  if (row.ref !== null) message.replyTo = Number(row.ref);
  if (row.edited_at !== null) message.editedAt = row.edited_at;
  if (row.deleted_by !== null) message.deleted = { by: row.deleted_by, at: row.deleted_at ?? 0 };
  if (row.reactions && row.reactions.length > 0) {
    const mine = new Set(row.mine ?? []);
    message.reactions = row.reactions.map(([reaction, count]): ReactionCount => ({ reaction, count, mine: mine.has(reaction) }));
  }
  if (row.replies) message.replies = { count: row.replies, lastAt: row.last_reply_at ?? 0 };
  return message;
}

/** A change entry row as stored. */
export function changeOf(channel: string, row: EntryRow): ChangeEntry {
  const base = { channel, seq: Number(row.seq), target: Number(row.ref), by: row.sender, at: row.sent_at };
  const type = CHANGE_TYPES[row.kind ?? ""];
  if (type === "edit") return row.body === null ? ({ type, ...base } as ChangeEntry) : { type, ...base, body: decoded(row.body) };
  if (type === "delete") return { type, ...base };
  return { type: type ?? "react", ...base, reaction: row.reaction ?? "", count: row.count ?? 0 };
}
