import { describe, expect, it } from "vitest";
import { needRedis } from "../../packages/redis/test/support/services.js";
import { runCapacity } from "../src/capacity.js";
import { capacityModel } from "../src/capacity-model.js";
import { describeMachine } from "../src/machine.js";

// Keeps the capacity runner (bench/src/capacity.ts) working at tiny scale: every curve is in the
// results, nothing lost or refused, the Redis and cluster curves ran, and the model can be built
// from them. Only correctness is asserted, never a speed. Needs Redis (a loud skip without, a
// failure under CI=true) and redis-server for the cluster of its own (ports 18000-18199).
const redis = await needRedis();

describe.runIf(redis)("capacity runner at tiny scale", () => {
  it("measures every curve on one node, on Redis and on a cluster, with nothing lost", async () => {
    const r = await runCapacity({ mode: "smoke", launch: { source: true }, machine: describeMachine({}) });
    const sizes = r.params.oneNode.sizes;
    for (const side of ["roomkit", "baseline"] as const) {
      expect(r.oneNode[side].map((p) => p.n)).toEqual(sizes);
      for (const p of r.oneNode[side]) {
        const m = p.metrics;
        for (const key of ["rssPerConnKiB", "heapPerConnKiB", "idleCpuUsPerConnS", "cpuUsPerDm", "cpuUsPerDelivery"]) {
          expect(Number.isFinite(m[key]), `${side} ${p.n} ${key}`).toBe(true);
        }
        expect([m.connectErrors, m.dmLost, m.dmErrors, m.fanoutLost, m.fanoutErrors], `${side} ${p.n}`).toEqual([0, 0, 0, 0, 0]);
        if (side === "roomkit") {
          expect(m.presenceErrors).toBe(0);
          expect(m.presencePushes).toBeGreaterThan(0);
          expect(m.cpuUsPerPresenceChange).toBeGreaterThan(0);
        } else expect(m.cpuUsPerPresenceChange).toBeUndefined();
      }
    }
    for (const kind of ["redis", "cluster"] as const) {
      const curve = r.nodes[kind];
      expect(curve.status, `${kind}: ${curve.reason}`).toBe("ok");
      expect(curve.points.map((p) => p.nodes)).toEqual(r.params.nodes.counts);
      for (const p of curve.points) {
        const m = p.metrics;
        expect([m.dmLost, m.dmErrors, m.fanoutLost, m.fanoutErrors, m.presenceErrors], `${kind} ${p.nodes}`).toEqual([0, 0, 0, 0, 0]);
        expect(m.presencePushes).toBeGreaterThan(0);
        expect(m.redisCpuUsPerDm).toBeGreaterThan(0);
      }
    }
    const model = capacityModel(r, "bench/results/capacity.json");
    expect(model.plans.length).toBeGreaterThan(0);
    for (const plan of model.plans) expect(plan.nodes).toBeGreaterThan(0);
  }, 120_000);
});
