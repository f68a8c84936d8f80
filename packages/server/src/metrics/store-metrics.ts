import type { AnyContract } from "@roomkit/protocol";
import { Gauge, Histogram } from "prom-client";
import type { Registry } from "prom-client";
import type { AppendResult, ChangeOutcome, MemberPage, Stores } from "../stores/types.js";
import { OTHER, codeLabel, kindLabel } from "./labels.js";
import { STORE_NAMES } from "./measure-stores.js";
import type { StoreCall, StoreName } from "./measure-stores.js";
import { Tally, tallyCounter } from "./tally.js";

/** Store calls take from a tenth of a millisecond (memory) to seconds (a store in trouble). */
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const PRESENCE_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];
const CHANGE_TYPES: ReadonlySet<string> = new Set(["edit", "delete", "react", "unreact"]);

/** A channel id no client can name (a family cannot start with `$`): what the health probe reads. */
const PROBE_CHANNEL = "$rk:probe";
const PROBE_USER = "$rk-probe";

/** One read-only call per store: answering it at all is what "up" means. */
const PROBES: Record<StoreName, (stores: Stores) => Promise<unknown>> = {
  messages: (s) => s.messages.stream(PROBE_CHANNEL),
  presence: (s) => s.presence.members(PROBE_CHANNEL),
  rooms: (s) => s.rooms.get(PROBE_CHANNEL),
  readState: (s) => s.readState.get(PROBE_USER, PROBE_CHANNEL),
};

function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export interface StoreMetricsOptions {
  registry: Registry;
  prefix: string;
  contract: AnyContract;
  /** The stores as the app gave them (unmeasured), for the probe; undefined for no probe. */
  probe?: { stores: Stores; timeoutMs: number };
}

/**
 * The metrics read off store calls: latency per store and operation, errors by code,
 * availability, messages and changes stored, presence sizes. Returns the observer of every call.
 */
export function storeMetrics({ registry, prefix, contract, probe }: StoreMetricsOptions): (call: StoreCall) => void {
  const latency = new Histogram({
    name: `${prefix}store_operation_seconds`,
    help: "Time a store call took to settle, by store (messages, presence, rooms, readState) and method.",
    labelNames: ["store", "operation"],
    buckets: STORE_BUCKETS,
    registers: [registry],
  });
  const presenceSizes = new Histogram({
    name: `${prefix}presence_members`,
    help: "Members in a presence or room channel's list each time the server read it (subscribe snapshots, rk:presence), by channel kind.",
    labelNames: ["kind"],
    buckets: PRESENCE_BUCKETS,
    registers: [registry],
  });
  const errors = new Tally();
  const stored = new Tally();
  const duplicates = new Tally();
  const changes = new Tally();
  tallyCounter(
    registry,
    `${prefix}store_errors_total`,
    "Store calls that failed, by store, method and error code (UNAVAILABLE: the store could not be reached).",
    ["store", "operation", "code"],
    errors,
  );
  tallyCounter(registry, `${prefix}messages_stored_total`, "Messages stored (not retried duplicates), by channel kind.", ["kind"], stored);
  tallyCounter(
    registry,
    `${prefix}messages_duplicate_total`,
    "Sends retried with a clientId already stored (answered with the first message), by channel kind.",
    ["kind"],
    duplicates,
  );
  tallyCounter(registry, `${prefix}changes_stored_total`, "Edits, deletes and reactions stored, by type.", ["type"], changes);
  const up = new Map<StoreName, number>(STORE_NAMES.map((name) => [name, 1]));
  new Gauge({
    name: `${prefix}store_up`,
    help: "1 when the store answers, 0 when it is unavailable: a read-only probe at each scrape, else the last call's outcome.",
    labelNames: ["store"],
    registers: [registry],
    async collect() {
      if (probe) {
        await Promise.all(
          STORE_NAMES.map((name) =>
            withTimeout(PROBES[name](probe.stores), probe.timeoutMs).then(
              () => up.set(name, 1),
              () => up.set(name, 0),
            ),
          ),
        );
      }
      for (const [store, value] of up) this.set({ store }, value);
    },
  });

  return (call) => {
    latency.observe({ store: call.store, operation: call.operation }, call.seconds);
    if (call.code !== undefined) {
      errors.add(1, call.store, call.operation, codeLabel(call.code));
      if (call.code === "UNAVAILABLE") up.set(call.store, 0);
      return;
    }
    up.set(call.store, 1);
    if (call.store === "messages" && call.operation === "append") {
      const kind = kindLabel(contract, (call.args[0] as { channel?: unknown } | undefined)?.channel);
      (call.result as AppendResult).duplicate ? duplicates.add(1, kind) : stored.add(1, kind);
    } else if (call.store === "messages" && call.operation === "change" && (call.result as ChangeOutcome).status === "applied") {
      const type = (call.args[0] as { type?: unknown } | undefined)?.type;
      changes.add(1, typeof type === "string" && CHANGE_TYPES.has(type) ? type : OTHER);
    } else if (call.store === "presence" && call.operation === "members" && Array.isArray(call.result)) {
      presenceSizes.observe({ kind: kindLabel(contract, call.args[0]) }, call.result.length);
    } else if (call.store === "presence" && call.operation === "page") {
      // A page (subscribe acks, rk:presence) knows the size of the whole list: that is the channel's size.
      presenceSizes.observe({ kind: kindLabel(contract, call.args[0]) }, (call.result as MemberPage<unknown>).count);
    }
  };
}
