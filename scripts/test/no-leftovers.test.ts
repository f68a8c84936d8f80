import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runWithoutLeftovers } from "../no-leftovers.js";

// Each case matches by its own mark (or a folder of its own), never by this repository: the
// suite's other workers run in it meanwhile and must not be taken for leftovers.
const orphans: number[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const pid of orphans.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // killed by the check, as it should be
    }
  }
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A node one-liner that leaves a detached `sleep` behind (its own session: no parent takes it along). */
const leaveSleep = (cwd = process.cwd(), env = "process.env") =>
  `const c = require("node:child_process").spawn("/bin/sleep", ["600"], { detached: true, stdio: "ignore", cwd: ${JSON.stringify(cwd)}, env: ${env} }); c.unref(); console.log(c.pid);`;

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function run(script: string, root: string | null): Promise<{ code: number; lines: string[]; pid: number }> {
  const lines: string[] = [];
  const code = await runWithoutLeftovers([process.execPath, "-e", script], { root, graceMs: 300, log: (line) => lines.push(line) });
  const pid = Number(/pid (\d+)/.exec(lines.join("\n"))?.[1] ?? Number.NaN);
  if (!Number.isNaN(pid)) orphans.push(pid);
  return { code, lines, pid };
}

describe.runIf(process.platform === "linux")("scripts/no-leftovers.ts", () => {
  it("fails the run, prints and kills a process the command left running", async () => {
    const { code, lines, pid } = await run(leaveSleep(), null);
    expect(code).toBe(1);
    expect(lines.join("\n")).toMatch(/1 process\(es\) of the run still running/);
    expect(lines.join("\n")).toContain("sleep 600");
    await expect.poll(() => isAlive(pid), { timeout: 5_000 }).toBe(false);
  });

  it("finds a leftover by its working folder even when it dropped the environment", async () => {
    const repo = mkdtempSync(join(tmpdir(), "rk-leftovers-"));
    folders.push(repo);
    const { code, lines } = await run(leaveSleep(repo, "{}"), repo);
    expect(code).toBe(1);
    expect(lines.join("\n")).toContain(`cwd ${repo}`);
  });

  it("finds a leftover in the command's session even when its environment and folder say nothing (as redis-server's)", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "rk-leftovers-"));
    folders.push(elsewhere);
    const script = `const c = require("node:child_process").spawn("/bin/sleep", ["600"], { stdio: "ignore", cwd: ${JSON.stringify(elsewhere)}, env: {} }); c.unref(); console.log(c.pid);`;
    const { code, lines } = await run(script, null);
    expect(code).toBe(1);
    expect(lines.join("\n")).toContain(`cwd ${elsewhere}`);
  });

  it("keeps the command's exit code when nothing is left behind", async () => {
    expect((await run("process.exit(0)", null)).code).toBe(0);
    expect((await run("process.exit(3)", null)).code).toBe(3);
  });
});
