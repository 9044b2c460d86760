"""Isolation between tenants (SPEC §2): tenant app1 can neither see, count, read, change nor delete
anything of tenant app2 nor the un-prefixed "decoy" keys written directly on the backend — among
them keys whose names contain glob characters, a key named `app1` (no colon) and keys under
`app1x:`.

Every test ends by checking that everything that is not app1's is exactly as it was.
"""
import time

import pytest

from conftest import DEFAULT_CONFIG
from test_ns_common import REF_DB, Err, RawConn, Tenant, all_keys, scan_all, snapshot

DECOY_STRINGS = {
    "k": "decoy-k", "u1": "decoy-u1", "u5": "decoy-u5", "app1": "decoy-app1",
    "app1x:k": "decoy-app1x", "app1x:u1": "decoy-app1x-u1", "a*b": "decoy-glob",
    "a[1]": "decoy-bracket", "app1*": "decoy-star", "w_1": "100", "w_2": "-5", "w_3": "50",
    "name_1": "FOREIGN", "name_2": "FOREIGN", "name_3": "FOREIGN",
}
APP1_KEYS = {b"k", b"u1", b"u2", b"h", b"a*b", b"a[1]", b"ab", b"ids", b"s1"}


class World:
    """app1 (differential Tenant), app2 (through stdnetd) and decoys (directly on the backend)."""

    def __init__(self, stdnetd, redis_server):
        self.t = Tenant(stdnetd, redis_server)
        self.backend = redis_server.client()
        self.redis_server = redis_server
        b = self.backend
        for k, v in DECOY_STRINGS.items():
            b.set(k, v)
        for i in (1, 2, 3):
            b.hset(f"o_{i}", "f", "FOREIGN")
        b.xadd("s3", {"secret": "FOREIGN"}, id="1-0")
        b.xadd("s2", {"secret": "FOREIGN"}, id="1-0")
        self.app2 = stdnetd.client(single_connection_client=True)
        assert self.app2.execute_command("AUTH", "app2-secret")
        a2 = self.app2
        a2.set("k", "app2-k")
        a2.set("u1", "app2-u1")
        a2.set("u9", "app2-u9")
        a2.set("a*b", "app2-glob")
        for i, w in ((1, 7), (2, 8), (3, 9)):
            a2.set(f"w_{i}", w)
            a2.hset(f"o_{i}", "f", "FOREIGN2")
            a2.set(f"name_{i}", "FOREIGN2")
        a2.xadd("s2", {"secret": "FOREIGN2"}, id="1-0")
        a2.rpush("ids", 9, 8)
        t = self.t
        t("SET", "k", "mine")
        t("SET", "u1", "x")
        t("SET", "u2", "x")
        t("HSET", "h", "f", "v")
        t("SET", "a*b", "glob")
        t("SET", "a[1]", "bracket")
        t("SET", "ab", "plain")
        t("RPUSH", "ids", 3, 1, 2)
        t("XADD", "s1", "1-0", "a", "b")
        self.foreign_before = self.foreign()
        assert len(self.foreign_before) > 20
        self.ref_before = self.ref_state()

    def foreign(self):
        """Everything on the backend (all databases but the reference) that is not app1's."""
        return {k: snapshot(self.backend, k) for k in all_keys(self.backend)
                if not k.startswith(b"app1:")}

    def ref_state(self):
        ref = self.t.ref_view
        return {k: snapshot(ref, k) for k in all_keys(ref)}

    def app1(self, *args):
        return self.t.proxy_only(*args)

    def check(self, app1_keys=None):
        """Nothing foreign changed; app1's keys are the reference's (exactly `app1_keys`)."""
        assert self.foreign() == self.foreign_before
        self.t.check_keys(app1_keys, others_allowed=True)


@pytest.fixture
def w(stdnetd, redis_server):
    return World(stdnetd, redis_server)


def test_keys(w):
    t = w.t
    assert set(w.app1("KEYS", "*")) == APP1_KEYS
    for pattern in ("*", "u*", "a*b", "a\\*b", "a[[]1]", "a?b", "a[*]b", "app1*", "app1:*",
                    "app1\\*", "*k*", "[a-k]*", "\\a*", "a*", "*]", "app2:*", "*:*", "k", "nope",
                    "[", "a[", "\\"):
        t.sorted("KEYS", pattern)
    assert w.app1("KEYS", "a\\*b") == [b"a*b"]
    assert w.app1("KEYS", "app1*") == []
    w.check(APP1_KEYS)


