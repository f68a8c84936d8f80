import { RoomkitError } from "@roomkit/protocol";
import type { Ack, RequestName } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import { logger } from "../log.js";
import type { Payload } from "./fields.js";
import { asPayload } from "./fields.js";

const log = logger("requests");

/** A request handler: a checked payload in, the ack's fields out; refusals are thrown `RoomkitError`s. */
export type Handler = (ctx: Context, session: Session, payload: Payload) => Promise<object>;
export type Handlers = Partial<Record<RequestName, Handler>>;

function bucketFor(session: Session, event: string) {
  if (event === "rk:publish") return session.buckets.publish;
  if (event === "rk:signal") return session.buckets.signal;
  return session.buckets.request;
}

/** Runs one request to its ack. Nothing a client sends escapes as an exception. */
async function run(ctx: Context, session: Session, event: string, handler: Handler, raw: unknown): Promise<Ack> {
  try {
    if (ctx.closing) throw new RoomkitError("UNAVAILABLE", "the server is shutting down");
    const wait = bucketFor(session, event).take();
    if (wait > 0) throw new RoomkitError("RATE_LIMITED", `too many ${event} requests`, { retryAfterMs: wait });
    const result = await handler(ctx, session, asPayload(raw));
    return { ok: true, ...result };
  } catch (err) {
    if (err instanceof RoomkitError) return { ok: false, error: err.toPayload() };
    log("%s from %s failed: %O", event, session.user.id, err);
    return { ok: false, error: { code: "INTERNAL", message: "internal error" } };
  }
}

/**
 * Listens for each request on the socket. The ack is the last argument when it is a function;
 * a request sent without one still runs, and its result is dropped.
 */
export function listen(ctx: Context, session: Session, handlers: Handlers): void {
  for (const [event, handler] of Object.entries(handlers) as [RequestName, Handler][]) {
    session.socket.on(event, (...args: unknown[]) => {
      const last = args[args.length - 1];
      const ack = typeof last === "function" ? (last as (a: Ack) => void) : undefined;
      const raw = ack && args.length === 1 ? undefined : args[0];
      void ctx.track(run(ctx, session, event, handler, raw).then((result) => ack?.(result)));
    });
  }
}
