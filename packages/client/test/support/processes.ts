import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./server-process.ts", import.meta.url));
const tsconfig = fileURLToPath(new URL("../../../../tsconfig.test.json", import.meta.url));

/** A Roomkit server in a child process (see server-process.ts). */
export interface ServerProcess {
  port: number;
  url: string;
  /** Stops it: `SIGTERM` closes gracefully, `SIGKILL` crashes it. Resolves when it has exited. */
  stop(signal: "SIGTERM" | "SIGKILL"): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Starts a server process on `port` (0: a free one) and resolves once it listens. */
export function startServerProcess(port = 0): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, PORT: String(port), TSX_TSCONFIG_PATH: tsconfig },
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.add(child);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  void exited.then(() => running.delete(child));
  return new Promise((done, fail) => {
    let out = "";
    child.once("exit", (code) => fail(new Error(`the server process exited with ${code} before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening (\d+)/.exec(out);
      if (!found) return;
      const listening = Number(found[1]);
      done({
        port: listening,
        url: `http://127.0.0.1:${listening}`,
        stop: (signal) => {
          child.kill(signal);
          return exited;
        },
      });
    });
  });
}

/** Kills every server process still running (after a failed test). */
export async function killServerProcesses(): Promise<void> {
  await Promise.all(
    [...running].map((child) => new Promise<void>((done) => {
      child.once("exit", () => done());
      child.kill("SIGKILL");
    })),
  );
}
