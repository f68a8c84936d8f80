import { describe, expect, it } from "vitest";
import { measureCurves } from "../src/curves.js";

// Keeps the size curves working at tiny scale. Only what the requests answer is asserted, never a speed.
describe("size curves", () => {
  it("measure every size: the ack of a room bigger than a page stays one page, the whole list grows", async () => {
    const points = await measureCurves({ sizes: [5, 150], reps: 1 });
    expect(points.map((p) => p.n)).toEqual([5, 150]);
    const [small, big] = points as [(typeof points)[0], (typeof points)[0]];
    expect(big.fullListBytes).toBeGreaterThan(small.fullListBytes);
    expect(big.ackBytes).toBeLessThan(big.fullListBytes);
    expect(big.roomListBytes).toBeGreaterThan(small.roomListBytes);
    expect([small.roomListRooms, big.roomListRooms]).toEqual([5, 150]);
    for (const p of points) for (const v of [p.ackUs, p.receiptsUs, p.roomListUs]) expect(v).toBeGreaterThan(0);
  }, 60_000);

  it("measure one page of the room list: a user in more rooms than a page gets one page, the whole list grows", async () => {
    const points = await measureCurves({ sizes: [5, 150], reps: 1, roomListLimit: 20 });
    const [small, big] = points as [(typeof points)[0], (typeof points)[0]];
    expect([small.roomListRooms, big.roomListRooms]).toEqual([5, 20]);
    expect(big.roomListAllBytes).toBeGreaterThan(5 * big.roomListBytes);
    expect(small.roomListAllBytes).toBeLessThan(small.roomListBytes);
  }, 60_000);
});
