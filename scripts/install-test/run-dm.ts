import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { run, start } from "../run-command.js";

export interface DmRun {
  /** The installed app's directory. */
  app: string;
  env: NodeJS.ProcessEnv;
  /** The server's entry file, relative to the app; it prints `{"port":N,...}` once listening. */
  server: string;
  /** The two clients' entry file, relative to the app; exits 0 once bob got alice's DM. */
  clients: string;
  /** Runs after the clients, with the server still up: more checks of it. */
  after?: (port: number) => Promise<void>;
}

const STARTUP_MS = 20_000;
const CLIENTS_MS = 30_000;
const STOP_MS = 5_000;

/**
 * Starts the app's server, runs its two clients against it, and stops the server on every path
 * (SIGTERM, then SIGKILL if it has not exited within 5 s).
 *
 * @example
 * await runDm({ app, env, server: "dist/server.mjs", clients: "dist/dm.mjs" });
 */
export async function runDm({ app, env, server, clients, after }: DmRun): Promise<void> {
  const secret = randomBytes(32).toString("hex");
  console.log(`$ node ${server}`);
  const child = start(process.execPath, [server], { cwd: app, env: { ...env, JWT_SECRET: secret }, stdio: ["ignore", "pipe", "inherit"] });
  const stopped = new Promise((resolve) => child.once("exit", resolve));
  try {
    const port = await listeningPort(child.stdout!, server);
    await run(process.execPath, [clients], { cwd: app, env: { ...env, JWT_SECRET: secret, PORT: String(port) }, timeoutMs: CLIENTS_MS });
    await after?.(port);
  } finally {
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      console.log(`${server} did not stop within ${STOP_MS / 1000} s of SIGTERM: killing it`);
      child.kill("SIGKILL");
    }, STOP_MS);
    await stopped;
    clearTimeout(timer);
  }
}

/** The port from the server's first JSON line; echoes every line; fails if it exits or stays silent. */
function listeningPort(stdout: NodeJS.ReadableStream, server: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${server} printed no port within ${STARTUP_MS / 1000} s`)), STARTUP_MS);
    const lines = createInterface({ input: stdout });
    lines.on("line", (line) => {
      console.log(`[server] ${line}`);
      const port = line.startsWith("{") ? (JSON.parse(line) as { port?: unknown }).port : undefined;
      if (typeof port === "number") {
        clearTimeout(timer);
        resolve(port);
      }
    });
    lines.once("close", () => {
      clearTimeout(timer);
      reject(new Error(`${server} exited before it listened`));
    });
  });
}
