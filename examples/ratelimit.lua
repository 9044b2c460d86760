-- RATELIMIT key limit window_seconds
--
-- An operator-defined script command (see the [[command]] table of the example config): a fixed-window
-- rate limiter. Each key allows `limit` requests per window of `window_seconds`; the window starts with
-- the first request after the previous one ended. A refused request does not count.
--
-- Declared in the config as:
--   [[command]]
--   name = "RATELIMIT"
--   script = "ratelimit.lua"
--   keys = { first = 1, last = 1, step = 1 }
-- and called by the proxy as: EVALSHA sha 1 key limit window_seconds
--   KEYS[1]  the counter key (namespaced by the proxy, like any key): a string holding the count
--   ARGV[1]  limit: requests allowed per window, an integer >= 0
--   ARGV[2]  window_seconds: the window length, an integer >= 1
-- Reply: 1 when the request is allowed, 0 when it is refused.
-- Errors (nothing is written): wrong number of arguments, "limit must be an integer >= 0",
--   "window must be an integer >= 1", WRONGTYPE (the key holds something else than a counter).

if #KEYS ~= 1 or #ARGV ~= 2 then
  return redis.error_reply("ERR wrong number of arguments for 'ratelimit' command")
end
local function integer(s)
  if not string.match(s, '^%d+$') or #s > 15 then return nil end
  return tonumber(s)
end
local limit, window = integer(ARGV[1]), integer(ARGV[2])
if not limit then
  return redis.error_reply("ERR RATELIMIT limit must be an integer >= 0")
end
if not window or window < 1 then
  return redis.error_reply("ERR RATELIMIT window must be an integer >= 1")
end

local key = KEYS[1]
local current = redis.pcall('GET', key)
if type(current) == 'table' and current.err then
  return current
end
if (tonumber(current) or 0) >= limit then
  return 0
end
local count = redis.pcall('INCR', key)  -- fails, writing nothing, if the key is not a counter
if type(count) == 'table' and count.err then
  return count
end
-- A new window (or a counter that lost its expiry somehow) gets the window's TTL.
if redis.call('TTL', key) < 0 then
  redis.call('EXPIRE', key, window)
end
return 1
