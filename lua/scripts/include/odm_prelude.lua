-- odm_prelude.lua: the helpers shared by the six ODM scripts (lua/scripts/odm_*.lua). Not a script:
-- the build puts this text in place of each script's `-- #include odm_prelude.lua` line (see
-- lua/README.md). Everything here is local (Redis 7 forbids globals); a script may leave any of it
-- unused. Expects ARGV[1] to be the namespace prefix, as in every ODM script.

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

-- The model description: see ODM.md section 2. Gives id_name, auto (id_type 1), sorted, autoincr
-- (sorted models only), multi_fields, unique {attname: unique} and indices (the attnames, sorted);
-- each script reads the members it needs.
local function parse_meta(text)
  local ok, m = pcall(cjson.decode, text)
  if not ok or not is_object(m) then fail('meta is not a JSON object') end
  local meta = {}
  if type(m.id_name) ~= 'string' or m.id_name == '' then
    fail('meta: "id_name" must be a non-empty string')
  end
  meta.id_name = m.id_name
  local t = m.id_type
  if type(t) ~= 'number' or (t ~= 1 and t ~= 2 and t ~= 3) then
    fail('meta: "id_type" must be 1 (auto-increment ids) or 3 (any other ids)')
  end
  meta.auto = t == 1
  for _, name in ipairs({'sorted', 'autoincr'}) do
    local v = m[name]
    if is_null(v) then
      v = false
    elseif type(v) ~= 'boolean' then
      fail('meta: "' .. name .. '" must be true, false or null')
    end
    meta[name] = v
  end
  meta.autoincr = meta.sorted and meta.autoincr
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

-- The checks that start ODM.QUERY, LOAD, DELETE and AGGREGATE (after their count checks): every key
-- is inside the namespace and KEYS[1] names a model. Returns KEYS[1] (B), KEYS[2] and the meta of
-- ARGV[2].
local function model_args()
  for i, k in ipairs(KEYS) do
    if string.sub(k, 1, #prefix) ~= prefix then fail('key ' .. i .. ' is outside the namespace') end
  end
  local B = KEYS[1]
  if #B == #prefix then fail('the model key is empty') end
  return B, KEYS[2], parse_meta(ARGV[2])
end

-- Runs main, turning what it raises into an error reply: "ERR ODM ..." from fail() as it is, a
-- Redis error (a table with err) as Redis gave it, anything else as "ERR ODM internal error: ...".
-- A script ends with `return run(main)`.
local function run(main)
  local ok, res = pcall(main)
  if ok then return res end
  if type(res) == 'table' then res = res.err end
  res = tostring(res)
  if not string.match(res, '^[A-Z][A-Z_-]* ') then res = 'ERR ODM internal error: ' .. res end
  return redis.error_reply(res)
end
