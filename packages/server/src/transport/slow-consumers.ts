import { PROTOCOL_VERSION } from "@roomkit/protocol";
import type { ByePush } from "@roomkit/protocol";
import type { Context, Session } from "../context.js";
import { logger } from "../log.js";
import { engineOf, forceClose, queuedBytes, socketBytes } from "./engine.js";
import type { EngineConnection } from "./engine.js";

const log = logger("transport");

/**
 * The Socket.IO room of this node's connections that are over `limits.outboundSoftBytes`.
 * Ephemeral broadcasts (`rk:signal`, `rk:presence`) skip it with `.except(SLOW_ROOM)`; every
 * node fills it with its own connections, so the skip holds across nodes. Not a channel id
 * (a family cannot start with `$`), so no client can subscribe to it.
 */
export const SLOW_ROOM = "$rk:slow";

/** Where a connection with bytes waiting last made progress. */
interface Progress {
  /** Engine.IO's write buffer then: a flush hands it to the transport and starts a new array. */
  buffer: EngineConnection["writeBuffer"];
  /** The WebSocket's buffered bytes then: they only go down while no flush happens. */
  sent: number;
  since: number;
}

/**
 * The outbound budget of this node's connections, read from counters the transport keeps
 * (nothing runs per message): called by the transport sweep, it moves connections in and out of
 * {@link SLOW_ROOM} and closes (`slow-consumer`) those over `limits.outboundHardBytes` or with
 * bytes waiting and no progress for `limits.outboundStallMs`, pongs or not.
 */
export class SlowConsumers {
  readonly #ctx: Context;
  readonly #progress = new WeakMap<EngineConnection, Progress>();
  /** Connections with bytes waiting at their last check, or in {@link SLOW_ROOM}: the only ones an empty queue has something to undo for. */
  readonly #watched = new Set<Session>();

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  /** Checks every connection of this node once. */
  sweep(now: number): void {
    for (const session of this.#watched) if (session.socket.disconnected) this.#watched.delete(session);
    for (const own of this.#ctx.sessions.values()) for (const session of own) this.#check(session, now);
  }

  #check(session: Session, now: number): void {
    const { socket } = session;
    const conn = engineOf(socket);
    if (conn.readyState !== "open") return;
    const sent = socketBytes(conn);
    const waiting = (conn.writeBuffer.length > 0 ? queuedBytes(conn) : 0) + sent;
    // Most connections, most of the time: nothing waiting and nothing to undo. No room or map lookup.
    if (waiting === 0 && !this.#watched.has(session)) return;
    const { outboundSoftBytes, outboundHardBytes, outboundStallMs } = this.#ctx.limits;
    if (waiting > outboundHardBytes) return this.#close(session, `${waiting} bytes waiting`);
    if (waiting > outboundSoftBytes) {
      if (!socket.rooms.has(SLOW_ROOM)) void socket.join(SLOW_ROOM);
    } else if (socket.rooms.has(SLOW_ROOM)) void socket.leave(SLOW_ROOM);
    if (waiting === 0) {
      this.#watched.delete(session);
      return void this.#progress.delete(conn);
    }
    this.#watched.add(session);
    const last = this.#progress.get(conn);
    if (!last || last.buffer !== conn.writeBuffer || sent < last.sent) {
      this.#progress.set(conn, { buffer: conn.writeBuffer, sent, since: now });
    } else if (now - last.since >= outboundStallMs) {
      this.#close(session, `no progress for ${now - last.since} ms with ${waiting} bytes waiting`);
    }
  }

  /** `rk:bye` goes last in a queue that is not moving, so it rarely arrives; the close does. */
  #close(session: Session, why: string): void {
    this.#watched.delete(session);
    log("closing %s (%s) as a slow consumer: %s", session.socket.id, session.user.id, why);
    const bye: ByePush = { v: PROTOCOL_VERSION, reason: "slow-consumer", message: "the connection did not keep up with its traffic" };
    session.socket.emit("rk:bye", bye);
    forceClose(engineOf(session.socket));
  }
}
