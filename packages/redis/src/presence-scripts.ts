import { LUA_KEY_PART } from "./keys.js";
import { Script } from "./script.js";

/**
 * Lua for cross-node presence. Per channel, under `pr/<channel>/`: `m` (hash: user -> info),
 * `o` (zset: user by join order), `u/<user>` (hash: conn -> node) and `n/<node>` (hash: conn ->
 * user). Per node: `nodes` (zset: node -> heartbeat deadline, Redis time) and
 * `node/<node>/channels` (set). Every script is atomic, so a dead node's connections are
 * removed, and their users' departures reported, by exactly one sweep.
 */
const PRELUDE = `${LUA_KEY_PART}
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function base(ch) return P .. 'pr/' .. part(ch) .. '/' end
local function node_channels(node) return P .. 'node/' .. part(node) .. '/channels' end
-- Drops one connection; returns the user's info when it was their last one here.
local function drop(ch, user, conn, node)
  local b = base(ch)
  local ukey = b .. 'u/' .. part(user)
  if redis.call('HDEL', ukey, conn) == 0 then return nil end
  local nkey = b .. 'n/' .. part(node)
  redis.call('HDEL', nkey, conn)
  if redis.call('EXISTS', nkey) == 0 then redis.call('SREM', node_channels(node), ch) end
  if redis.call('EXISTS', ukey) == 1 then return nil end
  local info = redis.call('HGET', b .. 'm', user) or ''
  redis.call('HDEL', b .. 'm', user)
  redis.call('ZREM', b .. 'o', user)
  return info
end
-- Removes up to \`budget\` connections of a node; appends (channel, user, info) per departure.
local function sweep(node, budget, out)
  local nc = node_channels(node)
  for _, ch in ipairs(redis.call('SMEMBERS', nc)) do
    if budget <= 0 then return budget end
    local conns = redis.call('HGETALL', base(ch) .. 'n/' .. part(node))
    for i = 1, #conns, 2 do
      local info = drop(ch, conns[i + 1], conns[i], node)
      if info then
        out[#out + 1] = ch
        out[#out + 1] = conns[i + 1]
        out[#out + 1] = info
      end
    end
    budget = budget - #conns / 2
  end
  if budget > 0 then redis.call('ZREM', P .. 'nodes', node) end
  return budget
end
`;

/** ARGV prefix channel user conn node info ttl -> {first, reregistered} */
export const ADD = new Script(`${PRELUDE}
local ch, user, conn, node = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local b = base(ch)
local ukey = b .. 'u/' .. part(user)
local first = redis.call('EXISTS', ukey) == 0
redis.call('HSET', ukey, conn, node)
redis.call('HSET', b .. 'n/' .. part(node), conn, user)
redis.call('SADD', node_channels(node), ch)
redis.call('HSET', b .. 'm', user, ARGV[6])
if first then
  local top = redis.call('ZRANGE', b .. 'o', -1, -1, 'WITHSCORES')
  redis.call('ZADD', b .. 'o', (tonumber(top[2]) or 0) + 1, user)
end
local reregistered = 0
if not redis.call('ZSCORE', P .. 'nodes', node) then
  redis.call('ZADD', P .. 'nodes', now_ms() + tonumber(ARGV[7]), node)
  reregistered = 1
end
return {first and 1 or 0, reregistered}
`);

/** ARGV prefix channel user conn -> {last, info?} */
export const REMOVE = new Script(`${PRELUDE}
local ch, user, conn = ARGV[2], ARGV[3], ARGV[4]
local node = redis.call('HGET', base(ch) .. 'u/' .. part(user), conn)
if not node then return {0} end
local info = drop(ch, user, conn, node)
if info then return {1, info} end
return {0}
`);

/** ARGV prefix channel user -> {info} | nil */
export const REMOVE_USER = new Script(`${PRELUDE}
local ch, user = ARGV[2], ARGV[3]
local conns = redis.call('HGETALL', base(ch) .. 'u/' .. part(user))
local info = nil
for i = 1, #conns, 2 do info = drop(ch, user, conns[i], conns[i + 1]) or info end
if info then return {info} end
return nil
`);

/** ARGV prefix channel -> {user, info, ...} in join order */
export const MEMBERS = new Script(`${PRELUDE}
local b = base(ARGV[2])
local users = redis.call('ZRANGE', b .. 'o', 0, -1)
local out = {}
for i = 1, #users, 500 do
  local last = math.min(i + 499, #users)
  local infos = redis.call('HMGET', b .. 'm', unpack(users, i, last))
  for j = i, last do
    out[#out + 1] = users[j]
    out[#out + 1] = infos[j - i + 1] or ''
  end
end
return out
`);

/**
 * A page in join order: ARGV prefix channel after limit -> {count, next, (user, info)...}. `after`
 * is a join score ('' from the start, '-' for a cursor this store did not make: no members);
 * `next` is '' on the last page.
 */
export const PAGE = new Script(`${PRELUDE}
local b = base(ARGV[2])
local out = {redis.call('ZCARD', b .. 'o'), ''}
if ARGV[3] == '-' then return out end
local limit = tonumber(ARGV[4])
local min = ARGV[3] == '' and '-inf' or '(' .. ARGV[3]
local rows = redis.call('ZRANGEBYSCORE', b .. 'o', min, '+inf', 'WITHSCORES', 'LIMIT', 0, limit + 1)
local n = math.min(#rows / 2, limit)
if n == 0 then return out end
if #rows / 2 > limit then out[2] = rows[limit * 2] end
local users = {}
for i = 1, n do users[i] = rows[i * 2 - 1] end
local infos = redis.call('HMGET', b .. 'm', unpack(users))
for i = 1, n do
  out[#out + 1] = users[i]
  out[#out + 1] = infos[i] or ''
end
return out
`);

/**
 * The heartbeat, and when asked the sweep: ARGV prefix node ttl sweep(0|1) budget ->
 * {wasMissing, (channel, user, info)...}. `wasMissing` tells a node it had been swept (or never
 * registered), so it must put its own connections back.
 */
export const TICK = new Script(`${PRELUDE}
local node, ttl = ARGV[2], tonumber(ARGV[3])
local now = now_ms()
local missing = not redis.call('ZSCORE', P .. 'nodes', node)
redis.call('ZADD', P .. 'nodes', now + ttl, node)
local out = {missing and 1 or 0}
if ARGV[4] == '1' then
  local budget = tonumber(ARGV[5])
  for _, dead in ipairs(redis.call('ZRANGEBYSCORE', P .. 'nodes', '-inf', now, 'LIMIT', 0, 16)) do
    budget = sweep(dead, budget, out)
    if budget <= 0 then break end
  end
end
return out
`);

/** A node leaving for good: ARGV prefix node -> {(channel, user, info)...} */
export const RETIRE = new Script(`${PRELUDE}
local out = {}
sweep(ARGV[2], math.huge, out)
redis.call('ZREM', P .. 'nodes', ARGV[2])
return out
`);

export const PRESENCE_SCRIPTS = [ADD, REMOVE, REMOVE_USER, MEMBERS, PAGE, TICK, RETIRE];
