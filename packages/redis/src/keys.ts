/**
 * Key naming. Every key starts with the store's prefix; ids inside a key are escaped so that
 * no two (channel, user) pairs share a key: `%` becomes `%25` and `/` (the separator) `%2F`.
 * Valid Roomkit ids contain neither, so real keys read plainly: `rk:msg/room:42/log`.
 */
export function keyPart(id: string): string {
  return id.replace(/%/g, "%25").replace(/\//g, "%2F");
}

/** The same escaping inside Lua scripts, which build the keys they discover (a dead node's channels). */
export const LUA_KEY_PART = `
local function part(s) return (string.gsub(string.gsub(s, '%%', '%%25'), '/', '%%2F')) end
`;

/** Checks a key prefix: any text without spaces, usually ending in `:` (`"myapp:"`). */
export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== "string" || /\s/.test(prefix)) throw new TypeError("prefix must be a string without whitespace");
  return prefix;
}
