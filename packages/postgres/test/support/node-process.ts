import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { spawnTsx } from "../../../server/test/support/test-processes.js";
import { DATABASE_URL } from "./postgres.js";

const NODE_SCRIPT = fileURLToPath(new URL("./node.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** A Roomkit node on PostgreSQL in a child process (see node.ts). */
export interface NodeProcess {
  url: string;
  child: ChildProcess;
  stderr: string[];
  /** Resolves with the exit code or signal once the process ended. */
  exited: Promise<number | string>;
}

/** Starts a node on `schema`; resolves once it listens. */
export function startNodeProcess(schema: string): Promise<NodeProcess> {
  const child = spawnTsx(NODE_SCRIPT, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL, SCHEMA: schema, TSX_TSCONFIG_PATH: "tsconfig.test.json" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | string>((done) => child.once("exit", (code, signal) => done(code ?? signal ?? "?")));
  return new Promise((done, fail) => {
    createInterface({ input: child.stdout! }).once("line", (line) => {
      done({ url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child, stderr, exited });
    });
    void exited.then((how) => fail(new Error(`the node exited (${how}) before listening:\n${stderr.join("")}`)));
  });
}

/** Stops a node (SIGTERM, then SIGKILL after 5 s), or confirms it is gone. */
export async function stopNodeProcess(node: NodeProcess | undefined): Promise<void> {
  if (!node) return;
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill("SIGTERM");
  const timer = setTimeout(() => node.child.kill("SIGKILL"), 5000);
  await node.exited;
  clearTimeout(timer);
}
