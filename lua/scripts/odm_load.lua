-- ODM.LOAD key M meta options   (stdnet 0.8 key layout; see /work/shared/ODM.md and
-- odm/PROTOCOL.md)
--
-- Reads the instances whose ids are in key, in the order options asks for, with the fields it asks
-- for, and their related instances / structure fields.
--
-- Called as: EVALSHA sha 2 B key prefix meta options
--   KEYS[1]  B = namespace prefix .. M;  KEYS[2] key (namespaced): the ids (set/zset/list/hash)
--   ARGV[1]  the namespace prefix: put before every related model key (related[*].bk and the
--            related model keys of order.nested)
--   ARGV[2]  meta (JSON), ARGV[3] options (JSON object; every member optional, null = absent):
--            ordering ""|"ASC"|"DESC"|"explicit", start, stop, order {field, method, desc, nested},
--            fields [attname...], related {name: {field, type, bk, fields}}, get "field"
-- Reply: with get: the raw members of key. Otherwise [rows, related]:
--   rows: [[id, [f1, v1, ...]] ...] (all fields), [[id, [v1, v2, ...]] ...] (listed fields, missing
--   ones nil), or [id ...] (fields = [id_name]); related: one [name, items, fields] per related
--   entry, sorted by name.
-- An explicit sort through foreign keys writes scratch keys B:tmp:sort.<unique>:<id> that carry a
-- TTL (60 s) and are deleted before the reply, also when SORT fails.
-- Errors: "ERR ODM ..." for bad arguments; SORT's own errors (e.g. a numeric sort of non-numbers).

-- #include odm_prelude.lua

local SCRATCH_TTL_MS = 60000

local function opt_integer(v, name, default)
  if is_null(v) then return default end
  if type(v) ~= 'number' or v ~= v or v ~= math.floor(v) or v == math.huge or v == -math.huge then
    fail('options: "' .. name .. '" must be an integer')
  end
  return v
end

local function name_list(v, what)
  if is_null(v) then return {} end
  if not is_array(v) then fail(what .. ' must be an array of names') end
  for _, f in ipairs(v) do
    if type(f) ~= 'string' then fail(what .. ' must be an array of names') end
  end
  return v
end

