"""Tenant namespacing, command group by command group (SPEC §2).

Each command is sent by tenant app1 through stdnetd and, for reference, directly to the same
redis-server's database 1 (see test_ns_common.Tenant): the replies must be identical — so a name in
a reply never carries the prefix, and values/fields/members that merely look like "app1:…" are
never touched — and afterwards the backend's database 0 must hold exactly the expected keys, each
named "app1:<key>", with the same contents as the reference.
"""
import time

import pytest

from test_ns_common import Err, RawConn, Tenant, all_keys, scan_all


@pytest.fixture
def t(stdnetd, redis_server):
    return Tenant(stdnetd, redis_server)


def is_refusal(reply, *words):
    return isinstance(reply, Err) and all(w in reply.text for w in words)


# ---- strings and bitmaps


def test_strings(t):
    assert t("SET", "s1", "v1") == b"OK"
    assert t("GET", "s1") == b"v1"
    t("SET", "s2", "10", "EX", "1000")
    t("MSET", "m1", "a", "m2", "b")
    assert t("MGET", "m1", "m2", "nope", "s1") == [b"a", b"b", None, b"v1"]
    assert t("MSETNX", "m3", "c", "m1", "x") == 0
    assert t("MSETNX", "m3", "c", "m4", "d") == 1
    t("INCR", "n")
    t("INCRBY", "n", 5)
    t("DECR", "n")
    assert t("DECRBY", "n", 2) == 3
    t("INCRBYFLOAT", "f", "1.5")
    t("APPEND", "s1", "xx")
    t("STRLEN", "s1")
    t("GETRANGE", "s1", 0, 1)
    t("SUBSTR", "s1", 1, 2)
    t("SETRANGE", "s1", 1, "ZZ")
    t("GETSET", "s1", "new")
    assert t("SETNX", "s1", "x") == 0
    assert t("SETNX", "sn", "x") == 1
    assert t("GETDEL", "sn") == b"x"
    t("GETEX", "m1", "PERSIST")
    t("GETEX", "m2", "EX", 500)
    assert t("SET", "s3", "v", "GET") is None
    assert t("SET", "s1", "v2", "GET") == b"new"
    t("SET", "s3", "v3", "NX")
    t("SET", "s3", "v3", "XX", "KEEPTTL")
    t("PSETEX", "px", 100000, "v")
    t("SETEX", "sx", 1000, "v")
    t("SET", "lcs1", "ohmytext")
    t("SET", "lcs2", "mynewtext")
    assert t("LCS", "lcs1", "lcs2") == b"mytext"
    t("LCS", "lcs1", "lcs2", "LEN")
    t("LCS", "lcs1", "lcs2", "IDX", "MINMATCHLEN", 2, "WITHMATCHLEN")
    # A value that looks namespaced is a value: never rewritten.
    t("SET", "pv", "app1:value")
    assert t("GET", "pv") == b"app1:value"
    t("INCR", "s1")  # error: not an integer
    t.check_keys({"s1", "s2", "s3", "m1", "m2", "m3", "m4", "n", "f", "px", "sx", "lcs1", "lcs2",
                  "pv"})


def test_bitmaps(t):
    assert t("SETBIT", "b1", 7, 1) == 0
    t("SETBIT", "b1", 100, 1)
    assert t("GETBIT", "b1", 7) == 1
    assert t("BITCOUNT", "b1") == 2
    t("BITCOUNT", "b1", 0, 0)
    t("BITCOUNT", "b1", 0, 7, "BIT")
    t("BITPOS", "b1", 1)
    t("SET", "b2", b"\xff\x00\xf0")
    assert t("BITOP", "AND", "bd", "b1", "b2") == 13
    t("BITOP", "OR", "bo", "b1", "b2", "nokey")
    t("BITOP", "XOR", "bx", "b1", "b2")
    t("BITOP", "NOT", "bn", "b2")
    t("GET", "bd")
    t("GET", "bn")
    assert t("BITFIELD", "bf", "SET", "u8", 0, 255, "GET", "u8", 0, "INCRBY", "u8", 0, 10) == \
        [0, 255, 9]
    t("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u8", 0, 250)
    assert t("BITFIELD_RO", "bf", "GET", "u8", 0) == [9]
    t("BITOP", "AND", "bempty", "nokey1", "nokey2")  # empty result: no destination key
    t.check_keys({"b1", "b2", "bd", "bo", "bx", "bn", "bf"})


