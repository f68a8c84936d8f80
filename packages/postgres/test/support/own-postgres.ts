import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { missingService } from "../../../redis/test/support/services.js";

const run = promisify(execFile);
/** The newest installed PostgreSQL's tools (Debian's layout), or `PG_BIN`. */
const BIN =
  process.env.PG_BIN ||
  join(
    "/usr/lib/postgresql",
    (existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : ["15"]).sort((a, b) => Number(b) - Number(a))[0] ?? "15",
    "bin",
  );

/** A PostgreSQL server of the test's own (initdb in a temp dir, a free port), never the shared one. */
export interface OwnPostgres {
  url: string;
  /** `pg_ctl restart -m immediate`: a crash of every PostgreSQL process, then recovery; resolves once it accepts connections again. */
  restartImmediate(): Promise<void>;
  stop(): Promise<void>;
}

/** True when initdb and pg_ctl are installed; false after a loud skip notice; throws when services are required. */
export function needPostgresBinaries(): boolean {
  return (
    existsSync(join(BIN, "initdb")) || missingService(`PostgreSQL's initdb in ${BIN}`, "is not installed (apt-get install postgresql)")
  );
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
function asUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const [uid, gid] = ["-u", "-g"].map((flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim()));
  return { uid: uid!, gid: gid! };
}

/**
 * Starts a server of its own in a temp dir on a free port. It is stopped by `stop()`, and when
 * the test worker exits, whatever happened.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "roomkit-pg-"));
  const user = asUser();
  if ("uid" in user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const pgCtl = (args: string[]) => run(join(BIN, "pg_ctl"), ["-D", data, "-w", "-t", "60", ...args], { ...user, timeout: 90_000 });
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(join(BIN, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], { ...user, stdio: "ignore" });
    } catch {
      // it was not running
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopNow);
  try {
    await run(join(BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], { ...user, timeout: 90_000 });
    await pgCtl(["-o", options, "-l", join(dir, "log"), "start"]);
  } catch (err) {
    stopNow();
    throw err;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restartImmediate: async () => {
      await pgCtl(["-m", "immediate", "-o", options, "-l", join(dir, "log"), "restart"]);
    },
    stop: async () => {
      process.off("exit", stopNow);
      stopNow();
    },
  };
}
