import { Buffer } from "node:buffer";
import type { ChangeEntry, ChangeType, Message, ReactionCount } from "@roomkit/protocol";
import { decodeBody, encodeBody } from "@roomkit/server";

/** A log entry's parts (see MESSAGE_LUA for the layout). */
interface ParsedEntry {
  seq: number;
  type: string;
  ref: number;
  head: unknown[];
  /** The JSON of `encodeBody`, or "" when the entry has no body (deleted, or scrubbed). */
  body: string;
}

/** The state a script keeps for a message that changed (see MESSAGE_LUA). */
interface MessageState {
  v?: number;
  e?: number;
  d?: [string, number];
  r?: [string, number][] | Record<string, never>;
  n?: number;
  l?: number;
}

const CHANGE_TYPES: Record<string, ChangeType> = { e: "edit", d: "delete", r: "react", u: "unreact" };

const SPACE = 0x20;

/** Cuts "<n> <bytes>" (a byte length, as Lua counts) into those `n` bytes as text and where they end. */
function sized(bytes: Buffer, from: number): [string, number] {
  const space = bytes.indexOf(SPACE, from);
  const end = space + 1 + Number(bytes.toString("latin1", from, space));
  return [bytes.toString("utf8", space + 1, end), end];
}

function parseEntry(entry: string): ParsedEntry {
  const bytes = Buffer.from(entry, "utf8");
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < 4; i++) {
    const space = bytes.indexOf(SPACE, at);
    parts.push(bytes.toString("latin1", at, space));
    at = space + 1;
  }
  const [, afterKey] = sized(bytes, at);
  const [head, afterHead] = sized(bytes, afterKey);
  return {
    seq: Number(parts[0]),
    type: parts[2]!,
    ref: Number(parts[3]),
    head: JSON.parse(head) as unknown[],
    body: bytes.toString("utf8", afterHead),
  };
}

const decoded = (body: string): unknown => decodeBody(JSON.parse(body) as ReturnType<typeof encodeBody>);

/** The JSON a script stores as an entry's body. */
export function encodeEntryBody(body: unknown): string {
  return JSON.stringify(encodeBody(body));
}

/** A message entry, with its state and the reader's `mine` flags ("1"/"0" per reaction), as it is now. */
export function decodeMessage(channel: string, entry: string, stateText: string, mine: string): Message {
  const { seq, ref, head, body } = parseEntry(entry);
  const [id, from, sentAt, clientId] = head as [string, string, number, string | null];
  const state = (stateText === "" ? {} : JSON.parse(stateText)) as MessageState;
  const message = { id, channel, seq, from, sentAt } as Message;
  if (body !== "") message.body = decoded(body);
  if (clientId !== null) message.clientId = clientId;
  message.version = state.v ?? seq;
  if (ref !== 0) message.replyTo = ref;
  if (state.e !== undefined) message.editedAt = state.e;
  if (state.d) message.deleted = { by: state.d[0], at: state.d[1] };
  if (Array.isArray(state.r) && state.r.length > 0) {
    message.reactions = state.r.map(([reaction, count], i): ReactionCount => ({ reaction, count, mine: mine[i] === "1" }));
  }
  if (state.n) message.replies = { count: state.n, lastAt: state.l ?? 0 };
  return message;
}

/** A change entry as stored. */
export function decodeChange(channel: string, entry: string): ChangeEntry {
  const { seq, type, ref, head, body } = parseEntry(entry);
  const [by, at, reaction, count] = head as [string, number, string?, number?];
  const base = { channel, seq, target: ref, by, at };
  const kind = CHANGE_TYPES[type];
  if (kind === "edit") return body === "" ? ({ type: kind, ...base } as ChangeEntry) : { type: kind, ...base, body: decoded(body) };
  if (kind === "delete") return { type: kind, ...base };
  return { type: kind ?? "react", ...base, reaction: reaction!, count: count! };
}

/** A script's reply for one entry, `[entry, state, mine]`: a message or a change. */
export function decodeReply(
  channel: string,
  [entry, state, mine]: [string, string, string],
): { message: Message } | { change: ChangeEntry } {
  return parseEntry(entry).type === "m"
    ? { message: decodeMessage(channel, entry, state, mine) }
    : { change: decodeChange(channel, entry) };
}

/** A dedupe copy, "<state>\n<entry>". */
export function decodeCopy(channel: string, copy: string): Message {
  const cut = copy.indexOf("\n");
  return decodeMessage(channel, copy.slice(cut + 1), copy.slice(0, cut), "");
}

/** The head of a change entry as JSON text without its closing bracket: the script closes it (after a reaction's count). */
export function changeHead(by: string, at: number, reaction?: string): string {
  return JSON.stringify(reaction === undefined ? [by, at] : [by, at, reaction]).slice(0, -1);
}
