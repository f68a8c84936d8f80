import { PROTOCOL_VERSION, userRoom } from "@roomkit/protocol";
import type { User, WelcomePush } from "@roomkit/protocol";
import type { Socket } from "socket.io";
import type { Context, Session } from "./context.js";
import { logger } from "./log.js";
import { dropPresence, enterPresence } from "./presence/presence.js";
import { listen, sessionOfSocket } from "./requests/dispatch.js";
import { addSession, createSession, removeSession } from "./sessions.js";
import { tryResolve } from "./channels/access.js";
import { handlers } from "./requests/handlers.js";

const log = logger("connection");

/** A member who connects is subscribed again to every room they are in, presence included. */
async function rejoinRooms(ctx: Context, session: Session): Promise<void> {
  const rooms = await ctx.stores.rooms.roomsOf(session.user.id);
  for (const id of rooms) {
    const ch = tryResolve(ctx, id);
    if (ch?.kind !== "room" || !session.socket.connected) continue;
    session.socket.join(id);
    await enterPresence(ctx, session, ch);
  }
}

type Listener = (this: Socket, reason: string) => void;

// One disconnect listener per server, shared by every socket (`this` is the socket): a closure per
// connection would cost heap on each of them.
const disconnects = new WeakMap<Context, Listener>();

function onDisconnectOf(ctx: Context): Listener {
  let listener = disconnects.get(ctx);
  if (listener) return listener;
  listener = function (this: Socket, reason: string) {
    const session = sessionOfSocket(this);
    if (!session) return;
    log("%s (%s) disconnected: %s", this.id, session.user.id, reason);
    removeSession(ctx, session);
    dropPresence(ctx, session);
  };
  disconnects.set(ctx, listener);
  return listener;
}

/** Sets up an authenticated connection: personal room, request handlers, welcome, rooms. */
export function onConnection(ctx: Context, socket: Socket): void {
  const user = socket.data.user as User;
  const session = createSession(socket, user);
  addSession(ctx, session);
  socket.join(userRoom(user.id));
  listen(ctx, session, handlers);
  socket.on("disconnect", onDisconnectOf(ctx));
  log("%s connected as %s", socket.id, user.id);
  // The welcome follows the rooms, so a client that hears it is already receiving them.
  const welcome: WelcomePush = { v: PROTOCOL_VERSION, protocol: PROTOCOL_VERSION, user };
  const rejoined = rejoinRooms(ctx, session).catch((err) => {
    // Half set up (a store is down): drop the transport so the client reconnects and tries again.
    log("could not rejoin the rooms of %s, closing the connection: %O", user.id, err);
    socket.conn.close();
  });
  void ctx.track(rejoined.then(() => socket.emit("rk:welcome", welcome)));
}
