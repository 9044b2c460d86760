-- KEYINFO KEYS key [key ...] (and one batch of KEYINFO pattern [start count], whose SCAN the proxy drives)
--
-- Describes each key: name, type, length, ttl, encoding, idle time. Keys that do not exist (or that
-- expired since the proxy's SCAN found them) are skipped, so the reply lists existing keys only, in the
-- order given. The idle time is read first, so it is the idle time before this call (reading the
-- length is an access like any other, so a later KEYINFO sees the key as just used).
--
-- Called as: EVALSHA sha numkeys key... [prefix]
--   KEYS     the (namespaced) keys
--   ARGV[1]  optional: the namespace prefix (the full one, outer backend prefix included); it is removed
--            from the front of every name in the reply. Absent or empty: names are returned as given.
-- Reply: an array with, per existing key, an array
--   [name, type, length, ttl, encoding, idle]
--   name      bulk string, without the prefix
--   type      bulk string: string, list, set, zset, hash, stream (or a module type name)
--   length    integer: STRLEN, LLEN, SCARD, ZCARD, HLEN or XLEN by type; -1 for a module type
--   ttl       integer: TTL in seconds, -1 when the key has no expiry
--   encoding  bulk string: OBJECT ENCODING
--   idle      integer: OBJECT IDLETIME in seconds, -1 when the server tracks LFU instead of LRU
-- Errors: wrong number of arguments (more than one ARGV).

if #ARGV > 1 then
  return redis.error_reply("ERR wrong number of arguments for 'keyinfo' command")
end
local prefix = ARGV[1] or ''

local LENGTH = {
  string = 'STRLEN', list = 'LLEN', set = 'SCARD', zset = 'ZCARD', hash = 'HLEN', stream = 'XLEN',
}

local reply = {}
for _, key in ipairs(KEYS) do
  local typ = redis.call('TYPE', key).ok
  if typ ~= 'none' then
    -- TYPE, OBJECT and TTL do not touch the key; the length commands do, so they come last.
    local idle = redis.pcall('OBJECT', 'IDLETIME', key)
    if type(idle) ~= 'number' then idle = -1 end
    local encoding = redis.call('OBJECT', 'ENCODING', key)
    local ttl = redis.call('TTL', key)
    local length = -1
    if LENGTH[typ] then length = redis.call(LENGTH[typ], key) end
    local name = key
    if prefix ~= '' and string.sub(key, 1, #prefix) == prefix then
      name = string.sub(key, #prefix + 1)
    end
    reply[#reply + 1] = {name, typ, length, ttl, encoding, idle}
  end
end
return reply
