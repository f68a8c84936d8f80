import { MESSAGE_LUA } from "./message-lua.js";
import { Script } from "./script.js";

/**
 * One change, atomically: checks the target is a kept, live message, applies the change to its
 * state (the reaction set, the body in the log, the scrubbing of a delete), stores the entry at
 * the next seq and trims. KEYS and first ARGV as in MESSAGE_LUA, then
 * ARGV type(e|d|r|u) target by at headPrefix body reaction maxReactions
 * -> {"applied", entry} | {"unchanged" | "missing" | "deleted" | "full"}.
 * `headPrefix` is the entry's head JSON without its closing bracket, so the script adds a reaction's count.
 */
export const CHANGE = new Script(`${MESSAGE_LUA}
trim()
local kind, target, by, at = ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[8])
local entry, index = messageAt(tonumber(target))
if not entry then return {'missing'} end
local state = stateOf(target)
if state.d then return {'deleted'} end
local rx = ARGV[1] .. 'rx/' .. target
local count = nil
if kind == 'r' or kind == 'u' then
  local reaction, member = ARGV[11], ARGV[11] .. '\\n' .. by
  if type(state.r) ~= 'table' then state.r = {} end
  local found = nil
  for i, pair in ipairs(state.r) do if pair[1] == reaction then found = i end end
  if kind == 'r' then
    if redis.call('SISMEMBER', rx, member) == 1 then return {'unchanged'} end
    if not found then
      if #state.r >= tonumber(ARGV[12]) then return {'full'} end
      state.r[#state.r + 1] = {reaction, 0}
      found = #state.r
    end
    redis.call('SADD', rx, member)
    state.r[found][2] = state.r[found][2] + 1
    count = state.r[found][2]
  else
    if redis.call('SREM', rx, member) == 0 or not found then return {'unchanged'} end
    state.r[found][2] = state.r[found][2] - 1
    count = state.r[found][2]
    if count <= 0 then table.remove(state.r, found) end
  end
elseif kind == 'e' then
  redis.call('LSET', KEYS[2], index, withBody(entry, ARGV[10]))
  state.e = at
else
  -- A delete removes the body from the message and from every stored edit of it.
  redis.call('LSET', KEYS[2], index, withBody(entry, ''))
  local _, oldest = bounds()
  if type(state.E) == 'table' then
    for _, edit in ipairs(state.E) do
      local i = edit - oldest
      local stored = i >= 0 and redis.call('LINDEX', KEYS[2], i)
      if stored then redis.call('LSET', KEYS[2], i, withBody(stored, '')) end
    end
  end
  redis.call('DEL', rx)
  state.r, state.e, state.E = nil, nil, nil
  state.d = {by, at}
end
local head = ARGV[9] .. (count and (',' .. count) or '') .. ']'
local seq = push(kind, target, '', head, kind == 'e' and ARGV[10] or '')
state.v = tonumber(seq)
if kind == 'e' then
  if type(state.E) ~= 'table' then state.E = {} end
  state.E[#state.E + 1] = tonumber(seq)
end
redis.call('HSET', KEYS[5], target, cjson.encode(state))
local stored = redis.call('LINDEX', KEYS[2], -1)
trim()
if kind == 'r' then expire(rx) else expire() end
return {'applied', stored}
`);
