/**
 * Prometheus metrics for a Roomkit server, on `prom-client` (install it next to `@roomkit/server`):
 * `roomkitMetrics()` for `createRoomkit`'s `metrics` option, and a `/metrics` handler to serve.
 * @module @roomkit/server/metrics
 */
export { roomkitMetrics } from "./collector.js";
export type { RoomkitMetrics, RoomkitMetricsOptions } from "./collector.js";
export type { MetricsListenOptions, MetricsServer } from "./http.js";
export type { MetricsCollector } from "./recorder.js";