# ---- hashes, lists, sets, sorted sets


def test_hashes(t):
    assert t("HSET", "h", "f1", "v1", "f2", "v2", "app1:f", "app1:v") == 3
    assert t("HGET", "h", "f1") == b"v1"
    assert t("HMGET", "h", "f1", "nope", "app1:f") == [b"v1", None, b"app1:v"]
    t.sorted("HGETALL", "h")
    assert b"app1:f" in t.sorted("HKEYS", "h")
    t.sorted("HVALS", "h")
    t("HLEN", "h")
    t("HEXISTS", "h", "f1")
    assert t("HSETNX", "h", "f1", "x") == 0
    assert t("HSETNX", "h", "f3", "x") == 1
    t("HINCRBY", "h", "n", 3)
    t("HINCRBYFLOAT", "h", "fl", "1.5")
    t("HSTRLEN", "h", "f1")
    t("HDEL", "h", "f2", "nope")
    t("HMSET", "h2", "a", "1")
    t("HRANDFIELD", "h2")  # one field only: deterministic
    t("HSET", "h3", "x", "1")
    t("HDEL", "h3", "x")  # last field: the key goes away
    t.check_keys({"h", "h2"})


def test_lists(t):
    t("RPUSH", "l1", "a", "b", "c", "d", "app1:x")
    t("LPUSH", "l1", "z")
    t("LRANGE", "l1", 0, -1)
    t("LLEN", "l1")
    t("LINDEX", "l1", 1)
    t("LSET", "l1", 0, "Z")
    t("LINSERT", "l1", "BEFORE", "b", "bb")
    t("LREM", "l1", 1, "bb")
    t("LPOS", "l1", "c")
    t("LTRIM", "l1", 0, 10)
    assert t("LPUSHX", "nope", "x") == 0
    t("RPUSHX", "l1", "e")
    t("LPOP", "l1")
    assert t("RPOP", "l1", 2) == [b"e", b"app1:x"]
    assert t("RPOPLPUSH", "l1", "l2") == b"d"
    assert t("LMOVE", "l1", "l3", "LEFT", "RIGHT") == b"a"
    t("LMOVE", "l1", "l1", "LEFT", "RIGHT")
    t("RPUSH", "l4", "x", "y")
    # LMPOP names the key it popped from: without the prefix.
    assert t("LMPOP", 2, "nolist", "l4", "LEFT", "COUNT", 1) == [b"l4", [b"x"]]
    assert t("LMPOP", 2, "nolist", "l4", "RIGHT", "COUNT", 5) == [b"l4", [b"y"]]
    assert t("LMPOP", 1, "nolist", "LEFT") is None
    t("LRANGE", "l1", 0, -1)
    t("LRANGE", "l2", 0, -1)
    t.check_keys({"l1", "l2", "l3"})


def test_sets(t):
    t("SADD", "s1", "a", "b", "c", "app1:x")
    t("SADD", "s2", "b", "c", "d")
    t("SADD", "s3", "c")
    assert sorted(t.sorted("SMEMBERS", "s1")) == [b"a", b"app1:x", b"b", b"c"]
    t("SISMEMBER", "s1", "a")
    t("SMISMEMBER", "s1", "a", "zz", "app1:x")
    t("SCARD", "s1")
    t.sorted("SINTER", "s1", "s2")
    t.sorted("SUNION", "s1", "s2", "nokey")
    t.sorted("SDIFF", "s1", "s2")
    assert t("SINTERSTORE", "si", "s1", "s2", "s3") == 1
    t("SUNIONSTORE", "su", "s1", "s2")
    t("SDIFFSTORE", "sd", "s1", "s2")
    t("SINTERSTORE", "sempty", "s1", "nokey")  # empty result: no key
    assert t("SMOVE", "s1", "s2", "a") == 1
    assert t("SMOVE", "s1", "s2", "zzz") == 0
    assert t("SINTERCARD", 2, "s1", "s2") == 2
    assert t("SINTERCARD", 3, "s1", "s2", "s3", "LIMIT", 1) == 1
    t("SREM", "s1", "b")
    assert t("SPOP", "s3") == b"c"
    t("SRANDMEMBER", "si")
    for key in ("s1", "s2", "si", "su", "sd"):
        t.sorted("SMEMBERS", key)
    t.check_keys({"s1", "s2", "si", "su", "sd"})


