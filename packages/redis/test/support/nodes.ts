import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { io as connect } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { Ack } from "@roomkit/protocol";
import { spawnTsx } from "../../../server/test/support/test-processes.js";
import { REDIS_URL } from "./services.js";

const NODE_SCRIPT = fileURLToPath(new URL("./node.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** A Roomkit server running in a child process (see node.ts). */
export interface NodeProcess {
  name: string;
  url: string;
  nodeId: string;
  adapter: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr, for failure messages. */
  stderr: string[];
  /** Resolves with the exit code or signal once the process ended. */
  exited: Promise<number | string>;
}

/** Starts one node on the test Redis under `prefix`; resolves once it listens. */
export function startNode(name: string, prefix: string, env: Record<string, string> = {}): Promise<NodeProcess> {
  const child = spawnTsx(NODE_SCRIPT, {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL, PREFIX: prefix, NODE_ID: name, TSX_TSCONFIG_PATH: "tsconfig.test.json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | string>((done) => child.once("exit", (code, signal) => done(code ?? signal ?? "?")));
  return new Promise((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      const { port, nodeId, adapter } = JSON.parse(line) as { port: number; nodeId: string; adapter: string };
      done({ name, url: `http://127.0.0.1:${port}`, nodeId, adapter, child, stderr, exited });
    });
    void exited.then((how) => fail(new Error(`node ${name} exited (${how}) before listening:\n${stderr.join("")}`)));
  });
}

/** Starts one node per name; if any fails to start, stops the others before it rejects. */
export async function startNodes(names: string[], prefix: string, env: Record<string, string> = {}): Promise<NodeProcess[]> {
  const started = await Promise.allSettled(names.map((name) => startNode(name, prefix, env)));
  const nodes = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (!failed) return nodes;
  await stopNodes(nodes);
  throw failed.reason;
}

/** Stops nodes gracefully (SIGTERM), or confirms they are already gone. */
export async function stopNodes(nodes: NodeProcess[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill("SIGTERM");
      const timer = setTimeout(() => node.child.kill("SIGKILL"), 5000);
      await node.exited;
      clearTimeout(timer);
    }),
  );
}

/** A raw socket.io client of `userId` (the test nodes trust `auth.user`), connected and welcomed. */
export async function connectUser(url: string, userId: string, options: { reconnection?: boolean } = {}): Promise<Socket> {
  const socket = connect(url, {
    auth: { user: userId },
    transports: ["websocket"],
    reconnection: options.reconnection ?? false,
    forceNew: true,
  });
  await new Promise<void>((done, fail) => {
    socket.once("rk:welcome", () => done());
    socket.once("connect_error", fail);
  });
  return socket;
}

/** Emits a request and resolves with its ack. */
export function request<T extends object = Record<string, any>>(socket: Socket, event: string, payload?: unknown): Promise<Ack<T>> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Like {@link request}, but throws unless the ack is `ok`. */
export async function ok<T extends object = Record<string, any>>(socket: Socket, event: string, payload?: unknown): Promise<T> {
  const ack = await request<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

/** Resolves with the next push of `event` that matches. */
export function next<T = any>(socket: Socket, event: string, match: (push: T) => boolean = () => true): Promise<T> {
  return new Promise((done) => {
    const listener = (push: T) => {
      if (!match(push)) return;
      socket.off(event, listener);
      done(push);
    };
    socket.on(event, listener);
  });
}

/** Collects every push of `event` from now on. */
export function collect<T = any>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (push: T) => seen.push(push));
  return seen;
}

/** Waits until `check` passes (it throws until then), polling; gives up after `timeoutMs`. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}
