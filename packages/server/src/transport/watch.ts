import type { Context } from "../context.js";
import { PartialBinaryPackets } from "./binary-packets.js";
import type { EngineConnection } from "./engine.js";
import { SlowConsumers } from "./slow-consumers.js";

/** How often the transport guards read their counters; bounds how late a limit is noticed. */
const SWEEP_MS = 250;

type Engine = { clients: Record<string, EngineConnection> } & NodeJS.EventEmitter;

const running = new WeakMap<Context, () => void>();

/**
 * Starts the per-connection transport guards of this node: the outbound budget (slow
 * consumers) and partial binary packets, both checked by one unref'd sweep every
 * {@link SWEEP_MS}. Stopped by {@link stopTransportGuards} when the server closes.
 */
export function startTransportGuards(ctx: Context): void {
  const slow = new SlowConsumers(ctx);
  const binary = new PartialBinaryPackets(ctx.limits);
  const onConnection = (conn: EngineConnection) => binary.watch(conn);
  let engine: Engine | undefined;
  // The Socket.IO server may not be attached to an HTTP server yet; then the sweep looks again.
  const attach = () => {
    engine = ctx.io.engine as unknown as Engine | undefined;
    if (!engine) return;
    for (const conn of Object.values(engine.clients)) binary.watch(conn);
    engine.on("connection", onConnection);
  };
  attach();
  const timer = setInterval(() => {
    if (!engine) attach();
    const now = Date.now();
    binary.expire(now);
    slow.sweep(now);
  }, SWEEP_MS);
  timer.unref();
  running.set(ctx, () => {
    clearInterval(timer);
    engine?.off("connection", onConnection);
    binary.clear();
  });
}

/** Stops the sweep and the frame watch (server shutdown). */
export function stopTransportGuards(ctx: Context): void {
  running.get(ctx)?.();
  running.delete(ctx);
}