def test_scan(w):
    t = w.t
    for options in ((), ("MATCH", "*"), ("COUNT", 1), ("COUNT", 3), ("MATCH", "u*"),
                    ("MATCH", "a\\*b"), ("MATCH", "a*b", "COUNT", 2), ("MATCH", "app1*"),
                    ("MATCH", "app2:*"), ("TYPE", "string"), ("TYPE", "stream"),
                    ("TYPE", "hash", "MATCH", "*"), ("MATCH", "*", "TYPE", "list", "COUNT", 1),
                    ("TYPE", "zset")):
        got = set(scan_all(t.proxy, *options))
        assert got == set(scan_all(t.ref, *options)), options
    assert set(scan_all(t.proxy)) == APP1_KEYS
    w.check(APP1_KEYS)


def test_randomkey(w):
    for _ in range(100):
        assert w.app1("RANDOMKEY") in APP1_KEYS
    for k in APP1_KEYS:
        w.t("DEL", k)
    # Only decoys and app2's keys remain: app1 has no random key to get.
    for _ in range(30):
        assert w.app1("RANDOMKEY") is None
    w.check(set())


def test_dbsize(w):
    assert w.app1("DBSIZE") == len(APP1_KEYS)
    assert w.app2.dbsize() == 15
    w.check(APP1_KEYS)


@pytest.mark.parametrize("command", [("FLUSHDB",), ("FLUSHDB", "ASYNC"), ("FLUSHALL",),
                                     ("FLUSHALL", "SYNC")])
def test_flush_deletes_only_own_keys(w, command):
    assert w.app1(*command) == b"OK"
    assert w.ref_state() == w.ref_before  # the other database is untouched too
    w.t.ref.flushdb()
    assert w.app1("DBSIZE") == 0
    assert w.app1("KEYS", "*") == []
    w.check(set())


def test_countpattern_delpattern(w):
    t = w.t
    assert w.app1("COUNTPATTERN", "*") == len(APP1_KEYS)
    assert w.app1("COUNTPATTERN", "u*") == 2
    assert w.app1("COUNTPATTERN", "a*b") == 2  # a*b and ab
    assert w.app1("COUNTPATTERN", "a\\*b") == 1
    assert w.app1("COUNTPATTERN", "app1*") == 0
    assert w.app1("COUNTPATTERN", "app2:*") == 0
    assert w.app1("DELPATTERN", "app1*") == 0
    assert w.app1("DELPATTERN", "u*") == 2
    t.ref.delete("u1", "u2")
    assert w.app1("DELPATTERN", "a\\*b") == 1
    t.ref.delete("a*b")
    assert w.app1("DELPATTERN", "a[[]1]") == 1
    t.ref.delete("a[1]")
    w.check({"k", "h", "ab", "ids", "s1"})


def test_pubsub_channels_and_publish(w):
    r = w.redis_server
    subs = []
    for channels in (("app1:news", "app1:n*s"), ("app1:news",), ("app2:news", "news", "app1x:news",
                                                               "app1", "n*s")):
        p = r.client().pubsub()
        p.subscribe(*channels)
        subs.append(p)
    deadline = time.monotonic() + 10
    while w.backend.pubsub_numsub("app1:news")[0][1] != 2 or \
            w.backend.pubsub_numsub("n*s")[0][1] != 1:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert sorted(w.app1("PUBSUB", "CHANNELS")) == [b"n*s", b"news"]
    assert sorted(w.app1("PUBSUB", "CHANNELS", "*")) == [b"n*s", b"news"]
    assert w.app1("PUBSUB", "CHANNELS", "n\\*s") == [b"n*s"]
    assert w.app1("PUBSUB", "CHANNELS", "app*") == []
    assert w.app1("PUBSUB", "NUMSUB", "news", "n*s", "app2:news", "app1x:news") == \
        [b"news", 2, b"n*s", 1, b"app2:news", 0, b"app1x:news", 0]
    assert sorted(w.app2.execute_command("PUBSUB", "CHANNELS")) == [b"news"]
    # Pattern subscriptions of others (here: made directly on the backend) are not app1's.
    psub = r.client().pubsub()
    psub.psubscribe("app2:x*", "zz*")
    subs.append(psub)
    deadline = time.monotonic() + 10
    while w.backend.pubsub_numpat() != 2:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    numpat = w.app1("PUBSUB", "NUMPAT")  # checked last
    assert w.app1("PUBLISH", "news", "hello") == 2
    assert w.app1("PUBLISH", "app2:news", "hello") == 0
    assert w.app1("PUBLISH", "app1x:news", "hello") == 0
    assert w.app2.execute_command("PUBLISH", "news", "hi2") == 1
    got = []
    for p in subs:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            m = p.get_message(timeout=0.1)
            if m is not None and m["type"] == "message":
                got.append((m["channel"], m["data"]))
        p.close()
    assert sorted(got) == [(b"app1:news", b"hello"), (b"app1:news", b"hello"),
                           (b"app2:news", b"hi2")]
    w.check(APP1_KEYS)
    assert numpat == 0


