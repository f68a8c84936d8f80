import { SignJWT, jwtVerify } from "jose";
import type { JWTPayload, JWTVerifyGetKey, KeyObject, CryptoKey } from "jose";
import type { User } from "@roomkit/protocol";
import type { Handshake } from "../options.js";

export interface JwtAuthOptions<Profile> {
  /** The HMAC secret (HS256) or a verification key or key set (`createRemoteJWKSet(...)`). */
  key: string | Uint8Array | CryptoKey | KeyObject | JWTVerifyGetKey;
  issuer?: string;
  audience?: string;
  /** Accepted algorithms; default `["HS256"]` for a secret, jose's default for keys. */
  algorithms?: string[];
  /** Maps verified claims to the user. Default: `{ id: sub, profile: claims.profile ?? {} }`. */
  user?: (claims: JWTPayload) => User<Profile> | null | undefined;
}

const encoder = new TextEncoder();
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
 *
 * @example
 * createRoomkit(io, {
 *   contract,
 *   authenticate: jwtAuth({ key: process.env.JWT_SECRET!, issuer: "https://auth.example.com" }),
 * });
 */
export function jwtAuth<Profile = Record<string, unknown>>(options: JwtAuthOptions<Profile>) {
  const secret = typeof options.key === "string" || options.key instanceof Uint8Array;
  const verifyOptions = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
    ...(options.algorithms ? { algorithms: options.algorithms } : secret ? { algorithms: ["HS256"] } : {}),
  };
  const key = typeof options.key === "string" ? toKey(options.key) : options.key;
  const mapUser = options.user ?? ((claims: JWTPayload) =>
    typeof claims.sub === "string" ? { id: claims.sub, profile: (claims.profile ?? {}) as Profile } : null);
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
 *
 * @example
 * const token = await signToken(secret, { id: "alice", profile: { name: "Alice" } }, { expiresIn: "1h" });
 */
export async function signToken<Profile>(
  secret: string | Uint8Array, user: User<Profile>, options: { expiresIn?: string | number; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({ profile: user.profile as JWTPayload[string] }).setProtectedHeader({ alg: "HS256" }).setSubject(user.id).setIssuedAt();
  // jose reads a number as an absolute time; `expiresIn` is relative, in seconds from now.
  const { expiresIn } = options;
  if (expiresIn !== undefined) jwt = jwt.setExpirationTime(typeof expiresIn === "number" ? `${expiresIn}s` : expiresIn);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(toKey(secret));
}
