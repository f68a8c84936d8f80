import { afterEach, expect } from "vitest";
import type { RoomkitOptions, Stores } from "@roomkit/server";
import { startServer } from "../support/harness.js";
import type { Harness } from "../support/harness.js";
import type { TestContract } from "../support/contract.js";
import { expectServing } from "../support/refusals.js";
import { prototypeGuard } from "./prototypes.js";

/**
 * Where an attack runs: the same cases on every store, because a hole in one store's encoding
 * (the Redis records, say) is a hole in every app that picks it.
 */
export interface AttackEnv {
  name: string;
  /** Fresh stores for one server; the env cleans them up after the file. */
  stores(): Stores | Promise<Stores>;
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
  const prototypes = prototypeGuard();
  const running: Harness[] = [];
  afterEach(async () => {
    try {
      const changed = prototypes.changes();
      // Undone at once, so a polluting case fails alone rather than every later test in the process.
      prototypes.restore();
      expect(changed, "built-in prototype keys changed by the attack").toEqual([]);
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
