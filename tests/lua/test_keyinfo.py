"""lua/scripts/keyinfo.lua against a real redis-server: KEYINFO KEYS key [key ...] (and one batch of the
pattern form). Called as: EVALSHA sha numkeys key... [prefix]."""
import time

import pytest

from lua_helpers import Err, RawClient, scripts  # noqa: F401 (fixture)

PREFIX = "app1:"


def keyinfo(scripts, keys, *args):
    return scripts.call("keyinfo", keys, *args)


def fill(r):
    r.set("app1:str", "hello")
    r.set("app1:int", "12345")
    r.rpush("app1:list", "a", "b", "c")
    r.sadd("app1:set", "1", "2")
    r.sadd("app1:bigset", *[f"m{i}" for i in range(600)])
    r.zadd("app1:zset", {"a": 1, "b": 2, "c": 3, "d": 4})
    r.hset("app1:hash", mapping={"f1": "v1", "f2": "v2"})
    r.xadd("app1:stream", {"f": "v"})
    r.xadd("app1:stream", {"f": "w"})
    r.expire("app1:list", 1000)


EXPECTED = {  # name: (type, length)
    "str": (b"string", 5), "int": (b"string", 5), "list": (b"list", 3), "set": (b"set", 2),
    "bigset": (b"set", 600), "zset": (b"zset", 4), "hash": (b"hash", 2), "stream": (b"stream", 2),
}


def test_every_type(scripts):
    r = scripts.redis
    fill(r)
    names = list(EXPECTED)
    reply = keyinfo(scripts, [PREFIX + n for n in names], PREFIX)
    assert [row[0] for row in reply] == [n.encode() for n in names]
    for row in reply:
        name = row[0].decode()
        key = PREFIX + name
        assert len(row) == 6
        assert (row[1], row[2]) == EXPECTED[name], name
        assert row[4] == r.object("encoding", key), name
        assert isinstance(row[5], int) and row[5] >= 0
        if name == "list":
            assert 0 < row[3] <= 1000
        else:
            assert row[3] == -1, name
    encodings = {row[0]: row[4] for row in reply}
    assert encodings[b"int"] == b"int" and encodings[b"str"] == b"embstr"
    assert encodings[b"set"] == b"intset" and encodings[b"bigset"] == b"hashtable"


def test_missing_keys_are_skipped(scripts):
    r = scripts.redis
    r.set("app1:a", "1")
    r.set("app1:c", "333")
    reply = keyinfo(scripts, ["app1:c", "app1:missing", "app1:a", "app1:gone"], PREFIX)
    assert [(row[0], row[1], row[2]) for row in reply] == [(b"c", b"string", 3), (b"a", b"string", 1)]
    assert keyinfo(scripts, ["app1:missing"], PREFIX) == []
    assert keyinfo(scripts, [], PREFIX) == []
    assert keyinfo(scripts, []) == []


def test_prefix_is_optional_and_only_stripped_when_present(scripts):
    r = scripts.redis
    r.set("app1:k", "v")
    r.set("other", "v")
    r.set("app1:", "v")
    keys = ["app1:k", "other", "app1:"]
    assert [row[0] for row in keyinfo(scripts, keys)] == [b"app1:k", b"other", b"app1:"]
    assert [row[0] for row in keyinfo(scripts, keys, "")] == [b"app1:k", b"other", b"app1:"]
    assert [row[0] for row in keyinfo(scripts, keys, PREFIX)] == [b"k", b"other", b""]
    assert [row[0] for row in keyinfo(scripts, keys, "outer:app1:")] == [b"app1:k", b"other", b"app1:"]


def test_idle_time_is_read_before_the_key_is_accessed(scripts):
    r = scripts.redis
    r.set("app1:old", "v")
    time.sleep(2.2)  # the LRU clock counts whole seconds
    (row,) = keyinfo(scripts, ["app1:old"], PREFIX)
    assert row[5] >= 1
    # Nothing else was changed: the value and the absence of a TTL.
    assert r.get("app1:old") == b"v" and r.ttl("app1:old") == -1


def test_lfu_policy_reports_idle_minus_one(scripts):
    r = scripts.redis
    r.set("app1:k", "v")
    r.config_set("maxmemory-policy", "allkeys-lfu")
    try:
        (row,) = keyinfo(scripts, ["app1:k"], PREFIX)
        assert row[:3] == [b"k", b"string", 1] and row[5] == -1
    finally:
        r.config_set("maxmemory-policy", "noeviction")


def test_too_many_arguments(scripts):
    assert keyinfo(scripts, ["app1:k"], PREFIX, "x") == Err(
        "ERR wrong number of arguments for 'keyinfo' command")


def test_resp3(scripts):
    r = scripts.redis
    r.set("app1:k", "abc")
    raw = RawClient(scripts.server.port)
    try:
        assert isinstance(raw.call("HELLO", "3"), list)
        sha = scripts.load("keyinfo")
        (row,) = raw.call("EVALSHA", sha, 2, "app1:k", "app1:none", PREFIX)
        assert row[:5] == [b"k", b"string", 3, -1, b"embstr"] and isinstance(row[5], int)
    finally:
        raw.close()
