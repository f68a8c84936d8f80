import type { Ack, ErrorCode, RequestName } from "@roomkit/protocol";

/**
 * What the server reports to while metrics are on (`ctx.metrics`); `undefined` when they are
 * off, so every hook point is one optional call and costs nothing then.
 */
export interface MetricsRecorder {
  /** A request ran to its ack (sent, or dropped when the client gave no callback). */
  request(event: RequestName, ack: Ack, startedMs: number): void;
  /** A handshake was refused with `code`. */
  refused(code: ErrorCode): void;
}

/**
 * The `metrics` option of `createRoomkit`: a collector made by `roomkitMetrics()` from
 * `@roomkit/server/metrics`. This type is all the server knows of it, so the server never loads
 * `prom-client` unless the app does.
 *
 * @example
 * import { roomkitMetrics } from "@roomkit/server/metrics";
 * const metrics = roomkitMetrics();
 * createRoomkit(io, { contract, authenticate, metrics });
 */
export interface MetricsCollector {
  /**
   * Called once by `createRoomkit` with the server's internals, before any connection: the
   * collector measures the stores and listens to the server from then on. Not for apps to call.
   */
  attach(server: unknown): void;
}

/** A handshake's `next` that tells `metrics` the code of a refusal before passing it on. */
export function countingRefusals(metrics: MetricsRecorder, next: (err?: Error) => void): (err?: Error) => void {
  return (err) => {
    const code = (err as { data?: { code?: ErrorCode } } | undefined)?.data?.code;
    if (code) metrics.refused(code);
    next(err);
  };
}
