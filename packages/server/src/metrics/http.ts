import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { RoomkitMetrics } from "./collector.js";

/** Answers a scrape: the registry's exposition text on GET and HEAD, 405 otherwise. */
export function scrapeHandler(registry: Registry): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      (err: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(`could not collect the metrics: ${String(err)}`);
      },
    );
  };
}

/**
 * Where {@link RoomkitMetrics.listen} serves the metrics.
 *
 * @example
 * await metrics.listen({ port: 9464, host: "10.0.0.5" }); // a private interface only
 */
export interface MetricsListenOptions {
  /** Default 9464 (the port Prometheus' registry of exporters lists for Node.js apps); 0 for any free one. */
  port?: number;
  /** Default: every interface (so that Prometheus on another host can scrape); `127.0.0.1` for this host only. */
  host?: string;
  /** Default `/metrics`; every other path answers 404. */
  path?: string;
}

/**
 * A metrics server of its own, as {@link RoomkitMetrics.listen} started it.
 *
 * @example
 * const server = await metrics.listen({ port: 0 });
 * console.log(`scrape http://127.0.0.1:${server.port}/metrics`);
 * process.on("SIGTERM", () => void server.close());
 */
export interface MetricsServer {
  /** The port it listens on (the one chosen when `port` was 0). */
  port: number;
  /** The `http.Server`, to close it (`close()`) or to read more of it. */
  server: Server;
  close(): Promise<void>;
}

/** Serves `handler` at `path` on a port of its own. */
export function listenForScrapes(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  { port = 9464, host, path = "/metrics" }: MetricsListenOptions,
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (new URL(req.url ?? "/", "http://scrape").pathname === path) return handler(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end(`metrics are at ${path}`);
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      done({
        port: (server.address() as AddressInfo).port,
        server,
        close: () => new Promise<void>((closed, failed) => server.close((err) => (err ? failed(err) : closed()))),
      });
    });
  });
}
