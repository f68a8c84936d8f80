/** How well the generator kept to its schedule. */
export interface ScheduleReport {
  sent: number;
  /** Wall time from the first send to the last. */
  seconds: number;
  /** The latest any message left after its scheduled time. */
  maxLagMs: number;
}

/**
 * Sends `count` messages at `rate` per second, open loop: a 1 ms timer sends every message that
 * is due by the clock, whatever the replies do, so a slow server gets a queue, not a lighter load.
 */
export function openLoop(rate: number, count: number, send: (k: number) => void): Promise<ScheduleReport> {
  return new Promise((done) => {
    const start = performance.now();
    let sent = 0;
    let maxLagMs = 0;
    const tick = () => {
      const now = performance.now();
      const due = Math.min(count, Math.floor(((now - start) * rate) / 1000) + 1);
      if (sent < due) maxLagMs = Math.max(maxLagMs, now - (start + (sent * 1000) / rate));
      while (sent < due) send(sent++);
      if (sent < count) setTimeout(tick, 1);
      else done({ sent, seconds: (performance.now() - start) / 1000, maxLagMs });
    };
    tick();
  });
}
