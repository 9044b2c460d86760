"""examples/ratelimit.lua (an operator-defined script command) against a real redis-server:
RATELIMIT key limit window_seconds, called as EVALSHA sha 1 key limit window_seconds."""
import time

import pytest

from lua_helpers import WRONGTYPE, Err, scripts, snapshot  # noqa: F401 (fixture)

KEY = "app1:rl"


def ratelimit(scripts, *args, key=KEY):
    return scripts.call("ratelimit", [key], *args)


def test_allows_limit_requests_per_window(scripts):
    r = scripts.redis
    assert [ratelimit(scripts, "3", "100") for _ in range(5)] == [1, 1, 1, 0, 0]
    assert r.get(KEY) == b"3"  # refused requests do not count
    assert 0 < r.ttl(KEY) <= 100


def test_window_is_not_extended_by_requests(scripts):
    r = scripts.redis
    assert ratelimit(scripts, "5", "100") == 1
    r.expire(KEY, 50)
    assert ratelimit(scripts, "5", "100") == 1
    assert 0 < r.ttl(KEY) <= 50


def test_new_window_after_expiry(scripts):
    r = scripts.redis
    assert ratelimit(scripts, "1", "100") == 1
    assert ratelimit(scripts, "1", "100") == 0
    r.pexpire(KEY, 1)
    time.sleep(0.05)
    assert ratelimit(scripts, "1", "100") == 1
    assert r.get(KEY) == b"1"


def test_keys_are_independent(scripts):
    assert ratelimit(scripts, "1", "100", key="app1:a") == 1
    assert ratelimit(scripts, "1", "100", key="app1:b") == 1
    assert ratelimit(scripts, "1", "100", key="app1:a") == 0


def test_limit_zero_refuses_without_writing(scripts):
    assert ratelimit(scripts, "0", "10") == 0
    assert scripts.redis.exists(KEY) == 0


def test_counter_without_ttl_gets_one(scripts):
    r = scripts.redis
    r.set(KEY, "1")
    assert ratelimit(scripts, "5", "30") == 1
    assert r.get(KEY) == b"2" and 0 < r.ttl(KEY) <= 30


@pytest.mark.parametrize("keys, args, error", [
    ([KEY], ["1"], "ERR wrong number of arguments for 'ratelimit' command"),
    ([KEY], ["1", "2", "3"], "ERR wrong number of arguments for 'ratelimit' command"),
    ([], ["1", "2"], "ERR wrong number of arguments for 'ratelimit' command"),
    ([KEY], ["-1", "10"], "ERR RATELIMIT limit must be an integer >= 0"),
    ([KEY], ["1.5", "10"], "ERR RATELIMIT limit must be an integer >= 0"),
    ([KEY], ["x", "10"], "ERR RATELIMIT limit must be an integer >= 0"),
    ([KEY], ["", "10"], "ERR RATELIMIT limit must be an integer >= 0"),
    ([KEY], ["1", "0"], "ERR RATELIMIT window must be an integer >= 1"),
    ([KEY], ["1", "-5"], "ERR RATELIMIT window must be an integer >= 1"),
    ([KEY], ["1", "1e3"], "ERR RATELIMIT window must be an integer >= 1"),
    ([KEY], ["1", "99999999999999999999"], "ERR RATELIMIT window must be an integer >= 1"),
])
def test_argument_errors_write_nothing(scripts, keys, args, error):
    r = scripts.redis
    r.set("app1:other", "x")
    before = snapshot(r)
    assert scripts.raw.call("EVALSHA", scripts.load("ratelimit"), len(keys), *keys, *args) == Err(error)
    assert snapshot(r) == before


def test_wrong_type_and_non_counter(scripts):
    r = scripts.redis
    r.rpush(KEY, "a")
    assert ratelimit(scripts, "3", "10") == Err(WRONGTYPE)
    r.delete(KEY)
    r.set(KEY, "not a number")
    assert ratelimit(scripts, "3", "10") == Err("ERR value is not an integer or out of range")
    assert r.get(KEY) == b"not a number" and r.ttl(KEY) == -1
