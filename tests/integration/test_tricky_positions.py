"""Keys are found by position, the way Redis finds them, never by searching for tokens (SPEC §2):
keys named like options/keywords, numkeys edge cases (with Redis's own error texts), keys with glob
characters and binary bytes.

Replies are compared byte for byte with what Redis replies to the same command on the reference
database (see test_ns_common), and the backend must hold exactly the expected app1: keys.
"""
import pytest

from test_ns_common import REF_DB, RawConn, Tenant, all_keys, scan_all


@pytest.fixture
def t(stdnetd, redis_server):
    return Tenant(stdnetd, redis_server)


class RawPair:
    """The same request on a raw socket through stdnetd and directly to Redis (database REF_DB);
    the reply bytes must be identical."""

    def __init__(self, stdnetd, redis_server, auth=None):
        self.proxy = RawConn(stdnetd.port)
        if auth is not None:
            assert self.proxy.send("AUTH", *auth) == b"+OK\r\n"
        self.ref = RawConn(redis_server.port, db=REF_DB)

    def __call__(self, *args):
        want = self.ref.send(*args)
        got = self.proxy.send(*args)
        assert got == want, f"{args!r}: through stdnetd {got!r}, Redis replies {want!r}"
        return got

    def close(self):
        self.proxy.close()
        self.ref.close()


@pytest.fixture
def raw(stdnetd, redis_server):
    pair = RawPair(stdnetd, redis_server)
    yield pair
    pair.close()


@pytest.fixture
def trusted_raw(stdnetd, redis_server):
    pair = RawPair(stdnetd, redis_server, auth=("raw", "raw-secret"))
    yield pair
    pair.close()


def test_zunionstore_weights_as_key_names(t):
    t("ZADD", "WEIGHTS", 1, "a", 5, "c")
    t("ZADD", "z", 2, "b", 3, "c")
    # Keys: d (destination), WEIGHTS and z (numkeys 2); then the real WEIGHTS option.
    assert t("ZUNIONSTORE", "d", 2, "WEIGHTS", "z", "WEIGHTS", 1, 1) == 3
    t("ZRANGE", "d", 0, -1, "WITHSCORES")
    assert t("ZINTERSTORE", "AGGREGATE", 2, "WEIGHTS", "z", "AGGREGATE", "MAX") == 1
    t("ZUNION", 2, "WEIGHTS", "WEIGHTS", "WEIGHTS", 2, 3, "WITHSCORES")
    t("ZDIFF", 1, "WITHSCORES", "WITHSCORES")
    t.check_keys({"WEIGHTS", "z", "d", "AGGREGATE"})


def test_mpop_direction_as_key_name(t):
    t("RPUSH", "LEFT", "x", "y")
    t("RPUSH", "RIGHT", "r")
    assert t("LMPOP", 1, "LEFT", "LEFT") == [b"LEFT", [b"x"]]
    assert t("LMPOP", 2, "COUNT", "RIGHT", "RIGHT", "COUNT", 5) == [b"RIGHT", [b"r"]]
    t("ZADD", "MIN", 1, "m1", 2, "m2")
    assert t("ZMPOP", 1, "MIN", "MAX") == [b"MIN", [[b"m2", b"2"]]]
    assert t("ZMPOP", 2, "MAX", "MIN", "MIN", "COUNT", 9) == [b"MIN", [[b"m1", b"1"]]]
    t("LMOVE", "LEFT", "RIGHT", "LEFT", "RIGHT")
    t.check_keys({"RIGHT"})


def test_xread_streams_as_key_name(t):
    t("XADD", "STREAMS", "1-0", "a", "b")
    t("XADD", "COUNT", "2-0", "c", "d")
    assert t("XREAD", "STREAMS", "STREAMS", "0") == [[b"STREAMS", [[b"1-0", [b"a", b"b"]]]]]
    reply = t("XREAD", "COUNT", 1, "STREAMS", "COUNT", "STREAMS", "0", "0")
    assert [r[0] for r in reply] == [b"COUNT", b"STREAMS"]
    t("XGROUP", "CREATE", "STREAMS", "STREAMS", "0")
    reply = t("XREADGROUP", "GROUP", "STREAMS", "STREAMS", "STREAMS", "STREAMS", ">")
    assert reply[0][0] == b"STREAMS"
    t("XREADGROUP", "GROUP", "STREAMS", "GROUP", "COUNT", 1, "STREAMS", "STREAMS", "0")
    t("XADD", "MAXLEN", "MAXLEN", 10, "1-0", "f", "v")
    t.check_keys({"STREAMS", "COUNT", "MAXLEN"})


