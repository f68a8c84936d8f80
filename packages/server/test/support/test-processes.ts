import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";
import { existsSync } from "node:fs";

// util-linux's setpriv sets PR_SET_PDEATHSIG before it execs the command (same pid): the kernel
// kills the child when this test worker dies, even by SIGKILL, when no hook of ours can run.
const SETPRIV = "/usr/bin/setpriv";
const tiedByKernel = process.platform === "linux" && existsSync(SETPRIV);

const live = new Set<ChildProcess>();

function kill(child: ChildProcess): void {
  child.kill("SIGCONT"); // a frozen (SIGSTOP) process is killed all the same, but say so plainly
  child.kill("SIGKILL");
}

// Where the kernel cannot help (macOS), a worker that exits normally still takes its children along.
process.once("exit", () => {
  for (const child of live) kill(child);
});

/**
 * Starts a process for a test: every process a test starts goes through here (or {@link spawnTsx}),
 * so none outlives the test worker. It is killed when the worker exits or dies, and by
 * {@link killTestProcesses}; a test still stops it itself in its `afterEach` or `afterAll`.
 * @example
 * const redis = spawnTestProcess("redis-server", ["--port", "0"], { stdio: "ignore" });
 */
export function spawnTestProcess(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = tiedByKernel ? spawn(SETPRIV, ["--pdeathsig", "SIGKILL", "--", command, ...args], options) : spawn(command, args, options);
  live.add(child);
  child.once("exit", () => live.delete(child));
  child.once("error", () => live.delete(child));
  return child;
}

/**
 * Runs a TypeScript file in a child Node process (`node --import tsx script`), as {@link spawnTestProcess}.
 * @example
 * const child = spawnTsx(fileURLToPath(new URL("./server-process.ts", import.meta.url)), { stdio: ["ignore", "pipe", "inherit"] });
 */
export function spawnTsx(script: string, options: SpawnOptions = {}): ChildProcess {
  return spawnTestProcess(process.execPath, ["--import", "tsx", script], options);
}

/** Whether a child has neither exited nor been reaped by a signal. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && live.has(child);
}

/**
 * Kills every test process of this worker that is still running and resolves once each has exited
 * (for the `afterEach` of a test that may have failed halfway).
 * @example
 * afterEach(killTestProcesses);
 */
export async function killTestProcesses(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((done) => {
          child.once("exit", () => done());
          kill(child);
        }),
    ),
  );
}
