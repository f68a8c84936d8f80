/**
 * The Lua shared by the message store's scripts. Every script takes the same keys and first
 * arguments: KEYS meta log dd ddo st ms epoch; ARGV base now max maxAge, `base` being the
 * channel's key prefix (`<prefix>msg/<channel>/`) for the keys of one message.
 *
 * A channel keeps:
 * - `meta` (hash: epoch, latest);
 * - `log` (list, oldest first, seqs contiguous so a seq's index is seq - oldest) of entries
 *   "<seq> <storedAt> <type> <ref> <keyLength> <dedupeKey><headLength> <head><body>": type `m`
 *   (a message; ref its replyTo or 0; head `[id, from, sentAt, clientId]`) or a change, `e` `d`
 *   `r` `u` (edit, delete, react, unreact; ref its target; head `[by, at]`, or
 *   `[by, at, reaction, count]`); body the JSON of `encodeBody`, or nothing once deleted;
 * - `st` (hash: seq -> the JSON state of a message that changed: `v` version, `e` editedAt,
 *   `d` [by, at], `r` [[reaction, count]...], `n` replies, `l` last reply's sentAt, `E` its edits' seqs);
 * - `ms` (zset of the kept messages' seqs), `<base>th/<root>` (zset of a thread's kept replies),
 *   `<base>rx/<seq>` (set of "<reaction>\n<user>" given to one message);
 * - `dd` (hash: dedupe key -> "=<seq>" while the message is in the log, "<state>\n<entry>" once
 *   retention dropped it) and `ddo` (zset: dedupe keys by seq, for eviction).
 */
export const MESSAGE_LUA = `
local function parse(entry)
  local a = string.find(entry, ' ', 1, true)
  local b = string.find(entry, ' ', a + 1, true)
  local c = string.find(entry, ' ', b + 1, true)
  local d = string.find(entry, ' ', c + 1, true)
  local e = string.find(entry, ' ', d + 1, true)
  local keyEnd = e + tonumber(string.sub(entry, d + 1, e - 1))
  return string.sub(entry, 1, a - 1), tonumber(string.sub(entry, a + 1, b - 1)), string.sub(entry, b + 1, c - 1),
    string.sub(entry, c + 1, d - 1), string.sub(entry, e + 1, keyEnd), keyEnd + 1
end
-- The entry with its body replaced: everything up to the end of its head, then the new body.
local function withBody(entry, body)
  local _, _, _, _, _, rest = parse(entry)
  local sp = string.find(entry, ' ', rest, true)
  return string.sub(entry, 1, sp + tonumber(string.sub(entry, rest, sp - 1))) .. body
end
local function stateOf(seq)
  local text = redis.call('HGET', KEYS[5], seq)
  if text then return cjson.decode(text), text end
  return {}, nil
end
local function mineOf(seq, state, reader)
  if reader == '' or type(state.r) ~= 'table' then return '' end
  local out = {}
  for i, pair in ipairs(state.r) do
    out[i] = redis.call('SISMEMBER', ARGV[1] .. 'rx/' .. seq, pair[1] .. '\\n' .. reader) == 1 and '1' or '0'
  end
  return table.concat(out)
end
-- What the store returns for one entry: {entry, state, mine}, the last two empty for a change.
local function reply(entry, reader)
  local seq, _, kind = parse(entry)
  if kind ~= 'm' then return {entry, '', ''} end
  local state, text = stateOf(seq)
  return {entry, text or '', mineOf(seq, state, reader)}
end
-- A message leaving the log keeps answering retries of its clientId from a copy, and takes its keys along.
local function drop()
  local entry = redis.call('LPOP', KEYS[2])
  local seq, _, kind, ref, key = parse(entry)
  if kind ~= 'm' then return end
  local _, text = stateOf(seq)
  if key ~= '' and redis.call('HGET', KEYS[3], key) == '=' .. seq then redis.call('HSET', KEYS[3], key, (text or '') .. '\\n' .. entry) end
  if text then redis.call('HDEL', KEYS[5], seq) end
  redis.call('ZREM', KEYS[6], seq)
  redis.call('DEL', ARGV[1] .. 'rx/' .. seq)
  if ref ~= '0' then redis.call('ZREM', ARGV[1] .. 'th/' .. ref, seq) end
end
local function trim()
  local max, maxAge = tonumber(ARGV[3]), tonumber(ARGV[4])
  for _ = max + 1, redis.call('LLEN', KEYS[2]) do drop() end
  if maxAge > 0 then
    local cutoff = tonumber(ARGV[2]) - maxAge
    while true do
      local head = redis.call('LINDEX', KEYS[2], 0)
      if not head then break end
      local _, storedAt = parse(head)
      if storedAt >= cutoff then break end
      drop()
    end
  end
end
local function bounds()
  local latest = tonumber(redis.call('HGET', KEYS[1], 'latest') or '0')
  return latest, latest - redis.call('LLEN', KEYS[2]) + 1
end
-- The kept message at seq: its entry and index, or nil.
local function messageAt(seq)
  local latest, oldest = bounds()
  if seq < oldest or seq > latest then return nil end
  local entry = redis.call('LINDEX', KEYS[2], seq - oldest)
  local _, _, kind = parse(entry)
  if kind ~= 'm' then return nil end
  return entry, seq - oldest
end
-- An idle channel's keys expire with its entries; meta stays, so seqs never start again.
local function expire(...)
  local maxAge = tonumber(ARGV[4])
  if maxAge <= 0 then return end
  for i = 2, 6 do redis.call('PEXPIRE', KEYS[i], maxAge) end
  for _, key in ipairs({...}) do redis.call('PEXPIRE', key, maxAge) end
end
-- Appends an entry at the next seq.
local function push(kind, ref, key, head, body)
  local seq = string.format('%d', redis.call('HINCRBY', KEYS[1], 'latest', 1))
  redis.call('RPUSH', KEYS[2], seq .. ' ' .. ARGV[2] .. ' ' .. kind .. ' ' .. ref .. ' ' .. #key .. ' ' .. key .. #head .. ' ' .. head .. body)
  return seq
end
`;
