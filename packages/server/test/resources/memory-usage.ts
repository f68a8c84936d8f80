import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A full collection: `global.gc` when the process has it, else V8's own, exposed for this call. */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}
const gc = collector();

/** The process's RSS and heap in MB once garbage is collected (or, without a collector, after a settle). */
export async function settledMemoryMb(): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i++) {
    await new Promise((done) => setTimeout(done, 50));
    gc?.();
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / 2 ** 20, heap: heapUsed / 2 ** 20 };
}

/**
 * Measures the server's RSS around `attack` (the server runs in this process), prints both and
 * the growth, and resolves with the growth in MB.
 *
 * @example
 * const grown = await rssGrowth("100k subscribes", () => flood());
 * expect(grown).toBeLessThan(64);
 */
export async function rssGrowth(name: string, attack: () => Promise<void>): Promise<number> {
  const before = await settledMemoryMb();
  await attack();
  const after = await settledMemoryMb();
  const mb = (n: number) => n.toFixed(1);
  console.log(
    `${name}: server RSS ${mb(before.rss)} MB before, ${mb(after.rss)} MB after (+${mb(after.rss - before.rss)} MB); ` +
      `heap ${mb(before.heap)} -> ${mb(after.heap)} MB${gc ? "" : " (no gc)"}`,
  );
  return after.rss - before.rss;
}
