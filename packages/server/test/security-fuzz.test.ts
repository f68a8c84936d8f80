import { Buffer } from "node:buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, Requests } from "@roomkit/protocol";
import { ok, request, settled, startServer } from "./support/harness.js";
import type { Client, Harness } from "./support/harness.js";
import { describePayload, expectServing, expectTypedAck } from "./support/refusals.js";

// A seeded fuzz over every request: whatever arrives, the ack is ok or a typed error (never
// INTERNAL), the connection stays up, and the server keeps serving.

/** mulberry32: a small seeded PRNG, so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Replay or explore with FUZZ_SEED=<n>.
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const ROUNDS = 200;

const FIELDS = [
  "channel", "channels", "body", "since", "epoch", "limit", "before", "after", "seq", "name", "data", "clientId",
  "userId", "role", "muted", "members", "family", "open", "text", "headline", "image", "type", "from", "__proto__",
  "constructor",
];
const STRINGS = [
  "dm:alice|bob", "dm:bob|alice", "dm:alice|mallory", "dm:alice|alice", "room:r1", "room:new", "news:front", "chat:general",
  "team:a-team", "lobby:main", "user:bob", "nope:x", "room", ":", "", "alice", "bob", "mallory", "$system", "a|b", "admin",
  "owner", "typing", "react", "__proto__", "constructor", "image/png", "text/html", "\u0000", "é\u202e🎉", "%PDF-",
];
const CHANNELS = STRINGS.filter((id) => id.includes(":"));
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

class Garbage {
  /** Binary values left for the current payload: Socket.IO drops a connection that sends over 10 in one packet. */
  private binaries = 0;

  constructor(readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  number(): number {
    return this.pick([0, 1, -1, 2.5, -0.5, 100, 101, 1e9, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, -1e308, NaN, Infinity, this.int(1e6)]);
  }

  string(): string {
    switch (this.int(4)) {
      case 0:
        return "x".repeat(this.pick([65, 129, 257, 10_000, 100_000]));
      case 1:
        return Array.from({ length: this.int(40) }, () => String.fromCharCode(this.int(0x2fff))).join("");
      default:
        return this.pick(STRINGS);
    }
  }

  binary(): Buffer | null {
    if (this.binaries-- <= 0) return null;
    const bytes = Buffer.from(Array.from({ length: this.int(64) }, () => this.int(256)));
    return this.random() < 0.3 ? Buffer.concat([PNG, bytes]) : bytes;
  }

  value(depth = 0): unknown {
    const kinds = depth > 4 ? 6 : 9;
    switch (this.int(kinds)) {
      case 0: return this.number();
      case 1: case 2: return this.string();
      case 3: return this.pick([true, false, null]);
      case 4: return this.binary();
      case 5: return { type: this.pick(["image/png", "image/gif", "text/html", ""]), data: this.binary() };
      case 6: return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
      case 7: return this.object(depth + 1);
      default: return this.nested();
    }
  }

  /** An object with request-like keys, written as own properties (`__proto__` included). */
  object(depth = 0): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (let i = this.int(5); i >= 0; i--) {
      const key = this.random() < 0.85 ? this.pick(FIELDS) : this.string().slice(0, 20);
      Object.defineProperty(obj, key, { value: this.value(depth), enumerable: true, writable: true, configurable: true });
    }
    return obj;
  }

  nested(): unknown {
    let value: unknown = this.pick(STRINGS);
    for (let i = this.int(60); i > 0; i--) value = this.random() < 0.5 ? { a: value } : [value];
    return value;
  }

  /** A request that would pass its checks, with one field broken, removed, or added. */
  mutant(): Record<string, unknown> {
    const valid: Record<string, unknown> = {
      channel: this.pick(CHANNELS), channels: [this.pick(CHANNELS)], body: { text: "hi", headline: "hi" },
      name: "typing", data: { on: true }, seq: 1, limit: 10, userId: this.pick(["bob", "carol", "mallory", "alice"]),
      role: "admin", muted: true,
    };
    const key = this.pick(FIELDS);
    const change = this.int(3);
    if (change === 0) delete valid[key];
    if (change > 0) Object.defineProperty(valid, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
    return valid;
  }

  payload(): unknown {
    this.binaries = 8;
    const roll = this.random();
    return roll < 0.4 ? this.mutant() : roll < 0.8 ? this.object() : this.value();
  }
}

let h: Harness;
let alice: Client;
let mallory: Client;

beforeAll(async () => {
  const lots = { rate: 1e6, burst: 1e6 };
  h = await startServer({ limits: { publish: lots, signal: lots, request: lots, userPublish: lots, userSignal: lots, userRequest: lots } });
  [alice, mallory] = await Promise.all([h.client("alice"), h.client("mallory")]);
  await h.client("bob");
  await ok(alice, "rk:room:create", { channel: "room:r1", members: ["bob"], open: true });
  await ok(alice, "rk:subscribe", { channel: "news:front" });
  await ok(alice, "rk:subscribe", { channel: "chat:general" });
});
afterAll(() => h.close());

describe("fuzzing every request", () => {
  it(`answers ${ROUNDS} garbage requests (seed ${SEED}) with typed acks, and keeps serving`, async () => {
    const garbage = new Garbage(prng(SEED));
    const events = Object.values(Requests);
    const codes = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round += 10) {
      const batch = Array.from({ length: 10 }, () => {
        const socket = garbage.random() < 0.5 ? alice : mallory;
        const event = garbage.pick(events);
        const payload = garbage.payload();
        return request(socket, event, payload).then((ack) => ({ event, payload, ack }));
      });
      for (const { event, payload, ack } of await Promise.all(batch)) {
        expectTypedAck(ack, `${event} ${describePayload(payload)} (seed ${SEED})`);
        const code = ack.ok ? "ok" : ack.error.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    // Garbage with a known event name but no acknowledgement, and events the server does not know.
    for (let i = 0; i < 20; i++) alice.emit(garbage.pick(events), garbage.payload());
    for (const name of ["rk:nope", "rk:message", "rk:welcome", "rk:room:delete"]) mallory.emit(name, garbage.payload());
    await settled(alice, mallory);
    if (process.env.FUZZ_SEED) console.log("CODES", JSON.stringify([...codes]));

    expect([...codes.keys()].every((code) => code === "ok" || ERROR_CODES.includes(code as never))).toBe(true);
    // The fuzz reaches past payload checks: some requests pass, some are refused by policy.
    expect(codes.get("ok")).toBeGreaterThan(0);
    expect(codes.get("FORBIDDEN") ?? 0).toBeGreaterThan(0);
    expect(alice.connected && mallory.connected).toBe(true);
    await expectServing(h.client);
  });
});
