import { Script } from "./script.js";

/**
 * Lua for the message store. A channel keeps `meta` (hash: epoch, latest), `log` (list of
 * "<seq> <storedAt> <keyLength> <dedupeKey><record>", oldest first, seqs contiguous so a seq's
 * index is seq - oldest), `dd` (hash: dedupe key -> "=<seq>" while the message is in the log,
 * "<seq> <record>" once retention dropped it) and `ddo` (zset: dedupe keys by seq, for eviction).
 * A message is thus stored once, and copied for dedupe only when it leaves the log.
 */
const TRIM = `
local function parse(entry)
  local a = string.find(entry, ' ', 1, true)
  local b = string.find(entry, ' ', a + 1, true)
  local c = string.find(entry, ' ', b + 1, true)
  local keyEnd = c + tonumber(string.sub(entry, b + 1, c - 1))
  return string.sub(entry, 1, a - 1), tonumber(string.sub(entry, a + 1, b - 1)), string.sub(entry, c + 1, keyEnd), string.sub(entry, keyEnd + 1)
end
-- A message leaving the log keeps answering retries of its clientId from a copy.
local function drop(log, dd)
  local seq, _, key, record = parse(redis.call('LPOP', log))
  if key ~= '' and redis.call('HGET', dd, key) == '=' .. seq then redis.call('HSET', dd, key, seq .. ' ' .. record) end
end
local function trim(log, dd, max, maxAge, now)
  for _ = max + 1, redis.call('LLEN', log) do drop(log, dd) end
  if maxAge > 0 then
    local cutoff = now - maxAge
    while true do
      local head = redis.call('LINDEX', log, 0)
      if not head then break end
      local _, storedAt = parse(head)
      if storedAt >= cutoff then break end
      drop(log, dd)
    end
  end
end
`;

/** KEYS meta log dd ddo epoch; ARGV epoch dedupeKey record now max maxAge window -> {1, "<seq> <first>"} | {0, seq} */
export const APPEND = new Script(`${TRIM}
local key = ARGV[2]
if key ~= '' then
  local first = redis.call('HGET', KEYS[3], key)
  if first and string.sub(first, 1, 1) ~= '=' then return {1, first} end
  if first then
    local seq = tonumber(string.sub(first, 2))
    local oldest = tonumber(redis.call('HGET', KEYS[1], 'latest')) - redis.call('LLEN', KEYS[2]) + 1
    local entry = redis.call('LINDEX', KEYS[2], seq - oldest)
    if entry then
      local _, _, _, record = parse(entry)
      return {1, string.format('%d', seq) .. ' ' .. record}
    end
  end
end
redis.call('SET', KEYS[5], ARGV[1], 'NX')
redis.call('HSETNX', KEYS[1], 'epoch', redis.call('GET', KEYS[5]))
local seq = string.format('%d', redis.call('HINCRBY', KEYS[1], 'latest', 1))
redis.call('RPUSH', KEYS[2], seq .. ' ' .. ARGV[4] .. ' ' .. #key .. ' ' .. key .. ARGV[3])
local maxAge = tonumber(ARGV[6])
trim(KEYS[2], KEYS[3], tonumber(ARGV[5]), maxAge, tonumber(ARGV[4]))
local window = tonumber(ARGV[7])
if key ~= '' and window > 0 then
  redis.call('HSET', KEYS[3], key, '=' .. seq)
  redis.call('ZADD', KEYS[4], seq, key)
  local over = redis.call('ZCARD', KEYS[4]) - window
  if over > 0 then
    local old = redis.call('ZPOPMIN', KEYS[4], over)
    for i = 1, #old, 2 do redis.call('HDEL', KEYS[3], old[i]) end
  end
end
if maxAge > 0 then
  for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], maxAge) end
end
return {0, seq}
`);

/**
 * KEYS meta log dd epoch; ARGV epoch now max maxAge -> {epoch, latest, kept}. A channel nobody
 * wrote to is answered from the store-wide epoch and gets no key: asking costs no memory.
 */
export const STREAM = new Script(`${TRIM}
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SET', KEYS[4], ARGV[1], 'NX')
  return {redis.call('GET', KEYS[4]), 0, 0}
end
trim(KEYS[2], KEYS[3], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[2]))
local latest = tonumber(redis.call('HGET', KEYS[1], 'latest') or '0')
return {redis.call('HGET', KEYS[1], 'epoch'), latest, redis.call('LLEN', KEYS[2])}
`);

/** KEYS meta log dd; ARGV now max maxAge after|'' before|'' limit -> {hasMore, "<seq> <record>"...} */
export const RANGE = new Script(`${TRIM}
trim(KEYS[2], KEYS[3], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[1]))
local latest = tonumber(redis.call('HGET', KEYS[1], 'latest') or '0')
local oldest = latest - redis.call('LLEN', KEYS[2]) + 1
local last = latest
if ARGV[5] ~= '' then last = math.min(latest, tonumber(ARGV[5]) - 1) end
local limit = tonumber(ARGV[6])
local from, to, more
if ARGV[4] ~= '' then
  from = math.max(oldest, tonumber(ARGV[4]) + 1)
  to = math.min(last, from + limit - 1)
  more = to < last
else
  to = last
  from = math.max(oldest, to - limit + 1)
  more = from > oldest
end
local out = {more and 1 or 0}
if from > to then return out end
local entries = redis.call('LRANGE', KEYS[2], from - oldest, to - oldest)
for i = 1, #entries do
  local seq, _, _, record = parse(entries[i])
  out[i + 1] = seq .. ' ' .. record
end
return out
`);

export const MESSAGE_SCRIPTS = [APPEND, STREAM, RANGE];