def test_sorted_sets(t):
    t("ZADD", "z1", 1, "a", 2, "b", 3, "c")
    t("ZADD", "z2", 10, "b", 20, "c", 30, "d", 40, "app1:m")
    t("ZADD", "z1", "NX", 9, "a", 4, "e")
    t("ZSCORE", "z1", "a")
    t("ZMSCORE", "z1", "a", "nope")
    t("ZINCRBY", "z1", 5, "a")
    t("ZRANGE", "z1", 0, -1, "WITHSCORES")
    t("ZRANGE", "z1", "(1", "+inf", "BYSCORE", "LIMIT", 0, 2)
    t("ZRANGE", "z2", "[a", "[c", "BYLEX")
    t("ZRANGEBYSCORE", "z1", "-inf", "+inf", "WITHSCORES")
    t("ZREVRANGE", "z1", 0, 1)
    t("ZRANK", "z1", "b")
    t("ZREVRANK", "z1", "b")
    t("ZCOUNT", "z1", 1, 3)
    t("ZLEXCOUNT", "z2", "-", "+")
    t("ZCARD", "z1")
    assert t("ZUNIONSTORE", "zu", 2, "z1", "z2", "WEIGHTS", 2, 3, "AGGREGATE", "MAX") == 6
    t("ZINTERSTORE", "zi", 2, "z1", "z2", "WEIGHTS", 1, 0.5)
    t("ZUNION", 2, "z1", "z2", "WITHSCORES")
    t("ZINTER", 2, "z1", "z2", "AGGREGATE", "SUM", "WITHSCORES")
    assert t("ZDIFF", 2, "z1", "z2") == [b"e", b"a"]
    t("ZDIFF", 2, "z1", "z2", "WITHSCORES")
    t("ZDIFFSTORE", "zd", 2, "z1", "z2")
    t("ZINTERCARD", 2, "z1", "z2", "LIMIT", 1)
    assert t("ZRANGESTORE", "zr", "z2", 0, 1) == 2
    t("ZRANGESTORE", "zr2", "z1", "+inf", "-inf", "BYSCORE", "REV")
    t("ZRANGESTORE", "zempty", "z1", 100, 200)  # empty: no key
    # ZMPOP names the key it popped from: without the prefix.
    assert t("ZMPOP", 2, "nozset", "zr", "MIN", "COUNT", 1) == [b"zr", [[b"b", b"10"]]]
    assert t("ZMPOP", 1, "nozset", "MAX") is None
    t("ZPOPMIN", "zr2")
    t("ZPOPMAX", "zr2", 2)
    t("ZREM", "z1", "e")
    t("ZREMRANGEBYRANK", "zu", 0, 0)
    t("ZREMRANGEBYSCORE", "zu", 100, 110)
    t("ZRANDMEMBER", "zr")
    for key in ("z1", "z2", "zu", "zi", "zd", "zr", "zr2"):
        t("ZRANGE", key, 0, -1, "WITHSCORES")
    t.check_keys({"z1", "z2", "zu", "zi", "zd", "zr", "zr2"})


# ---- streams


def mask_idle(xpending_range):
    """XPENDING's extended form: [id, consumer, idle ms, deliveries]: the idle time varies."""
    if not isinstance(xpending_range, list):
        return xpending_range
    return [[e[0], e[1], "idle", e[3]] for e in xpending_range]


