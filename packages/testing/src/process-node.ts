import type { ChildProcess } from "node:child_process";
import { isRunning, spawnTied } from "./child-process.js";
import type { ChildNodeConfig, ReadyMessage } from "./serve-node.js";
import { NODE_ENV_KEY } from "./serve-node.js";

/** One node of the app in a child process of its own, on a port that stays its own across restarts. */
export interface ProcessNode {
  /** `n0`, `n1`, ... (its presence node id is this name with a suffix per start). */
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: a client of your own may connect here directly. */
  readonly url: string;
  /** Whether its process runs and listens. */
  readonly up: boolean;
  /** The process id of the running child, if one runs. */
  readonly pid: number | undefined;
  /** What its processes wrote to stdout and stderr (the last 64 KiB), for failure messages. */
  readonly output: string;
  /**
   * Stops the child gracefully (SIGTERM: `rk:bye`, then the connections close; SIGKILL after 10 s);
   * its clients reconnect to another node.
   *
   * @example
   * await app.nodes[0]!.stop();
   */
  stop(): Promise<void>;
  /** Starts a new child for it on the same port (after `stop` or `kill`); resolves once it listens. */
  start(): Promise<void>;
  /**
   * `stop()` then `start()`: a deploy of this node.
   *
   * @example
   * await app.nodes[1]!.restart();
   */
  restart(): Promise<void>;
  /**
   * Crashes it: SIGKILL to its process, so its connections and Redis connections die with it and
   * its presence entries stay until the other nodes sweep them. Its clients reconnect to the others.
   *
   * @example
   * await app.nodes[1]!.kill();
   * await bob.connected(); // now on another node
   */
  kill(): Promise<void>;
}

/** How to start a node's process. */
export interface ProcessNodeSetup {
  name: string;
  /** The node program and its arguments to `node` (`--import tsx` first for TypeScript). */
  program: string;
  execArgv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** The child's config, without the port the kit fills in. */
  config: (start: number) => Omit<ChildNodeConfig, "port">;
  startTimeoutMs: number;
}

const OUTPUT_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 10_000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once("exit", () => done()));
}

/** Starts one node's child process and keeps its port for its later starts. */
export async function startProcessNode(setup: ProcessNodeSetup): Promise<ProcessNode> {
  let port = 0;
  let starts = 0;
  let child: ChildProcess | undefined;
  let ready = false;
  let output = "";
  const record = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };

  const boot = async () => {
    const config: ChildNodeConfig = { ...setup.config(++starts), port };
    const started = spawnTied(process.execPath, [...setup.execArgv, setup.program], {
      cwd: setup.cwd,
      env: { ...setup.env, [NODE_ENV_KEY]: JSON.stringify(config) },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    child = started;
    ready = false;
    started.stdout!.on("data", record);
    started.stderr!.on("data", record);
    started.once("exit", () => {
      if (child === started) ready = false;
    });
    const fail = (why: string) => new Error(`node ${setup.name} ${why}; its output:\n${output}`);
    await new Promise<void>((done, reject) => {
      const timer = setTimeout(() => {
        started.kill("SIGKILL");
        reject(fail(`did not listen within ${setup.startTimeoutMs} ms`));
      }, setup.startTimeoutMs);
      started.once("error", (err) => {
        clearTimeout(timer);
        reject(fail(`could not start (${err.message})`));
      });
      started.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(fail(`exited (${signal ?? code}) before it listened`));
      });
      started.on("message", (message: ReadyMessage) => {
        if (typeof message?.ready !== "number") return;
        clearTimeout(timer);
        port = message.ready;
        ready = true;
        done();
      });
    });
  };
  const end = async (signal: "SIGTERM" | "SIGKILL") => {
    const ending = child;
    ready = false;
    if (!ending || !isRunning(ending)) return;
    ending.kill(signal);
    const grace = signal === "SIGTERM" ? setTimeout(() => ending.kill("SIGKILL"), STOP_GRACE_MS) : undefined;
    await exited(ending);
    clearTimeout(grace);
  };

  await boot();
  const node: ProcessNode = {
    name: setup.name,
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get up() {
      return ready && child !== undefined && isRunning(child);
    },
    get pid() {
      return child && isRunning(child) ? child.pid : undefined;
    },
    get output() {
      return output;
    },
    stop: () => end("SIGTERM"),
    async start() {
      if (child && isRunning(child)) throw new Error(`node ${setup.name} is already running`);
      await boot();
    },
    async restart() {
      await node.stop();
      await node.start();
    },
    kill: () => end("SIGKILL"),
  };
  return node;
}
