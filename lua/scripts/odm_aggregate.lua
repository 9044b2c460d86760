-- ODM.AGGREGATE key M meta fk_attname   (stdnet 0.8 key layout; see ODM.md and odm/PROTOCOL.md)
--
-- For a self-referencing foreign key: adds to key, recursively, every live id whose fk_attname
-- points at an id already in key (its children, their children, ...). Cycles terminate. Used to
-- cascade deletes down a tree. The children of an id are read from the index of fk_attname:
-- B:idx:<fk>:<id> (or the unique mapping B:uni:<fk> when the foreign key is a unique index).
--
-- Called as: EVALSHA sha 2 B key prefix meta fk_attname
--   KEYS[1]  B = namespace prefix .. M;  KEYS[2] key (namespaced): a set (a zset for sorted models)
--   ARGV[1]  the namespace prefix, ARGV[2] meta (JSON), ARGV[3] fk_attname
-- Reply: nil. Ids are added with their idset score for sorted models.
-- Errors (nothing written): "ERR ODM ..." for bad arguments or a key of the wrong type.

local prefix = ARGV[1]

local function fail(msg)
  error('ERR ODM ' .. msg, 0)
end

local function is_null(v)
  return v == nil or v == cjson.null
end

local function is_array(v)
  if type(v) ~= 'table' then return false end
  local n = 0
  for k in pairs(v) do
    if type(k) ~= 'number' then return false end
    n = n + 1
  end
  return n == #v
end

local function is_object(v)
  if type(v) ~= 'table' then return false end
  for k in pairs(v) do
    if type(k) ~= 'string' then return false end
  end
  return true
end

local function short(key)
  return string.sub(key, #prefix + 1)
end

-- The model description: see ODM.md section 2.
local function parse_meta(text)
  local ok, m = pcall(cjson.decode, text)
  if not ok or not is_object(m) then fail('meta is not a JSON object') end
  local meta = {}
  if type(m.id_name) ~= 'string' or m.id_name == '' then
    fail('meta: "id_name" must be a non-empty string')
  end
  local t = m.id_type
  if type(t) ~= 'number' or (t ~= 1 and t ~= 2 and t ~= 3) then
    fail('meta: "id_type" must be 1 (auto-increment ids) or 3 (any other ids)')
  end
  for _, name in ipairs({'sorted', 'autoincr'}) do
    local v = m[name]
    if is_null(v) then
      v = false
    elseif type(v) ~= 'boolean' then
      fail('meta: "' .. name .. '" must be true, false or null')
    end
    meta[name] = v
  end
  if not is_null(m.multi_fields) then
    if not is_array(m.multi_fields) then fail('meta: "multi_fields" must be an array of names') end
    for _, f in ipairs(m.multi_fields) do
      if type(f) ~= 'string' or f == '' then
        fail('meta: "multi_fields" must be an array of names')
      end
    end
  end
  if is_null(m.indices) or not is_object(m.indices) then
    fail('meta: "indices" must be an object {attname: unique}')
  end
  meta.unique = {}
  for f, u in pairs(m.indices) do
    if not is_null(u) then
      if type(u) ~= 'boolean' then fail('meta: "indices" values must be true (unique) or false') end
      meta.unique[f] = u
    end
  end
  return meta
end

local function main()
  if #KEYS ~= 2 then fail('AGGREGATE takes exactly 2 keys (the model base key and the ids key)') end
  if #ARGV ~= 3 then
    fail('wrong number of arguments for ODM.AGGREGATE: expected meta and fk_attname')
  end
  for i, k in ipairs(KEYS) do
    if string.sub(k, 1, #prefix) ~= prefix then fail('key ' .. i .. ' is outside the namespace') end
  end
  local B, key = KEYS[1], KEYS[2]
  if #B == #prefix then fail('the model key is empty') end
  local meta = parse_meta(ARGV[2])
  local field = ARGV[3]
  if field == '' then fail('fk_attname must not be empty') end
  local sorted = meta.sorted
  local set_type = sorted and 'zset' or 'set'
  local idset = B .. ':id'
  for _, k in ipairs({idset, key}) do
    local t = redis.call('TYPE', k).ok
    if t ~= 'none' and t ~= set_type then
      fail('"' .. short(k) .. '" holds a ' .. t .. ', expected a ' .. set_type)
    end
  end

  local function children(id)
    if meta.unique[field] then
      local child = redis.call('HGET', B .. ':uni:' .. field, id)
      if child then return {child} end
      return {}
    end
    local ikey = B .. ':idx:' .. field .. ':' .. id
    local t = redis.call('TYPE', ikey).ok
    if t == 'set' then return redis.call('SMEMBERS', ikey) end
    if t == 'zset' then return redis.call('ZRANGE', ikey, 0, -1) end
    if t == 'none' then return {} end
    fail('key "' .. short(ikey) .. '" holds a ' .. t .. ', expected a ' .. set_type)
  end

  -- Breadth-first walk, all reads first.
  local queue
  if sorted then
    queue = redis.call('ZRANGE', key, 0, -1)
  else
    queue = redis.call('SMEMBERS', key)
  end
  local processed, in_key = {}, {}
  for _, id in ipairs(queue) do in_key[id] = true end
  local additions = {}
  local head = 1
  while head <= #queue do
    local id = queue[head]
    head = head + 1
    if not processed[id] then
      processed[id] = true
      for _, child in ipairs(children(id)) do
        if not in_key[child] then
          local score
          if sorted then
            score = redis.call('ZSCORE', idset, child)
          else
            score = redis.call('SISMEMBER', idset, child) == 1
          end
          if score then
            in_key[child] = true
            if sorted then table.insert(additions, score) end
            table.insert(additions, child)
          end
        end
        -- Like stdnet, the walk goes on through children that are not live.
        table.insert(queue, child)
      end
    end
  end
  for i = 1, #additions, 1000 do
    local last = math.min(i + 999, #additions)
    redis.call(sorted and 'ZADD' or 'SADD', key, unpack(additions, i, last))
  end
  return nil
end

local ok, res = pcall(main)
if ok then return res end
if type(res) == 'table' then res = res.err end
res = tostring(res)
if not string.match(res, '^[A-Z][A-Z_-]* ') then res = 'ERR ODM internal error: ' .. res end
return redis.error_reply(res)