def test_sort_by_get_store(t):
    t("RPUSH", "k", 3, 1, 2)
    for i, w in ((1, 30), (2, 10), (3, 20)):
        t("SET", f"w_{i}", w)
        t("HSET", f"o_{i}", "f", f"obj{i}")
    assert t("SORT", "k", "BY", "w_*", "GET", "#", "GET", "o_*->f", "STORE", "dst") == 6
    assert t("LRANGE", "dst", 0, -1) == [b"2", b"obj2", b"3", b"obj3", b"1", b"obj1"]
    # A key named BY sorted BY a pattern and STOREd into a key named STORE.
    t("RPUSH", "BY", 2, 1)
    t("SORT", "BY", "BY", "w_*", "GET", "#", "STORE", "STORE")
    t("LRANGE", "STORE", 0, -1)
    t("SORT", "GET", "GET", "#", "GET", "GET")  # a key named GET, GET #, GET pattern "GET"
    t.check_keys({"k", "w_1", "w_2", "w_3", "o_1", "o_2", "o_3", "dst", "BY", "STORE"})


def test_scan_keyword_arguments(t):
    for k in ("TYPE", "MATCH", "COUNT", "u1"):
        t("SET", k, "x")
    for options in (("TYPE", "MATCH"), ("MATCH", "TYPE"), ("MATCH", "MATCH"), ("MATCH", "COUNT"),
                    ("COUNT", 10, "MATCH", "COUNT"), ("TYPE", "string", "MATCH", "TYPE"),
                    ("MATCH", "*", "TYPE", "MATCH")):
        assert set(scan_all(t.proxy, *options)) == set(scan_all(t.ref, *options)), options
    t.check_keys({"TYPE", "MATCH", "COUNT", "u1"})


def test_scan_errors_as_redis(raw):
    raw("SET", "k", "v")
    for args in (("SCAN", "0", "MATCH"), ("SCAN", "0", "COUNT"), ("SCAN", "0", "COUNT", "x"),
                 # (SCAN -1 is a valid cursor whose result depends on the hash table's layout,
                 # which differs between the namespaced db and the comparison db: not compared.)
                 ("SCAN", "0", "COUNT", "0"), ("SCAN", "x"), ("SCAN", "0", "FOO"),
                 ("SCAN", "0", "TYPE")):
        raw(*args)


def test_eval_numkeys_as_trusted_raw(trusted_raw, redis_server):
    raw = trusted_raw
    for args in (("EVAL", "return 1", "01", "k"), ("EVAL", "return KEYS", 1, "k", "a"),
                 ("EVAL", "return {KEYS[1], ARGV[1]}", "1", "k", "a"),
                 ("EVAL", "return 1", 2, "k"), ("EVAL", "return 1", -1), ("EVAL", "return 1", "x"),
                 ("EVAL", "return 1", "+1", "k"), ("EVAL", "return 1", " 1", "k"),
                 ("EVAL", "return 1", "1.0", "k"), ("EVAL", "return 1", "99999999999999999999"),
                 ("EVAL", "return 1", 0), ("EVALSHA", "0" * 40, 0), ("FCALL", "nofunc", 2, "k"),
                 ("FCALL", "nofunc", -1), ("FCALL", "nofunc", 0)):
        raw(*args)
    assert all_keys(redis_server.client()) == set()


