import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// The README's quick start, run as written: docs/quick-start/server.ts and two copies of
// client.ts, each in its own process (tsx, with @roomkit/* mapped to the packages' source).

const dir = fileURLToPath(new URL("../../../docs/quick-start/", import.meta.url));
const tsconfig = fileURLToPath(new URL("../../../tsconfig.test.json", import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
afterEach(async () => {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((done) => {
          child.once("exit", () => done());
          child.kill("SIGKILL");
        }),
    ),
  );
});

function run(file: string, args: string[], env: Record<string, string | undefined>): Run {
  const child = spawn(process.execPath, ["--import", "tsx", `${dir}${file}`, ...args], {
    env: { ...process.env, ...env, TSX_TSCONFIG_PATH: tsconfig, DEBUG: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) =>
    child.once("exit", (code) => {
      running.delete(child);
      done(code);
    }),
  );
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

const until = (what: Run, text: string) => expect.poll(what.output, { timeout: 25_000, interval: 50 }).toContain(text);

describe("the quick start (docs/quick-start)", () => {
  it("runs as written: two clients sign in through the login route and exchange a DM", { timeout: 90_000 }, async () => {
    const port = await freePort();
    const server = run("server.ts", [], { PORT: String(port), JWT_SECRET: "a quick-start secret" });
    await until(server, `listening on http://localhost:${port}`);
    const url = `http://localhost:${port}`;
    const bob = run("client.ts", ["bob", "alice"], { SERVER_URL: url });
    await until(bob, "signed in as bob");
    const alice = run("client.ts", ["alice", "bob"], { SERVER_URL: url });
    await until(alice, "signed in as alice");
    await until(bob, "alice: hi bob");
    await until(alice, "alice: hi bob"); // the sender's own handle delivers the stored message too
    expect(server.output()).not.toMatch(/error/i);
  });

  it("refuses to start without JWT_SECRET, saying so", { timeout: 60_000 }, async () => {
    const server = run("server.ts", [], { PORT: String(await freePort()), JWT_SECRET: undefined });
    expect(await server.exited).not.toBe(0);
    expect(server.output()).toMatch(
      /TypeError: jwtAuth: the key is missing; set it from your configuration \(e\.g\. the JWT_SECRET environment variable\)/,
    );
  });
});
