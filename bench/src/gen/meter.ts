import type { ServerProcess } from "../servers/process.js";

/** CPU used in a window by the servers (summed) and by the load generator itself. */
export interface Usage {
  seconds: number;
  serverCpuUs: number;
  /** Server CPU as a share of one core, summed over the servers. */
  serverCpuPct: number;
  /** The generator's CPU as a share of one core: near 100 means the client, not the server, was the limit. */
  genCpuPct: number;
}

/** Starts measuring; `stop()` reads everything again and returns the differences. */
export async function startMeter(servers: readonly ServerProcess[]): Promise<{ stop(): Promise<Usage> }> {
  const serverCpu = async () => (await Promise.all(servers.map((s) => s.stats()))).reduce((sum, s) => sum + s.cpuUs, 0);
  const cpu0 = await serverCpu();
  const gen0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    async stop() {
      const seconds = (performance.now() - t0) / 1000;
      const gen = process.cpuUsage(gen0);
      const serverCpuUs = (await serverCpu()) - cpu0;
      return {
        seconds,
        serverCpuUs,
        serverCpuPct: serverCpuUs / 1e4 / seconds,
        genCpuPct: (gen.user + gen.system) / 1e4 / seconds,
      };
    },
  };
}
