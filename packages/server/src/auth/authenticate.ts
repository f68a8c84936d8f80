import { RoomkitError, isValidUserId } from "@roomkit/protocol";
import type { ErrorPayload, User } from "@roomkit/protocol";
import type { Socket } from "socket.io";
import type { Context } from "../context.js";
import { logger } from "../log.js";
import { admitConnection } from "../limits/user-quotas.js";
import { countingRefusals } from "../metrics/recorder.js";

const log = logger("auth");

/** The error a refused client sees in `connect_error`: `err.message`, and `err.data` as `{ code, message }`. */
function refusal(payload: ErrorPayload): Error & { data: ErrorPayload } {
  return Object.assign(new Error(payload.message), { data: payload });
}

async function establish(ctx: Context, socket: Socket): Promise<User> {
  const user = await ctx.options.authenticate(socket.handshake);
  if (!user) throw new RoomkitError("UNAUTHENTICATED", "authentication failed");
  if (!isValidUserId(user.id)) {
    log("authenticate returned an invalid user id %o", user.id);
    throw new RoomkitError("INTERNAL", "authenticate returned an invalid user id");
  }
  return { id: user.id, profile: user.profile };
}

/**
 * The Engine.IO connections with a socket being authenticated on the default namespace. Once
 * that socket is connected Socket.IO itself closes a connection that sends another CONNECT, so
 * an entry lives only while a handshake is pending.
 */
const pending = new WeakMap<object, Socket>();

/**
 * One socket on the default namespace per Engine.IO connection: without this, every CONNECT
 * sent while the first is still being authenticated would make a socket that hears the user's
 * messages again.
 */
function claim(socket: Socket): boolean {
  if (pending.has(socket.client)) return false;
  pending.set(socket.client, socket);
  return true;
}

/** Ends the claim once Socket.IO has connected the socket or dropped it (it does so on a later tick). */
function release(socket: Socket, now = false): void {
  const done = () => pending.get(socket.client) === socket && pending.delete(socket.client);
  if (now) done();
  else setImmediate(done);
}

/**
 * Socket.IO middleware: runs the app's `authenticate` once per connection and keeps the user
 * in `socket.data.user`. A refused connection gets a `connect_error` with a code.
 */
export function authMiddleware(ctx: Context) {
  return (socket: Socket, proceed: (err?: Error) => void): void => {
    const next = ctx.metrics ? countingRefusals(ctx.metrics, proceed) : proceed;
    if (ctx.closing) return next(refusal({ code: "UNAVAILABLE", message: "the server is shutting down" }));
    if (!claim(socket)) {
      return next(refusal({ code: "CONFLICT", message: "this connection has a socket on the namespace already" }));
    }
    establish(ctx, socket).then(
      (user) => {
        if (!admitConnection(ctx, user.id)) {
          release(socket, true);
          const { connectionsPerUser } = ctx.limits;
          const message = `a user may hold at most ${connectionsPerUser} connections`;
          return next(refusal({ code: "RATE_LIMITED", message, details: { limit: connectionsPerUser } }));
        }
        socket.data.user = user;
        next();
        release(socket);
      },
      (err: unknown) => {
        release(socket, true);
        if (err instanceof RoomkitError) return next(refusal(err.toPayload()));
        log("authenticate threw: %O", err);
        next(refusal({ code: "UNAUTHENTICATED", message: "authentication failed" }));
      },
    );
  };
}
