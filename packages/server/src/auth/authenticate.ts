import { RoomkitError, isValidUserId } from "@roomkit/protocol";
import type { ErrorPayload, User } from "@roomkit/protocol";
import type { Socket } from "socket.io";
import type { Context } from "../context.js";
import { logger } from "../log.js";
import { admitConnection } from "../limits/user-quotas.js";

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

/** The socket each Engine.IO connection last admitted to the default namespace. */
const claimed = new WeakMap<object, Socket>();

/** Connected, or still being admitted (Socket.IO 4.8 keeps those in `_preConnectSockets`). */
function live(socket: Socket): boolean {
  const nsp = socket.nsp as unknown as { sockets: Map<string, Socket>; _preConnectSockets?: Map<string, Socket> };
  return nsp.sockets.has(socket.id) || (nsp._preConnectSockets?.has(socket.id) ?? false);
}

/**
 * One socket on the default namespace per Engine.IO connection: Socket.IO itself makes a new
 * one for every CONNECT packet, each of which would hear the user's messages again.
 */
function claim(socket: Socket): boolean {
  const holder = claimed.get(socket.client);
  if (holder && holder !== socket && live(holder)) return false;
  claimed.set(socket.client, socket);
  return true;
}

/**
 * Socket.IO middleware: runs the app's `authenticate` once per connection and keeps the user
 * in `socket.data.user`. A refused connection gets a `connect_error` with a code.
 */
export function authMiddleware(ctx: Context) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    if (ctx.closing) return next(refusal({ code: "UNAVAILABLE", message: "the server is shutting down" }));
    if (!claim(socket)) {
      return next(refusal({ code: "CONFLICT", message: "this connection has a socket on the namespace already" }));
    }
    establish(ctx, socket).then(
      (user) => {
        if (!admitConnection(ctx, user.id)) {
          const { connectionsPerUser } = ctx.limits;
          const message = `a user may hold at most ${connectionsPerUser} connections`;
          return next(refusal({ code: "RATE_LIMITED", message, details: { limit: connectionsPerUser } }));
        }
        socket.data.user = user;
        next();
      },
      (err: unknown) => {
        if (err instanceof RoomkitError) return next(refusal(err.toPayload()));
        log("authenticate threw: %O", err);
        next(refusal({ code: "UNAUTHENTICATED", message: "authentication failed" }));
      },
    );
  };
}
