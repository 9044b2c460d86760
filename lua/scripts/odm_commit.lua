-- ODM.COMMIT M meta num record...   (stdnet 0.8 key layout; see /work/shared/ODM.md and
-- odm/PROTOCOL.md)
--
-- Stores model instances. Each record is: action prev_id id score n field1 value1 ... (n counts
-- both halves). action: add | override | update. Per record, in order: remove the instance's old
-- index entries, write the hash, add the id to the idset, add the index entries (attnames sorted by
-- name). Every check of a record (unique constraints, key types, the auto-id counter) is done
-- before the record writes anything, so a failed record leaves no trace; the other records still
-- commit.
--
-- Called as: EVALSHA sha 1 B prefix meta num record...
--   KEYS[1]  B = namespace prefix .. M (the model's base key)
--   ARGV[1]  the namespace prefix (the full one the proxy puts before every key)
--   ARGV[2]  meta (JSON), ARGV[3] num, ARGV[4...] the records
-- Reply: one array per record: [id, 1, score] on success, [id, 0, message] on failure. id is an
--   integer for auto-id models (id_type 1), a bulk string otherwise; it is the empty string when a
--   new auto id was taken back or a custom-id record had no id. score is the score text sent, or
--   for autoincr models the result of ZINCRBY.
-- Errors (nothing written): "ERR ODM ..." for bad arguments: meta, counts, actions, numbers.

-- #include odm_prelude.lua

-- A score as ZADD/ZINCRBY accept it (decimal or inf), never NaN: checked here so that no Redis
-- command can fail half-way through a record.
local function is_score(s)
  local l = string.lower(s)
  if l == 'inf' or l == '+inf' or l == '-inf' or l == 'infinity' or l == '+infinity'
      or l == '-infinity' then
    return true
  end
  local body = string.match(s, '^[+-]?([%d%.]+)$')
  if not body then body = string.match(s, '^[+-]?([%d%.]+)[eE][+-]?%d+$') end
  if not body then return false end
  if not (string.match(body, '^%d+%.?%d*$') or string.match(body, '^%.%d+$')) then return false end
  local v = tonumber(s)
  if v == nil or v ~= v or v == math.huge or v == -math.huge then return false end
  if v == 0 and string.match(body, '[1-9]') then return false end -- underflow
  return true
end

-- Auto-increment ids: integers written without exponent and leading zeros, |id| <= 2^53 (exact in
-- Lua).
local MAX_ID = 9007199254740992
local function canonical_int(s)
  local sign, digits = string.match(s, '^(%-?)(%d+)$')
  if not digits then return nil end
  digits = string.gsub(digits, '^0+', '')
  if digits == '' then return '0' end
  if #digits > 16 or (#digits == 16 and digits > '9007199254740992') then return nil end
  return sign .. digits
end

local function main()
  if #KEYS ~= 1 then fail('COMMIT takes exactly 1 key (the model base key)') end
  if #ARGV < 3 then fail('wrong number of arguments for ODM.COMMIT') end
  local B = KEYS[1]
  if #B <= #prefix or string.sub(B, 1, #prefix) ~= prefix then
    fail('the model key is empty or outside the namespace')
  end
  local meta = parse_meta(ARGV[2])
  local sorted, autoincr, auto = meta.sorted, meta.autoincr, meta.auto
  local num = ARGV[3]
  if not string.match(num, '^%d+$') then
    fail('num must be a non-negative integer, got "' .. num .. '"')
  end
  num = tonumber(num)

  -- Parse and validate every record before anything is written.
  local records = {}
  local p = 4
  for r = 1, num do
    if p + 4 > #ARGV then
      fail('record ' .. r .. ' of ' .. num .. ' is incomplete: expected action prev_id id score n')
    end
    local rec = {action = ARGV[p], prev_id = ARGV[p + 1], id = ARGV[p + 2], score = ARGV[p + 3]}
    local n = ARGV[p + 4]
    if rec.action ~= 'add' and rec.action ~= 'override' and rec.action ~= 'update' then
      fail('record ' .. r .. ': action must be add, override or update, got "' .. rec.action .. '"')
    end
    if not string.match(n, '^%d+$') or tonumber(n) % 2 ~= 0 then
      fail('record ' .. r .. ': n must be an even non-negative integer (field/value count), got "'
        .. n .. '"')
    end
    n = tonumber(n)
    p = p + 5
    if p + n - 1 > #ARGV then
      fail('record ' .. r .. ': n is ' .. n .. ' but only ' .. (#ARGV - p + 1)
        .. ' arguments follow')
    end
    if auto then
      if rec.id ~= '' then
        local c = canonical_int(rec.id)
        if not c then
          fail('record ' .. r .. ': id "' .. rec.id
            .. '" is not an integer (auto-id model, |id| <= 2^53)')
        end
        rec.id = c
      end
      rec.prev_id = canonical_int(rec.prev_id) or rec.prev_id
    end
    if sorted and not is_score(rec.score) then
      fail('record ' .. r .. ': score "' .. rec.score .. '" is not a number')
    end
    local data, map = {}, {}
    for i = p, p + n - 1, 2 do
      table.insert(data, ARGV[i])
      table.insert(data, ARGV[i + 1])
      map[ARGV[i]] = ARGV[i + 1]
    end
    rec.data, rec.map = data, map
    p = p + n
    records[r] = rec
  end
  if p <= #ARGV then
    fail((#ARGV - p + 1) .. ' arguments left over after ' .. num .. ' records')
  end

  local idset, ids_key = B .. ':id', B .. ':ids'
  local idset_type = redis.call('TYPE', idset).ok
  if idset_type ~= 'none' and idset_type ~= (sorted and 'zset' or 'set') then
    fail('"' .. short(idset) .. '" holds a ' .. idset_type .. ' but meta says the model is '
      .. (sorted and 'sorted' or 'not sorted'))
  end

  local function obj_key(id) return B .. ':obj:' .. id end
  local function idx_key(f, v) return B .. ':idx:' .. f .. ':' .. (v or '') end
  local function uni_key(f) return B .. ':uni:' .. f end
  local set_type = sorted and 'zset' or 'set'

  -- Key types, cached for the call. Our own writes only ever move a key between 'none' and the type
  -- it is checked against, so the cache never lets a wrong type through.
  local types = {}
  local function type_error(key, want)
    local t = types[key]
    if not t then
      t = redis.call('TYPE', key).ok
      types[key] = t
    end
    if t ~= 'none' and t ~= want then
      return 'key "' .. short(key) .. '" holds a ' .. t .. ', expected a ' .. want
    end
  end

  local function is_live(id)
    if sorted then return redis.call('ZSCORE', idset, id) ~= false end
    return redis.call('SISMEMBER', idset, id) == 1
  end

  local function hgetall(key)
    local flat = redis.call('HGETALL', key)
    local map = {}
    for i = 1, #flat, 2 do map[flat[i]] = flat[i + 1] end
    return map, flat
  end

  local function hset(key, flat)
    for i = 1, #flat, 1000 do
      redis.call('HSET', key, unpack(flat, i, math.min(i + 999, #flat)))
    end
  end

  -- Remove the index entries of instance id, whose hash content is map.
  local function remove_indices(id, map)
    for _, f in ipairs(meta.indices) do
      local v = map[f]
      if meta.unique[f] then
        if v ~= nil and redis.call('HGET', uni_key(f), v) == id then
          redis.call('HDEL', uni_key(f), v)
        end
      elseif sorted then
        redis.call('ZREM', idx_key(f, v), id)
      else
        redis.call('SREM', idx_key(f, v), id)
      end
    end
  end

  local function commit(rec)
    local action, prev_id, id, score = rec.action, rec.prev_id, rec.id, rec.score
    local created, counter, has_counter = false, nil, false
    if auto then
      local err = type_error(ids_key, 'string')
      local c = redis.call('GET', ids_key)
      -- INCR accepts no leading zeros, signs on 0 or spaces: check what it will see.
      if c and canonical_int(c) == c then counter = tonumber(c) end
      if err or (c and not counter) then
        return {id == '' and '' or tonumber(id), 0,
          err or ('the auto-id counter "' .. short(ids_key) .. '" is not an integer')}
      end
      has_counter = c ~= false
      counter = counter or 0
      if id == '' then
        if counter + 1 > MAX_ID then return {'', 0, 'auto-id counter exhausted (2^53)'} end
        id = string.format('%.0f', counter + 1)
        created = true
      end
    elseif id == '' then
      return {'', 0, 'Id not available. Cannot commit.'}
    end
    local reply_id = id
    if auto then reply_id = tonumber(id) end
    local function failure(msg)
      if created then return {'', 0, msg} end
      return {reply_id, 0, msg}
    end
    if prev_id == '' then
      prev_id = id
      action = 'add'
    end
    local moving = prev_id ~= id

    -- Checks (reads only).
    local err = type_error(obj_key(prev_id), 'hash') or type_error(obj_key(id), 'hash')
    if err then return failure(err) end
    local old, old_flat = hgetall(obj_key(prev_id))
    local old_exists = next(old) ~= nil or is_live(prev_id)
    local target, target_exists = {}, false
    if moving then
      target = hgetall(obj_key(id))
      target_exists = next(target) ~= nil or is_live(id)
    end
    local newv = {}
    for _, f in ipairs(meta.indices) do
      local v = rec.map[f]
      if v == nil and action == 'update' then v = old[f] end
      newv[f] = v
      if meta.unique[f] then
        err = type_error(uni_key(f), 'hash')
        if err then return failure(err) end
        if v ~= nil then
          local mapped = redis.call('HGET', uni_key(f), v)
          if mapped and mapped ~= id and mapped ~= prev_id and is_live(mapped) then
            return failure('Unique constraint "' .. f .. '" violated: "' .. v
              .. '" is already in database.')
          end
        end
      else
        err = type_error(idx_key(f, v), set_type)
          or (old_exists and type_error(idx_key(f, old[f]), set_type))
          or (target_exists and type_error(idx_key(f, target[f]), set_type))
        if err then return failure(err) end
      end
    end
    if autoincr then
      local cur = redis.call('ZSCORE', idset, id)
      local s = tonumber(cur or '0') + tonumber(score)
      if s ~= s then
        return failure('score "' .. score .. '" added to ' .. cur .. ' is not a number')
      end
    end

    -- Writes.
    if old_exists then remove_indices(prev_id, old) end
    if moving and target_exists then remove_indices(id, target) end
    if moving then
      local flat = {}
      if action == 'update' then
        for _, x in ipairs(old_flat) do table.insert(flat, x) end
      end
      for _, x in ipairs(rec.data) do table.insert(flat, x) end
      if next(old) ~= nil then redis.call('DEL', obj_key(prev_id)) end
      if next(target) ~= nil then redis.call('DEL', obj_key(id)) end
      hset(obj_key(id), flat)
    else
      if action ~= 'update' and next(old) ~= nil then redis.call('DEL', obj_key(id)) end
      hset(obj_key(id), rec.data)
    end
    if moving then
      if sorted then redis.call('ZREM', idset, prev_id) else redis.call('SREM', idset, prev_id) end
    end
    if autoincr then
      score = redis.call('ZINCRBY', idset, score, id)
    elseif sorted then
      redis.call('ZADD', idset, score, id)
    else
      redis.call('SADD', idset, id)
    end
    for _, f in ipairs(meta.indices) do
      local v = newv[f]
      if meta.unique[f] then
        if v ~= nil then redis.call('HSET', uni_key(f), v, id) end
      elseif sorted then
        redis.call('ZADD', idx_key(f, v), score, id)
      else
        redis.call('SADD', idx_key(f, v), id)
      end
    end
    if moving then
      for _, mf in ipairs(meta.multi_fields) do
        local src = obj_key(prev_id) .. ':' .. mf
        if redis.call('EXISTS', src) == 1 then
          redis.call('RENAME', src, obj_key(id) .. ':' .. mf)
        end
      end
    end
    if created then
      redis.call('INCR', ids_key)
    elseif auto and (not has_counter or tonumber(id) > counter) then
      -- as stdnet: an explicit id sets a missing counter, and raises a smaller one
      redis.call('SET', ids_key, id)
    end
    return {reply_id, 1, score}
  end

  local replies = {}
  for r = 1, num do
    replies[r] = commit(records[r])
  end
  return replies
end

return run(main)
