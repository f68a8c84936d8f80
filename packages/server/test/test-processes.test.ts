import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { isRunning, killTestProcesses, spawnTestProcess, spawnTsx } from "./support/test-processes.js";

const WORKER = fileURLToPath(new URL("./support/spawns-a-process.ts", import.meta.url));
const TSCONFIG = fileURLToPath(new URL("../../../tsconfig.test.json", import.meta.url));
const linux = process.platform === "linux" && existsSync("/usr/bin/setpriv");

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

afterEach(killTestProcesses);

describe("the processes tests start", () => {
  it.runIf(linux)("die with the worker that started them, even when it is killed with SIGKILL", async () => {
    const worker = spawnTsx(WORKER, { env: { ...process.env, TSX_TSCONFIG_PATH: TSCONFIG }, stdio: ["ignore", "pipe", "inherit"] });
    const [line] = (await once(createInterface({ input: worker.stdout! }), "line")) as [string];
    const pid = Number(line);
    try {
      expect(alive(pid)).toBe(true);
      worker.kill("SIGKILL");
      await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
    } finally {
      if (alive(pid)) process.kill(pid, "SIGKILL"); // the orphan of a failed run
    }
  });

  it("are all killed by killTestProcesses, a frozen one too, which resolves once they exited", async () => {
    const running = spawnTestProcess("sleep", ["600"], { stdio: "ignore" });
    const frozen = spawnTestProcess("sleep", ["600"], { stdio: "ignore" });
    await new Promise((done) => running.once("spawn", done));
    frozen.kill("SIGSTOP");
    await killTestProcesses();
    expect([running.signalCode, frozen.signalCode]).toEqual(["SIGKILL", "SIGKILL"]);
    expect([isRunning(running), isRunning(frozen)]).toEqual([false, false]);
  });
});
