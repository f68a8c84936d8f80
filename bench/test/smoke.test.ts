import { describe, expect, it } from "vitest";
import { describeMachine } from "../src/machine.js";
import { runSuite } from "../src/suite.js";

// Keeps the harness working: each workload at tiny scale, on Roomkit, the baseline and the floor.
// Only correctness is asserted (everything delivered, no errors), never a speed.
async function smoke(id: string) {
  const results = await runSuite({ mode: "smoke", only: [id], launch: { source: true }, machine: describeMachine({}) });
  const [workload] = results.workloads;
  if (!workload) throw new Error(`no workload "${id}"`);
  return workload;
}

describe("bench smoke", () => {
  for (const id of ["dm", "dm-changes", "fanout", "memory", "reconnect"]) {
    it(`${id}: every message arrives and nothing fails, on every side`, async () => {
      const w = await smoke(id);
      expect(w.reason).toBeUndefined();
      expect(w.status).toBe("ok");
      expect(new Set(w.trials.map((t) => t.side))).toEqual(
        new Set(id === "reconnect" || id === "dm-changes" ? ["roomkit", "baseline"] : ["roomkit", "baseline", "ws"]),
      );
      for (const t of w.trials) {
        expect(t.metrics.errors, `${t.side} errors`).toBe(0);
        if ("lost" in t.metrics) expect(t.metrics.lost, `${t.side} lost`).toBe(0);
        if (id === "dm-changes")
          expect(Math.min(t.metrics.edits!, t.metrics.reactions!), `${t.side} edits and reactions`).toBeGreaterThan(0);
      }
    }, 30_000);
  }

  it("cluster: runs on two nodes and Redis once @roomkit/redis exists", async (ctx) => {
    const w = await smoke("cluster");
    if (w.status === "skipped") return ctx.skip();
    expect(w.reason).toBeUndefined();
    for (const t of w.trials) {
      expect(t.metrics.errors, `${t.side} errors`).toBe(0);
      expect(t.metrics.lost, `${t.side} lost`).toBe(0);
    }
  }, 30_000);

  it("dm-redis: Roomkit on the Redis stores and on the memory stores, one node each", async (ctx) => {
    const w = await smoke("dm-redis");
    if (w.status === "skipped") return ctx.skip();
    expect(w.reason).toBeUndefined();
    expect(new Set(w.trials.map((t) => t.side))).toEqual(new Set(["roomkit", "baseline"]));
    for (const t of w.trials) {
      expect(t.metrics.errors, `${t.side} errors`).toBe(0);
      expect(t.metrics.lost, `${t.side} lost`).toBe(0);
      // The memory side sends Redis nothing; the Redis side at least one script per message.
      if (t.side === "baseline") expect(t.metrics.scriptsPerMsg).toBe(0);
      else expect(t.metrics.scriptsPerMsg).toBeGreaterThan(0);
    }
  }, 30_000);
});
