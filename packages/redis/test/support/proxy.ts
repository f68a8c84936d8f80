import { connect, createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";

/** A TCP forwarder in front of one or more servers, to cut connections and to fail over like a load balancer. */
export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones, as a network cut. */
  cut(): void;
  /** Accepts connections again. */
  heal(): void;
  close(): Promise<void>;
}

/**
 * Forwards each connection to the first of `targets()` that accepts it (so a dead server is
 * skipped, as a load balancer's health check would).
 */
export async function tcpProxy(targets: () => number[]): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let cut = false;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  };
  const server = createServer((downstream) => {
    track(downstream);
    if (cut) return void downstream.destroy();
    downstream.pause();
    const tryNext = (ports: number[]) => {
      const [port, ...rest] = ports;
      if (port === undefined) return void downstream.destroy();
      const upstream = connect({ host: "127.0.0.1", port });
      upstream.once("error", () => (upstream.remotePort === undefined ? tryNext(rest) : downstream.destroy()));
      upstream.once("connect", () => {
        track(upstream);
        upstream.on("error", () => downstream.destroy());
        downstream.on("error", () => upstream.destroy());
        upstream.once("close", () => downstream.destroy());
        downstream.once("close", () => upstream.destroy());
        downstream.pipe(upstream);
        upstream.pipe(downstream);
        downstream.resume();
      });
    };
    tryNext(targets());
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
    },
    heal() {
      cut = false;
    },
    close: () =>
      new Promise((done) => {
        for (const socket of open) socket.destroy();
        server.close(() => done());
      }),
  };
}
