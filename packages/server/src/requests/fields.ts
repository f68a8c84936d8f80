import { RoomkitError, isValidUserId } from "@roomkit/protocol";

/** A request payload once it is known to be a plain object. */
export type Payload = Record<string, unknown>;

const invalid = (message: string) => new RoomkitError("INVALID", message);

/** The payload as a plain object, or an `INVALID` error. */
export function asPayload(value: unknown): Payload {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalid("the payload must be an object");
  return value as Payload;
}

export function requiredString(p: Payload, key: string, max = 256): string {
  const v = p[key];
  if (typeof v !== "string" || v.length === 0) throw invalid(`"${key}" must be a non-empty string`);
  if (v.length > max) throw invalid(`"${key}" must be at most ${max} characters`);
  return v;
}

export function optionalString(p: Payload, key: string, max = 256): string | undefined {
  return p[key] === undefined ? undefined : requiredString(p, key, max);
}

export function optionalInt(p: Payload, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    throw invalid(`"${key}" must be an integer from ${min} to ${max}`);
  }
  return v;
}

export function requiredInt(p: Payload, key: string, min: number): number {
  const v = optionalInt(p, key, min);
  if (v === undefined) throw invalid(`"${key}" is required`);
  return v;
}

export function optionalBoolean(p: Payload, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") throw invalid(`"${key}" must be a boolean`);
  return v;
}

export function userId(p: Payload, key = "userId"): string {
  const v = p[key];
  if (!isValidUserId(v)) throw invalid(`"${key}" must be a user id (1-64 of A-Z a-z 0-9 _ . @ = + ~ -)`);
  return v;
}

export function optionalUserIds(p: Payload, key: string, max: number): string[] | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > max || !v.every(isValidUserId)) {
    throw invalid(`"${key}" must be an array of at most ${max} user ids`);
  }
  return [...new Set(v)];
}

/** An idempotency key: 1-64 printable ASCII characters. */
export function optionalClientId(p: Payload): string | undefined {
  const v = p.clientId;
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^[\x21-\x7e]{1,64}$/.test(v)) throw invalid('"clientId" must be 1-64 printable ASCII characters');
  return v;
}
