import { readFileSync } from "node:fs";

/** Count and bytes of one kind of heap object. */
export interface Tally {
  count: number;
  bytes: number;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const OWNERS = new Set(["object", "closure"]);

/**
 * Sums a V8 heap snapshot's self sizes by kind: an object by its constructor, a closure by its
 * function's name (a plain object by its first keys), each with the first object or closure that
 * holds it, so `array (object properties) <- Socket` says whose table it is.
 */
export function summarise(path: string): Map<string, Tally> {
  const snap = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  const { meta } = snap.snapshot;
  const nodeWidth = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf("type");
  const nameAt = meta.node_fields.indexOf("name");
  const sizeAt = meta.node_fields.indexOf("self_size");
  const edgeCountAt = meta.node_fields.indexOf("edge_count");
  const edgeTypeAt = meta.edge_fields.indexOf("type");
  const toAt = meta.edge_fields.indexOf("to_node");
  const nodeTypes = meta.node_types[0];
  const weak = meta.edge_types[0].indexOf("weak");
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nodeWidth;
  const property = meta.edge_types[0].indexOf("property");
  const nameOfEdge = meta.edge_fields.indexOf("name_or_index");
  const owner = new Int32Array(count).fill(-1);
  /** The name (or index) of the edge from the owner: `_events` in `Object{...}._events`. */
  const via = new Int32Array(count);
  const element = meta.edge_types[0].indexOf("element");
  const hidden = meta.edge_types[0].indexOf("hidden");
  const firstEdge = new Int32Array(count + 1);
  let edge = 0;
  for (let n = 0; n < count; n++) {
    firstEdge[n] = edge;
    const from = n * nodeWidth;
    const fromOwns = OWNERS.has(nodeTypes[nodes[from + typeAt]!]!);
    const edgeCount = nodes[from + edgeCountAt]!;
    for (let e = 0; e < edgeCount; e++, edge += edgeWidth) {
      if (!fromOwns || edges[edge + edgeTypeAt] === weak) continue;
      const to = edges[edge + toAt]! / nodeWidth;
      if (owner[to] === -1) {
        owner[to] = n;
        const kind = edges[edge + edgeTypeAt];
        via[to] = kind === element || kind === hidden ? -1 : edges[edge + nameOfEdge]!;
      }
    }
  }
  firstEdge[count] = edge;
  /** A plain object by its first property names: `Object{buckets,presence,socket}`. */
  const keysOf = (n: number): string => {
    const keys: string[] = [];
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]! && keys.length < 6; e += edgeWidth) {
      if (edges[e + edgeTypeAt] === property) keys.push(strings[edges[e + nameOfEdge]!]!);
    }
    return `{${keys.sort().join(",")}}`;
  };
  const label = (n: number): string => {
    const type = nodeTypes[nodes[n * nodeWidth + typeAt]!]!;
    const name = strings[nodes[n * nodeWidth + nameAt]!]!;
    if (type === "object") return name === "Object" ? `Object${keysOf(n)}` : name;
    if (type === "closure") return `closure ${name || "(anonymous)"}`;
    if (type.includes("string")) return "string";
    return `${type} ${name}`.trim();
  };
  const tallies = new Map<string, Tally>();
  for (let n = 0; n < count; n++) {
    const type = nodeTypes[nodes[n * nodeWidth + typeAt]!]!;
    let key = label(n);
    // Two holders up: `array (object elements) <- Array <- Object{presence,socket,...}`.
    for (let at = n, depth = 0; depth < 2 && owner[at] !== -1 && type !== "code" && !type.includes("string"); depth++, at = owner[at]!) {
      const name = via[at]! >= 0 ? strings[via[at]!] : undefined;
      key += ` <- ${label(owner[at]!)}${name ? `.${name}` : ""}`;
    }
    const tally = tallies.get(key) ?? { count: 0, bytes: 0 };
    tally.count++;
    tally.bytes += nodes[n * nodeWidth + sizeAt]!;
    tallies.set(key, tally);
  }
  return tallies;
}

/** What `after` holds more than `before`, per kind, divided by `per` (the connections added). */
export function growth(before: Map<string, Tally>, after: Map<string, Tally>, per: number): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const [key, b] of after) {
    const a = before.get(key) ?? { count: 0, bytes: 0 };
    out.set(key, { count: (b.count - a.count) / per, bytes: (b.bytes - a.bytes) / per });
  }
  for (const [key, a] of before) if (!after.has(key)) out.set(key, { count: -a.count / per, bytes: -a.bytes / per });
  return out;
}
