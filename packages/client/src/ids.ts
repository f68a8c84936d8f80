/**
 * A fresh idempotency key for one send: a UUID from `crypto.randomUUID` where the platform has
 * it (Node, secure browser contexts), else 128 random bits from `getRandomValues`, else `Math.random`.
 */
export function newClientId(): string {
  const crypto = globalThis.crypto as Crypto | undefined;
  if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === "function") crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
