-- ODM.QUERY dest M meta field lookup value [lookup value ...]   (stdnet 0.8 key layout; see ODM.md)
--
-- Adds to dest (a set, or a zset with the idset scores for sorted models) the live ids whose field
-- matches any of the equality lookups (value, set) and all of the range lookups (gt ge lt le
-- startswith endswith contains istartswith iendswith icontains). Without range lookups the matches
-- are added to dest; with range lookups dest is replaced by the matches. Everything is read before
-- dest is written.
--
-- Called as: EVALSHA sha 2 B dest prefix meta field lookup value [lookup value ...]
--   KEYS[1]  B = namespace prefix .. M;  KEYS[2] dest (namespaced)
--   ARGV[1]  the namespace prefix: put before the key of every `set` lookup and before every
--            related model key of a range lookup's `nested` list
--   ARGV[2]  meta (JSON), ARGV[3] field, ARGV[4...] lookup/value pairs
-- Reply: the cardinality of dest (integer).
-- Errors (nothing written): "ERR ODM ..." for bad arguments; "ERR ODM Cannot query on field
--   "<field>". Not an index." for an equality lookup on a field that is neither the id nor indexed.

-- #include odm_prelude.lua

local NUMERIC = {
  gt = function(v, x) return v > x end,
  ge = function(v, x) return v >= x end,
  lt = function(v, x) return v < x end,
  le = function(v, x) return v <= x end,
}
-- Plain substring tests (never patterns); the i* forms compare lower-cased texts.
local TEXT = {
  startswith = function(v, x) return string.sub(v, 1, #x) == x end,
  endswith = function(v, x) return #x == 0 or string.sub(v, -#x) == x end,
  contains = function(v, x) return string.find(v, x, 1, true) ~= nil end,
}

local function main()
  if #KEYS ~= 2 then fail('QUERY takes exactly 2 keys (the model base key and dest)') end
  if #ARGV < 5 or (#ARGV - 3) % 2 ~= 0 then
    fail('wrong number of arguments for ODM.QUERY: expected field and lookup/value pairs')
  end
  local B, dest, meta = model_args()
  local field = ARGV[3]
  local sorted = meta.sorted
  local is_id = field == meta.id_name

  -- Parse every lookup first.
  local equals, ranges = {}, {}
  for i = 4, #ARGV, 2 do
    local lookup, value = ARGV[i], ARGV[i + 1]
    if lookup == 'value' then
      table.insert(equals, {value = value})
    elseif lookup == 'set' then
      table.insert(equals, {key = prefix .. value})
    else
      local base, lower = lookup, false
      if not NUMERIC[base] and not TEXT[base] and string.sub(base, 1, 1) == 'i'
          and TEXT[string.sub(base, 2)] then
        base, lower = string.sub(base, 2), true
      end
      if not NUMERIC[base] and not TEXT[base] then
        fail('unknown lookup "' .. lookup .. '" (value set gt ge lt le startswith endswith '
          .. 'contains istartswith iendswith icontains)')
      end
      local ok, j = pcall(cjson.decode, value)
      if not ok or not is_array(j) or #j < 1 or #j > 2 then
        fail('lookup ' .. lookup .. ': value must be JSON [operand, nested]')
      end
      local operand, nested = j[1], j[2]
      if is_null(nested) then nested = {} end
      if not is_array(nested) or #nested % 2 ~= 0 then
        fail('lookup ' .. lookup .. ': nested must be an array [fk_attname, related_M, ...]')
      end
      local chain = {}
      for n, name in ipairs(nested) do
        if type(name) ~= 'string' or name == '' then
          fail('lookup ' .. lookup .. ': nested must hold non-empty names')
        end
        if n % 2 == 0 then name = prefix .. name end
        chain[n] = name
      end
      local range = {nested = chain, sig = table.concat(nested, '\0')}
      if NUMERIC[base] then
        local x = tonumber(operand)
        if (type(operand) ~= 'number' and type(operand) ~= 'string') or x == nil or x ~= x then
          fail('lookup ' .. lookup .. ': operand must be a number')
        end
        range.test = NUMERIC[base]
        range.operand = x
        range.numeric = true
      else
        if type(operand) == 'number' then
          operand = tostring(operand)
        elseif type(operand) ~= 'string' then
          fail('lookup ' .. lookup .. ': operand must be a string')
        end
        if lower then operand = string.lower(operand) end
        range.test = TEXT[base]
        range.operand = operand
        range.lower = lower
      end
      table.insert(ranges, range)
    end
  end
  if #equals > 0 and not is_id and meta.unique[field] == nil then
    fail('Cannot query on field "' .. field .. '". Not an index.')
  end

  local idset = B .. ':id'
  local set_type = sorted and 'zset' or 'set'
  local t = redis.call('TYPE', idset).ok
  if t ~= 'none' and t ~= set_type then
    fail('"' .. short(idset) .. '" holds a ' .. t .. ' but meta says the model is '
      .. (sorted and 'sorted' or 'not sorted'))
  end
  if #ranges == 0 then
    t = redis.call('TYPE', dest).ok
    if t ~= 'none' and t ~= set_type then
      fail('dest "' .. short(dest) .. '" holds a ' .. t .. ', expected a ' .. set_type)
    end
  end

  -- The matches: id -> idset score (true for unsorted models), and their order.
  local score_of, order = {}, {}
  local function add(id, score)
    if score_of[id] == nil then
      score_of[id] = score
      table.insert(order, id)
    end
  end
  local function add_if_live(id)
    if not id then return end
    if sorted then
      local s = redis.call('ZSCORE', idset, id)
      if s then add(id, s) end
    elseif redis.call('SISMEMBER', idset, id) == 1 then
      add(id, true)
    end
  end
  -- The live ids of a non-unique index entry, with their idset scores (never summed).
  local function add_index(value)
    local key = B .. ':idx:' .. field .. ':' .. value
    if sorted then
      local r = redis.call('ZINTER', 2, idset, key, 'WEIGHTS', 1, 0, 'WITHSCORES')
      for i = 1, #r, 2 do add(r[i], r[i + 1]) end
    else
      for _, id in ipairs(redis.call('SINTER', key, idset)) do add(id, true) end
    end
  end
  local function add_value(v)
    if is_id then
      add_if_live(v)
    elseif meta.unique[field] then
      add_if_live(redis.call('HGET', B .. ':uni:' .. field, v))
    else
      add_index(v)
    end
  end
  for _, eq in ipairs(equals) do
    if eq.key then
      local seen = {}
      for _, v in ipairs(members(eq.key, 'set lookup key')) do
        if not seen[v] then
          seen[v] = true
          add_value(v)
        end
      end
    else
      add_value(eq.value)
    end
  end

  local result_scores, result = score_of, order
  if #ranges > 0 then
    local ids, scores = order, score_of
    if #equals == 0 then
      ids, scores = {}, {}
      if sorted then
        local r = redis.call('ZRANGE', idset, 0, -1, 'WITHSCORES')
        for i = 1, #r, 2 do
          table.insert(ids, r[i])
          scores[r[i]] = r[i + 1]
        end
      else
        ids = redis.call('SMEMBERS', idset)
      end
    end
    -- The value a range compares: the field of the instance, or of the instance reached through the
    -- foreign keys of nested; the id itself when field is the id field.
    local function value_of(id, chain)
      local key = B .. ':obj:' .. id
      local value = id
      for n = 1, #chain, 2 do
        value = redis.call('HGET', key, chain[n])
        if not value then return nil end
        key = chain[n + 1] .. ':obj:' .. value
      end
      if is_id then return value end
      return redis.call('HGET', key, field) or nil
    end
    result, result_scores = {}, {}
    for _, id in ipairs(ids) do
      local cache, ok = {}, true
      for _, range in ipairs(ranges) do
        local v = cache[range.sig]
        if v == nil then
          v = value_of(id, range.nested) or false
          cache[range.sig] = v
        end
        if v == false then
          ok = false
        elseif range.numeric then
          local x = tonumber(v)
          ok = x ~= nil and range.test(x, range.operand)
        elseif range.lower then
          ok = range.test(string.lower(v), range.operand)
        else
          ok = range.test(v, range.operand)
        end
        if not ok then break end
      end
      if ok then
        table.insert(result, id)
        result_scores[id] = scores[id] or true
      end
    end
    redis.call('DEL', dest)
  end

  -- Write dest.
  local batch = {}
  local function flush()
    if #batch > 0 then
      if sorted then
        redis.call('ZADD', dest, unpack(batch))
      else
        redis.call('SADD', dest, unpack(batch))
      end
      batch = {}
    end
  end
  for _, id in ipairs(result) do
    if sorted then table.insert(batch, result_scores[id]) end
    table.insert(batch, id)
    if #batch >= 1000 then flush() end
  end
  flush()
  if sorted then return redis.call('ZCARD', dest) end
  return redis.call('SCARD', dest)
end

return run(main)
