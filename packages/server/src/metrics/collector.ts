import type { IncomingMessage, ServerResponse } from "node:http";
import { Registry, collectDefaultMetrics } from "prom-client";
import type { Context } from "../context.js";
import { listenForScrapes, scrapeHandler } from "./http.js";
import type { MetricsListenOptions, MetricsServer } from "./http.js";
import { measureStores } from "./measure-stores.js";
import type { MetricsCollector } from "./recorder.js";
import { serverMetrics } from "./server-metrics.js";
import { storeMetrics } from "./store-metrics.js";

/**
 * Options of {@link roomkitMetrics}.
 *
 * @example
 * import { register } from "prom-client";
 * // On the app's own registry, with its own metrics, without a second set of process metrics:
 * const metrics = roomkitMetrics({ registry: register, prefix: "chat_" });
 */
export interface RoomkitMetricsOptions {
  /** The prom-client registry to register on; default a new one (pass prom-client's `register` to share the app's). */
  registry?: Registry;
  /** Prefix of every metric name. Default `roomkit_`. */
  prefix?: string;
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag, GC). Default: true on a new registry, false on one the app passed. */
  processMetrics?: boolean;
  /** Probe each store with one read-only call at every scrape, for `roomkit_store_up`. Default true; false reads availability off real calls only. */
  probe?: boolean;
  /** A probe without an answer after this long counts the store as down. Default 1000 ms. */
  probeTimeoutMs?: number;
}

/**
 * What {@link roomkitMetrics} made: give it to `createRoomkit`'s `metrics` option, then serve it.
 *
 * @example
 * const metrics = roomkitMetrics();
 * createRoomkit(io, { contract, authenticate, metrics });
 * app.get("/metrics", metrics.handler); // Express; or createServer(metrics.handler), or metrics.listen()
 */
export interface RoomkitMetrics extends MetricsCollector {
  /** The registry the metrics are on. */
  readonly registry: Registry;
  /**
   * A Node.js request listener that answers a scrape (GET or HEAD) with the exposition text:
   * mount it at `/metrics` on the app's HTTP server, or in Express (`app.get("/metrics", metrics.handler)`).
   */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The exposition text, as a scrape gets it. */
  text(): Promise<string>;
  /** Serves the metrics on a port of their own (default 9464, path `/metrics`). */
  listen(options?: MetricsListenOptions): Promise<MetricsServer>;
}

/**
 * Prometheus metrics of one Roomkit server on prom-client (an optional peer dependency, loaded
 * only by this entry point): connections, requests and acks by error code, messages stored and
 * delivered, backpressure, store latency and availability, presence sizes, recoveries. Every
 * label comes from a closed set (never a channel or user id). docs/operating.md lists them all.
 *
 * @example
 * import { roomkitMetrics } from "@roomkit/server/metrics";
 *
 * const metrics = roomkitMetrics();
 * const rk = createRoomkit(io, { contract, authenticate, metrics });
 * await metrics.listen({ port: 9464 }); // or: on the app's own server, route /metrics to metrics.handler
 */
export function roomkitMetrics(options: RoomkitMetricsOptions = {}): RoomkitMetrics {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? "roomkit_";
  if (options.processMetrics ?? !options.registry) collectDefaultMetrics({ register: registry });
  const handler = scrapeHandler(registry);
  let attached = false;
  return {
    registry,
    handler,
    text: () => registry.metrics(),
    listen: (listen = {}) => listenForScrapes(handler, listen),
    attach(server: unknown) {
      if (attached) throw new TypeError("roomkitMetrics: a collector measures one server; make one per createRoomkit");
      attached = true;
      const ctx = server as Context;
      const probe = options.probe === false ? undefined : { stores: ctx.stores, timeoutMs: options.probeTimeoutMs ?? 1000 };
      ctx.stores = measureStores(ctx.stores, storeMetrics({ registry, prefix, contract: ctx.contract, ...(probe ? { probe } : {}) }));
      ctx.metrics = serverMetrics(registry, prefix, ctx);
    },
  };
}
