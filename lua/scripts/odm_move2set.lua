-- ODM.MOVE2SET s|z key [key ...]   (stdnet 0.8's move2set; see /work/shared/ODM.md and
-- odm/PROTOCOL.md)
--
-- Converts each key that is not already a set (s) or a sorted set (z) into one, in place: a set,
-- zset or list gives its members (a list loses duplicates and order), a hash its field names; zset
-- members get score 0. The key keeps its TTL (to the millisecond). A missing key counts as
-- converted and stays missing. A string or stream cannot be converted: the call is refused before
-- anything is written.
--
-- Called as: EVALSHA sha numkeys key... prefix s|z
--   KEYS     the keys (namespaced)
--   ARGV[1]  the namespace prefix (only used to check the keys and to name them in errors)
--   ARGV[2]  s or z
-- Reply: [number of keys, number converted].

-- #include odm_prelude.lua

local function main()
  if #ARGV ~= 2 then fail('wrong number of arguments for ODM.MOVE2SET: expected s|z and keys') end
  local kind = ARGV[2]
  if kind ~= 's' and kind ~= 'z' then fail('MOVE2SET: the first argument must be s or z') end
  local want = kind == 's' and 'set' or 'zset'
  local types = {}
  for i, k in ipairs(KEYS) do
    if string.sub(k, 1, #prefix) ~= prefix then fail('key ' .. i .. ' is outside the namespace') end
    local t = redis.call('TYPE', k).ok
    if t ~= 'none' and t ~= 'set' and t ~= 'zset' and t ~= 'list' and t ~= 'hash' then
      fail('MOVE2SET: "' .. string.sub(k, #prefix + 1) .. '" holds a ' .. t
        .. ', not a set, sorted set, list or hash')
    end
    types[i] = t
  end
  local moved = 0
  local done = {}
  for i, k in ipairs(KEYS) do
    local t = types[i]
    if done[k] then t = redis.call('TYPE', k).ok end -- a repeated key: as converted so far
    done[k] = true
    if t ~= want then
      moved = moved + 1
      if t ~= 'none' then
        local vals
        if t == 'set' then
          vals = redis.call('SMEMBERS', k)
        elseif t == 'zset' then
          vals = redis.call('ZRANGE', k, 0, -1)
        elseif t == 'list' then
          vals = redis.call('LRANGE', k, 0, -1)
        else
          vals = redis.call('HKEYS', k)
        end
        local ttl = redis.call('PTTL', k)
        redis.call('DEL', k)
        local batch = {}
        local function flush()
          if #batch > 0 then
            redis.call(kind == 's' and 'SADD' or 'ZADD', k, unpack(batch))
            batch = {}
          end
        end
        for _, m in ipairs(vals) do
          if kind == 'z' then table.insert(batch, 0) end
          table.insert(batch, m)
          if #batch >= 1000 then flush() end
        end
        flush()
        if ttl > 0 then redis.call('PEXPIRE', k, ttl) end
      end
    end
  end
  return {#KEYS, moved}
end

return run(main)
