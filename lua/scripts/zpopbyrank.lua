-- ZPOPBYRANK key start [stop] [REV] [WITHSCORES]
--
-- Removes and returns the members of the sorted set at rank start..stop (inclusive; negative ranks
-- count from the end, as in ZRANGE; stop defaults to start). With REV the ranks count from the highest
-- score and the members come highest first, as ZRANGE ... REV returns them.
--
-- Called as: EVALSHA sha 1 key start [stop] [REV] [WITHSCORES]
--   KEYS[1]  the (namespaced) sorted set
--   ARGV     the user's arguments after the key: ARGV[1] start; ARGV[2] stop unless it is an option;
--            then the options REV and WITHSCORES, in any order, case-insensitive.
-- Reply: an array of the removed members in rank order; with WITHSCORES member, score, member, score...
--   (scores as bulk strings, as ZRANGE ... WITHSCORES gives them in RESP2), whatever the protocol.
--   A missing key or an empty range: an empty array.
-- Errors (nothing is written): wrong number of arguments, syntax error (unknown option),
--   "value is not an integer or out of range" (start/stop), WRONGTYPE.

local function err(msg)
  return redis.error_reply(msg)
end

if #KEYS ~= 1 or #ARGV < 1 then
  return err("ERR wrong number of arguments for 'zpopbyrank' command")
end

local start, stop = ARGV[1], ARGV[1]
local rev, withscores = false, false
for i = 2, #ARGV do
  local opt = string.upper(ARGV[i])
  if opt == 'REV' then
    rev = true
  elseif opt == 'WITHSCORES' then
    withscores = true
  elseif i == 2 then
    stop = ARGV[i]
  else
    return err("ERR syntax error")
  end
end

-- ZRANGE parses start and stop exactly as Redis does and checks the type; it writes nothing, so any
-- error it reports is returned before the removal.
local args = {'ZRANGE', KEYS[1], start, stop}
if rev then args[#args + 1] = 'REV' end
if withscores then args[#args + 1] = 'WITHSCORES' end
local range = redis.pcall(unpack(args))
if type(range) == 'table' and range.err then
  return range
end

-- ZREM in bounded batches (Lua's unpack has a stack limit).
local step = withscores and 2 or 1
local batch = {}
for i = 1, #range, step do
  batch[#batch + 1] = range[i]
  if #batch == 1000 then
    redis.call('ZREM', KEYS[1], unpack(batch))
    batch = {}
  end
end
if #batch > 0 then
  redis.call('ZREM', KEYS[1], unpack(batch))
end
return range
