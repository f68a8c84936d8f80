import type { AnyContract } from "@roomkit/protocol";

/**
 * Refuses a `channels` option with a policy for a family the contract does not declare (a
 * `TypeError` from `createRoomkit`): such a policy would never be asked, so a misspelt family
 * would silently drop, say, the rule of who may publish.
 */
export function checkPolicies(contract: AnyContract, policies: unknown): void {
  if (policies === undefined) return;
  if (typeof policies !== "object" || policies === null)
    throw new TypeError("createRoomkit: options.channels must be an object of policies by family");
  const declared = Object.keys(contract.channels);
  for (const family of Object.keys(policies)) {
    if (!Object.hasOwn(contract.channels, family)) {
      throw new TypeError(
        `createRoomkit: options.channels has a policy for "${family}", which the contract does not declare (declared: ${declared.join(", ")})`,
      );
    }
  }
}