NUMKEYS_CASES = [
    ("ZUNIONSTORE", "d", 3, "a", "b"), ("ZUNIONSTORE", "d", -1, "a"), ("ZUNIONSTORE", "d", 0, "a"),
    ("ZUNIONSTORE", "d", "x", "a"), ("ZUNIONSTORE", "d", "01", "a"),
    ("ZUNIONSTORE", "d", "+1", "a"),
    ("ZUNIONSTORE", "d", " 1", "a"), ("ZUNIONSTORE", "d", "1 ", "a"),
    ("ZUNIONSTORE", "d", "1.0", "a"),
    ("ZUNIONSTORE", "d", "", "a"), ("ZUNIONSTORE", "d", "99999999999999999999", "a"),
    ("ZUNIONSTORE", "d", "-0", "a"), ("ZUNIONSTORE", "d", 1),
    ("ZUNIONSTORE", "d", 1, "a", "WEIGHTS"),
    ("ZUNIONSTORE", "d", 2, "a", "b", "WEIGHTS", 1, "x"),
    ("ZUNIONSTORE", "d", 1, "a", "AGGREGATE", "NONE"),
    ("ZINTERSTORE", "d", 2, "a"), ("ZINTER", 0, "a"), ("ZINTER", 2, "a"), ("ZUNION", -5, "a"),
    ("ZDIFF", 5, "a"), ("ZDIFFSTORE", "d", 2, "a"), ("ZINTERCARD", 0, "a"), ("ZINTERCARD", 2, "a"),
    ("ZINTERCARD", 1, "a", "LIMIT", -1),
    ("SINTERCARD", 0, "a"), ("SINTERCARD", 3, "a", "b"), ("SINTERCARD", -1, "a"),
    ("SINTERCARD", "x", "a"), ("SINTERCARD", 1, "a", "LIMIT"),
    ("LMPOP", 0, "a", "LEFT"), ("LMPOP", 2, "a", "LEFT"), ("LMPOP", -1, "a", "LEFT"),
    ("LMPOP", "x", "a", "LEFT"), ("LMPOP", 1, "a", "MIDDLE"), ("LMPOP", 1, "a", "LEFT", "COUNT", 0),
    ("LMPOP", 3, "a", "b"), ("LMPOP", 1, "a"),
    ("ZMPOP", 3, "a", "MIN"), ("ZMPOP", 0, "a", "MIN"), ("ZMPOP", 1, "a"),
    ("ZMPOP", "1x", "a", "MIN"),
    ("EXISTS",), ("DEL",), ("MSET", "a"), ("MSET", "a", "1", "b"), ("GEORADIUS", "g", 1, 1, 1, "km",
                                                                     "STORE"),
    ("SORT", "a", "STORE"), ("SORT", "a", "BY"), ("SORT", "a", "GET"), ("XREAD", "STREAMS", "a"),
    ("XREAD", "STREAMS", "a", "b", "0"), ("XREAD", "STREAMS"), ("XREAD", "COUNT", 1),
    ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "a"), ("OBJECT", "ENCODING"),
]


def test_numkeys_and_syntax_errors_as_redis(raw, redis_server):
    for args in NUMKEYS_CASES:
        raw(*args)
    assert all_keys(redis_server.client()) == set()
    assert redis_server.client(db=REF_DB).dbsize() == 0


def test_numkeys_ok_cases(t):
    t("ZADD", "a", 1, "m")
    t("ZADD", "b", 2, "m", 3, "n")
    t("SADD", "s", 1)
    t("RPUSH", "l", 1)
    for args in (("ZUNIONSTORE", "d", 1, "a"), ("ZUNIONSTORE", "d2", 2, "a", "b", "WEIGHTS", 1, 2),
                 ("ZINTER", 2, "a", "b"), ("ZDIFF", 1, "b"), ("ZINTERCARD", 2, "a", "b"),
                 ("SINTERCARD", 1, "s"), ("LMPOP", 1, "l", "RIGHT"), ("ZMPOP", 2, "a", "b", "MAX")):
        t(*args)
    t.check_keys({"b", "s", "d", "d2"})


