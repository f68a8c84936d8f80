// The entry of one server process: `node --import tsx host.ts <impl> <options json>`, driven over IPC.
import { writeFileSync } from "node:fs";
import { writeHeapSnapshot } from "node:v8";
import { Session } from "node:inspector/promises";
import { setImmediate as tick } from "node:timers/promises";
import type { RoomSpec } from "../contract.js";
import { startBaseline } from "./baseline.js";
import { startRoomkit } from "./roomkit.js";
import type { BenchServer, Impl, ServerOptions, ServerStats } from "./types.js";
import { startWsRelay } from "./ws-relay.js";

/** What the runner asks a server process. */
export type HostCommand =
  | { op: "stats" }
  | { op: "gc" }
  | { op: "rooms"; rooms: RoomSpec[] }
  | { op: "profile-start" }
  | { op: "profile-stop"; path: string }
  | { op: "heap-snapshot"; path: string }
  | { op: "close" };
export type HostRequest = HostCommand & { id: number };

const starters: Record<Impl, (options: ServerOptions) => Promise<BenchServer>> = {
  roomkit: startRoomkit,
  baseline: startBaseline,
  ws: startWsRelay,
};

function stats(server: BenchServer): ServerStats {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return { cpuUs: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, connections: server.connections() };
}

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("start the server with --expose-gc");
  for (let i = 0; i < 3; i++) {
    gc();
    await tick();
  }
}

/** A V8 CPU profile of the main thread, only while the runner measures. */
const profiler = new Session();

async function main(): Promise<void> {
  const impl = process.argv[2] as Impl;
  const options = JSON.parse(process.argv[3] ?? "{}") as ServerOptions;
  const start = starters[impl];
  if (!start) throw new Error(`unknown implementation "${impl}"`);
  const server = await start(options);
  const send = (msg: object) => process.send?.(msg);
  process.on("message", (req: HostRequest) => {
    const answer = async (): Promise<object> => {
      switch (req.op) {
        case "stats":
          return stats(server);
        case "gc":
          await collectGarbage();
          return stats(server);
        case "rooms":
          await server.createRooms(req.rooms);
          return {};
        case "profile-start":
          profiler.connect();
          await profiler.post("Profiler.enable");
          await profiler.post("Profiler.start");
          return {};
        case "profile-stop": {
          const { profile } = await profiler.post("Profiler.stop");
          writeFileSync(req.path, JSON.stringify(profile));
          profiler.disconnect();
          return {};
        }
        case "heap-snapshot":
          await collectGarbage();
          writeHeapSnapshot(req.path);
          return {};
        case "close":
          await server.close();
          return {};
      }
    };
    answer().then(
      (result) => {
        send({ id: req.id, result });
        if (req.op === "close") process.disconnect();
      },
      (err: unknown) => send({ id: req.id, error: String((err as Error)?.stack ?? err) }),
    );
  });
  // The runner going away ends this process too.
  process.on("disconnect", () => process.exit(0));
  send({ op: "ready", port: server.port });
}

main().catch((err: unknown) => {
  // Exit even if a half-made server (a Redis connection) would keep the process alive.
  process.send?.({ op: "failed", error: String((err as Error)?.stack ?? err) }, () => process.exit(1));
});
