import { connect, createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";

/**
 * One client's network path to the servers: a TCP forwarder on port 0 that the client connects
 * through, so that a test can break it, block it or stall it the way a real network does,
 * without touching the client or the server.
 */
export interface Link {
  readonly port: number;
  /** Breaks the connections open now (the client sees its transport close and reconnects). */
  cut(): void;
  /** While blocked, new connections are refused (the client stays offline, retrying). */
  block(blocked: boolean): void;
  /** Stops forwarding bytes either way, for open and new connections, until `pause(false)`. */
  pause(paused: boolean): void;
  /** Whether a connection is open through it to `port`. */
  reaches(port: number): boolean;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
  port: number;
}

/** Where a link forwards to. */
export interface Target {
  host: string;
  port: number;
}

/** Starts a link that forwards each connection to where `target()` says at that moment (nowhere: refused). */
export async function startLink(target: () => Target | undefined): Promise<Link> {
  const pairs = new Set<Pair>();
  const pending = new Set<Socket>();
  let blocked = false;
  let paused = false;
  const flow = ({ client, server }: Pair) => {
    if (paused) {
      client.unpipe(server);
      server.unpipe(client);
      client.pause();
      server.pause();
    } else {
      client.pipe(server);
      server.pipe(client);
    }
  };
  const listener = createServer((client) => {
    const to = target();
    if (blocked || to === undefined) return void client.destroy();
    client.pause();
    pending.add(client);
    const server = connect(to);
    const pair = { client, server, port: to.port };
    const end = () => {
      pending.delete(client);
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on("error", end).once("close", end);
    server.on("error", end).once("close", end);
    server.once("connect", () => {
      pending.delete(client);
      pairs.add(pair);
      flow(pair);
    });
  });
  await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
  const link: Link = {
    port: (listener.address() as AddressInfo).port,
    cut() {
      for (const { client, server } of pairs) {
        client.destroy();
        server.destroy();
      }
      for (const client of pending) client.destroy();
    },
    block(value) {
      blocked = value;
    },
    pause(value) {
      if (value === paused) return;
      paused = value;
      for (const pair of pairs) flow(pair);
    },
    reaches: (port) => [...pairs].some((pair) => pair.port === port),
    close() {
      link.cut();
      return new Promise((done) => listener.close(() => done()));
    },
  };
  return link;
}