def test_keys_named_like_options(t):
    assert t("SET", "NX", "v") == b"OK"
    assert t("GET", "NX") == b"v"
    assert t("SET", "GET", "GET", "GET") is None
    assert t("SET", "GET", "GET2", "GET") == b"GET"
    t("SET", "EX", "EX", "EX", 100)
    t("SET", "XX", "v", "XX")
    t("SET", "KEEPTTL", "v", "KEEPTTL")
    t("ZADD", "WITHSCORES", 1, "m")
    assert t("ZRANGE", "WITHSCORES", 0, -1, "WITHSCORES") == [b"m", b"1"]
    t("ZADD", "NX", "NX", 1, "a")  # WRONGTYPE: NX is a string
    t("ZADD", "INCR", "NX", 1, "a")
    t("HSET", "KEYS", "f", "v")
    t("EXISTS", "STREAMS", "KEYS", "NX")
    t("BITOP", "AND", "AND", "NX", "GET")
    t("LPUSH", "LIMIT", 1)
    t("SORT", "LIMIT", "LIMIT", 0, 1, "STORE", "ALPHA")
    t("GEOADD", "XX", "XX", 1, 1, "m")
    t("GEOADD", "CH", 1, 1, "m")
    t("GEOSEARCHSTORE", "STOREDIST", "CH", "FROMLONLAT", 1, 1, "BYRADIUS", 10, "km", "STOREDIST")
    t("GEORADIUS", "CH", 1, 1, 10, "km", "STORE", "STORE")
    t("EXPIRE", "NX", 1000, "NX")
    t("RENAME", "KEEPTTL", "MATCH")
    t("COPY", "MATCH", "REPLACE", "REPLACE")
    t("DEL", "WITHSCORES")
    t("PFADD", "PFADD", "a")
    t("PFMERGE", "DEST", "PFADD")
    t.check_keys({"NX", "GET", "EX", "KEYS", "INCR", "AND", "LIMIT", "ALPHA", "CH",
                  "STOREDIST", "STORE", "MATCH", "REPLACE", "PFADD", "DEST"})


PATTERNS = [b"a\\*b", b"a*", b"\\*", b"\\?", b"\\[x\\]", b"\\\\", b"x\\\\y", b"*\x00*",
            b"\x00*", b"app1:*", b"app1\\:*", b"[[]*", b"*[]]", b"a[[]1]", b"?", b"*e*",
            "\u00e9*".encode(), b"[\x7f]*", b"\\'", b"*\t*"]
NAMES = [b"a*b", b"a?", b"[x]", b"\\", b"x\\y", b"{tag}k", b"\x00\xff\x01", b"bin\x00key",
         b"sp ace", b"app1:nested", "\u00e9t\u00e9".encode(), b"*", b"?", b"[", b"]", b"a[1]",
         b"\x7f\x80\xfe", b"-", b"\"quoted\"", b"'", b"tab\tkey"]


def test_glob_and_binary_key_names(t):
    for i, name in enumerate(NAMES):
        assert t("SET", name, i) == b"OK"
    assert sorted(t.proxy_only("KEYS", "*")) == sorted(NAMES)
    for pattern in PATTERNS:
        t.sorted("KEYS", pattern)
    assert t.proxy_only("KEYS", b"\\*") == [b"*"]
    assert t("MGET", *NAMES) == [str(i).encode() for i in range(len(NAMES))]
    assert t("EXISTS", *NAMES) == len(NAMES)
    t("RENAME", b"\x00\xff\x01", b"\x01renamed\xff")
    t("COPY", b"bin\x00key", b"copy\x00")
    assert t("DEL", b"*", b"?", b"[") == 3
    assert t.proxy_only("COUNTPATTERN", b"\\*") == 0
    assert t.proxy_only("COUNTPATTERN", b"a*") == len(t.ref.keys(b"a*")) == 4
    assert t.proxy_only("DELPATTERN", b"a\\*b") == 1
    t.ref.delete(b"a*b")
    remaining = (set(NAMES) - {b"*", b"?", b"[", b"a*b", b"\x00\xff\x01"}) | {b"\x01renamed\xff",
                                                                            b"copy\x00"}
    assert set(t.proxy_only("KEYS", "*")) == remaining
    t.check_keys(remaining)


def test_glob_and_binary_key_names_scan(t):
    for i, name in enumerate(NAMES):
        t("SET", name, i)
    assert set(scan_all(t.proxy)) == set(NAMES)
    for pattern in PATTERNS:
        assert set(scan_all(t.proxy, "MATCH", pattern)) == set(scan_all(t.ref, "MATCH", pattern)), \
            pattern
    t.check_keys(NAMES)


def test_key_names_that_contain_the_prefix(t):
    """The prefix is stripped once from a name in a reply: app1's key "app1:x" stays "app1:x"."""
    t("RPUSH", "app1:x", 1, 2)
    t("ZADD", "app1:", 1, "m")  # "app1:" is a key name like any other
    assert t("LMPOP", 2, "nope", "app1:x", "LEFT") == [b"app1:x", [b"1"]]
    assert t("ZMPOP", 1, "app1:", "MIN") == [b"app1:", [[b"m", b"1"]]]
    t("XADD", "app1:s", "1-0", "f", "v")
    assert t("XREAD", "STREAMS", "app1:s", 0)[0][0] == b"app1:s"
    assert sorted(t.proxy_only("KEYS", "*")) == [b"app1:s", b"app1:x"]
    assert t.proxy_only("RANDOMKEY") in (b"app1:s", b"app1:x")
    t.check_keys({"app1:x", "app1:s"})


