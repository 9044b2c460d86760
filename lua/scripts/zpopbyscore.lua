-- ZPOPBYSCORE key min [max] [REV] [WITHSCORES] [LIMIT offset count]
--
-- Removes and returns the members with min <= score <= max. Bounds as in ZRANGE ... BYSCORE: a leading
-- '(' makes a bound exclusive, -inf and +inf are accepted; max defaults to min. The bounds are always
-- given as min max: REV only returns the members highest score first, and LIMIT offset count selects
-- in that order. The removed members are exactly the returned ones.
--
-- Called as: EVALSHA sha 1 key min [max] [REV] [WITHSCORES] [LIMIT offset count]
--   KEYS[1]  the (namespaced) sorted set
--   ARGV     the user's arguments after the key: ARGV[1] min; ARGV[2] max unless it is an option;
--            then the options REV, WITHSCORES and LIMIT offset count, in any order, case-insensitive
--            (a repeated LIMIT: the last one counts, as in Redis).
-- Reply: an array of the removed members in score order (highest first with REV); with WITHSCORES
--   member, score, member, score... (scores as bulk strings, as ZRANGE ... WITHSCORES gives them in RESP2),
--   whatever the protocol. A missing key or an empty range: an empty array.
-- Errors (nothing is written): wrong number of arguments, syntax error (unknown option, LIMIT without
--   offset and count), "min or max is not a float", "value is not an integer or out of range"
--   (LIMIT offset/count), WRONGTYPE.

local function err(msg)
  return redis.error_reply(msg)
end

if #KEYS ~= 1 or #ARGV < 1 then
  return err("ERR wrong number of arguments for 'zpopbyscore' command")
end

local min, max = ARGV[1], ARGV[1]
local rev, withscores, limit = false, false, nil
local i = 2
while i <= #ARGV do
  local opt = string.upper(ARGV[i])
  if opt == 'REV' then
    rev = true
  elseif opt == 'WITHSCORES' then
    withscores = true
  elseif opt == 'LIMIT' then
    if i + 2 > #ARGV then
      return err("ERR syntax error")
    end
    limit = {ARGV[i + 1], ARGV[i + 2]}
    i = i + 2
  elseif i == 2 then
    max = ARGV[i]
  else
    return err("ERR syntax error")
  end
  i = i + 1
end

-- ZRANGE ... BYSCORE parses the bounds and LIMIT exactly as Redis does and checks the type; it writes
-- nothing, so any error it reports is returned before the removal. With REV it takes max first.
local args = {'ZRANGE', KEYS[1]}
if rev then
  args[3], args[4], args[5] = max, min, 'REV'
else
  args[3], args[4] = min, max
end
args[#args + 1] = 'BYSCORE'
if limit then
  args[#args + 1] = 'LIMIT'
  args[#args + 1] = limit[1]
  args[#args + 1] = limit[2]
end
if withscores then args[#args + 1] = 'WITHSCORES' end
local range = redis.pcall(unpack(args))
if type(range) == 'table' and range.err then
  return range
end

-- ZREM in bounded batches (Lua's unpack has a stack limit).
local step = withscores and 2 or 1
local batch = {}
for j = 1, #range, step do
  batch[#batch + 1] = range[j]
  if #batch == 1000 then
    redis.call('ZREM', KEYS[1], unpack(batch))
    batch = {}
  end
end
if #batch > 0 then
  redis.call('ZREM', KEYS[1], unpack(batch))
end
return range
