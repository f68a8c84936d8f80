import { MAX_ATTACHMENTS } from "@roomkit/protocol";
import type { RateLimit, RoomkitLimits } from "../options.js";
import { DEFAULT_LIMITS } from "../options.js";

const isRateLimit = (value: unknown): value is RateLimit => typeof value === "object" && value !== null && "rate" in value;

/**
 * Refuses limits no server can run with (a `TypeError` from `createRoomkit`): every number must
 * be positive, every rate limit a positive `rate` and a `burst` of at least 1, and
 * `attachments` an integer from 1 to 10. Returns the limits.
 */
export function checkLimits(limits: RoomkitLimits): RoomkitLimits {
  const { attachments } = limits;
  if (!Number.isInteger(attachments) || attachments < 1 || attachments > MAX_ATTACHMENTS) {
    throw new TypeError(
      `createRoomkit: limits.attachments must be an integer from 1 to ${MAX_ATTACHMENTS}, the most binary parts a stock Socket.IO parser takes in one packet`,
    );
  }
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof RoomkitLimits)[]) {
    const fallback = DEFAULT_LIMITS[name];
    const value: unknown = limits[name];
    if (typeof fallback === "number" && !(typeof value === "number" && value > 0)) {
      throw new TypeError(`createRoomkit: limits.${name} must be a positive number`);
    }
    if (isRateLimit(fallback)) {
      const ok =
        isRateLimit(value) && typeof value.rate === "number" && value.rate > 0 && typeof value.burst === "number" && value.burst >= 1;
      if (!ok) throw new TypeError(`createRoomkit: limits.${name} must be { rate > 0, burst >= 1 }`);
    }
  }
  return limits;
}
