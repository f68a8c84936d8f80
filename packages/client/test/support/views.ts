import { expect } from "vitest";
import type { Message, MessageView } from "@roomkit/client";
import { connect } from "./clients.js";

/** Every stored message of a channel as `userId` reads it now, from a fresh client (pages of `rk:history`). */
export async function serverHistory(
  url: string,
  userId: string,
  open: (rk: ReturnType<typeof connect>) => HistorySource,
): Promise<Message[]> {
  const rk = connect(url, userId);
  try {
    const handle = open(rk);
    const all: Message[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await handle.history(before === undefined ? { limit: 100 } : { before, limit: 100 });
      all.unshift(...page.messages);
      if (!page.hasMore || page.messages.length === 0) return all;
      before = page.messages[0]!.seq;
    }
  } finally {
    rk.close();
  }
}

interface HistorySource {
  history(query: { before?: number; limit?: number }): Promise<{ messages: readonly Message[]; hasMore: boolean }>;
}

/** Loads every older page into the view. */
export async function loadAll(view: MessageView<unknown>): Promise<void> {
  await until(view, (s) => !s.loading);
  while (view.hasOlder) await view.loadOlder();
}

/** Resolves once the view's snapshot passes `match` (checked now and on every new snapshot). */
export function until<B>(view: MessageView<B>, match: (s: MessageView<B>["current"]) => boolean): Promise<void> {
  return new Promise((done) => {
    if (match(view.current)) return done();
    const stop = view.subscribe((s) => {
      if (!match(s)) return;
      stop();
      done();
    });
  });
}

/** JSON with every object's keys sorted: equal for equal data whatever order the keys were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/**
 * Waits until the view shows exactly `expected` (the server's history), then asserts it; the
 * wait is bounded by the test's timeout, after which the assertion shows the difference.
 */
export async function expectView(view: MessageView<unknown>, expected: readonly Message[], waitMs = 10_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    until(view, (s) => same(s.messages, expected)),
    new Promise((done) => {
      timer = setTimeout(done, waitMs);
    }),
  ]);
  clearTimeout(timer);
  expect(view.current.messages).toEqual(expected);
}
