import type { RawSocket } from "../support/raw-socket.js";

/** How a flood's requests were answered: ack count per outcome (`ok` or an error code). */
export type Tally = Map<string, number>;

/**
 * Sends every `[event, payload]` on `raw` at once, as numbered requests, and resolves with the
 * tally of their acks once all arrived. Frames are not kept, so the test's own memory stays out
 * of the server's RSS.
 *
 * @example
 * const tally = await flood(raw, channels.map((channel) => ["rk:subscribe", { channel }]));
 */
export function flood(raw: RawSocket, requests: [string, unknown][], timeoutMs = 60_000): Promise<Tally> {
  const tally: Tally = new Map();
  let pending = requests.length;
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`${pending} of ${requests.length} requests unanswered; closed: ${raw.closed}`)),
      timeoutMs,
    );
    const onMessage = (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? "" : data.toString();
      if (!frame.startsWith("43")) return;
      const ack = (JSON.parse(frame.slice(frame.indexOf("["))) as [{ ok: boolean; error?: { code: string } }])[0];
      const outcome = ack.ok ? "ok" : ack.error!.code;
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      if (--pending > 0) return;
      clearTimeout(timer);
      raw.ws.off("message", onMessage);
      raw.frames.length = 0;
      done(tally);
    };
    raw.ws.on("message", onMessage);
    raw.ws.once("close", () => fail(new Error(`the server closed the connection with ${pending} requests unanswered`)));
    for (const [i, [event, payload]] of requests.entries()) raw.ws.send(`42${i + 1}${JSON.stringify([event, payload])}`);
  });
}

/** The sum of several tallies. */
export function sum(tallies: Tally[]): Tally {
  const total: Tally = new Map();
  for (const t of tallies) for (const [k, n] of t) total.set(k, (total.get(k) ?? 0) + n);
  return total;
}
