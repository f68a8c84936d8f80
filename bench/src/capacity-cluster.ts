import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";

/**
 * A Redis Cluster of the capacity runner's own: `primaries` redis-servers on loopback, ports
 * from 18000-18199 (bus ports 28000-28199), no replicas, no persistence, joined with
 * `redis-cli --cluster create`. The same recipe as packages/redis/test/support/cluster.ts.
 */
export interface BenchCluster {
  /** Every primary's URL, comma-separated: what `redisRoomkit({ cluster: true, url })` takes. */
  url: string;
  ports: number[];
  pids: number[];
  /** Redis's CPU (user + sys) in µs, summed over the primaries, from INFO cpu. */
  cpuUs(): Promise<number>;
  /** Stops every server and deletes their files. */
  destroy(): Promise<void>;
}

const FIRST_PORT = 18000;
const LAST_PORT = 18199;

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

async function command(port: number, args: string[]): Promise<string> {
  const c = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false, connectTimeout: 2000 } });
  c.on("error", () => undefined);
  await c.connect();
  try {
    return String(await c.sendCommand(args));
  } finally {
    c.destroy();
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Redis's CPU in µs from INFO cpu. */
export function infoCpuUs(info: string): number {
  const read = (name: string) => Number(new RegExp(`\\b${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (read("used_cpu_user") + read("used_cpu_sys")) * 1e6;
}

/** Why no cluster can be started here (no redis-server or redis-cli), or nothing. */
export function clusterUnavailable(): string | undefined {
  try {
    execFileSync("which", ["redis-server", "redis-cli"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "skipped: redis-server and redis-cli are needed on PATH to start a Redis Cluster";
  }
}

/** Starts the cluster and waits until it serves every slot; on failure every server started is stopped. */
export async function startCluster(primaries = 3): Promise<BenchCluster> {
  const dir = mkdtempSync(join(tmpdir(), "hcap-cluster-"));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const destroy = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGKILL");
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => {
    for (const c of children) c.kill("SIGKILL");
  };
  process.once("exit", onExit);
  try {
    for (let port = FIRST_PORT; port <= LAST_PORT && ports.length < primaries; port++) {
      if ((await portFree(port)) && (await portFree(port + 10000))) ports.push(port);
    }
    if (ports.length < primaries) throw new Error(`no ${primaries} free ports in ${FIRST_PORT}-${LAST_PORT}`);
    for (const port of ports) {
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-node-timeout", "5000"];
      args.push("--cluster-config-file", join(dir, `nodes-${port}.conf`), "--save", "", "--appendonly", "no", "--dir", dir);
      children.push(spawn("redis-server", args, { stdio: "ignore" }));
    }
    for (const port of ports) await until(async () => (await command(port, ["PING"])) === "PONG", `redis-server on ${port}`, 10_000);
    execFileSync("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"], {
      stdio: "ignore",
    });
    await until(async () => {
      for (const port of ports) if (!/cluster_state:ok/.test(await command(port, ["CLUSTER", "INFO"]))) return false;
      return true;
    }, "the cluster to be up");
  } catch (err) {
    await destroy();
    process.off("exit", onExit);
    throw err;
  }
  return {
    url: ports.map((p) => `redis://127.0.0.1:${p}`).join(","),
    ports,
    pids: children.map((c) => c.pid!),
    async cpuUs() {
      const infos = await Promise.all(ports.map((p) => command(p, ["INFO", "cpu"])));
      return infos.reduce((sum, info) => sum + infoCpuUs(info), 0);
    },
    async destroy() {
      await destroy();
      process.off("exit", onExit);
    },
  };
}
