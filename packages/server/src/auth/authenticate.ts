import { RoomkitError, isValidUserId } from "@roomkit/protocol";
import type { ErrorPayload, User } from "@roomkit/protocol";
import type { Socket } from "socket.io";
import type { Context } from "../context.js";
import { logger } from "../log.js";

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
 * Socket.IO middleware: runs the app's `authenticate` once per connection and keeps the user
 * in `socket.data.user`. A refused connection gets a `connect_error` with a code.
 */
export function authMiddleware(ctx: Context) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    if (ctx.closing) return next(refusal({ code: "UNAVAILABLE", message: "the server is shutting down" }));
    establish(ctx, socket).then(
      (user) => {
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
