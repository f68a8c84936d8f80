import { PROTOCOL_VERSION, resolveChannel, userRoom } from "@roomkit/protocol";
import type { User, WelcomePush } from "@roomkit/protocol";
import type { Socket } from "socket.io";
import type { Context, Session } from "./context.js";
import { TokenBucket } from "./limits/token-bucket.js";
import { logger } from "./log.js";
import { dropPresence, enterPresence } from "./presence/presence.js";
import { listen } from "./requests/dispatch.js";
import { handlers } from "./requests/handlers.js";

const log = logger("connection");

/** A member who connects is subscribed again to every room they are in, presence included. */
async function rejoinRooms(ctx: Context, session: Session): Promise<void> {
  const rooms = await ctx.stores.rooms.roomsOf(session.user.id);
  for (const id of rooms) {
    const ch = resolveChannel(ctx.contract, id);
    if (!ch.ok || ch.value.kind !== "room" || !session.socket.connected) continue;
    session.socket.join(id);
    await enterPresence(ctx, session, ch.value);
  }
}

/** Sets up an authenticated connection: personal room, request handlers, welcome, rooms. */
export function onConnection(ctx: Context, socket: Socket): void {
  const user = socket.data.user as User;
  const { limits } = ctx;
  const session: Session = {
    socket,
    user,
    buckets: { publish: new TokenBucket(limits.publish), signal: new TokenBucket(limits.signal), request: new TokenBucket(limits.request) },
    presence: new Set(),
  };
  ctx.sessions.set(socket.id, session);
  socket.join(userRoom(user.id));
  listen(ctx, session, handlers);
  socket.on("disconnect", (reason) => {
    log("%s (%s) disconnected: %s", socket.id, user.id, reason);
    ctx.sessions.delete(socket.id);
    dropPresence(ctx, session);
  });
  const welcome: WelcomePush = { v: PROTOCOL_VERSION, protocol: PROTOCOL_VERSION, user };
  socket.emit("rk:welcome", welcome);
  log("%s connected as %s", socket.id, user.id);
  void ctx.track(rejoinRooms(ctx, session).catch((err) => log("could not rejoin the rooms of %s: %O", user.id, err)));
}
