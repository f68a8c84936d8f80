// `npm run profile -w @roomkit/bench [-- files...]`: the top self-time functions of V8 CPU profiles (default: bench/profiles/*.cpuprofile).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: Roomkit, a dependency by package name, Node itself, or V8/GC. */
function area(url: string): string {
  if (!url) return "(native / GC / idle)";
  if (url.includes("/packages/")) return `roomkit ${/\/packages\/([^/]+)/.exec(url)![1]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node core";
  if (url.includes("/bench/")) return "bench harness";
  return url;
}

/** Self time per function and per area, in ms, largest first. */
export function summarizeProfile(profile: Profile): { total: number; functions: [string, number][]; areas: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    total += us;
    const where = url ? `${url.replace(/^.*\/(node_modules|packages)\//, "")}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
    areas.set(area(url), (areas.get(area(url)) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]): [string, number] => [k, v / 1000]);
  return { total: total / 1000, functions: sorted(functions), areas: sorted(areas) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = fileURLToPath(new URL("../profiles/", import.meta.url));
  const files =
    process.argv.length > 2
      ? process.argv.slice(2)
      : readdirSync(dir, { recursive: true, encoding: "utf8" })
          .filter((f) => f.endsWith(".cpuprofile"))
          .map((f) => dir + f);
  for (const file of files) {
    const { total, functions, areas } = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as Profile);
    console.log(`\n${file.replace(dir, "")}: ${total.toFixed(0)} ms on CPU (idle excluded)`);
    console.log("  by area:");
    for (const [name, ms] of areas.slice(0, 12)) console.log(`    ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
    console.log("  top self time:");
    for (const [name, ms] of functions.slice(0, 30)) console.log(`    ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}
