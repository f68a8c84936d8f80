import type { Message, ResetEvent } from "@roomkit/client";
import { expect } from "vitest";

type Body = { text?: string };

/** What a handle showed, in order: messages, and resets (`recovered: false`) with their page. */
export type Shown = { message: Message<Body> } | { reset: ResetEvent<Body> };

interface Showing {
  on(event: "message", listener: (m: Message<Body>) => void): () => void;
  on(event: "reset", listener: (r: ResetEvent<Body>) => void): () => void;
}

/** Records everything a handle shows from now on. */
export function record(handle: Showing): Shown[] {
  const shown: Shown[] = [];
  handle.on("message", (message) => shown.push({ message }));
  handle.on("reset", (reset) => shown.push({ reset }));
  return shown;
}

/** The messages shown so far. */
export const messages = (shown: Shown[]): Message<Body>[] => shown.flatMap((s) => ("message" in s ? [s.message] : []));

/**
 * The streams a record holds: one per epoch, each the page a reset loaded followed by the
 * messages shown after it (the first stream has no page).
 */
export function streams(shown: Shown[]): { page: Message<Body>[]; hasMore: boolean; live: Message<Body>[] }[] {
  const out = [{ page: [] as Message<Body>[], hasMore: false, live: [] as Message<Body>[] }];
  for (const s of shown) {
    if ("reset" in s) out.push({ page: s.reset.messages, hasMore: s.reset.hasMore, live: [] });
    else out.at(-1)!.live.push(s.message);
  }
  return out;
}

/** Every seq is the one before plus one: nothing missing, nothing twice, in order. */
export function expectContiguous(list: Message<Body>[], first = list[0]?.seq ?? 1): void {
  expect(list.map((m) => m.seq)).toEqual(list.map((_, i) => first + i));
}

/** Within one stream, each sender's texts (`<sender>:<index>`) are in send order, and none twice. */
export function expectSenderOrder(list: Message<Body>[]): void {
  const texts = list.map((m) => m.body!.text!);
  expect(new Set(texts).size).toBe(texts.length);
  const bySender = new Map<string, number[]>();
  for (const text of texts) {
    const [sender, index] = text.split(":");
    bySender.set(sender!, [...(bySender.get(sender!) ?? []), Number(index)]);
  }
  for (const indexes of bySender.values()) expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
}
