import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { isRunning, spawnTestProcess } from "../../../server/test/support/test-processes.js";
import { createRedisCluster } from "../../src/cluster-client.js";
import type { RedisClusterClient } from "../../src/cluster-client.js";
import { connectRedis } from "../../src/client.js";
import { pingRedis } from "./services.js";

/** One redis-server of a test cluster. */
export interface ClusterNode {
  port: number;
  url: string;
  child: ChildProcess;
  args: string[];
}

/** A Redis Cluster of the test's own, on loopback ports in 17000-17999 (bus ports 27000-27999). */
export interface OwnCluster {
  /** Every node's URL, comma-separated: what `redisRoomkit({ cluster: true, url })` takes. */
  url: string;
  nodes: ClusterNode[];
  /** A connected cluster client (closed by `destroy`). */
  client(): Promise<RedisClusterClient>;
  /** One command on one node. */
  on(port: number, args: string[]): Promise<unknown>;
  /** The port of the primary that serves `key`'s slot now. */
  primaryOf(key: string): Promise<number>;
  /** SIGKILLs a node, then waits until the cluster serves every slot again (a replica promoted). */
  killAndFailOver(port: number): Promise<void>;
  /** Starts a killed node again (its cluster config kept): it rejoins as a replica; resolves once it is in sync. */
  restart(port: number): Promise<void>;
  /** Stops every node and deletes their files. */
  destroy(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/** `count` ports P in 17000-17999, from a random start, with P and its bus port P+10000 free. */
async function freeClusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  const start = 17000 + Math.floor(Math.random() * 1000);
  for (let i = 0; i < 1000 && ports.length < count; i++) {
    const port = 17000 + ((start - 17000 + i * 7) % 1000);
    if (port === 6379 || ports.includes(port)) continue;
    if ((await portFree(port)) && (await portFree(port + 10000))) ports.push(port);
  }
  if (ports.length < count) throw new Error("no free ports for a test cluster in 17000-17999");
  return ports;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return isRunning(child) ? new Promise((done) => child.once("exit", () => done())) : Promise.resolve();
}

/**
 * Starts `primaries` redis-servers with `--cluster-enabled yes` (and `replicas` per primary),
 * joins them with `redis-cli --cluster create`, and waits until the cluster is up, every
 * replica in sync. A node failed after `--cluster-node-timeout 1000`, so a failover takes a few seconds.
 */
export async function ownCluster(binary: string, options: { primaries?: number; replicas?: number } = {}): Promise<OwnCluster> {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicas ?? 0;
  const dir = mkdtempSync(join(tmpdir(), "rk-cluster-"));
  const nodes: ClusterNode[] = [];
  const clients: RedisClusterClient[] = [];
  const destroy = async () => {
    for (const c of clients) if (c.isOpen) c.destroy();
    await Promise.all(
      nodes.map((node) => {
        const done = exited(node.child);
        node.child.kill("SIGCONT");
        node.child.kill("SIGKILL");
        return done;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  const on = async (port: number, args: string[]): Promise<unknown> => {
    const c = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false, connectTimeout: 2000 } });
    c.on("error", () => undefined);
    await c.connect();
    try {
      return await c.sendCommand(args);
    } finally {
      c.destroy();
    }
  };
  try {
    for (const port of await freeClusterPorts(primaries * (1 + replicas))) {
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes"];
      args.push("--cluster-config-file", join(dir, `nodes-${port}.conf`), "--cluster-node-timeout", "1000");
      args.push("--save", "", "--appendonly", "no", "--dir", dir, "--dbfilename", `dump-${port}.rdb`);
      nodes.push({ port, url: `redis://127.0.0.1:${port}`, args, child: spawnTestProcess(binary, args, { stdio: "ignore" }) });
    }
    for (const node of nodes) await until(() => pingRedis(node.url, 200), `redis-server on ${node.port}`, 10_000);
    const create = spawnTestProcess(
      "redis-cli",
      ["--cluster", "create", ...nodes.map((n) => `127.0.0.1:${n.port}`), "--cluster-replicas", String(replicas), "--cluster-yes"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const output: string[] = [];
    create.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    create.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const code = await new Promise<number | null>((done) => create.once("exit", (c) => done(c)));
    if (code !== 0) throw new Error(`redis-cli --cluster create failed:\n${output.join("")}`);
    await until(async () => {
      for (const node of nodes) if (!/cluster_state:ok/.test(String(await on(node.port, ["CLUSTER", "INFO"])))) return false;
      return true;
    }, "the cluster to be up");
    if (replicas > 0) {
      await until(async () => {
        let synced = 0;
        for (const node of nodes) if (/master_link_status:up/.test(String(await on(node.port, ["INFO", "replication"])))) synced++;
        return synced === primaries * replicas;
      }, "the replicas to be in sync");
    }
  } catch (err) {
    await destroy();
    throw err;
  }
  const alive = () => nodes.filter((n) => isRunning(n.child));
  const primaryOf = async (key: string) => {
    const slot = Number(await on(alive()[0]!.port, ["CLUSTER", "KEYSLOT", key]));
    const ranges = (await on(alive()[0]!.port, ["CLUSTER", "SLOTS"])) as Array<[number, number, [string, number, string]]>;
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no primary serves slot ${slot}`);
    return Number(range[2][1]);
  };
  return {
    url: nodes.map((n) => n.url).join(","),
    nodes,
    on,
    primaryOf,
    async client() {
      const c = await connectRedis(createRedisCluster({ urls: nodes.map((n) => n.url), name: "test" }));
      clients.push(c);
      return c;
    },
    async killAndFailOver(port) {
      const node = nodes.find((n) => n.port === port)!;
      const done = exited(node.child);
      node.child.kill("SIGKILL");
      await done;
      await until(async () => {
        for (const n of alive()) {
          const info = String(await on(n.port, ["CLUSTER", "INFO"]));
          if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info)) return false;
          const ranges = (await on(n.port, ["CLUSTER", "SLOTS"])) as Array<[number, number, [string, number]]>;
          if (ranges.some((range) => Number(range[2][1]) === port)) return false;
        }
        return true;
      }, "a replica to take over");
    },
    async restart(port) {
      const node = nodes.find((n) => n.port === port)!;
      if (isRunning(node.child)) return;
      node.child = spawnTestProcess(binary, node.args, { stdio: "ignore" });
      await until(async () => {
        const info = String(await on(port, ["INFO", "replication"]));
        return /role:slave/.test(info) && /master_link_status:up/.test(info);
      }, `${port} to rejoin as a replica`);
    },
    destroy,
  };
}
