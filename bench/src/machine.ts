import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";

/** Which cores the servers and the load generator run on, when they can be pinned. */
export interface Placement {
  servers?: string;
  generator?: string;
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Servers on core 0, the generator on core 1, when taskset exists and there are two cores; else nothing is pinned. */
export function choosePlacement(pin: boolean): Placement {
  if (!pin || os.availableParallelism() < 2 || !hasTaskset()) return {};
  return { servers: "0", generator: "1" };
}

/** Pins every thread of a process to `cpus` (a taskset list); a no-op without a list. */
export function pin(pid: number, cpus: string | undefined): void {
  if (cpus === undefined) return;
  execFileSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
}

function versionOf(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** The machine as the report shows it. */
export function describeMachine(placement: Placement) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    socketio: versionOf("socket.io"),
    ws: versionOf("ws"),
    pinned: placement.servers === undefined ? "no" : `servers on core ${placement.servers}, load generator on core ${placement.generator}`,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export type Machine = ReturnType<typeof describeMachine>;
