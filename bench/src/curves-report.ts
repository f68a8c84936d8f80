import { existsSync, readFileSync } from "node:fs";
import type { CurvePoint } from "./curves.js";

/** What `npm run curves` writes to bench/results/curves.json. */
export interface CurveResults {
  schema: 1;
  startedAt: string;
  machine: { cpu: string; cores: number; loadAverageAtStart: number[] };
  reps: number;
  points: CurvePoint[];
}

const n = (v: number) => v.toLocaleString("en-US");
const us = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} ms` : `${v.toFixed(0)} µs`);
const bytes = (v: number) => (v >= 10_000 ? `${(v / 1024).toFixed(0)} KiB` : `${n(v)} B`);

/** The page's section on the size curves, or `undefined` when `path` holds none. */
export function curvesSection(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const r = JSON.parse(readFileSync(path, "utf8")) as CurveResults;
  const rows = r.points.map(
    (p) =>
      `| ${n(p.n)} | ${bytes(p.ackBytes)} | ${bytes(p.fullListBytes)} | ${us(p.ackUs)} | ${us(p.receiptsUs)} | ${us(p.roomListUs)} | ${bytes(p.roomListBytes)} | ${p.roomListAllBytes === undefined ? "" : bytes(p.roomListAllBytes)} |`,
  );
  return `## Costs against size

From \`npm run curves -w @roomkit/bench\` (${r.startedAt.slice(0, 10)}, ${r.machine.cores} cores, load average ${r.machine.loadAverageAtStart.join(", ")} at start: a shared machine, so read the shapes, not the figures). One in-process server on the in-memory stores, filled through its stores; one client times the round trip of each request (median of ${r.reps}). *n* is the members present in the room (subscribe ack), the members stored with a read mark each (\`rk:receipts\`), and the rooms of the user (\`rk:room:list\`).

| n | subscribe ack | the whole members list | subscribe round trip | \`rk:receipts\` | \`rk:room:list\` (one page) | room list page bytes | the whole room list |
|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}

- **Subscribe ack**: the first \`presence.pageSize\` members (100), the count and a cursor, whatever the room's size; the ack used to carry the whole list (the third column), O(n) bytes per subscribe and O(n²) to fill a room.
- **\`rk:receipts\`**: one page of at most 500 members from the room store and their marks in one batched read, so it stops growing at 500 members; it used to copy every member first.
- **\`rk:room:list\`**: one page of the user's rooms (by default 500, in the order they joined them) read from the store's index of the user's rooms, with the count and a cursor, so it stops growing at 500 rooms in bytes as in time; it used to answer every room (the last column).
`;
}