-- SORT key BY ... [LIMIT start count] [ALPHA] [DESC], done in Lua with SORT's rules, for
-- connections whose ACL user may not use SORT BY (Redis 7 requires read access to all keys for it).
-- Numeric: a missing value is 0, a value strtod does not fully parse is an error, equal scores are
-- ordered by the elements. ALPHA: missing values first, strcoll order (Lua's string comparison),
-- equal values in no particular order, as in Redis.
local function sort_in_lua(key, start, stop, order, values, obj_key)
  local items = {}
  for i, id in ipairs(members(key, 'key')) do
    local v
    if values then v = values[id] else v = redis.call('HGET', obj_key(id), order.field) end
    local item = {id = id}
    if order.alpha then
      item.v = v or nil
    else
      local x = 0
      if v and v ~= '' then
        x = tonumber(v)
        local bad = x == nil or x ~= x or string.match(v, '%s$') ~= nil
        if not bad and (x == math.huge or x == -math.huge) then
          bad = not string.find(string.lower(v), 'inf', 1, true) -- overflow (ERANGE)
        end
        if bad then error("ERR One or more scores can't be converted into double", 0) end
      end
      item.x = x
    end
    items[i] = item
  end
  local less
  if order.alpha then
    less = function(a, b)
      if a.v == nil then return b.v ~= nil end
      if b.v == nil then return false end
      return a.v < b.v
    end
  else
    less = function(a, b)
      if a.x ~= b.x then return a.x < b.x end
      return a.id < b.id
    end
  end
  if order.desc then
    local asc = less
    less = function(a, b) return asc(b, a) end
  end
  table.sort(items, less)
  local first, last = 1, #items
  if start > 0 or stop > 0 then
    first = math.max(start, 0) + 1
    if stop > 0 then last = math.min(first + stop - 1, #items) end
  end
  local ids = {}
  for i = first, last do table.insert(ids, items[i].id) end
  return ids
end

local STRUCTURES = {list = true, set = true, zset = true, hash = true, string = true}

local function main()
  if #KEYS ~= 2 then fail('LOAD takes exactly 2 keys (the model base key and the ids key)') end
  if #ARGV ~= 3 then fail('wrong number of arguments for ODM.LOAD: expected meta and options') end
  local B, key, meta = model_args()
  local ok, o = pcall(cjson.decode, ARGV[3])
  if not ok then fail('options are not valid JSON') end
  if is_null(o) then o = {} end
  if not is_object(o) then fail('options must be a JSON object') end

  -- get: the raw members of key.
  if not is_null(o.get) then
    if type(o.get) ~= 'string' then fail('options: "get" must be a field name') end
    if o.get ~= '' then return members(key, 'key') end
  end

  -- Validate everything else before reading.
  local ordering = o.ordering
  if is_null(ordering) then ordering = '' end
  if ordering ~= '' and ordering ~= 'ASC' and ordering ~= 'DESC' and ordering ~= 'explicit' then
    fail('options: "ordering" must be "", "ASC", "DESC" or "explicit"')
  end
  local start = opt_integer(o.start, 'start', 0)
  local stop = opt_integer(o.stop, 'stop', -1)
  local order
  if ordering == 'explicit' then
    order = o.order
    if not is_object(order) then
      fail('options: "order" must be an object {field, method, desc, nested}')
    end
    if type(order.field) ~= 'string' then fail('options: "order.field" must be a string') end
    local method = order.method
    if is_null(method) then method = '' end
    if method ~= '' and method ~= 'ALPHA' then
      fail('options: "order.method" must be "ALPHA" or empty')
    end
    local desc = order.desc
    if is_null(desc) then desc = false end
    if type(desc) ~= 'boolean' then fail('options: "order.desc" must be true or false') end
    local nested = name_list(order.nested, 'options: "order.nested"')
    if #nested % 2 ~= 0 then
      fail('options: "order.nested" must be pairs [related_M, field, ...]')
    end
    for n, name in ipairs(nested) do
      if n % 2 == 1 and name == '' then fail('options: "order.nested" has an empty model key') end
    end
    if (#nested > 0 or order.field ~= '') and string.find(B, '*', 1, true) then
      fail('cannot sort by a field: the model key contains "*"')
    end
    order = {field = order.field, alpha = method == 'ALPHA', desc = desc, nested = nested}
  end
  local fields = name_list(o.fields, 'options: "fields"')
  local related = {}
  if not is_null(o.related) then
    if not is_object(o.related) then fail('options: "related" must be an object') end
    for name, rel in pairs(o.related) do
      local what = 'options: related "' .. name .. '"'
      if not is_object(rel) then fail(what .. ' must be an object {field, type, bk, fields}') end
      if type(rel.field) ~= 'string' or rel.field == '' then
        fail(what .. ': "field" must be a name')
      end
      local typ = rel.type
      if is_null(typ) then typ = '' end
      if type(typ) ~= 'string' or (typ ~= '' and not STRUCTURES[typ]) then
        fail(what .. ': "type" must be "" (foreign key), list, set, zset, hash or string')
      end
      local bk = rel.bk
      if typ == '' then
        if type(bk) ~= 'string' or bk == '' then
          fail(what .. ': "bk" must be the related model key')
        end
      end
      table.insert(related, {name = name, field = rel.field, type = typ, bk = bk,
        fields = name_list(rel.fields, what .. ': "fields"')})
    end
    table.sort(related, function(a, b) return a.name < b.name end)
  end

  local function obj_key(id) return B .. ':obj:' .. id end
  local t = redis.call('TYPE', key).ok

  -- The ids, in order.
  local ids
  if ordering == 'ASC' or ordering == 'DESC' then
    if t ~= 'zset' and t ~= 'none' then
      fail('ordering "' .. ordering .. '" needs a sorted set but "' .. short(key) .. '" holds a '
        .. t)
    end
    ids = redis.call(ordering == 'ASC' and 'ZRANGE' or 'ZREVRANGE', key, start, stop)
  elseif ordering == 'explicit' then
    if t ~= 'none' and t ~= 'set' and t ~= 'zset' and t ~= 'list' then
      fail('cannot sort "' .. short(key) .. '": it holds a ' .. t)
    end
    if stop == 0 or t == 'none' then
      ids = {}
    else
      local args = {}
      local scratch = {}
      local values -- id -> sort value, for order.nested
      if #order.nested > 0 then
        -- Sort by a field reached through foreign keys: the values go to scratch keys (with a TTL)
        -- that SORT reads through BY; missing values sort as empty strings.
        local list, seen = {}, {}
        values = {}
        for _, id in ipairs(members(key, 'key')) do
          if not seen[id] then
            seen[id] = true
            local value = redis.call('HGET', obj_key(id), order.field)
            for n = 1, #order.nested, 2 do
              if not value then break end
              value = redis.call('HGET', prefix .. order.nested[n] .. ':obj:' .. value,
                order.nested[n + 1])
            end
            table.insert(list, id)
            values[id] = value or ''
          end
        end
        local time = redis.call('TIME')
        local base = B .. ':tmp:sort.' .. time[1] .. '.' .. time[2] .. '.'
        local skey
        for attempt = 1, 20 do
          skey = base .. attempt .. ':'
          local clash = false
          for _, id in ipairs(list) do
            if redis.call('SET', skey .. id, values[id], 'PX', SCRATCH_TTL_MS, 'NX') then
              table.insert(scratch, skey .. id)
            else
              clash = true
              break
            end
          end
          if not clash then break end
          for i = 1, #scratch, 1000 do
            redis.call('DEL', unpack(scratch, i, math.min(i + 999, #scratch)))
          end
          scratch = {}
          if attempt == 20 then fail('no free scratch key name under "' .. short(base) .. '"') end
        end
        args = {'BY', skey .. '*'}
      elseif order.field ~= '' then
        args = {'BY', obj_key('*->' .. order.field)}
      end
      if start > 0 or stop > 0 then
        table.insert(args, 'LIMIT')
        table.insert(args, start)
        table.insert(args, stop > 0 and stop or -1)
      end
      if order.alpha then table.insert(args, 'ALPHA') end
      if order.desc then table.insert(args, 'DESC') end
      -- Redis's SORT tests errno for ERANGE after strtod without clearing it first, so an ERANGE
      -- left by an earlier conversion (a SORT of a huge value, even Lua's tonumber) makes it fail
      -- with "One or more scores can't be converted into double" on good values. GEOSEARCH parses
      -- its coordinates with errno cleared first: run it on a missing key to reset errno.
      redis.pcall('GEOSEARCH', B .. ':tmp:odm.errno', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'm')
      ids = redis.pcall('SORT', key, unpack(args))
      for i = 1, #scratch, 1000 do
        redis.call('DEL', unpack(scratch, i, math.min(i + 999, #scratch)))
      end
      if type(ids) == 'table' and ids.err then
        if args[1] == 'BY' and string.find(ids.err, 'BY option of SORT denied', 1, true) then
          -- An ACL user restricted to the namespace's keys may not use SORT BY: sort here instead.
          ids = sort_in_lua(key, start, stop, order, values, obj_key)
        else
          error(ids.err, 0)
        end
      end
    end
  else
    ids = members(key, 'key')
  end

  -- The rows.
  local rows = {}
  local ids_only = #fields == 1 and fields[1] == meta.id_name
  if ids_only then
    rows = ids
  elseif #fields > 0 then
    for i, id in ipairs(ids) do rows[i] = {id, redis.call('HMGET', obj_key(id), unpack(fields))} end
  else
    for i, id in ipairs(ids) do rows[i] = {id, redis.call('HGETALL', obj_key(id))} end
  end

  -- The related instances and structure fields.
  local related_items = {}
  for _, rel in ipairs(related) do
    local items = {}
    if rel.type ~= '' then
      for i, id in ipairs(ids) do
        local skey = obj_key(id) .. ':' .. rel.field
        local value
        if rel.type == 'list' then
          value = redis.call('LRANGE', skey, 0, -1)
        elseif rel.type == 'set' then
          value = redis.call('SMEMBERS', skey)
        elseif rel.type == 'zset' then
          value = redis.call('ZRANGE', skey, 0, -1, 'WITHSCORES')
        elseif rel.type == 'hash' then
          value = redis.call('HGETALL', skey)
        else
          value = redis.call('GET', skey)
        end
        items[i] = {id, value}
      end
    else
      local processed = {}
      local bare = #rel.fields == 1 and rel.fields[1] == ''
      for _, id in ipairs(ids) do
        local rid = redis.call('HGET', obj_key(id), rel.field)
        if rid and not processed[rid] then
          processed[rid] = true
          local rkey = prefix .. rel.bk .. ':obj:' .. rid
          if redis.call('TYPE', rkey).ok == 'hash' then
            if bare then
              table.insert(items, rid)
            elseif #rel.fields > 0 then
              table.insert(items, {rid, redis.call('HMGET', rkey, unpack(rel.fields))})
            else
              table.insert(items, {rid, redis.call('HGETALL', rkey)})
            end
          elseif #rel.fields == 0 then
            -- a related instance without fields has no hash
            table.insert(items, {rid, {}})
          end
        end
      end
    end
    table.insert(related_items, {rel.name, items, rel.fields})
  end
  return {rows, related_items}
end

return run(main)