def test_sort_patterns_cannot_reach_foreign_keys(w):
    t = w.t
    for args in (("SORT", "ids", "BY", "w_*"),
                 ("SORT", "ids", "BY", "w_*", "GET", "#", "GET", "o_*->f", "GET", "name_*"),
                 ("SORT", "ids", "BY", "app2:w_*", "GET", "app2:o_*->f", "GET", "app2:name_*"),
                 ("SORT", "ids", "BY", "o_*->f", "ALPHA", "GET", "o_*->f"),
                 ("SORT", "ids", "GET", "*"),
                 ("SORT", "ids", "GET", "../name_*"),
                 ("SORT_RO", "ids", "BY", "w_*", "GET", "name_*"),
                 ("SORT", "ids", "BY", "w_*", "GET", "name_*", "STORE", "dst")):
        reply = t(*args)
        assert b"FOREIGN" not in repr(reply).encode() and b"FOREIGN2" not in repr(reply).encode()
    assert t("LRANGE", "dst", 0, -1) == [b"", b"", b""]
    w.check(APP1_KEYS | {b"dst"})


def test_foreign_streams_unreadable(w):
    t = w.t
    assert t("XREAD", "STREAMS", "s2", "0") is None
    assert t("XREAD", "STREAMS", "app2:s2", "0") is None
    assert t("XREAD", "STREAMS", "s3", "0") is None
    reply = t("XREAD", "COUNT", 5, "STREAMS", "s1", "s2", "s3", "0", "0", "0")
    assert [r[0] for r in reply] == [b"s1"]
    t("XRANGE", "app2:s2", "-", "+")
    t("XINFO", "STREAM", "s2")
    t("XGROUP", "CREATE", "s2", "g", "0")
    t("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s2", ">")
    w.check(APP1_KEYS)


def test_foreign_names_are_the_tenants_own(w):
    """Naming a foreign key explicitly only ever reaches app1's key of that name."""
    t = w.t
    for args in (("GET", "app2:k"), ("GET", "app1x:k"), ("GET", "app1"), ("EXISTS", "app2:k",
                 "app1x:k", "app2:u9", "u9"), ("TYPE", "app2:k"), ("STRLEN", "app2:k"),
                 ("DUMP", "app2:k"), ("OBJECT", "ENCODING", "app2:k"), ("TTL", "app2:k"),
                 ("MEMORY", "USAGE", "app2:k"), ("TOUCH", "app2:k", "u9"), ("DEL", "app2:k", "u9"),
                 ("UNLINK", "app2:u9"), ("EXPIRE", "app2:k", 10), ("PERSIST", "app2:k"),
                 ("RENAME", "app2:k", "stolen"), ("RENAMENX", "app2:u1", "stolen"),
                 ("COPY", "app2:k", "stolen"), ("HGETALL", "o_1"), ("HGETALL", "app2:o_1"),
                 ("MGET", "app2:k", "k", "app1x:k"), ("GETDEL", "app2:u1"),
                 ("LRANGE", "app2:ids", 0, -1), ("LPOP", "app2:ids"),
                 ("RPOPLPUSH", "app2:ids", "x"),
                 ("LMPOP", 2, "app2:ids", "ids", "LEFT"), ("SMOVE", "app2:k", "x", "m"),
                 ("PFCOUNT", "app2:k"), ("BITCOUNT", "app2:k"), ("GETBIT", "app2:k", 1),
                 ("SUNIONSTORE", "x", "app2:k"), ("ZUNIONSTORE", "z", 1, "app2:w_1"),
                 ("SET", "app2:k", "hacked"), ("APPEND", "app1x:k", "hacked")):
        t(*args)
    w.check()
    assert w.app2.get("k") == b"app2-k"


