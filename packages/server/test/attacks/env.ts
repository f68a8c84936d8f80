import { afterEach, expect } from "vitest";
import type { RoomkitOptions, Stores } from "@roomkit/server";
import { startServer } from "../support/harness.js";
import type { Harness } from "../support/harness.js";
import type { TestContract } from "../support/contract.js";
import { expectServing } from "../support/refusals.js";

/**
 * Where an attack runs: the same cases on every store, because a hole in one store's encoding
 * (the Redis records, say) is a hole in every app that picks it.
 */
export interface AttackEnv {
  name: string;
  /** Fresh stores for one server; the env cleans them up after the file. */
  stores(): Stores | Promise<Stores>;
}

/** What a victim relies on after any attack: nobody's objects changed, and a DM still round-trips. */
function snapshotPrototypes(): string {
  const describe = (proto: object) => Reflect.ownKeys(proto).map(String).sort().join(",");
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map(describe).join("|");
}

/**
 * Starts servers on the env's stores and, after every test, proves the invariants every
 * attack must leave intact: `Object.prototype` (and the other built-in prototypes) untouched,
 * and a fresh pair of users still exchanging a DM on every server the test started.
 *
 * @example
 * const servers = attackServers(env);
 * it("...", async () => { const h = await servers.start(); ... });
 */
export function attackServers(env: AttackEnv) {
  const before = snapshotPrototypes();
  const running: Harness[] = [];
  afterEach(async () => {
    try {
      expect(snapshotPrototypes(), "built-in prototypes after the attack").toBe(before);
      expect(({} as Record<string, unknown>).data, "Object.prototype.data").toBeUndefined();
      for (const h of running) await expectServing(h.client);
    } finally {
      await Promise.all(running.splice(0).map((h) => h.close()));
    }
  });
  return {
    /** A Roomkit server on port 0 over this env's stores, closed after the test. */
    async start(options: Partial<RoomkitOptions<TestContract>> = {}): Promise<Harness> {
      const h = await startServer({ stores: await env.stores(), ...options });
      running.push(h);
      return h;
    },
  };
}
