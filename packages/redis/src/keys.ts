/**
 * Key naming. Every key starts with the store's prefix; ids inside a key are escaped so that
 * no two (channel, user) pairs share a key: `%` becomes `%25`, `/` (the separator) `%2F`, and
 * `{` `}` (which would end a hash tag) `%7B` `%7D`. Valid Roomkit ids contain none of them, so
 * real keys read plainly: `rk:msg/{room:42}/log`.
 *
 * The id a key belongs to sits in a hash tag (`{...}`), so on Redis Cluster every key of one
 * channel, one room, one user's read state or one node's channel list is in one slot, and each
 * script touches one slot.
 */
export function keyPart(id: string): string {
  return id.replace(/%/g, "%25").replace(/\//g, "%2F").replace(/\{/g, "%7B").replace(/\}/g, "%7D");
}

/** An id as the hash tag of a key: `{<escaped id>}`. */
export function tagged(id: string): string {
  return `{${keyPart(id)}}`;
}

/** The same escaping inside Lua scripts, which build the keys they discover (a dead node's channels). */
export const LUA_KEY_PART = `
local function part(s) return (string.gsub(string.gsub(string.gsub(string.gsub(s, '%%', '%%25'), '/', '%%2F'), '{', '%%7B'), '}', '%%7D')) end
`;

/**
 * Checks a key prefix: any text without spaces and without `{` or `}` (a hash tag in the prefix
 * would put every key in one Redis Cluster slot), usually ending in `:` (`"myapp:"`).
 */
export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== "string" || /[\s{}]/.test(prefix)) throw new TypeError("prefix must be a string without whitespace, { or }");
  return prefix;
}

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** The Redis Cluster slot of a hash tag's content (CRC16/XMODEM of its UTF-8 bytes, mod 16384). */
export function slotOf(tag: string): number {
  let crc = 0;
  for (const byte of Buffer.from(tag, "utf8")) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc & 0x3fff;
}

let slotTags: string[] | undefined;

/**
 * A short tag in the given slot: `tagOfSlot(slotOf(x))` hashes where `x` does. Built once, for
 * every slot (about 150 000 CRCs, a few milliseconds).
 */
export function tagOfSlot(slot: number): string {
  if (!slotTags) {
    const tags: string[] = new Array(16384);
    let left = 16384;
    for (let i = 0; left > 0; i++) {
      const tag = i.toString(36);
      const s = slotOf(tag);
      if (tags[s] === undefined) {
        tags[s] = tag;
        left--;
      }
    }
    slotTags = tags;
  }
  return slotTags[slot]!;
}