def test_raw_scripts_refused(w):
    for args in (("EVAL", "return redis.call('GET', 'app2:k')", 0),
                 ("EVAL", "return redis.call('SET', 'k', 'hacked')", 0),
                 ("EVAL", "return redis.call('GET', KEYS[1])", 1, "k"),
                 ("EVAL_RO", "return redis.call('GET', 'app2:k')", 0),
                 ("EVALSHA", "a42059b356c875f0717db19a51f6aaca9ae659ea", 0),
                 ("FCALL", "anything", 0), ("FUNCTION", "LOAD", "#!lua name=x\n"),
                 ("SCRIPT", "LOAD", "return 1")):
        reply = w.app1(*args)
        assert isinstance(reply, Err), args
        assert "app2-k" not in reply.text and "decoy" not in reply.text
    w.check(APP1_KEYS)


def test_other_databases_refused(w):
    accepted = []
    for args in (("MOVE", "k", 1), ("MOVE", "k", 5), ("COPY", "k", "k2", "DB", 1),
                 ("COPY", "k", "k", "DB", 1, "REPLACE"), ("SWAPDB", 0, 1), ("SWAPDB", 1, 2),
                 ("SELECT", 1), ("SELECT", 15),
                 ("MIGRATE", "127.0.0.1", w.redis_server.port, "k", 1, 1000, "COPY")):
        reply = w.app1(*args)
        if not isinstance(reply, Err):
            accepted.append((args, reply))
    assert accepted == [], f"not refused: {accepted}"
    assert w.ref_state() == w.ref_before
    for db in range(2, 16):
        assert w.redis_server.client(db=db).dbsize() == 0
    assert w.app1("GET", "k") == b"mine"
    w.check(APP1_KEYS)


def test_admin_commands_refused(w):
    backend = w.backend
    maxmemory = backend.config_get("maxmemory")
    for args in (("CONFIG", "GET", "maxmemory"), ("CONFIG", "SET", "maxmemory", "1"),
                 ("CONFIG", "RESETSTAT"), ("DEBUG", "SLEEP", 0), ("DEBUG", "OBJECT", "k"),
                 ("CLIENT", "LIST"), ("CLIENT", "KILL", "ID", 1), ("CLIENT", "PAUSE", 1),
                 ("SHUTDOWN", "NOSAVE"), ("SAVE",), ("BGSAVE",), ("REPLICAOF", "127.0.0.1", 1),
                 ("ACL", "LIST"), ("ACL", "SETUSER", "x"), ("MODULE", "LIST"), ("SLOWLOG", "GET"),
                 ("LATENCY", "LATEST"), ("MEMORY", "STATS"), ("SCRIPT", "FLUSH"),
                 ("FUNCTION", "FLUSH"), ("CLUSTER", "INFO"), ("MONITOR",)):
        reply = w.app1(*args)
        assert isinstance(reply, Err), (args, reply)
    assert backend.ping()
    assert backend.config_get("maxmemory") == maxmemory
    info = w.app1("INFO")
    total = backend.dbsize()
    assert f"keys={total},".encode() not in info  # the backend's keyspace is not shown
    w.check(APP1_KEYS)


def test_same_names_in_two_tenants(w):
    assert w.app1("GET", "k") == b"mine"
    assert w.app2.get("k") == b"app2-k"
    assert w.app1("GET", "u9") is None
    assert w.app2.exists("h") == 0
    w.app2.delete("k", "u1")
    assert w.app1("GET", "k") == b"mine"
    assert w.backend.get("k") == b"decoy-k"
    assert w.app1("LRANGE", "ids", 0, -1) == [b"3", b"1", b"2"]
    assert w.app2.lrange("ids", 0, -1) == [b"9", b"8"]


APP_CONFIG = DEFAULT_CONFIG.replace('namespace = "app1"\n', 'namespace = "app"\n', 1) + """
[[namespace]]
name = "app"
prefix = "app:"
password = "app-secret"
"""


