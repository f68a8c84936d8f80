import { ERROR_CODES, Pushes, Requests } from "@roomkit/protocol";
import type { AnyContract, RequestName } from "@roomkit/protocol";

// Every label value comes from one of these closed sets, whatever a client sends: a metric's
// series stay bounded by code, never by traffic. Anything else is `other`.

/** The label for values outside a known set. */
export const OTHER = "other";

const REQUESTS: ReadonlySet<string> = new Set(Object.values(Requests));
const PUSHES: ReadonlySet<string> = new Set(Object.values(Pushes));
const CODES: ReadonlySet<string> = new Set(ERROR_CODES);
const CLOSE_REASONS: ReadonlySet<string> = new Set([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "parse error",
  "server shutting down",
  "forced server close",
  "client namespace disconnect",
  "server namespace disconnect",
]);

const within = (known: ReadonlySet<string>, value: unknown): string => (typeof value === "string" && known.has(value) ? value : OTHER);

/** A request name, or `other` for an event that is not one. */
export const requestLabel = (event: unknown): string => within(REQUESTS, event);
/** True for the wire names of requests. */
export const isRequest = (event: unknown): event is RequestName => typeof event === "string" && REQUESTS.has(event);
/** A push name, or `other` (Socket.IO's own events, an app's custom emits). */
export const pushLabel = (event: unknown): string => within(PUSHES, event);
/** An error code, `OK`, or `other`. */
export const codeLabel = (code: unknown): string => (code === "OK" ? "OK" : within(CODES, code));
/** A Socket.IO disconnect reason, or `other`. */
export const closeLabel = (reason: unknown): string => within(CLOSE_REASONS, reason);

/** A channel's kind from its id (`dm`, `room`...), or `other` for an id the contract does not declare. */
export function kindLabel(contract: AnyContract, channel: unknown): string {
  if (typeof channel !== "string") return OTHER;
  const family = channel.slice(0, channel.indexOf(":"));
  return Object.hasOwn(contract.channels, family) ? (contract.channels[family]?.kind ?? OTHER) : OTHER;
}
