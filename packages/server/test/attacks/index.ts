import { describe } from "vitest";
import type { AttackEnv } from "./env.js";
import { connectionAttacks } from "./connections.js";
import { packetAttacks } from "./packets.js";
import { accessAttacks } from "./access.js";
import { quotaAttacks } from "./quotas.js";
import { fuzzAttacks } from "./fuzz.js";
import { attachmentAttacks } from "./attachments.js";
import { valueAttacks } from "./values.js";
import { transportAttacks } from "./transport.js";

/**
 * Every attack class, each a function that registers its cases for one env. A new class adds
 * its module here, so it runs on the memory and the Redis stores alike.
 */
const classes: [string, (env: AttackEnv) => void][] = [
  ["connections", connectionAttacks],
  ["packets", packetAttacks],
  ["access", accessAttacks],
  ["quotas", quotaAttacks],
  ["fuzz", fuzzAttacks],
  ["attachments", attachmentAttacks],
  ["values", valueAttacks],
  ["transport", transportAttacks],
];

/** Registers every attack class against `env`. */
export function describeAttacks(env: AttackEnv): void {
  describe(`attacks on the ${env.name} stores`, () => {
    for (const [name, register] of classes) describe(name, () => register(env));
  });
}
