import { LUA_KEY_PART } from "./keys.js";
import { Script } from "./script.js";

/**
 * Lua for cross-node presence. Per channel, under `pr/{<channel>}/`: `m` (hash: user -> info),
 * `o` (zset: user by join number), `z` (the last join number given, dropped with the
 * channel's last member), `u/<user>` (hash: conn -> node) and `n/<node>` (hash: conn ->
 * user), all in the channel's slot. Per node: `nodes` (zset: node -> heartbeat deadline, Redis
 * time) and `node/{<node>}/channels` (set), which the store keeps beside the channel scripts.
 * Each script touches one slot (its first key's) and is atomic there, so a dead node's
 * connection in a channel is removed, and its user's departure reported, by exactly one sweep.
 */
const PRELUDE = `${LUA_KEY_PART}
local P = ARGV[1]
local function base(ch) return P .. 'pr/{' .. part(ch) .. '}/' end
-- Drops one connection: returns the user's info when it was their last one here (else nil),
-- and whether the node has no connection left in the channel.
local function drop(ch, user, conn, node)
  local b = base(ch)
  local ukey = b .. 'u/' .. part(user)
  if redis.call('HDEL', ukey, conn) == 0 then return nil, false end
  local nkey = b .. 'n/' .. part(node)
  redis.call('HDEL', nkey, conn)
  local nodeGone = redis.call('EXISTS', nkey) == 0
  if redis.call('EXISTS', ukey) == 1 then return nil, nodeGone end
  local info = redis.call('HGET', b .. 'm', user) or ''
  redis.call('HDEL', b .. 'm', user)
  redis.call('ZREM', b .. 'o', user)
  if redis.call('ZCARD', b .. 'o') == 0 then redis.call('DEL', b .. 'z') end
  return info, nodeGone
end
`;

/** KEYS pr/{channel}/m; ARGV prefix channel user conn node info -> first (1|0) */
export const ADD = new Script(`${PRELUDE}
local ch, user, conn, node = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local b = base(ch)
local ukey = b .. 'u/' .. part(user)
local first = redis.call('EXISTS', ukey) == 0
redis.call('HSET', ukey, conn, node)
redis.call('HSET', b .. 'n/' .. part(node), conn, user)
redis.call('HSET', b .. 'm', user, ARGV[6])
-- From a counter, not the highest number present: a newcomer never takes the number of one who
-- left, which a cursor already handed out may name.
if first then redis.call('ZADD', b .. 'o', redis.call('INCR', b .. 'z'), user) end
return first and 1 or 0
`);

/** KEYS pr/{channel}/m; ARGV prefix channel user conn -> {last, info, node whose last connection here it was, or ''} */
export const REMOVE = new Script(`${PRELUDE}
local ch, user, conn = ARGV[2], ARGV[3], ARGV[4]
local node = redis.call('HGET', base(ch) .. 'u/' .. part(user), conn)
if not node then return {0, '', ''} end
local info, nodeGone = drop(ch, user, conn, node)
return {info and 1 or 0, info or '', nodeGone and node or ''}
`);

/** KEYS pr/{channel}/m; ARGV prefix channel user -> {found, info, nodes with no connection left here...} */
export const REMOVE_USER = new Script(`${PRELUDE}
local ch, user = ARGV[2], ARGV[3]
local conns = redis.call('HGETALL', base(ch) .. 'u/' .. part(user))
local out = {0, ''}
for i = 1, #conns, 2 do
  local info, nodeGone = drop(ch, user, conns[i], conns[i + 1])
  if info then out[1], out[2] = 1, info end
  if nodeGone then out[#out + 1] = conns[i + 1] end
end
return out
`);

/** KEYS pr/{channel}/m; ARGV prefix channel -> {user, info, ...} in join order */
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
 * A page in join order: KEYS pr/{channel}/m; ARGV prefix channel after limit -> {count, next, (user, info)...}. `after`
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
 * A dead node's connections in one channel, up to a budget: KEYS pr/{channel}/m; ARGV prefix
 * channel node budget -> {done (1|0), removed, (user, info)...}. `done` says the node has none
 * left there.
 */
export const SWEEP_CHANNEL = new Script(`${PRELUDE}
local ch, node, budget = ARGV[2], ARGV[3], tonumber(ARGV[4])
local conns = redis.call('HGETALL', base(ch) .. 'n/' .. part(node))
local out = {1, 0}
for i = 1, #conns, 2 do
  if out[2] >= budget then
    out[1] = 0
    break
  end
  local info = drop(ch, conns[i + 1], conns[i], node)
  out[2] = out[2] + 1
  if info then
    out[#out + 1] = conns[i + 1]
    out[#out + 1] = info
  end
end
return out
`);

const NOW = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * The heartbeat: KEYS nodes; ARGV node ttl sweep(0|1) -> {wasMissing, dead nodes... (at most 16,
 * when asked)}. `wasMissing` tells a node it had been swept (or never registered), so it must
 * put its own connections back.
 */
export const TICK = new Script(`${NOW}
local node, ttl = ARGV[1], tonumber(ARGV[2])
local now = now_ms()
local missing = not redis.call('ZSCORE', KEYS[1], node)
redis.call('ZADD', KEYS[1], now + ttl, node)
local out = {missing and 1 or 0}
if ARGV[3] == '1' then
  for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 16)) do out[#out + 1] = dead end
end
return out
`);

/** A swept node leaves the heartbeats, unless it beat again meanwhile: KEYS nodes; ARGV node force(0|1) */
export const FORGET_NODE = new Script(`${NOW}
local deadline = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '-1')
if ARGV[2] == '1' or deadline <= now_ms() then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`);

export const PRESENCE_SCRIPTS = [ADD, REMOVE, REMOVE_USER, MEMBERS, PAGE, SWEEP_CHANNEL, TICK, FORGET_NODE];
