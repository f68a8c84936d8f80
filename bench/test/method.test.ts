import { describe, expect, it } from "vitest";
import type { Metrics, Plan, Side } from "../src/method.js";
import { runFresh, schedule, summarize } from "../src/method.js";

const SIDES: Side[] = ["roomkit", "baseline", "roomkit-aa"];
const DEFS = [{ key: "cpu", label: "CPU", unit: "µs", kind: "cost" as const }];

/** Windows whose figure is fixed per side, so the A/A ratio is `aa` and Roomkit ÷ baseline is `ab`. */
function figures(ab: number, aa: number): (side: Side) => Promise<Metrics> {
  return async (side) => ({ cpu: side === "baseline" ? 100 : side === "roomkit-aa" ? 100 * ab * aa : 100 * ab });
}

describe("the A/B method", () => {
  it("alternates who goes first and ends with the A/A pair", () => {
    const order = schedule({ pairs: 2, aa: true, floor: true }, [...SIDES, "ws"]);
    expect(order.map((s) => `${s.side}@${s.pair}`)).toEqual([
      "roomkit@0",
      "baseline@0",
      "ws@0",
      "baseline@1",
      "roomkit@1",
      "ws@1",
      "roomkit@-1",
      "roomkit-aa@-1",
    ]);
  });

  it("runs more pairs and a second A/A pair when the A/A pair drifts past the limit", async () => {
    const plan: Plan = { pairs: 2, aa: true, floor: false, aaLimit: 0.05, extraPairs: 3, watch: ["cpu"] };
    const trials = await runFresh(plan, SIDES, figures(1.2, 1.1), () => {});
    expect(new Set(trials.filter((t) => t.pair >= 0).map((t) => t.pair))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(trials.filter((t) => t.pair < 0).map((t) => t.pair)).toEqual([-1, -1, -2, -2]);
    const s = summarize(DEFS, trials).cpu!;
    expect(s.ratio).toBeCloseTo(1.2);
    expect(s.aaRatios).toEqual([1.1, 1.1]);
    // 1.2× is farther from 1.00 than a 10% A/A drift: a real difference.
    expect(s.withinNoise).toBe(false);
  });

  it("stops at the planned pairs when the A/A pair stays within the limit, and marks ratios within its drift", async () => {
    const plan: Plan = { pairs: 2, aa: true, floor: false, aaLimit: 0.05, extraPairs: 3, watch: ["cpu"] };
    const trials = await runFresh(plan, SIDES, figures(1.03, 1.04), () => {});
    expect(trials).toHaveLength(6);
    const s = summarize(DEFS, trials).cpu!;
    expect(s.aa).toBeCloseTo(1.04);
    expect(s.aaRatios).toBeUndefined();
    expect(s.withinNoise).toBe(true);
  });

  it("never adds pairs without a limit or a watched figure", async () => {
    const trials = await runFresh({ pairs: 1, aa: true, floor: false, extraPairs: 3 }, SIDES, figures(1, 2), () => {});
    expect(trials).toHaveLength(4);
  });
});
