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

-- #include odm_prelude.lua

local function main()
  if #KEYS ~= 2 then fail('AGGREGATE takes exactly 2 keys (the model base key and the ids key)') end
  if #ARGV ~= 3 then
    fail('wrong number of arguments for ODM.AGGREGATE: expected meta and fk_attname')
  end
  local B, key, meta = model_args()
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

return run(main)
