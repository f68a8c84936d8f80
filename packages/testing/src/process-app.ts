import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerOptions } from "socket.io";
import type { AnyContract } from "@roomkit/protocol";
import type { AuthPayload, ClientOptions } from "@roomkit/client";
import { opened } from "./auto-close.js";
import type { TestClient } from "./client.js";
import { clientPool } from "./clients.js";
import type { ConnectOptions } from "./clients.js";
import { startProcessNode } from "./process-node.js";
import type { ProcessNode } from "./process-node.js";
import { deletePrefix, testPrefix } from "./redis-source.js";
import type { RedisTestOptions } from "./redis-source.js";

/**
 * What each child process runs: a module of the app and the name of its export, which is the
 * app's `createRoomkit` options or a setup function `(io, { stores, node }) => createRoomkit(...)`
 * (as `startApp`'s `app`); or a script of your own that calls {@link serveTestNode}.
 */
export type NodeProgram = { module: string | URL; export?: string } | { script: string | URL };

/** What {@link startAppProcesses} takes. */
export interface ProcessAppOptions {
  /** What each node's child process runs. */
  run: NodeProgram;
  /** How many nodes. Default 2. */
  nodes?: number;
  /** The handshake `auth` that the app's `authenticate` accepts for a user (as `startApp`'s). */
  login: (userId: string) => AuthPayload | Promise<AuthPayload>;
  /** The Redis the nodes share: `url`, `prefix` and `redisRoomkit`'s other options, which must be plain JSON. */
  redis?: Omit<RedisTestOptions, "nodes">;
  /** Options of each node's Socket.IO server, plain JSON (e.g. `maxHttpBufferSize`). */
  io?: Partial<ServerOptions>;
  /** Environment of the children over this process's: the app's secrets, `TSX_TSCONFIG_PATH`... */
  env?: Record<string, string | undefined>;
  /** Node's arguments before the program. Default `["--import", "tsx"]` when it is TypeScript, else none. */
  execArgv?: string[];
  /** The children's working folder. Default this process's. */
  cwd?: string;
  /** How long a child may take to listen. Default 30000 ms. */
  startTimeoutMs?: number;
  /** Default options of every client (as `startApp`'s). */
  client?: ClientOptions;
  /** How long a wait (`next`, `connected`...) takes before it fails. Default 5000 ms. */
  timeoutMs?: number;
  /** The app's `presence.batchMs`, which `none` and `settle` wait out. Default 50. */
  presenceBatchMs?: number;
}

/** The app running on nodes in child processes, and the clients connected to them. */
export interface ProcessApp<C extends AnyContract> {
  /** Its nodes, one child process each. */
  readonly nodes: readonly ProcessNode[];
  /** Node 0's URL. */
  readonly url: string;
  /** The Redis key prefix the nodes share. */
  readonly prefix: string;
  /**
   * Connects a typed SDK client as `userId` through a network path of its own that the kit can
   * break, block or stall, to `options.node` (default 0) while it is up, else to the next one that is.
   *
   * @example
   * const bob = await app.connect("bob", { node: 2 });
   */
  connect(userId: string, options?: ConnectOptions): Promise<TestClient<C>>;
  /** Closes every client, kills every child (SIGKILL) and deletes the Redis keys the kit made. Safe to call twice. */
  close(): Promise<void>;
}

const isTypeScript = (path: string) => /\.[cm]?tsx?$/.test(path);
const toPath = (file: string | URL) => (file instanceof URL ? fileURLToPath(file) : file);

/**
 * Starts the app's own Roomkit configuration on two or three nodes, each a child process of its
 * own sharing one Redis (`REDIS_URL`, under a key prefix of its own that `close()` deletes), for
 * tests of what happens when a whole process dies: `kill()` is SIGKILL. Connect typed clients to
 * chosen nodes as with {@link startApp}; close it with `close()`, or have {@link autoClose} do it.
 * Each child is tied to this process, so none outlives it even when the test's process is killed.
 *
 * @example
 * const app = await startAppProcesses<typeof contract>({
 *   run: { module: new URL("../src/server.ts", import.meta.url), export: "roomkitSetup" },
 *   nodes: 3,
 *   env: { JWT_SECRET: secretHex },
 *   login: async (id) => ({ token: await tokenFor(id) }),
 * });
 * const bob = await app.connect("bob", { node: 2 });
 * await app.nodes[2]!.kill();
 * await bob.connected(); // on node 0 or 1 now
 */
export async function startAppProcesses<C extends AnyContract>(options: ProcessAppOptions): Promise<ProcessApp<C>> {
  const redis = await import("@roomkit/redis");
  const { url: given, prefix: chosen, ...wiring } = options.redis ?? {};
  const url = given ?? redis.defaultRedisUrl();
  const prefix = chosen ?? testPrefix();
  const cwd = options.cwd ?? process.cwd();
  const run = options.run;
  const own = new URL(import.meta.url).pathname;
  const entry = fileURLToPath(new URL(`./node-entry${isTypeScript(own) ? ".ts" : ".js"}`, import.meta.url));
  const program = "script" in run ? resolve(cwd, toPath(run.script)) : entry;
  const module = "module" in run ? pathToFileURL(resolve(cwd, toPath(run.module))).href : undefined;
  const typescript = isTypeScript(program) || (module !== undefined && isTypeScript(module));
  const execArgv = options.execArgv ?? (typescript ? ["--import", "tsx"] : []);
  const nodes: ProcessNode[] = [];
  const clients = clientPool<C>(nodes, {
    login: options.login,
    client: options.client ?? {},
    timeoutMs: options.timeoutMs ?? 5000,
    settleMs: options.presenceBatchMs ?? 50,
  });
  let closing: Promise<void> | undefined;

  const close = () =>
    (closing ??= (async () => {
      untrack();
      await clients.close();
      await Promise.all(nodes.map((n) => n.kill()));
      if (chosen === undefined) await deletePrefix(url, prefix);
    })());
  const untrack = opened(close);
  const started = await Promise.allSettled(
    Array.from({ length: options.nodes ?? 2 }, (_, i) =>
      startProcessNode({
        name: `n${i}`,
        program,
        execArgv,
        cwd,
        env: { ...process.env, ...options.env },
        startTimeoutMs: options.startTimeoutMs ?? 30_000,
        config: (start) => ({
          name: `n${i}`,
          io: options.io ?? {},
          redis: { ...wiring, url, prefix, nodeId: `n${i}.${start}` },
          ...(module === undefined ? {} : { module, export: "export" in run ? run.export : undefined }),
        }),
      }),
    ),
  );
  for (const s of started) if (s.status === "fulfilled") nodes.push(clients.watch(s.value));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await close();
    throw failed.reason;
  }

  return {
    nodes,
    get url() {
      return nodes[0]!.url;
    },
    prefix,
    connect: (userId, connect) => clients.connect(userId, connect),
    close,
  };
}
