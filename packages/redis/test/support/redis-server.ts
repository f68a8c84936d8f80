import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isRunning, spawnTestProcess } from "../../../server/test/support/test-processes.js";
import { pingRedis } from "./services.js";

/** A redis-server of the test's own, which it may stop and start (never the shared one). */
export interface OwnRedis {
  url: string;
  /** Stops it as an operator would (`SHUTDOWN SAVE`: the data is kept on disk). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; one that is running is only thawed (never a second one). */
  start(): Promise<void>;
  /** Kills it (SIGKILL) and deletes its data: it will start again empty. */
  crash(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open and nothing answers. */
  freeze(): void;
  thaw(): void;
  /** Stops it for good and deletes its data. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function until(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return true;
    await new Promise((done) => setTimeout(done, 25));
  }
  return false;
}

/** Runs `binary` on a free port with no periodic persistence (`--save "" --appendonly no`). */
export async function ownRedis(binary: string): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "rk-redis-"));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    // A second server could not bind the port and would take `child` from the one still running.
    if (child && isRunning(child)) return void child.kill("SIGCONT");
    child = spawnTestProcess(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
      stdio: "ignore",
    });
    if (await until(() => pingRedis(url, 200))) return;
    child.kill("SIGKILL");
    throw new Error(`${binary} did not answer on port ${port}`);
  };
  const stop = async () => {
    const running = child;
    if (!running || !isRunning(running)) return;
    const exited = new Promise((done) => running.once("exit", done));
    const socket = connect({ host: "127.0.0.1", port }, () => socket.end("SHUTDOWN SAVE\r\n"));
    socket.on("error", () => undefined);
    await exited;
  };
  await start();
  return {
    url,
    start,
    stop,
    async crash() {
      const running = child;
      if (running && isRunning(running)) {
        const exited = new Promise((done) => running.once("exit", done));
        running.kill("SIGKILL");
        await exited;
      }
      rmSync(join(dir, "dump.rdb"), { force: true });
    },
    freeze: () => child?.kill("SIGSTOP"),
    thaw: () => child?.kill("SIGCONT"),
    async destroy() {
      const running = child;
      if (running && isRunning(running)) {
        const exited = new Promise((done) => running.once("exit", done));
        running.kill("SIGCONT");
        running.kill("SIGKILL");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
