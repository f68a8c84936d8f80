import { readFileSync } from "node:fs";
import type pg from "pg";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100;
/** The server-wide processes that do part of every write's work (WAL, dirty pages). */
const SHARED = ["walwriter", "checkpointer", "background writer"];

/** utime + stime of a process in µs, or undefined once it is gone (or not readable here). */
function cpuUs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL's own CPU, read from /proc/<pid>/stat (so only when PostgreSQL runs on this machine):
 * the client backends whose `application_name` is `appName` (one run's connections) plus the
 * server's WAL writer, checkpointer and background writer, which are shared (anything else
 * writing at the same time adds to them). pg_stat_statements is not used: it needs
 * `shared_preload_libraries`, which a stock server does not load.
 */
export async function startPgMeter(admin: pg.Pool, appName: string): Promise<{ stop(): Promise<{ backendUs: number; sharedUs: number }> }> {
  const pids = async () => {
    const { rows } = await admin.query<{ pid: number; backend_type: string; application_name: string }>(
      "SELECT pid, backend_type, application_name FROM pg_stat_activity WHERE application_name = $1 OR backend_type = ANY($2)",
      [appName, SHARED],
    );
    return rows.map((r) => ({ pid: r.pid, shared: SHARED.includes(r.backend_type) }));
  };
  const before = new Map<number, number>();
  for (const { pid } of await pids()) before.set(pid, cpuUs(pid) ?? 0);
  return {
    async stop() {
      let backendUs = 0;
      let sharedUs = 0;
      for (const { pid, shared } of await pids()) {
        const used = (cpuUs(pid) ?? 0) - (before.get(pid) ?? 0);
        if (shared) sharedUs += used;
        else backendUs += used;
      }
      return { backendUs, sharedUs };
    },
  };
}
