import { SignJWT, jwtVerify } from "jose";
import type { JWTPayload, JWTVerifyGetKey, KeyObject, CryptoKey } from "jose";
import type { User } from "@roomkit/protocol";
import type { Handshake } from "../options.js";

/** What `jwtAuth` verifies tokens with. */
export type JwtKey = string | Uint8Array | CryptoKey | KeyObject | JWTVerifyGetKey;

/** A key type, or a readable compile error when it is the empty string literal. */
export type NonEmptyKey<K> = K extends "" ? "jwtAuth: the key is empty; set it from your configuration (JWT_SECRET)" : K;

export interface JwtAuthOptions<Profile, K extends JwtKey = JwtKey> {
  /**
   * The HMAC secret (HS256) or a verification key or key set (`createRemoteJWKSet(...)`). A
   * missing or empty one throws a `TypeError` at once, rather than refusing every client later.
   */
  key: NonEmptyKey<K>;
  issuer?: string;
  audience?: string;
  /** Accepted algorithms; default `["HS256"]` for a secret, jose's default for keys. */
  algorithms?: string[];
  /** Maps verified claims to the user. Default: `{ id: sub, profile: claims.profile ?? {} }`. */
  user?: (claims: JWTPayload) => User<Profile> | null | undefined;
}

const encoder = new TextEncoder();

/** Throws when the key is missing or empty: `process.env.JWT_SECRET!` with the variable unset. */
function checkKey(caller: string, key: unknown): void {
  const empty = key === undefined || key === null || key === "" || (key instanceof Uint8Array && key.byteLength === 0);
  if (empty) {
    throw new TypeError(
      `${caller}: the key is ${key === "" || key instanceof Uint8Array ? "empty" : "missing"}; set it from your configuration (e.g. the JWT_SECRET environment variable)`,
    );
  }
}
const toKey = (key: string | Uint8Array) => (typeof key === "string" ? encoder.encode(key) : key);

/** The bearer token of a handshake: `auth.token` first, then an `Authorization: Bearer` header. */
export function bearerToken(handshake: Handshake): string | undefined {
  const fromAuth = (handshake.auth as Record<string, unknown> | undefined)?.token;
  if (typeof fromAuth === "string") return fromAuth;
  const header = handshake.headers.authorization;
  const match = typeof header === "string" ? /^bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/**
 * An `authenticate` hook that verifies a JWT from the handshake (see {@link bearerToken}).
 * Throws a `TypeError` at once when the key is missing or empty (an unset `JWT_SECRET`).
 *
 * @example
 * createRoomkit(io, {
 *   contract,
 *   authenticate: jwtAuth({ key: process.env.JWT_SECRET!, issuer: "https://auth.example.com" }),
 * });
 */
export function jwtAuth<Profile = Record<string, unknown>, const K extends JwtKey = JwtKey>(options: JwtAuthOptions<Profile, K>) {
  checkKey("jwtAuth", options?.key);
  const secret = typeof options.key === "string" || options.key instanceof Uint8Array;
  const verifyOptions = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
    ...(options.algorithms ? { algorithms: options.algorithms } : secret ? { algorithms: ["HS256"] } : {}),
  };
  const key: Exclude<JwtKey, string> = typeof options.key === "string" ? toKey(options.key) : (options.key as Exclude<JwtKey, string>);
  const mapUser =
    options.user ??
    ((claims: JWTPayload) => (typeof claims.sub === "string" ? { id: claims.sub, profile: (claims.profile ?? {}) as Profile } : null));
  return async (handshake: Handshake): Promise<User<Profile> | null> => {
    const token = bearerToken(handshake);
    if (!token) return null;
    const { payload } = typeof key === "function" ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions);
    return mapUser(payload) ?? null;
  };
}

/**
 * Signs an HS256 token that {@link jwtAuth} accepts with the same secret: for tests, demos, and
 * apps that issue their own tokens. `expiresIn` is a time span (`"1h"`) or a number of seconds from now.
 * Throws a `TypeError` when the secret is missing or empty, as `jwtAuth` does.
 *
 * @example
 * const token = await signToken(secret, { id: "alice", profile: { name: "Alice" } }, { expiresIn: "1h" });
 */
export async function signToken<Profile>(
  secret: string | Uint8Array,
  user: User<Profile>,
  options: { expiresIn?: string | number; issuer?: string; audience?: string } = {},
): Promise<string> {
  checkKey("signToken", secret);
  let jwt = new SignJWT({ profile: user.profile as JWTPayload[string] })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user.id)
    .setIssuedAt();
  // jose reads a number as an absolute time; `expiresIn` is relative, in seconds from now.
  const { expiresIn } = options;
  if (expiresIn !== undefined) jwt = jwt.setExpirationTime(typeof expiresIn === "number" ? `${expiresIn}s` : expiresIn);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(toKey(secret));
}
