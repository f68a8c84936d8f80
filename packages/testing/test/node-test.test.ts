import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FILE = fileURLToPath(new URL("./node-test/chat.ts", import.meta.url));

/** Runs a file under `node --test` (TypeScript through tsx), resolving with its exit code and output. */
function nodeTest(file: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", file], {
    cwd: ROOT,
    // The repository's tests import each package's source (tsconfig.test.json's paths), so no build is needed.
    env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.test.json", NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.once("exit", (code) => done({ code, output })));
}

describe("the kit under node's own test runner", () => {
  it("runs its tests there and closes everything it started, so the process exits by itself", async () => {
    const { code, output } = await nodeTest(FILE);
    expect(output, output).toMatch(/^# pass 2$/m);
    expect(output).toMatch(/^# fail 0$/m);
    expect(code, output).toBe(0);
  }, 60_000);
});