def test_streams_and_consumer_groups(t):
    assert t("XADD", "st", "1-1", "f", "v") == b"1-1"
    t("XADD", "st", "2-1", "f2", "v2", "app1:field", "app1:value")
    t("XADD", "st", "MAXLEN", 10, "3-1", "f", "v3")
    t("XADD", "st2", "1-0", "a", "b")
    t("XADD", "nost", "NOMKSTREAM", "1-0", "a", "b")
    t("XLEN", "st")
    t("XRANGE", "st", "-", "+")
    t("XREVRANGE", "st", "+", "-", "COUNT", 1)
    # XREAD names the streams: without the prefix.
    reply = t("XREAD", "COUNT", 10, "STREAMS", "st", "st2", "0", "0")
    assert [r[0] for r in reply] == [b"st", b"st2"]
    assert t("XREAD", "STREAMS", "st", "3-1") is None
    t("XREAD", "COUNT", 1, "STREAMS", "nost", "st", "0", "1-1")
    assert t("XGROUP", "CREATE", "st", "g", "0") == b"OK"
    t("XGROUP", "CREATE", "st", "g", "0")  # BUSYGROUP
    t("XGROUP", "CREATE", "st3", "g2", "$", "MKSTREAM")
    t("XGROUP", "CREATE", "nokey", "g", "0")  # the key must exist
    t("XGROUP", "CREATECONSUMER", "st", "g", "c9")
    reply = t("XREADGROUP", "GROUP", "g", "c1", "COUNT", 2, "STREAMS", "st", ">")
    assert reply[0][0] == b"st" and [e[0] for e in reply[0][1]] == [b"1-1", b"2-1"]
    t("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "st", "0")
    t("XREADGROUP", "GROUP", "g", "c1", "NOACK", "COUNT", 1, "STREAMS", "st", "st3", ">", ">")
    assert t("XACK", "st", "g", "1-1", "9-9") == 1
    t("XPENDING", "st", "g")
    proxy, ref = t.both("XPENDING", "st", "g", "-", "+", 10)
    assert mask_idle(proxy) == mask_idle(ref)
    proxy, ref = t.both("XPENDING", "st", "g", "-", "+", 10, "c1")
    assert mask_idle(proxy) == mask_idle(ref)
    t("XCLAIM", "st", "g", "c2", 0, "2-1")
    t("XCLAIM", "st", "g", "c2", 0, "2-1", "JUSTID")
    t("XAUTOCLAIM", "st", "g", "c3", 0, "0-0", "COUNT", 10)
    t("XAUTOCLAIM", "st", "g", "c3", 0, "0-0", "COUNT", 10, "JUSTID")
    t("XINFO", "STREAM", "st")
    t("XINFO", "GROUPS", "st")
    consumers = t.proxy_only("XINFO", "CONSUMERS", "st", "g")
    assert sorted(c[1] for c in consumers) == [b"c1", b"c2", b"c3", b"c9"]
    t("XGROUP", "DELCONSUMER", "st", "g", "c9")
    t("XGROUP", "SETID", "st", "g", "0")
    t("XDEL", "st", "3-1")
    t("XTRIM", "st", "MAXLEN", 5)
    t("XGROUP", "DESTROY", "st3", "g2")
    t("XSETID", "st2", "5-0")
    # Errors that quote the key name: the name the client used, never the prefixed one.
    for args in (("XREADGROUP", "GROUP", "nog", "c", "STREAMS", "st", ">"),
                 ("XPENDING", "st", "nog"),
                 ("XCLAIM", "st", "nog", "c", 0, "1-1"),
                 ("XAUTOCLAIM", "st", "nog", "c", 0, "0-0"),
                 ("XGROUP", "SETID", "st", "nog", "0"),
                 ("XGROUP", "CREATECONSUMER", "st", "nog", "c"),
                 ("XGROUP", "DELCONSUMER", "st", "nog", "c"),
                 ("XINFO", "CONSUMERS", "st", "nog"),
                 ("XINFO", "STREAM", "nokey"),
                 ("XINFO", "GROUPS", "nokey")):
        reply = t(*args)
        assert isinstance(reply, Err) and b"app1" not in reply.text.encode(), (args, reply)
    t.check_keys({"st", "st2", "st3"})


# ---- geo and hyperloglog


def test_geo(t):
    assert t("GEOADD", "g", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania") == 2
    t("GEODIST", "g", "Palermo", "Catania", "km")
    t("GEOPOS", "g", "Palermo", "nope")
    t("GEOHASH", "g", "Palermo", "Catania")
    t("GEOSEARCH", "g", "FROMLONLAT", 15, 37, "BYRADIUS", 200, "km", "ASC", "WITHDIST")
    t("GEOSEARCH", "g", "FROMMEMBER", "Palermo", "BYBOX", 400, 400, "km", "ASC", "WITHCOORD")
    assert t("GEOSEARCHSTORE", "gs", "g", "FROMLONLAT", 15, 37, "BYRADIUS", 200, "km", "ASC") == 2
    t("GEOSEARCHSTORE", "gsd", "g", "FROMLONLAT", 15, 37, "BYRADIUS", 200, "km", "STOREDIST")
    t("GEORADIUS", "g", 15, 37, 200, "km", "ASC")
    assert t("GEORADIUS", "g", 15, 37, 200, "km", "STORE", "gr1") == 2
    assert t("GEORADIUS", "g", 15, 37, 200, "km", "STOREDIST", "gr2") == 2
    t("GEORADIUS", "g", 15, 37, 200, "km", "ASC", "COUNT", 1, "STORE", "gr4")
    t("GEORADIUSBYMEMBER", "g", "Palermo", 200, "km", "STORE", "gr3")
    t("GEORADIUSBYMEMBER_RO", "g", "Palermo", 200, "km", "WITHDIST", "ASC")
    t("GEORADIUS_RO", "g", 15, 37, 200, "km", "WITHDIST", "ASC")
    t("GEORADIUS", "g", 15, 37, 200, "km", "STORE")  # missing argument: Redis's error
    t("GEORADIUS", "g", 15, 37, 1, "km", "STORE", "gempty")  # no match: no key
    for key in ("gs", "gsd", "gr1", "gr2", "gr3", "gr4"):
        t("ZRANGE", key, 0, -1, "WITHSCORES")
    t.check_keys({"g", "gs", "gsd", "gr1", "gr2", "gr3", "gr4"})


def test_hyperloglog(t):
    assert t("PFADD", "h1", "a", "b", "c") == 1
    t("PFADD", "h2", "c", "d")
    assert t("PFCOUNT", "h1") == 3
    assert t("PFCOUNT", "h1", "h2") == 4
    assert t("PFMERGE", "hm", "h1", "h2") == b"OK"
    assert t("PFCOUNT", "hm") == 4
    t("PFMERGE", "h1")
    t.check_keys({"h1", "h2", "hm"})


# ---- generic keyspace commands


def test_generic_keyspace(t):
    for k, v in (("a", 1), ("b", 2), ("c", 3)):
        t("SET", k, v)
    t("RPUSH", "l", "x", "y")
    assert t("EXISTS", "a", "b", "nope", "a") == 3
    assert t("DEL", "a", "nope") == 1
    assert t("UNLINK", "b", "nope") == 1
    assert t("TYPE", "c") == b"string"
    t("TYPE", "l")
    t("TYPE", "nope")
    assert t("RENAME", "c", "c2") == b"OK"
    t("RENAME", "nope", "x")  # ERR no such key
    assert t("RENAMENX", "c2", "l") == 0
    assert t("RENAMENX", "c2", "c3") == 1
    assert t("COPY", "c3", "c4") == 1
    assert t("COPY", "c3", "c4") == 0
    assert t("COPY", "c3", "c4", "REPLACE") == 1
    # COPY … DB <the namespace's own database> is allowed.
    assert t.proxy_only("COPY", "c3", "c5", "DB", 0) == 1
    t.ref.execute_command("COPY", "c3", "c5")
    assert t("EXPIRE", "c3", 1000) == 1
    assert 990 <= t.proxy_only("TTL", "c3") <= 1000
    assert 990000 <= t.proxy_only("PTTL", "c3") <= 1000000
    t.ref.execute_command("EXPIRE", "c3", 1000)
    t("PEXPIRE", "c5", 900000, "NX")
    t("EXPIREAT", "c4", 4102444800)  # 2100-01-01
    assert t("EXPIRETIME", "c4") == 4102444800
    t("PEXPIRETIME", "c4")
    assert t("PERSIST", "c4") == 1
    assert t("TTL", "c4") == -1
    assert t("TTL", "nope") == -2
    t("OBJECT", "ENCODING", "l")
    t("OBJECT", "ENCODING", "c4")
    t("OBJECT", "ENCODING", "nope")
    t("OBJECT", "REFCOUNT", "l")
    assert t("TOUCH", "c3", "c4", "nope") == 2
    dump = t("DUMP", "l")
    t("DUMP", "nope")
    assert t("RESTORE", "r1", 0, dump) == b"OK"
    t("RESTORE", "r1", 0, dump)  # BUSYKEY
    t("RESTORE", "r1", 0, dump, "REPLACE")
    t("RESTORE", "r2", 0, b"not a dump")  # bad payload: error, no key
    usage = t.proxy_only("MEMORY", "USAGE", "l")
    assert isinstance(usage, int) and usage > 0
    assert usage == t.backend.execute_command("MEMORY", "USAGE", "app1:l")
    assert t("MEMORY", "USAGE", "nope") is None
    assert t.proxy_only("RANDOMKEY") in {b"c3", b"c4", b"c5", b"l", b"r1"}
    assert t("DBSIZE") == 5
    assert sorted(t.proxy_only("KEYS", "*")) == [b"c3", b"c4", b"c5", b"l", b"r1"]
    assert sorted(t.proxy_only("KEYS", "c*")) == [b"c3", b"c4", b"c5"]
    t("LRANGE", "r1", 0, -1)
    t.check_keys({"c3", "c4", "c5", "l", "r1"})


def test_unknown_command_refused(t):
    reply = t.proxy_only("FOOBAR", "k", "v")
    assert isinstance(reply, Err) and "unknown command" in reply.text
    assert all_keys(t.backend) == set()


def test_sort(t):
    t("RPUSH", "ids", 3, 1, 2)
    for i, w in ((1, 30), (2, 10), (3, 20)):
        t("SET", f"w_{i}", w)
        t("HSET", f"o_{i}", "f", f"object{i}")
        t("SET", f"name_{i}", f"app1:name{i}")
    assert t("SORT", "ids") == [b"1", b"2", b"3"]
    assert t("SORT", "ids", "BY", "w_*") == [b"2", b"3", b"1"]
    # GET results are values: returned unchanged, even when they look like prefixed names.
    assert t("SORT", "ids", "BY", "w_*", "GET", "#", "GET", "o_*->f") == \
        [b"2", b"object2", b"3", b"object3", b"1", b"object1"]
    assert t("SORT", "ids", "BY", "w_*", "DESC", "GET", "name_*") == \
        [b"app1:name1", b"app1:name3", b"app1:name2"]
    t("SORT", "ids", "BY", "nosort", "GET", "#")
    t("SORT", "ids", "BY", "o_*->f", "ALPHA", "GET", "#")
    t("SORT", "ids", "GET", "missing_*", "GET", "#")
    assert t("SORT", "ids", "BY", "w_*", "GET", "#", "GET", "o_*->f", "STORE", "dst") == 6
    t("LRANGE", "dst", 0, -1)
    t("SORT", "ids", "LIMIT", 0, 2, "ALPHA", "DESC", "STORE", "dst2")
    t("SORT_RO", "ids", "BY", "w_*", "GET", "o_*->f")
    t("SORT", "nolist", "STORE", "dst3")  # empty result: dst3 not created
    t.check_keys({"ids", "w_1", "w_2", "w_3", "o_1", "o_2", "o_3", "name_1", "name_2", "name_3",
                  "dst", "dst2"})


# ---- SCAN family


def scan_family_data(t):
    for k in ("u1", "u2", "v1"):
        t("SET", k, "x")
    t("HSET", "hh", "app1:f", "1", "g", "2", "u3", "3")
    t("SADD", "ss", "app1:m", "n", "u4")
    t("ZADD", "zz", 1, "app1:z", 2, "a1", 3, "a2")
    return {b"u1", b"u2", b"v1", b"hh", b"ss", b"zz"}


def test_scan(t):
    everything = scan_family_data(t)
    for options in ((), ("COUNT", 1), ("COUNT", 1000), ("MATCH", "*")):
        assert set(scan_all(t.proxy, *options)) == everything, options
    assert set(scan_all(t.proxy, "MATCH", "u*")) == {b"u1", b"u2"}
    assert set(scan_all(t.proxy, "MATCH", "u*", "COUNT", 2)) == {b"u1", b"u2"}
    assert set(scan_all(t.proxy, "TYPE", "hash")) == {b"hh"}
    assert set(scan_all(t.proxy, "TYPE", "string", "MATCH", "?1")) == {b"u1", b"v1"}
    assert set(scan_all(t.proxy, "MATCH", "app1:*")) == set()
    t.check_keys(everything)


def test_hscan_sscan_zscan(t):
    everything = scan_family_data(t)
    # HSCAN/SSCAN/ZSCAN return fields and members: never rewritten.
    t("HSCAN", "hh", 0)
    t("HSCAN", "hh", 0, "MATCH", "app1:*")
    proxy, ref = t.both("SSCAN", "ss", 0)
    assert proxy[0] == ref[0] and sorted(proxy[1]) == sorted(ref[1]) and b"app1:m" in proxy[1]
    t("SSCAN", "ss", 0, "MATCH", "app1:*")
    t("ZSCAN", "zz", 0)
    t("ZSCAN", "zz", 0, "MATCH", "a*", "COUNT", 100)
    t("HSCAN", "nokey", 0)
    t.check_keys(everything)


# ---- pub/sub


def messages(p, timeout=1.0):
    """The (channel, payload) of the messages `p` receives within `timeout` (confirmations left
    out)."""
    out = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = p.get_message(timeout=0.1)
        if m is not None and m["type"] == "message":
            out.append((m["channel"], m["data"]))
    return out


def wait_numsub(redis_server, channel, n):
    c = redis_server.client()
    deadline = time.monotonic() + 10
    while c.pubsub_numsub(channel)[0][1] != n:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_publish_and_pubsub_introspection(t, redis_server):
    p_ns = redis_server.client().pubsub()
    p_ns.subscribe("app1:news")
    p_plain = redis_server.client().pubsub()
    p_plain.subscribe("news", "app2:news")
    wait_numsub(redis_server, "app1:news", 1)
    wait_numsub(redis_server, "news", 1)
    wait_numsub(redis_server, "app2:news", 1)
    assert t.proxy_only("PUBLISH", "news", "app1:payload") == 1
    assert messages(p_ns) == [(b"app1:news", b"app1:payload")]
    assert messages(p_plain, 0.3) == []
    assert t.proxy_only("PUBSUB", "CHANNELS") == [b"news"]
    assert t.proxy_only("PUBSUB", "CHANNELS", "n*") == [b"news"]
    assert t.proxy_only("PUBSUB", "CHANNELS", "app1:*") == []
    assert t.proxy_only("PUBSUB", "NUMSUB", "news", "other") == [b"news", 1, b"other", 0]
    numpat = t.proxy_only("PUBSUB", "NUMPAT")
    p_ns.close()
    p_plain.close()
    assert all_keys(t.backend) == set()
    assert numpat == 0  # app1 has no pattern subscription


# ---- scripting


def test_eval_refused_for_untrusted_namespace(t):
    for args in (("EVAL", "return redis.call('SET', KEYS[1], 'x')", 1, "k"),
                 ("EVAL", "return 1", 0),
                 ("EVAL_RO", "return 1", 0),
                 ("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0),
                 ("FCALL", "f", 0),
                 ("SCRIPT", "LOAD", "return 1")):
        reply = t.proxy_only(*args)
        assert isinstance(reply, Err), args
        # A clear error: what is refused, for which namespace, and how to allow it.
        assert "not allowed" in reply.text and "app1" in reply.text and "trusted" in reply.text, \
            reply
    assert all_keys(t.backend) == set()


def test_eval_allowed_for_trusted_raw_namespace(stdnetd, redis_server):
    c = stdnetd.client(single_connection_client=True)
    assert c.execute_command("AUTH", "raw", "raw-secret")
    script = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])"
    assert c.execute_command("EVAL", script, 1, "k", "v") == b"v"
    sha = c.execute_command("SCRIPT", "LOAD", "return KEYS[1]")
    assert c.execute_command("EVALSHA", sha, 1, "kk") == b"kk"
    assert all_keys(redis_server.client()) == {b"k"}


# ---- connection commands


def test_connection_commands(t, stdnetd, redis_server):
    assert t.proxy_only("PING") == b"PONG"
    assert t.proxy_only("PING", "app1:x") == b"app1:x"
    assert t.proxy_only("ECHO", "app1:y") == b"app1:y"
    assert t.proxy_only("SELECT", 0) == b"OK"
    reply = t.proxy_only("SELECT", 1)
    assert isinstance(reply, Err) and "0" in reply.text
    t.proxy_only("SET", "k", "v")  # still database 0 after the refused SELECT
    assert all_keys(redis_server.client()) == {b"app1:k"}
    assert t.proxy_only("CLIENT", "GETNAME") is None
    assert t.proxy_only("CLIENT", "SETNAME", "worker-1") == b"OK"
    assert t.proxy_only("CLIENT", "GETNAME") == b"worker-1"
    id1 = t.proxy_only("CLIENT", "ID")
    other = stdnetd.client(single_connection_client=True)
    id2 = other.execute_command("CLIENT", "ID")
    assert isinstance(id1, int) and isinstance(id2, int) and id1 != id2
    assert other.execute_command("CLIENT", "GETNAME") is None


def test_auth_switches_namespace(stdnetd, redis_server):
    backend = redis_server.client()
    with RawConn(stdnetd.port) as c:
        assert c.send("SET", "k", "one") == b"+OK\r\n"
        assert c.send("AUTH", "app2-secret") == b"+OK\r\n"
        assert c.send("GET", "k") == b"$-1\r\n"
        assert c.send("SET", "k", "two") == b"+OK\r\n"
        assert c.send("AUTH", "app1", "app1-secret") == b"+OK\r\n"
        assert c.send("GET", "k") == b"$3\r\none\r\n"
        assert c.send("AUTH", "app2", "app2-secret") == b"+OK\r\n"
        assert c.send("GET", "k") == b"$3\r\ntwo\r\n"
        wrong = c.send("AUTH", "app2", "wrong")
        assert wrong.startswith(b"-WRONGPASS") or wrong.startswith(b"-ERR"), wrong
        # A failed AUTH leaves the connection in its namespace.
        assert c.send("GET", "k") == b"$3\r\ntwo\r\n"
        assert c.send("AUTH", "raw", "raw-secret") == b"+OK\r\n"
        assert c.send("GET", "app2:k") == b"$3\r\ntwo\r\n"
    assert all_keys(backend) == {b"app1:k", b"app2:k"}


def test_quit_closes_connection(stdnetd):
    with RawConn(stdnetd.port) as c:
        assert c.send("PING") == b"+PONG\r\n"
        assert c.send("QUIT") == b"+OK\r\n"
        assert c.closed_by_peer()


# ---- pipelining and inline commands


def test_pipelined_commands_keep_order(stdnetd, redis_server):
    """Forwarded, emulated (KEYS, DBSIZE, RANDOMKEY, FLUSHDB) and local commands in one pipeline:
    replies in request order, each namespaced."""
    from test_ns_common import encode
    requests = [("SET", "a", "1"), ("KEYS", "*"), ("GET", "a"), ("DBSIZE",), ("PING",),
                ("RANDOMKEY",), ("SET", "b", "2"), ("DBSIZE",), ("MGET", "a", "b"), ("FLUSHDB",),
                ("GET", "a"), ("DBSIZE",), ("ECHO", "e"), ("RPUSH", "l", "x"), ("LMPOP", 1, "l",
                                                                              "LEFT")]
    with RawConn(stdnetd.port) as c:
        replies = c.send_bytes(b"".join(encode(*r) for r in requests) * 20,
                               replies=len(requests) * 20)
    expected = [b"+OK\r\n", b"*1\r\n$1\r\na\r\n", b"$1\r\n1\r\n", b":1\r\n", b"+PONG\r\n",
                b"$1\r\na\r\n", b"+OK\r\n", b":2\r\n", b"*2\r\n$1\r\n1\r\n$1\r\n2\r\n", b"+OK\r\n",
                b"$-1\r\n", b":0\r\n", b"$1\r\ne\r\n", b":1\r\n",
                b"*2\r\n$1\r\nl\r\n*1\r\n$1\r\nx\r\n"]
    assert replies == expected * 20
    assert all_keys(redis_server.client()) == set()


def test_inline_commands_are_namespaced(stdnetd, redis_server):
    with RawConn(stdnetd.port) as c:
        replies = c.send_bytes(b'SET "a b" v\r\nGET "a b"\r\nKEYS *\r\nEXISTS "a b" nope\r\n', 4)
    assert replies == [b"+OK\r\n", b"$1\r\nv\r\n", b"*1\r\n$3\r\na b\r\n", b":1\r\n"]
    assert all_keys(redis_server.client()) == {b"app1:a b"}
