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
 * inspection's per-field stats in, the ack's fields out; refusals are thrown `RoomkitError`s (or
 * rejected with). A handler with nothing to wait for may answer at once, without a promise: its
 * ack then goes out in the same turn.
 */
export type Handler = (ctx: Context, session: Session, payload: Payload, inspection: Inspection) => object | Promise<object>;
export type Handlers = Partial<Record<RequestName, Handler>>;

type BucketName = "publish" | "signal" | "request";
/** Requests that store something in a channel's stream: a message, or a change to one. */
const STORING: ReadonlySet<string> = new Set(["rk:publish", "rk:edit", "rk:delete", "rk:react", "rk:unreact"]);
const bucketName = (event: string): BucketName => (STORING.has(event) ? "publish" : event === "rk:signal" ? "signal" : "request");
const USER_LIMIT = { publish: "userPublish", signal: "userSignal", request: "userRequest" } as const;

/** Charges the connection's bucket, then the user's; returns 0, or the ms until a token is free. */
function charge(ctx: Context, session: Session, name: BucketName): number {
  const now = Date.now();
  return (
    session.buckets.take(name, ctx.limits[name], now) ||
    (session.userBuckets ??= userBuckets(ctx, session.user.id)).take(name, ctx.limits[USER_LIMIT[name]], now)
  );
}

const succeeded = (result: object): Ack => ({ ok: true, ...result });

/** What a request that failed answers: a `RoomkitError` as it is, anything else as `INTERNAL` (and logged). */
function failed(session: Session, event: string, err: unknown): Ack {
  if (err instanceof RoomkitError) return { ok: false, error: err.toPayload() };
  log("%s from %s failed: %O", event, session.user.id, err);
  return { ok: false, error: { code: "INTERNAL", message: "internal error" } };
}

/**
 * Runs one request to its ack: at once when the handler answered at once, else a promise that
 * never rejects. Nothing a client sends escapes as an exception.
 */
function run(ctx: Context, session: Session, event: string, bucket: BucketName, handler: Handler, raw: unknown): Ack | Promise<Ack> {
  try {
    if (ctx.closing) throw new RoomkitError("UNAVAILABLE", "the server is shutting down");
    const wait = charge(ctx, session, bucket);
    if (wait > 0) throw new RoomkitError("RATE_LIMITED", `too many ${event} requests`, { retryAfterMs: wait });
    // Before anything reads the payload: one bounded walk, whose stats the handler reuses.
    const inspection = inspectPayload(raw, ctx.limits);
    const result = handler(ctx, session, asPayload(raw), inspection);
    if (!(result instanceof Promise)) return succeeded(result);
    return result.then(succeeded, (err: unknown) => failed(session, event, err));
  } catch (err) {
    return failed(session, event, err);
  }
}

/** Sends the ack (when the client asked for one) and tells the metrics. */
function answer(ctx: Context, event: RequestName, ack: ((a: Ack) => void) | undefined, result: Ack, started: number): void {
  ack?.(result);
  ctx.metrics?.request(event, result, started);
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
  listeners = (Object.entries(handlers) as [RequestName, Handler][]).map(([event, handler]): [RequestName, Listener] => {
    const bucket = bucketName(event);
    return [
      event,
      function (this: Socket, ...args: unknown[]) {
        const session = sessionOf.get(this);
        if (!session) return;
        const last = args[args.length - 1];
        const ack = typeof last === "function" ? (last as (a: Ack) => void) : undefined;
        const raw = ack && args.length === 1 ? undefined : args[0];
        const started = ctx.metrics ? performance.now() : 0;
        const result = run(ctx, session, event, bucket, handler, raw);
        // Answered at once: nothing is in flight for close() to wait for.
        if (!(result instanceof Promise)) return answer(ctx, event, ack, result, started);
        void ctx.track(result.then((settled) => answer(ctx, event, ack, settled, started)));
      },
    ];
  });
  byHandlers.set(handlers, listeners);
  return listeners;
}

// One catch-all listener per server and handler table (Socket.IO's public `onAny`), shared by every
// socket: a listener per request name would give each socket an event table of ~20 entries.
const dispatchers = new WeakMap<[RequestName, Listener][], (this: Socket, event: unknown, ...args: unknown[]) => void>();

function dispatcherOf(ctx: Context, handlers: Handlers): (this: Socket, event: unknown, ...args: unknown[]) => void {
  const listeners = listenersOf(ctx, handlers);
  let dispatch = dispatchers.get(listeners);
  if (dispatch) return dispatch;
  const byEvent = new Map<unknown, Listener>(listeners);
  // Any other event a client sends finds no listener, as before.
  dispatch = function (this: Socket, event: unknown, ...args: unknown[]) {
    byEvent.get(event)?.apply(this, args);
  };
  dispatchers.set(listeners, dispatch);
  return dispatch;
}

/**
 * Listens for each request on the socket. The ack is the last argument when it is a function;
 * a request sent without one still runs, and its result is dropped.
 */
export function listen(ctx: Context, session: Session, handlers: Handlers): void {
  sessionOf.set(session.socket, session);
  session.socket.onAny(dispatcherOf(ctx, handlers));
}

/** The session {@link listen} set a socket up with. */
export function sessionOfSocket(socket: Socket): Session | undefined {
  return sessionOf.get(socket);
}