def test_empty_key_name(t):
    assert t("SET", "", "empty") == b"OK"
    assert t("GET", "") == b"empty"
    assert t.proxy_only("KEYS", "*") == [b""]
    assert t.proxy_only("RANDOMKEY") == b""
    assert t.proxy_only("DBSIZE") == 1
    t("RPUSH", "l", 1)
    t("DEL", "")
    t("RPUSH", "", 2)
    assert t("LMPOP", 2, "", "l", "LEFT") == [b"", [b"2"]]
    t.check_keys({"l"})


GETKEYS_CASES = [
    ("ZUNIONSTORE", "d", 2, "WEIGHTS", "z", "WEIGHTS", 1, 1), ("LMPOP", 1, "LEFT", "LEFT"),
    ("XREAD", "STREAMS", "STREAMS", "0"),
    ("XREAD", "COUNT", 1, "STREAMS", "COUNT", "STREAMS", 0, 0),
    ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", ">", ">"),
    ("SORT", "k", "BY", "w_*", "GET", "#", "GET", "o_*->f", "STORE", "dst"),
    ("SET", "NX", "v"), ("DEL", "WITHSCORES", "a"), ("MSET", "a", 1, "b", 2),
    ("EVAL", "return 1", 2, "k1", "k2", "argv"), ("ZINTERCARD", 2, "a", "LIMIT"),
    ("SINTERCARD", 1, "LIMIT", "LIMIT", 1), ("GEORADIUS", "g", 1, 1, 1, "km", "STORE", "s"),
    ("GEORADIUS", "g", 1, 1, 1, "km", "STOREDIST", "s"), ("GEOSEARCHSTORE", "d", "s", "FROMLONLAT",
                                                         1, 1, "BYRADIUS", 1, "km"),
    ("BITOP", "AND", "d", "a", "b"), ("LMOVE", "a", "b", "LEFT", "RIGHT"), ("COPY", "a", "b"),
    ("MIGRATE", "h", 1, "", 0, 1, "KEYS", "a", "b"), ("ZUNIONSTORE", "d", 3, "a", "b"),
    ("LMPOP", 0, "a", "LEFT"), ("GET",), ("NOSUCHCOMMAND", "a"), ("PING",),
]


def test_command_getkeys_as_redis(raw):
    """COMMAND GETKEYS answers with the names the client sent, as Redis does."""
    for args in GETKEYS_CASES:
        raw("COMMAND", "GETKEYS", *args)


def test_emulated_and_local_command_errors_as_redis(raw):
    """Wrong arguments to the commands the proxy answers or emulates itself: Redis's errors, and
    nothing is flushed or changed."""
    raw("SET", "k", "v")
    mismatches = []
    for args in (("FLUSHDB", "FOO"), ("FLUSHDB", "ASYNC", "SYNC"), ("FLUSHALL", "NOW"),
                 ("FLUSHALL", "ASYNC", "X"), ("DBSIZE", "x"), ("KEYS",), ("KEYS", "a", "b"),
                 ("RANDOMKEY", "x"), ("PING", "a", "b"), ("ECHO",), ("ECHO", "a", "b"),
                 ("SELECT",), ("SELECT", "x"), ("SELECT", "0", "1"),
                 ("CLIENT", "SETNAME", "a b"), ("CLIENT", "SETNAME", "a\nb"), ("CLIENT", "SETNAME"),
                 ("CLIENT", "GETNAME", "x"), ("CLIENT", "ID", "x"), ("CLIENT", "NOSUCH"),
                 ("CLIENT",), ("COMMAND", "GETKEYS"), ("COMMAND", "NOSUCH")):
        got, want = raw.proxy.send(*args), raw.ref.send(*args)
        kept = raw.proxy.send("DBSIZE")
        if got != want or kept != b":1\r\n":
            mismatches.append((args, got, want, "DBSIZE after: " + kept.decode()))
        raw("SET", "k", "v")
    assert mismatches == [], "\n".join(map(repr, mismatches))