def test_prefix_that_is_a_prefix_of_another_namespace_name(redis_server, make_stdnetd):
    """Namespace `app` (prefix "app:") sees nothing of `app1:` keys, nor `app1:`'s of `app:`."""
    proxy = make_stdnetd(redis_server, APP_CONFIG)
    backend = redis_server.client()
    for k in ("app1:k", "app1:u", "appx:k", "app", "app1", "ap:k", "app::k2"):
        backend.set(k, "foreign")
    c = proxy.client(single_connection_client=True)
    assert c.set("k", "mine")
    assert c.set("u", "mine")
    assert sorted(c.keys("*")) == [b":k2", b"k", b"u"]
    assert c.keys("app1*") == []
    assert c.dbsize() == 3
    for _ in range(30):
        assert c.randomkey() in {b"k", b"u", b":k2"}
    assert c.get("k") == b"mine"
    assert c.execute_command("COUNTPATTERN", "*") == 3
    assert c.execute_command("DELPATTERN", "u*") == 1
    other = proxy.client(single_connection_client=True)
    assert other.execute_command("AUTH", "app1-secret")
    assert sorted(other.keys("*")) == [b"k", b"u"]
    assert other.dbsize() == 2
    assert c.flushdb()
    assert c.keys("*") == []
    assert all_keys(backend) == {b"app1:k", b"app1:u", b"appx:k", b"app", b"app1", b"ap:k"}
    assert backend.get("app1:k") == b"foreign"
    assert REF_DB == 1 and redis_server.client(db=REF_DB).dbsize() == 0


def test_prefix_that_is_a_prefix_of_another_namespace_name_scan(redis_server, make_stdnetd):
    proxy = make_stdnetd(redis_server, APP_CONFIG)
    backend = redis_server.client()
    for k in ("app1:k", "app1:u", "appx:k", "app", "app1", "ap:k", "app::k2"):
        backend.set(k, "foreign")
    c = proxy.client(single_connection_client=True)
    assert c.set("k", "mine")
    assert set(scan_all(c)) == {b"k", b":k2"}
    assert set(scan_all(c, "MATCH", "*k*")) == {b"k", b":k2"}
    assert set(scan_all(c, "COUNT", 1)) == {b"k", b":k2"}


def test_raw_connection_sees_decoys_but_tenants_do_not(w, stdnetd):
    """Sanity check of the setup: the trusted pass-through namespace sees every key."""
    with RawConn(stdnetd.port) as c:
        assert c.send("AUTH", "raw", "raw-secret") == b"+OK\r\n"
        assert c.send("GET", "app1x:k") == b"$11\r\ndecoy-app1x\r\n"
        assert c.send("GET", "app1:k") == b"$4\r\nmine\r\n"
    assert w.app1("GET", "app1x:k") is None
    w.check(APP1_KEYS)


def test_many_keys_in_batches(w):
    """Emulations walk the keyspace in SCAN batches: every batch counts, nothing foreign does."""
    backend = w.backend
    pipe = backend.pipeline(transaction=False)
    for i in range(3000):
        pipe.set(f"app1:bulk{i}", i)
        pipe.set(f"bulk{i}", i)
        pipe.set(f"app2:bulk{i}", i)
    pipe.execute()
    w.foreign_before = w.foreign()
    total = len(APP1_KEYS) + 3000
    assert w.app1("DBSIZE") == total
    keys = w.app1("KEYS", "*")
    assert len(keys) == total and set(keys) == APP1_KEYS | {b"bulk%d" % i for i in range(3000)}
    assert w.app1("COUNTPATTERN", "bulk1*") == 1111
    assert w.app1("DELPATTERN", "bulk2*") == 1111
    assert w.app1("DBSIZE") == total - 1111
    assert w.app1("FLUSHDB") == b"OK"
    assert w.app1("DBSIZE") == 0
    assert {k for k in all_keys(backend) if k.startswith(b"app1:")} == set()
    assert w.foreign() == w.foreign_before


def test_randomkey_finds_the_only_key_among_many_foreign(w):
    pipe = w.backend.pipeline(transaction=False)
    for i in range(5000):
        pipe.set(f"decoy{i}", i)
    pipe.execute()
    for k in APP1_KEYS - {b"u2"}:
        w.t("DEL", k)
    for _ in range(10):
        assert w.app1("RANDOMKEY") == b"u2"
