import fc from "fast-check";
import { expect, it } from "vitest";
import { attackServers } from "./env.js";
import type { AttackEnv } from "./env.js";
import { REQUESTS, corpus, payloadFor } from "./fuzz-payloads.js";
import { hostileValue } from "./fuzz-values.js";
import { fuzzWorld } from "./fuzz-world.js";

// Replay a failure with the seed (and path) fast-check prints: FUZZ_SEED=<seed> [FUZZ_PATH=<path>];
// explore further with FUZZ_RUNS=<n>.
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const PATH = process.env.FUZZ_PATH;
const settings = { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}) };

/**
 * Property-based fuzzing of every request's payload (docs/protocol.md §6), as a hostile
 * signed-in user sends it over raw frames: every ack is `ok` or a typed error that is not
 * INTERNAL, the server keeps serving, no built-in prototype changes, `__proto__`/`constructor`/
 * `prototype` keys and placeholder-shaped bodies are refused, what the attacker stores reads
 * back harmlessly, and a bystander in none of the attacker's channels receives nothing.
 */
export function fuzzAttacks(env: AttackEnv): void {
  const servers = attackServers(env);

  for (const event of REQUESTS) {
    it(`${event}: ${RUNS} fuzzed payloads (seed ${SEED}) get typed acks, change no prototype, reach no bystander`, async () => {
      const world = await fuzzWorld(servers);
      const property = fc.asyncProperty(payloadFor(event), (payload) => world.attack(event, payload));
      await fc.assert(property, { ...settings, examples: corpus(event).map((payload) => [payload]) });
      await world.expectIsolated();
      expect(world.codes.get("ok") ?? 0, `acks of ${event}: ${JSON.stringify([...world.codes])}`).toBeGreaterThan(0);
      expect(
        [...world.codes.keys()].some((code) => code !== "ok"),
        `acks of ${event}: ${JSON.stringify([...world.codes])}`,
      ).toBe(true);
    });
  }

  it(`any event name, without an ack, then a request: the connection still answers, nothing leaks (${RUNS} runs)`, async () => {
    const world = await fuzzWorld(servers);
    const names = fc.oneof(
      fc.constantFrom(...REQUESTS),
      fc.constantFrom(
        "rk:nope",
        "rk:message",
        "rk:welcome",
        "rk:bye",
        "rk:room:delete",
        "__proto__",
        "constructor",
        "toString",
        "hasOwnProperty",
        "rk:publish ",
      ),
    );
    const property = fc.asyncProperty(names, fc.oneof(payloadFor("rk:publish"), hostileValue), (event, payload) =>
      world.attack(event, payload, false),
    );
    await fc.assert(property, settings);
    await world.expectIsolated();
  });
}
