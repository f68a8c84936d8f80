import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";
import { existsSync } from "node:fs";

// util-linux's setpriv sets PR_SET_PDEATHSIG before it execs the command (same pid): the kernel
// kills the child when the test's process dies, even by SIGKILL, when no code of the kit can run.
const SETPRIV = "/usr/bin/setpriv";
const tiedByKernel = process.platform === "linux" && existsSync(SETPRIV);

const live = new Set<ChildProcess>();

// Where the kernel cannot help (macOS), a test process that exits still takes its nodes along.
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** Starts a node's child process, tied to this process: it never outlives it. */
export function spawnTied(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = tiedByKernel ? spawn(SETPRIV, ["--pdeathsig", "SIGKILL", "--", command, ...args], options) : spawn(command, args, options);
  live.add(child);
  child.once("exit", () => live.delete(child));
  child.once("error", () => live.delete(child));
  return child;
}

/** Whether a child has neither exited nor been ended by a signal. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && live.has(child);
}
