import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { needRedis } from "../../redis/test/support/services.js";
import { spawnTestProcess } from "../../server/test/support/test-processes.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const test = (name: string) => fileURLToPath(new URL(`./node-test/${name}`, import.meta.url));
const redis = await needRedis();

/** Runs a file under `node --test` (TypeScript through tsx), resolving with its exit code and output. */
function nodeTest(file: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = spawnTestProcess(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", file], {
    cwd: ROOT,
    // The repository's tests import each package's source (tsconfig.test.json's paths), so no build is needed.
    env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.test.json", NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.once("exit", (code) => done({ code, output })));
}

/** Whether a process with this id runs (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the kit under node's own test runner", () => {
  it("runs its tests there and closes everything it started, so the process exits by itself", async () => {
    const { code, output } = await nodeTest(test("chat.ts"));
    expect(output, output).toMatch(/^# pass 2$/m);
    expect(output).toMatch(/^# fail 0$/m);
    expect(code, output).toBe(0);
  }, 60_000);

  it.runIf(redis)(
    "runs child-process nodes there, and stops every child of a test that failed",
    async () => {
      const { code, output } = await nodeTest(test("processes.ts"), { FAIL_ON_PURPOSE: "1" });
      expect(output, output).toMatch(/^# pass 2$/m);
      expect(output, output).toMatch(/^# fail 1$/m);
      expect(output).toMatch(/failing on purpose/);
      expect(code, output).toBe(1);
      const pids = [...output.matchAll(/node pids: ([\d ]+)$/gm)].flatMap((m) => m[1]!.split(" ").map(Number));
      expect(pids, output).toHaveLength(4);
      expect(pids.filter(alive)).toEqual([]);
    },
    120_000,
  );
});
