import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";

/** Every child process started here and not yet exited; killed when this process exits. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts `command` and tracks it until it exits, so {@link running} children never outlive us. */
export function start(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  running.add(child);
  child.once("exit", () => running.delete(child));
  child.once("error", () => running.delete(child));
  return child;
}

/** The environment without npm's `npm_*` variables, so a nested `npm` does not act on this workspace. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, ...extra };
}

/** Resolves when `child` exits with code 0; rejects on another code, a signal, or after `timeoutMs` (and kills it). */
export function exited(child: ChildProcess, label: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${label}: no exit after ${timeoutMs / 1000} s (killed)`));
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`${label}: ${err.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${label}: exited with ${signal ?? `code ${code}`}`));
    });
  });
}

/**
 * Runs a command to completion with its output on ours, printing it first.
 *
 * @example
 * await run("npm", ["install"], { cwd: app, timeoutMs: 90_000 });
 */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<void> {
  console.log(`$ ${[command, ...args].join(" ")}`);
  const child = start(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "inherit", "inherit"] });
  await exited(child, [command, ...args].join(" "), options.timeoutMs);
}
