-- ODM.DELETE key M meta   (stdnet 0.8 key layout; see /work/shared/ODM.md and odm/PROTOCOL.md)
--
-- Deletes every instance whose id is in key: its index entries, hash, idset entry and structure
-- keys (meta.multi_fields). A unique mapping is removed only when it points at the deleted id.
-- Every key is read and type-checked before anything is deleted.
--
-- Called as: EVALSHA sha 2 B key prefix meta
--   KEYS[1]  B = namespace prefix .. M;  KEYS[2] key (namespaced): the ids (set, zset, list or
--   hash)
--   ARGV[1]  the namespace prefix, ARGV[2] meta (JSON)
-- Reply: the ids whose hash existed, as bulk strings, in key's order.
-- Errors (nothing deleted): "ERR ODM ..." for bad arguments or keys of the model holding a wrong
-- type.

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
  meta.multi_fields = {}
  if not is_null(m.multi_fields) then
    if not is_array(m.multi_fields) then fail('meta: "multi_fields" must be an array of names') end
    for _, f in ipairs(m.multi_fields) do
      if type(f) ~= 'string' or f == '' then
        fail('meta: "multi_fields" must be an array of names')
      end
      table.insert(meta.multi_fields, f)
    end
  end
  if is_null(m.indices) or not is_object(m.indices) then
    fail('meta: "indices" must be an object {attname: unique}')
  end
  meta.unique, meta.indices = {}, {}
  for f, u in pairs(m.indices) do
    if not is_null(u) then
      if type(u) ~= 'boolean' then fail('meta: "indices" values must be true (unique) or false') end
      meta.unique[f] = u
      table.insert(meta.indices, f)
    end
  end
  table.sort(meta.indices)
  return meta
end

-- The members of key: a set, zset, list or the field names of a hash.
local function members(key, what)
  local t = redis.call('TYPE', key).ok
  if t == 'set' then return redis.call('SMEMBERS', key) end
  if t == 'zset' then return redis.call('ZRANGE', key, 0, -1) end
  if t == 'list' then return redis.call('LRANGE', key, 0, -1) end
  if t == 'hash' then return redis.call('HKEYS', key) end
  if t == 'none' then return {} end
  fail(what .. ' "' .. short(key) .. '" holds a ' .. t .. ', not a set, sorted set, list or hash')
end

local function main()
  if #KEYS ~= 2 then fail('DELETE takes exactly 2 keys (the model base key and the ids key)') end
  if #ARGV ~= 2 then fail('wrong number of arguments for ODM.DELETE: expected meta') end
  for i, k in ipairs(KEYS) do
    if string.sub(k, 1, #prefix) ~= prefix then fail('key ' .. i .. ' is outside the namespace') end
  end
  local B, key = KEYS[1], KEYS[2]
  if #B == #prefix then fail('the model key is empty') end
  local meta = parse_meta(ARGV[2])
  local sorted = meta.sorted
  local set_type = sorted and 'zset' or 'set'
  local idset = B .. ':id'

  local types = {}
  local function check(k, want)
    local t = types[k]
    if not t then
      t = redis.call('TYPE', k).ok
      types[k] = t
    end
    if t ~= 'none' and t ~= want then
      fail('key "' .. short(k) .. '" holds a ' .. t .. ', expected a ' .. want)
    end
  end
  check(idset, set_type)

  -- Read and check everything.
  local plan, seen = {}, {}
  for _, id in ipairs(members(key, 'key')) do
    if not seen[id] then
      seen[id] = true
      local okey = B .. ':obj:' .. id
      check(okey, 'hash')
      local values = {}
      local flat = redis.call('HGETALL', okey)
      for i = 1, #flat, 2 do values[flat[i]] = flat[i + 1] end
      local entry = {id = id, key = okey, exists = #flat > 0, unique = {}}
      for _, f in ipairs(meta.indices) do
        local v = values[f]
        if meta.unique[f] then
          local ukey = B .. ':uni:' .. f
          check(ukey, 'hash')
          if v ~= nil and redis.call('HGET', ukey, v) == id then
            table.insert(entry.unique, {ukey, v})
          end
        else
          local ikey = B .. ':idx:' .. f .. ':' .. (v or '')
          check(ikey, set_type)
          table.insert(entry, ikey)
        end
      end
      table.insert(plan, entry)
    end
  end

  -- Delete.
  local deleted = {}
  for _, entry in ipairs(plan) do
    local id = entry.id
    for _, u in ipairs(entry.unique) do redis.call('HDEL', u[1], u[2]) end
    for _, ikey in ipairs(entry) do
      if sorted then redis.call('ZREM', ikey, id) else redis.call('SREM', ikey, id) end
    end
    if entry.exists then
      redis.call('DEL', entry.key)
      table.insert(deleted, id)
    end
    if sorted then redis.call('ZREM', idset, id) else redis.call('SREM', idset, id) end
    for _, mf in ipairs(meta.multi_fields) do redis.call('DEL', entry.key .. ':' .. mf) end
  end
  return deleted
end

local ok, res = pcall(main)
if ok then return res end
if type(res) == 'table' then res = res.err end
res = tostring(res)
if not string.match(res, '^[A-Z][A-Z_-]* ') then res = 'ERR ODM internal error: ' .. res end
return redis.error_reply(res)
