/**
 * Runs a command (CI: the test suite) and fails if a process it started outlives it:
 * `node --import tsx scripts/no-leftovers.ts -- npm test`.
 *
 * The command runs in a session of its own. A process of the run is one in that session (everything
 * the command starts stays in it, orphans too, unless it calls setsid), or one that carries the
 * run's `ROOMKIT_TEST_RUN` mark in its environment (inherited across setsid; but redis-server, like
 * others that set their process title, overwrites its environment), or whose working folder is
 * inside the repository, or whose command line names it. Those that did not exist before the
 * command, still running a few seconds after it ended, are printed and killed, and the exit code
 * is 1; otherwise it is the command's own. Reads `/proc`: it checks on Linux only (elsewhere it
 * only runs the command).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository's root, without a trailing slash. */
const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const MARK = "ROOMKIT_TEST_RUN";

export interface RunProcess {
  pid: number;
  cwd: string;
  command: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

function cwdOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return "";
  }
}

/** The live processes (no zombies) of session `session`, or marked `mark`, or of the repository at `root`; never this one. */
export function runProcesses(session: number, mark: string, root: string | null): RunProcess[] {
  const found: RunProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const stat = read(`/proc/${pid}/stat`);
    // After the command's name (which may hold spaces and parentheses): state ppid pgrp session ...
    const [state, , , sid] = stat?.slice(stat.lastIndexOf(")") + 2).split(" ") ?? [];
    if (!state || state === "Z" || state === "X") continue;
    const command = (read(`/proc/${pid}/cmdline`) ?? "").split("\0").join(" ").trim();
    const cwd = cwdOf(pid);
    const marked = (read(`/proc/${pid}/environ`) ?? "").split("\0").includes(`${MARK}=${mark}`);
    const inRepo = root !== null && (cwd === root || cwd.startsWith(`${root}/`) || command.includes(root));
    if (Number(sid) === session || marked || inRepo) found.push({ pid, cwd, command });
  }
  return found;
}

function kill(pid: number): void {
  for (const signal of ["SIGCONT", "SIGKILL"] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export interface LeftoverOptions {
  /** The repository whose processes count as the run's too; null: the mark alone. */
  root?: string | null;
  /** How long processes may take to exit after the command has (a worker's children die just after it). */
  graceMs?: number;
  log?: (line: string) => void;
}

/** Runs `command` with a fresh mark; resolves with the exit code it deserves (see the file's comment). */
export async function runWithoutLeftovers(command: string[], options: LeftoverOptions = {}): Promise<number> {
  const { root = ROOT, graceMs = 5_000, log = console.error } = options;
  const [file, ...args] = command;
  if (!file) throw new Error("usage: no-leftovers.ts -- <command> [args...]");
  const mark = `${process.pid}-${Date.now()}`;
  const checks = existsSync("/proc/self/environ");
  const before = new Set(checks ? runProcesses(-1, mark, root).map((p) => p.pid) : []);
  const child = spawn(file, args, { stdio: "inherit", env: { ...process.env, [MARK]: mark }, detached: true });
  // The command has its own process group, away from the terminal's: pass on what was meant for it.
  const forward = (signal: NodeJS.Signals) => child.pid && process.kill(-child.pid, signal);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, forward);
  const code = await new Promise<number>((done) => {
    child.once("error", (err) => {
      log(`no-leftovers: could not run ${file}: ${err.message}`);
      done(127);
    });
    child.once("exit", (status) => done(status ?? 1));
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.off(signal, forward);
  if (!checks) return code;
  const session = child.pid ?? -1;
  const leftovers = () => runProcesses(session, mark, root).filter((p) => !before.has(p.pid) && p.pid !== child.pid);
  let left = leftovers();
  for (let waited = 0; left.length > 0 && waited < graceMs; waited += 100) {
    await new Promise((done) => setTimeout(done, 100));
    left = leftovers();
  }
  if (left.length === 0) return code;
  log(`\nno-leftovers: ${left.length} process(es) of the run still running after "${command.join(" ")}" ended:`);
  for (const p of left) log(`  pid ${p.pid}  cwd ${p.cwd || "?"}  ${p.command || "?"}`);
  log("no-leftovers: killed them; every process a test starts must be stopped by the test (see CONTRIBUTING.md).");
  for (const p of left) kill(p.pid);
  return code === 0 ? 1 : code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dashes = process.argv.indexOf("--");
  process.exitCode = await runWithoutLeftovers(process.argv.slice(dashes < 0 ? 2 : dashes + 1));
}
