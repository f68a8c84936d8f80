import type { Ack, RequestName, SubscribeResult } from "@roomkit/protocol";
import { Gauge, Histogram } from "prom-client";
import type { Registry } from "prom-client";
import type { Context } from "../context.js";
import { SLOW_ROOM } from "../transport/slow-consumers.js";
import { countDroppedDeliveries } from "./backpressure.js";
import { codeLabel, kindLabel } from "./labels.js";
import type { MetricsRecorder } from "./recorder.js";
import { watchSockets } from "./sockets.js";
import { Tally, tallyCounter } from "./tally.js";

const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A gauge set from the server's own state at each scrape: nothing is counted on the way. */
function stateGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** This node's connections, users and presence entries, walked once per scrape. */
function registerGauges(registry: Registry, prefix: string, ctx: Context): void {
  const connections = () => {
    let n = 0;
    for (const own of ctx.sessions.values()) n += own.size;
    return n;
  };
  const presence = () => {
    const channels = new Set<string>();
    let entries = 0;
    for (const own of ctx.sessions.values())
      for (const session of own) {
        entries += session.presence.size;
        for (const channel of session.presence) channels.add(channel);
      }
    return { entries, channels: channels.size };
  };
  stateGauge(registry, `${prefix}connections`, "Connections on this node.", connections);
  stateGauge(registry, `${prefix}users`, "Distinct users with a connection on this node.", () => ctx.sessions.size);
  stateGauge(
    registry,
    `${prefix}slow_connections`,
    "Connections over limits.outboundSoftBytes now: their signals and presence diffs are dropped.",
    () => {
      return ctx.io.of("/").adapter.rooms.get(SLOW_ROOM)?.size ?? 0;
    },
  );
  stateGauge(
    registry,
    `${prefix}presence_entries`,
    "Connections counted in presence or room channels on this node (one per connection per channel).",
    () => presence().entries,
  );
  stateGauge(
    registry,
    `${prefix}presence_channels`,
    "Presence and room channels with a connection counted on this node.",
    () => presence().channels,
  );
}

/**
 * Every metric of the server but the stores': gauges read at scrape time, counts of each
 * connection's traffic, and the recorder the server calls on each ack and refused handshake.
 */
export function serverMetrics(registry: Registry, prefix: string, ctx: Context): MetricsRecorder {
  registerGauges(registry, prefix, ctx);
  const t = {
    opened: new Tally(),
    disconnected: new Tally(),
    requests: new Tally(),
    deliveries: new Tally(),
    byes: new Tally(),
    dropped: new Tally(),
    acks: new Tally(),
    recoveries: new Tally(),
    refused: new Tally(),
  };
  const counter = (name: string, help: string, labels: string[], tally: Tally) =>
    tallyCounter(registry, `${prefix}${name}`, help, labels, tally);
  counter("connections_opened_total", "Connections accepted (authenticated) on this node.", [], t.opened);
  counter("disconnects_total", "Connections that ended on this node, by Socket.IO disconnect reason.", ["reason"], t.disconnected);
  counter("handshakes_refused_total", "Handshakes refused, by error code (UNAUTHENTICATED, RATE_LIMITED...).", ["code"], t.refused);
  counter("requests_total", "Requests received, by request name (other: an event that is not a request).", ["event"], t.requests);
  counter("acks_total", "Requests answered, by request name and outcome (OK or the error code).", ["event", "code"], t.acks);
  counter(
    "deliveries_total",
    "Events written to this node's connections, one per recipient, by push name (rk:message: messages delivered).",
    ["event"],
    t.deliveries,
  );
  counter(
    "backpressure_dropped_total",
    "Signals and presence diffs not delivered to a connection because it was over limits.outboundSoftBytes.",
    [],
    t.dropped,
  );
  counter(
    "server_closes_total",
    "Connections the server closed, by rk:bye reason (slow-consumer: closed by backpressure; shutdown).",
    ["reason"],
    t.byes,
  );
  counter(
    "recoveries_total",
    "Subscribes with since, by channel kind and whether the gap was recovered (false: the client must reload).",
    ["kind", "recovered"],
    t.recoveries,
  );
  const duration = new Histogram({
    name: `${prefix}request_duration_seconds`,
    help: "Time from a request's arrival to its ack, by request name.",
    labelNames: ["event"],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  watchSockets(ctx.io, t);
  countDroppedDeliveries(ctx.io, t.dropped);
  return {
    request(event: RequestName, ack: Ack, startedMs: number) {
      duration.observe({ event }, (performance.now() - startedMs) / 1000);
      t.acks.add(1, event, ack.ok ? "OK" : codeLabel(ack.error.code));
      if (event === "rk:subscribe" && ack.ok) {
        const { recovered, channel } = ack as unknown as SubscribeResult;
        if (recovered !== undefined) t.recoveries.add(1, kindLabel(ctx.contract, channel), String(recovered));
      }
    },
    refused(code) {
      t.refused.add(1, codeLabel(code));
    },
  };
}
