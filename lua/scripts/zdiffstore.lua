-- ZDIFFSTORE dst numkeys src key [key ...] WITHSCORES
--
-- dst gets src's members; for each later key, that key's score is subtracted from the members present
-- in it. After all subtractions, a member that was subtracted at least once and ends at exactly 0 is
-- removed; members that were 0 and never subtracted stay, negative results stay. inf - inf counts as 0
-- (as Redis's own aggregation does with inf + -inf), so such a member is removed. Plain sets are
-- accepted as inputs with score 1 for every member, as in Redis's ZDIFFSTORE. Every key is read before
-- dst is written, so dst may be src (in place) or any of the keys. A missing src deletes dst.
-- (Without WITHSCORES the proxy forwards Redis's own ZDIFFSTORE; called without it, this script does
-- the same.)
--
-- Called as: EVALSHA sha numkeys+1 dst src key... WITHSCORES
--   KEYS[1]  dst; KEYS[2] src; KEYS[3...] the keys to subtract (all namespaced)
--   ARGV     the user's arguments after the keys: WITHSCORES (case-insensitive), or nothing
-- Reply: the number of members in dst.
-- Errors (nothing is written): "at least 1 input key is needed", syntax error (anything but
--   WITHSCORES), WRONGTYPE (an input that is neither a sorted set nor a set).

local function err(msg)
  return redis.error_reply(msg)
end

if #KEYS < 2 then
  return err("ERR at least 1 input key is needed for 'zdiffstore' command")
end
local withscores = false
for i = 1, #ARGV do
  if string.upper(ARGV[i]) == 'WITHSCORES' then
    withscores = true
  else
    return err("ERR syntax error")
  end
end

local dst, src = KEYS[1], KEYS[2]
if not withscores then
  local sources = {}
  for i = 2, #KEYS do sources[#sources + 1] = KEYS[i] end
  return redis.pcall('ZDIFFSTORE', dst, #sources, unpack(sources))
end

-- Check every input's type before reading or writing anything.
local types = {}
for i = 2, #KEYS do
  local t = redis.call('TYPE', KEYS[i]).ok
  if t ~= 'zset' and t ~= 'set' and t ~= 'none' then
    return err("WRONGTYPE Operation against a key holding the wrong kind of value")
  end
  types[i] = t
end

local BATCH = 1000  -- arguments per call: Lua's unpack has a stack limit

if types[2] == 'none' then
  redis.call('DEL', dst)
  return 0
end

-- src: member -> score text (as stored, so an untouched score is copied exactly) and number.
local members, text, score = {}, {}, {}
if types[2] == 'zset' then
  local all = redis.call('ZRANGE', src, 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    local m = all[i]
    members[#members + 1] = m
    text[m] = all[i + 1]
    score[m] = tonumber(all[i + 1])
  end
else
  for _, m in ipairs(redis.call('SMEMBERS', src)) do
    members[#members + 1] = m
    text[m] = '1'
    score[m] = 1
  end
end

local subtracted = {}
local function subtract(m, s)
  local v = score[m] - s
  if v ~= v then v = 0 end  -- NaN (inf - inf)
  score[m] = v
  subtracted[m] = true
end

for i = 3, #KEYS do
  local key, t = KEYS[i], types[i]
  if t == 'zset' then
    if redis.call('ZCARD', key) <= #members then
      -- The key is the smaller side: walk it.
      local all = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
      for j = 1, #all, 2 do
        if score[all[j]] ~= nil then subtract(all[j], tonumber(all[j + 1])) end
      end
    else
      -- src is the smaller side: ask for its members' scores.
      for first = 1, #members, BATCH do
        local last = math.min(first + BATCH - 1, #members)
        local scores = redis.call('ZMSCORE', key, unpack(members, first, last))
        for j = first, last do
          local s = scores[j - first + 1]
          if s then subtract(members[j], tonumber(s)) end
        end
      end
    end
  elseif t == 'set' then
    if redis.call('SCARD', key) <= #members then
      for _, m in ipairs(redis.call('SMEMBERS', key)) do
        if score[m] ~= nil then subtract(m, 1) end
      end
    else
      for first = 1, #members, BATCH do
        local last = math.min(first + BATCH - 1, #members)
        local present = redis.call('SMISMEMBER', key, unpack(members, first, last))
        for j = first, last do
          if present[j - first + 1] == 1 then subtract(members[j], 1) end
        end
      end
    end
  end
end

redis.call('DEL', dst)
local count = 0
local args = {}
local function flush()
  if #args > 0 then
    redis.call('ZADD', dst, unpack(args))
    args = {}
  end
end
for _, m in ipairs(members) do
  if not (subtracted[m] and score[m] == 0) then
    args[#args + 1] = subtracted[m] and string.format('%.17g', score[m]) or text[m]
    args[#args + 1] = m
    count = count + 1
    if #args >= BATCH then flush() end
  end
end
flush()
return count
