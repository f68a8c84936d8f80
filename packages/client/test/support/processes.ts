import { fileURLToPath } from "node:url";
import { spawnTsx } from "../../../server/test/support/test-processes.js";

const script = fileURLToPath(new URL("./server-process.ts", import.meta.url));
const tsconfig = fileURLToPath(new URL("../../../../tsconfig.test.json", import.meta.url));

/** A Roomkit server in a child process (see server-process.ts). */
export interface ServerProcess {
  port: number;
  url: string;
  /** Stops it: `SIGTERM` closes gracefully, `SIGKILL` crashes it. Resolves when it has exited. */
  stop(signal: "SIGTERM" | "SIGKILL"): Promise<void>;
}

/** Starts a server process on `port` (0: a free one) and resolves once it listens. */
export function startServerProcess(port = 0): Promise<ServerProcess> {
  const child = spawnTsx(script, {
    env: { ...process.env, PORT: String(port), TSX_TSCONFIG_PATH: tsconfig },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return new Promise((done, fail) => {
    let out = "";
    child.once("exit", (code) => fail(new Error(`the server process exited with ${code} before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening (\d+)/.exec(out);
      if (!found) return;
      const listening = Number(found[1]);
      done({
        port: listening,
        url: `http://127.0.0.1:${listening}`,
        stop: (signal) => {
          child.kill(signal);
          return exited;
        },
      });
    });
  });
}
