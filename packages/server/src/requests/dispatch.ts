import { RoomkitError } from "@roomkit/protocol";
import type { Ack, RequestName } from "@roomkit/protocol";
import type { Socket } from "socket.io";
import type { Context, Session } from "../context.js";
import { logger } from "../log.js";
import type { Payload } from "./fields.js";
import { asPayload } from "./fields.js";
import type { Inspection } from "./inspect.js";
import { inspectPayload } from "./inspect.js";
import { userBuckets } from "../limits/user-quotas.js";

const log = logger("requests");

/**
 * A request handler: a payload already inspected (bounded, no forbidden keys) and its
 * inspection's per-field stats in, the ack's fields out; refusals are thrown `RoomkitError`s.
 */
export type Handler = (ctx: Context, session: Session, payload: Payload, inspection: Inspection) => Promise<object>;
export type Handlers = Partial<Record<RequestName, Handler>>;

type BucketName = "publish" | "signal" | "request";
/** Requests that store something in a channel's stream: a message, or a change to one. */
const STORING: ReadonlySet<string> = new Set(["rk:publish", "rk:edit", "rk:delete", "rk:react", "rk:unreact"]);
const bucketName = (event: string): BucketName => (STORING.has(event) ? "publish" : event === "rk:signal" ? "signal" : "request");
const USER_LIMIT = { publish: "userPublish", signal: "userSignal", request: "userRequest" } as const;

/** Charges the connection's bucket, then the user's; returns 0, or the ms until a token is free. */
function charge(ctx: Context, session: Session, event: string): number {
  const name = bucketName(event);
  const now = Date.now();
  return (
    session.buckets[name].take(ctx.limits[name], now) || userBuckets(ctx, session.user.id)[name].take(ctx.limits[USER_LIMIT[name]], now)
  );
}

/** Runs one request to its ack. Nothing a client sends escapes as an exception. */
async function run(ctx: Context, session: Session, event: string, handler: Handler, raw: unknown): Promise<Ack> {
  try {
    if (ctx.closing) throw new RoomkitError("UNAVAILABLE", "the server is shutting down");
    const wait = charge(ctx, session, event);
    if (wait > 0) throw new RoomkitError("RATE_LIMITED", `too many ${event} requests`, { retryAfterMs: wait });
    // Before anything reads the payload: one bounded walk, whose stats the handler reuses.
    const inspection = inspectPayload(raw, ctx.limits);
    const result = await handler(ctx, session, asPayload(raw), inspection);
    return { ok: true, ...result };
  } catch (err) {
    if (err instanceof RoomkitError) return { ok: false, error: err.toPayload() };
    log("%s from %s failed: %O", event, session.user.id, err);
    return { ok: false, error: { code: "INTERNAL", message: "internal error" } };
  }
}

type Listener = (this: Socket, ...args: unknown[]) => void;

// One listener per server and request name, shared by every socket (`this` is the socket): a
// closure per request per connection would cost about 2 KB of heap on every connection.
const shared = new WeakMap<Context, WeakMap<Handlers, [RequestName, Listener][]>>();
const sessionOf = new WeakMap<Socket, Session>();

function listenersOf(ctx: Context, handlers: Handlers): [RequestName, Listener][] {
  let byHandlers = shared.get(ctx);
  if (!byHandlers) shared.set(ctx, (byHandlers = new WeakMap()));
  let listeners = byHandlers.get(handlers);
  if (listeners) return listeners;
  listeners = (Object.entries(handlers) as [RequestName, Handler][]).map(([event, handler]): [RequestName, Listener] => [
    event,
    function (this: Socket, ...args: unknown[]) {
      const session = sessionOf.get(this);
      if (!session) return;
      const last = args[args.length - 1];
      const ack = typeof last === "function" ? (last as (a: Ack) => void) : undefined;
      const raw = ack && args.length === 1 ? undefined : args[0];
      const started = ctx.metrics ? performance.now() : 0;
      void ctx.track(
        run(ctx, session, event, handler, raw).then((result) => {
          ack?.(result);
          ctx.metrics?.request(event, result, started);
        }),
      );
    },
  ]);
  byHandlers.set(handlers, listeners);
  return listeners;
}

/**
 * Listens for each request on the socket. The ack is the last argument when it is a function;
 * a request sent without one still runs, and its result is dropped.
 */
export function listen(ctx: Context, session: Session, handlers: Handlers): void {
  sessionOf.set(session.socket, session);
  for (const [event, listener] of listenersOf(ctx, handlers)) session.socket.on(event, listener);
}
