import { defineContract } from "@roomkit/protocol";

/** Every benchmark message body: text, the send time in µs (generator clock) and its index. */
export interface ChatBody {
  text: string;
  /** Send time, microseconds on the generator's monotonic clock. */
  t: number;
  /** The message's index in its measurement window. */
  k: number;
  /** The measurement window it belongs to, so stragglers of an earlier window are not counted. */
  w: number;
}

/** The hand-written check both servers run on a body: what a careful user writes without a library. */
export function isChatBody(value: unknown): value is ChatBody {
  if (typeof value !== "object" || value === null) return false;
  const b = value as Record<string, unknown>;
  return (
    typeof b.text === "string" &&
    b.text.length > 0 &&
    b.text.length <= 2000 &&
    typeof b.t === "number" &&
    typeof b.k === "number" &&
    typeof b.w === "number"
  );
}

// The same check as a Standard Schema, so Roomkit validates exactly what the baseline does (zod's cost is not measured).
const chatBody = {
  "~standard": {
    version: 1 as const,
    vendor: "roomkit-bench",
    validate: (value: unknown) => (isChatBody(value) ? { value } : { issues: [{ message: "expected a chat body" }] }),
    types: undefined as unknown as { input: ChatBody; output: ChatBody },
  },
};

/** The contract of the Roomkit side: one DM family and one room family. */
export const contract = defineContract({
  channels: {
    dm: { kind: "dm", body: chatBody },
    room: { kind: "room", body: chatBody },
  },
});

/** The benchmark's user ids: `u0`, `u1`... */
export const userId = (i: number): string => `u${i}`;

/** A 44-character text, the size of a short chat line. */
export const TEXT = "the quick brown fox jumps over the lazy dog!!";

/** The group rooms a workload creates before connecting anyone. */
export interface RoomSpec {
  id: string;
  members: string[];
}

/** Splits users `0..count-1` into rooms of `size` members: `room:g0`, `room:g1`... */
export function roomsOf(count: number, size: number): RoomSpec[] {
  const rooms: RoomSpec[] = [];
  for (let start = 0; start < count; start += size) {
    const members: string[] = [];
    for (let i = start; i < Math.min(count, start + size); i++) members.push(userId(i));
    rooms.push({ id: `room:g${rooms.length}`, members });
  }
  return rooms;
}
