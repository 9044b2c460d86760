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

-- #include odm_prelude.lua

local function main()
  if #KEYS ~= 2 then fail('DELETE takes exactly 2 keys (the model base key and the ids key)') end
  if #ARGV ~= 2 then fail('wrong number of arguments for ODM.DELETE: expected meta') end
  local B, key, meta = model_args()
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

return run(main)
