import { MESSAGE_LUA } from "./message-lua.js";
import { Script } from "./script.js";

/**
 * The message store's scripts, each one atomic round trip. Keys and first arguments as in
 * MESSAGE_LUA (KEYS meta log dd ddo st ms epoch; ARGV base now max maxAge), then each one's own.
 */

/**
 * ARGV ... epoch dedupeKey head body window replyTo sentAt channel -> {1, "<state>\n<entry>", mine} | {0, seq, mark}.
 * With an eighth key (the sender's read state, in the same slot), the sender's mark in `channel`
 * is raised to the new seq in the same step, and `mark` is its value after that (else -1).
 */
export const APPEND = new Script(`${MESSAGE_LUA}
local key = ARGV[6]
if key ~= '' then
  local first = redis.call('HGET', KEYS[3], key)
  if first and string.sub(first, 1, 1) ~= '=' then return {1, first, ''} end
  if first then
    local seq = tonumber(string.sub(first, 2))
    local entry = messageAt(seq)
    if entry then
      local state, text = stateOf(string.format('%d', seq))
      return {1, (text or '') .. '\\n' .. entry, ''}
    end
  end
end
-- A channel takes the store's epoch for its slot at its first append (the slot's is made if need be).
if redis.call('HEXISTS', KEYS[1], 'epoch') == 0 then
  redis.call('SET', KEYS[7], ARGV[5], 'NX')
  redis.call('HSETNX', KEYS[1], 'epoch', redis.call('GET', KEYS[7]))
end
local replyTo = ARGV[10]
local seq = push('m', replyTo, key, ARGV[7], ARGV[8])
redis.call('ZADD', KEYS[6], seq, seq)
local thread = ARGV[1] .. 'th/' .. replyTo
if replyTo ~= '0' then
  redis.call('ZADD', thread, seq, seq)
  -- The root, when kept, counts the reply and takes its seq as version.
  if messageAt(tonumber(replyTo)) then
    local state = stateOf(replyTo)
    state.n = (state.n or 0) + 1
    state.l = tonumber(ARGV[11])
    state.v = tonumber(seq)
    redis.call('HSET', KEYS[5], replyTo, cjson.encode(state))
  end
end
trim()
local window = tonumber(ARGV[9])
if key ~= '' and window > 0 then
  redis.call('HSET', KEYS[3], key, '=' .. seq)
  redis.call('ZADD', KEYS[4], seq, key)
  local over = redis.call('ZCARD', KEYS[4]) - window
  if over > 0 then
    local old = redis.call('ZPOPMIN', KEYS[4], over)
    for i = 1, #old, 2 do redis.call('HDEL', KEYS[3], old[i]) end
  end
end
if replyTo ~= '0' then expire(thread) else expire() end
local mark = -1
if KEYS[8] then
  mark = tonumber(redis.call('HGET', KEYS[8], ARGV[12]) or '-1')
  if tonumber(seq) > mark then
    redis.call('HSET', KEYS[8], ARGV[12], seq)
    mark = tonumber(seq)
  end
end
return {0, seq, mark}
`);

/**
 * ARGV ... epoch -> {epoch, latest, kept}. A channel nobody wrote to is answered from the
 * store-wide epoch and gets no key: asking costs no memory.
 */
export const STREAM = new Script(`${MESSAGE_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SET', KEYS[7], ARGV[5], 'NX')
  return {redis.call('GET', KEYS[7]), 0, 0}
end
trim()
local latest = tonumber(redis.call('HGET', KEYS[1], 'latest') or '0')
return {redis.call('HGET', KEYS[1], 'epoch'), latest, redis.call('LLEN', KEYS[2])}
`);

/** ARGV ... after|'' before|'' limit thread|'' reader|'' -> {hasMore, {entry, state, mine}...}: messages only, by `ms` or a thread's zset. */
export const RANGE = new Script(`${MESSAGE_LUA}
trim()
local index = KEYS[6]
if ARGV[8] ~= '' then index = ARGV[1] .. 'th/' .. ARGV[8] end
local limit = tonumber(ARGV[7])
local low = ARGV[5] == '' and '-inf' or '(' .. ARGV[5]
local high = ARGV[6] == '' and '+inf' or '(' .. ARGV[6]
local seqs
if ARGV[5] ~= '' then
  seqs = redis.call('ZRANGEBYSCORE', index, low, high, 'LIMIT', 0, limit + 1)
else
  local newest = redis.call('ZREVRANGEBYSCORE', index, high, low, 'LIMIT', 0, limit + 1)
  seqs = {}
  for i = #newest, 1, -1 do seqs[#seqs + 1] = newest[i] end
end
local more = #seqs > limit
if more then
  if ARGV[5] ~= '' then table.remove(seqs) else table.remove(seqs, 1) end
end
local out = {more and 1 or 0}
if #seqs == 0 then return out end
local _, oldest = bounds()
local first, last = tonumber(seqs[1]), tonumber(seqs[#seqs])
local entries = redis.call('LRANGE', KEYS[2], first - oldest, last - oldest)
for _, seq in ipairs(seqs) do
  local entry = entries[tonumber(seq) - first + 1]
  if entry then out[#out + 1] = reply(entry, ARGV[9]) end
end
return out
`);

/** ARGV ... after limit reader|'' -> {{entry, state, mine}...}: every kept seq in (after, after + limit]. */
export const REPLAY = new Script(`${MESSAGE_LUA}
trim()
local latest, oldest = bounds()
local from = math.max(oldest, tonumber(ARGV[5]) + 1)
local to = math.min(latest, tonumber(ARGV[5]) + tonumber(ARGV[6]))
local out = {}
if from > to then return out end
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], from - oldest, to - oldest)) do out[#out + 1] = reply(entry, ARGV[7]) end
return out
`);

/** ARGV ... seq reader|'' -> {entry, state, mine} | {} */
export const GET = new Script(`${MESSAGE_LUA}
trim()
local entry = messageAt(tonumber(ARGV[5]))
if not entry then return {} end
return reply(entry, ARGV[6])
`);

/** ARGV ... after -> {latest, messages}: kept messages above `after`, plus seqs no longer kept above it. */
export const COUNT_AFTER = new Script(`${MESSAGE_LUA}
trim()
local latest, oldest = bounds()
local after = tonumber(ARGV[5])
local dropped = math.max(0, oldest - 1 - after)
return {latest, redis.call('ZCOUNT', KEYS[6], '(' .. ARGV[5], '+inf') + dropped}
`);

export const MESSAGE_SCRIPTS = [APPEND, STREAM, RANGE, REPLAY, GET, COUNT_AFTER];
