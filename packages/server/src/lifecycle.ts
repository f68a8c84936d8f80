import { PROTOCOL_VERSION } from "@roomkit/protocol";
import type { ByePush } from "@roomkit/protocol";
import type { Context } from "./context.js";
import { logger } from "./log.js";
import { allSessions } from "./sessions.js";
import { forgetQuotas } from "./limits/user-quotas.js";
import { stopTransportGuards } from "./transport/watch.js";

const log = logger("lifecycle");

async function settle(ctx: Context): Promise<void> {
  while (ctx.inflight.size > 0) await Promise.allSettled([...ctx.inflight]);
}

/**
 * Graceful shutdown: refuse new connections and requests (`UNAVAILABLE`), let the requests in
 * flight finish and ack, send the presence changes still batched, tell every client why
 * (`rk:bye`), close their transports (so clients reconnect, to another node when there is one),
 * and remove them from presence at once (those leaves go out to other nodes' clients at the end).
 */
export async function closeGracefully(ctx: Context): Promise<void> {
  if (ctx.closing) return settle(ctx);
  ctx.closing = true;
  // From now on other nodes announce what the store sweeps: this one is going away.
  ctx.unwatchPresence();
  await settle(ctx);
  // Before rk:bye, on each connection's ordered stream: no pending diff is lost.
  await ctx.presenceBatch.flush();
  const bye: ByePush = { v: PROTOCOL_VERSION, reason: "shutdown", message: "the server is shutting down" };
  const gone = allSessions(ctx).map(
    ({ socket }) =>
      new Promise<void>((done) => {
        if (!socket.connected) return done();
        socket.once("disconnect", () => done());
        socket.emit("rk:bye", bye);
        socket.conn.close();
      }),
  );
  await Promise.all(gone);
  for (const [timer, run] of ctx.graceTimers) {
    clearTimeout(timer);
    run();
  }
  ctx.graceTimers.clear();
  await settle(ctx);
  await ctx.presenceBatch.flush();
  forgetQuotas(ctx);
  stopTransportGuards(ctx);
  log("closed");
}
