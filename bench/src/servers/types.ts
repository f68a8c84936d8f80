import type { RoomSpec } from "../contract.js";

/** The three implementations under test. */
export type Impl = "roomkit" | "baseline" | "ws";

/** Which @socket.io/redis-adapter both sides use in one run: sharded pub/sub (Redis 7+) or classic. */
export type RedisAdapterKind = "sharded" | "classic";

/** How a server process is started. */
export interface ServerOptions {
  /** Two or more nodes share state through Redis (workload 4). */
  redis?: { url: string; prefix: string; adapter: RedisAdapterKind; cluster?: boolean };
  /** Roomkit only: Prometheus metrics on (`@roomkit/server/metrics`), collected once a second (bench/src/metrics-cost.ts). */
  metrics?: boolean;
  /** The stores (Roomkit) or the hand-written history (baseline) in PostgreSQL, in `schema` (made at start; the runner drops it). */
  postgres?: { url: string; schema: string };
}

/** What a server process exposes to the runner over IPC. */
export interface BenchServer {
  port: number;
  /** Creates the group rooms with their members before anyone connects. */
  createRooms(rooms: RoomSpec[]): Promise<void>;
  /** Live connections. */
  connections(): number;
  close(): Promise<void>;
}

/** A server's own view of itself, read before and after a measured window. */
export interface ServerStats {
  /** process.cpuUsage() user + system, µs. */
  cpuUs: number;
  rss: number;
  heapUsed: number;
  connections: number;
}
