import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RoomSpec } from "../contract.js";
import { pin } from "../machine.js";
import type { HostCommand } from "./host.js";
import type { Impl, ServerOptions, ServerStats } from "./types.js";

const HOST = fileURLToPath(new URL("./host.ts", import.meta.url));
const BENCH = fileURLToPath(new URL("../..", import.meta.url));
const SOURCE_TSCONFIG = fileURLToPath(new URL("../../tsconfig.source.json", import.meta.url));

export interface SpawnOptions {
  server?: ServerOptions;
  /** taskset cpu list to pin the process to. */
  cpus?: string;
  /** Run @roomkit/* from TypeScript source instead of the built dist (the smoke test: no build needed). */
  source?: boolean;
}

/** A server under test, in its own process, driven over IPC. */
export interface ServerProcess {
  impl: Impl;
  url: string;
  pid: number;
  stats(): Promise<ServerStats>;
  /** Forces full garbage collections, then reads the stats. */
  gc(): Promise<ServerStats>;
  createRooms(rooms: RoomSpec[]): Promise<void>;
  /** Starts a V8 CPU profile of the server's main thread. */
  startProfile(): Promise<void>;
  /** Stops it and writes it (a .cpuprofile, for Chrome DevTools or `npm run profile`). */
  stopProfile(path: string): Promise<void>;
  /** Forces full garbage collections, then writes a V8 heap snapshot (bench/src/heap.ts). */
  heapSnapshot(path: string): Promise<void>;
  stop(): Promise<void>;
}

type Pending = Map<number, { done: (value: unknown) => void; fail: (err: Error) => void }>;

function ask<T>(child: ChildProcess, pending: Pending, seq: { n: number }, req: HostCommand): Promise<T> {
  const id = ++seq.n;
  return new Promise<T>((done, fail) => {
    pending.set(id, { done: done as (v: unknown) => void, fail });
    child.send({ ...req, id });
  });
}

/** Starts a server process and resolves once it listens. */
export async function spawnServer(impl: Impl, options: SpawnOptions = {}): Promise<ServerProcess> {
  const execArgv = ["--import", "tsx", "--expose-gc"];
  const env = options.source ? { ...process.env, TSX_TSCONFIG_PATH: SOURCE_TSCONFIG } : process.env;
  const child = fork(HOST, [impl, JSON.stringify(options.server ?? {})], {
    cwd: BENCH,
    env,
    execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  pin(child.pid!, options.cpus);
  const pending: Pending = new Map();
  const seq = { n: 0 };
  const port = await new Promise<number>((done, fail) => {
    child.on("message", (msg: { op?: string; id?: number; port?: number; result?: unknown; error?: string }) => {
      if (msg.op === "ready") return done(msg.port!);
      if (msg.op === "failed") {
        child.kill("SIGKILL");
        return fail(new Error(`${impl} server failed to start: ${msg.error}`));
      }
      const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
      if (!waiter) return;
      pending.delete(msg.id!);
      if (msg.error) waiter.fail(new Error(`${impl} server: ${msg.error}`));
      else waiter.done(msg.result);
    });
    child.once("exit", (code) => {
      fail(new Error(`${impl} server exited with ${code}`));
      for (const w of pending.values()) w.fail(new Error(`${impl} server exited with ${code}`));
      pending.clear();
    });
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    impl,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stats: () => ask<ServerStats>(child, pending, seq, { op: "stats" }),
    gc: () => ask<ServerStats>(child, pending, seq, { op: "gc" }),
    createRooms: (rooms) => ask<void>(child, pending, seq, { op: "rooms", rooms }),
    startProfile: () => ask<void>(child, pending, seq, { op: "profile-start" }),
    stopProfile: (path) => ask<void>(child, pending, seq, { op: "profile-stop", path }),
    heapSnapshot: (path) => ask<void>(child, pending, seq, { op: "heap-snapshot", path }),
    async stop() {
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await ask(child, pending, seq, { op: "close" }).catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}
