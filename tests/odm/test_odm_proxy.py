"""The ODM commands end to end: clients talk to stdnetd, stdnetd runs the scripts on redis-server.

Every test asserts the replies the client gets and the exact keyspace of the backend (every key of
the default namespace app1 is under "app1:"). The scripts themselves are tested in depth directly
against Redis (test_odm_*.py); here the point is the proxy's part: the KEYS/ARGV layout of
odm/call.cc, the namespace prefix, MULTI/EXEC, NOSCRIPT recovery, RESP3, error replies.

Run: STDNETD=build/stdnetd /usr/bin/python3 -m pytest -q tests/odm/test_odm_proxy.py
"""
import json
import os
import pathlib
import socket
import subprocess

import pytest
import redis

from odm_helpers import MIN_FLOAT, dump_all, meta, rec

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "odm_example.py"

ITEM = meta(indices={"name": True, "group": False}, multi_fields=["tags"])
SITEM = meta(indices={"group": False}, sorted=True, autoincr=False)
GROUP = meta(id_type=3, indices={"kind": False})  # custom ids: the group names
NODE = meta(indices={"parent": False})


def r(value, nested=()):
    """The value of a range lookup."""
    return json.dumps([value, list(nested)])


def odm(client, command, *args):
    return client.execute_command("ODM." + command, *args)


def commit(client, model, model_meta, *records):
    return odm(client, "COMMIT", model, model_meta, len(records), *[x for r in records for x in r])


def backend_keys(redis_server, prefix="app1:"):
    """The backend's keyspace; asserts that every key is under prefix, which is stripped."""
    everything = dump_all(redis_server.client(decode_responses=True))
    outside = [k for k in everything if not k.startswith(prefix)]
    assert not outside, f"keys outside {prefix!r}: {outside}"
    return {k[len(prefix):]: v for k, v in everything.items()}


@pytest.fixture
def client(stdnetd):
    c = stdnetd.client(decode_responses=True)
    yield c
    c.close()


@pytest.fixture
def items(client):
    assert commit(client, "app.item", ITEM,
                  rec(name="a", group="g", value="1"),
                  rec(name="b", group="g", value="10"),
                  rec(name="c", group="h")) == [[1, 1, MIN_FLOAT], [2, 1, MIN_FLOAT],
                                               [3, 1, MIN_FLOAT]]
    return client


ITEMS_KEYSPACE = {
    "app.item:id": ("set", {"1", "2", "3"}),
    "app.item:ids": ("string", "3"),
    "app.item:obj:1": ("hash", {"name": "a", "group": "g", "value": "1"}),
    "app.item:obj:2": ("hash", {"name": "b", "group": "g", "value": "10"}),
    "app.item:obj:3": ("hash", {"name": "c", "group": "h"}),
    "app.item:idx:group:g": ("set", {"1", "2"}),
    "app.item:idx:group:h": ("set", {"3"}),
    "app.item:uni:name": ("hash", {"a": "1", "b": "2", "c": "3"}),
}


# ---- each command


def test_commit(items, redis_server):
    assert backend_keys(redis_server) == ITEMS_KEYSPACE
    # update, override, explicit id, primary-key change
    assert commit(items, "app.item", ITEM,
                  rec("update", "1", "1", value="2"),
                  rec("override", "3", "3", name="c2"),
                  rec(id="9", name="z"),
                  rec("update", "2", "7")) == [[1, 1, MIN_FLOAT], [3, 1, MIN_FLOAT],
                                               [9, 1, MIN_FLOAT], [7, 1, MIN_FLOAT]]
    assert backend_keys(redis_server) == {
        "app.item:id": ("set", {"1", "3", "7", "9"}),
        "app.item:ids": ("string", "9"),
        "app.item:obj:1": ("hash", {"name": "a", "group": "g", "value": "2"}),
        "app.item:obj:7": ("hash", {"name": "b", "group": "g", "value": "10"}),
        "app.item:obj:3": ("hash", {"name": "c2"}),
        "app.item:obj:9": ("hash", {"name": "z"}),
        "app.item:idx:group:g": ("set", {"1", "7"}),
        "app.item:idx:group:": ("set", {"3", "9"}),
        "app.item:uni:name": ("hash", {"a": "1", "b": "7", "c2": "3", "z": "9"}),
    }


def test_sorted_commit_and_pages(client, redis_server):
    assert commit(client, "app.sitem", SITEM, rec(score="30", name="x", group="g"),
                  rec(score="10", name="y", group="g"), rec(score="20", name="z")) == \
        [[1, 1, "30"], [2, 1, "10"], [3, 1, "20"]]
    ks = backend_keys(redis_server)
    assert ks["app.sitem:id"] == ("zset", [("2", 10.0), ("3", 20.0), ("1", 30.0)])
    assert ks["app.sitem:idx:group:g"] == ("zset", [("2", 10.0), ("1", 30.0)])
    assert odm(client, "LOAD", "app.sitem:id", "app.sitem", SITEM,
               json.dumps({"ordering": "DESC", "start": 0, "stop": 1, "fields": ["name"]})) == \
        [[["1", ["x"]], ["3", ["z"]]], []]
    assert odm(client, "LOAD", "app.sitem:id", "app.sitem", SITEM,
               json.dumps({"ordering": "ASC", "start": 2, "stop": 5, "fields": ["id"]})) == \
        [["1"], []]
    assert odm(client, "QUERY", "q", "app.sitem", SITEM, "group", "value", "g") == 2
    assert backend_keys(redis_server)["q"] == ("zset", [("2", 10.0), ("1", 30.0)])


def test_query(items, redis_server):
    assert odm(items, "QUERY", "q", "app.item", ITEM, "group", "value", "g") == 2
    assert odm(items, "QUERY", "q2", "app.item", ITEM, "name", "value", "c", "value", "zz") == 1
    # a `set` lookup names a key: the script namespaces it (app1:s, not s)
    items.sadd("s", "a", "b", "nope")
    assert odm(items, "QUERY", "q3", "app.item", ITEM, "name", "set", "s") == 2
    # ranges (no index needed), combined with AND
    assert odm(items, "QUERY", "q4", "app.item", ITEM, "value", "ge", r(1), "lt", r(5)) == 1
    # a range through a foreign key: the related model key is namespaced by the script
    assert commit(items, "app.group", GROUP, rec(id="g", kind="Alpha"), rec(id="h", kind="beta")) \
        == [["g", 1, MIN_FLOAT], ["h", 1, MIN_FLOAT]]
    assert odm(items, "QUERY", "q5", "app.item", ITEM, "kind", "istartswith",
               r("al", ["group", "app.group"])) == 2
    ks = backend_keys(redis_server)
    assert {k: v for k, v in ks.items() if not k.startswith("app.")} == {
        "q": ("set", {"1", "2"}),
        "q2": ("set", {"3"}),
        "q3": ("set", {"1", "2"}),
        "q4": ("set", {"1"}),
        "q5": ("set", {"1", "2"}),
        "s": ("set", {"a", "b", "nope"}),
    }
    with pytest.raises(redis.ResponseError, match=r'^ODM Cannot query on field "value"\. Not an '
                                                  r'index\.$'):
        odm(items, "QUERY", "q6", "app.item", ITEM, "value", "value", "1")
    assert "q6" not in backend_keys(redis_server)


def test_load(items):
    items.rpush("app.item:obj:1:tags", "t1", "t2")
    items.sadd("ids", "2", "1")
    assert odm(items, "LOAD", "app.item:id", "app.item", ITEM, "null") == [[
        ["1", ["name", "a", "group", "g", "value", "1"]],
        ["2", ["name", "b", "group", "g", "value", "10"]],
        ["3", ["name", "c", "group", "h"]]], []]
    options = {"ordering": "explicit", "order": {"field": "value", "desc": True},
               "fields": ["name", "nope"],
               "related": {"tags": {"field": "tags", "type": "list"}}}
    assert odm(items, "LOAD", "ids", "app.item", ITEM, json.dumps(options)) == [
        [["2", ["b", None]], ["1", ["a", None]]], [["tags", [["2", []], ["1", ["t1", "t2"]]], []]]]
    assert odm(items, "LOAD", "ids", "app.item", ITEM, json.dumps({"get": "name"})) == ["1", "2"]
    # related foreign keys: the related model key ("bk") is namespaced by the script
    commit(items, "app.group", GROUP, rec(id="g", kind="x"))
    options = {"fields": ["id"], "related": {"group": {"field": "group", "type": "",
                                                       "bk": "app.group", "fields": ["kind"]}}}
    assert odm(items, "LOAD", "app.item:id", "app.item", ITEM, json.dumps(options)) == [
        ["1", "2", "3"], [["group", [["g", ["x"]]], ["kind"]]]]


def test_explicit_sort_through_a_foreign_key_uses_scratch_keys_under_the_prefix(items,
                                                                                 redis_server):
    commit(items, "app.group", GROUP, rec(id="g", kind="b"), rec(id="h", kind="a"))
    before = backend_keys(redis_server)
    options = {"ordering": "explicit", "fields": ["id"],
               "order": {"field": "group", "method": "ALPHA", "nested": ["app.group", "kind"]}}
    rows = odm(items, "LOAD", "app.item:id", "app.item", ITEM, json.dumps(options))[0]
    assert rows[0] == "3" and sorted(rows[1:]) == ["1", "2"]
    assert backend_keys(redis_server) == before  # the scratch keys are gone


def test_delete(items, redis_server):
    items.rpush("app.item:obj:2:tags", "x")
    items.rpush("l", "2", "9", "2")
    assert odm(items, "DELETE", "l", "app.item", ITEM) == ["2"]
    expected = {k: v for k, v in ITEMS_KEYSPACE.items() if k != "app.item:obj:2"}
    expected.update({"app.item:id": ("set", {"1", "3"}), "app.item:idx:group:g": ("set", {"1"}),
                     "app.item:uni:name": ("hash", {"a": "1", "c": "3"}),
                     "l": ("list", ["2", "9", "2"])})
    assert backend_keys(redis_server) == expected
    assert odm(items, "DELETE", "app.item:id", "app.item", ITEM) == ["1", "3"]
    assert backend_keys(redis_server) == {"app.item:ids": ("string", "3"),
                                          "l": ("list", ["2", "9", "2"])}


def test_aggregate_and_cascade(client, redis_server):
    # 1 <- 2 <- 3, 1 <- 4, 5 alone
    commit(client, "app.node", NODE, rec(), rec(parent="1"), rec(parent="2"), rec(parent="1"),
           rec())
    assert odm(client, "QUERY", "d", "app.node", NODE, "id", "value", "2") == 1
    assert odm(client, "AGGREGATE", "d", "app.node", NODE, "parent") is None
    assert backend_keys(redis_server)["d"] == ("set", {"2", "3"})
    assert sorted(odm(client, "DELETE", "d", "app.node", NODE)) == ["2", "3"]
    ks = backend_keys(redis_server)
    assert ks["app.node:id"] == ("set", {"1", "4", "5"})
    assert ks["app.node:idx:parent:1"] == ("set", {"4"})
    assert "app.node:idx:parent:2" not in ks


def test_move2set(client, redis_server):
    client.rpush("l", "b", "a", "b")
    client.pexpire("l", 100000)
    client.hset("h", mapping={"x": "1"})
    client.sadd("s", "m")
    assert odm(client, "MOVE2SET", "s", "l", "h", "s", "missing") == [4, 3]
    assert odm(client, "MOVE2SET", "z", "s") == [1, 1]
    assert backend_keys(redis_server) == {
        "l": ("set", {"a", "b"}, "ttl"),
        "h": ("set", {"x"}),
        "s": ("zset", [("m", 0.0)]),
    }
    client.set("str", "v")
    # the error names the key as the client knows it (no prefix)
    with pytest.raises(redis.ResponseError,
                       match=r'^ODM MOVE2SET: "str" holds a string, not a set, sorted set, list '
                             r'or hash$'):
        odm(client, "MOVE2SET", "s", "l", "str")
    assert backend_keys(redis_server)["str"] == ("string", "v")


def test_command_names_are_case_insensitive(client, redis_server):
    assert client.execute_command("odm.commit", "m", ITEM, 1, *rec(name="a")) == \
        [[1, 1, MIN_FLOAT]]
    assert client.execute_command("Odm.Query", "q", "m", ITEM, "name", "value", "a") == 1
    assert client.execute_command("oDm.LoAd", "q", "m", ITEM, "{}") == [[["1", ["name", "a"]]],
                                                                         []]
    assert client.execute_command("odm.aggregate", "q", "m", ITEM, "name") is None
    assert client.execute_command("odm.move2set", "s", "q") == [1, 0]
    assert client.execute_command("odm.delete", "q", "m", ITEM) == ["1"]
    assert backend_keys(redis_server) == {"m:ids": ("string", "1"), "q": ("set", {"1"})}


# ---- errors


@pytest.mark.parametrize("args,name", [
    (["ODM.COMMIT", "m", ITEM], "odm.commit"),
    (["ODM.QUERY", "q", "m", ITEM, "name", "value"], "odm.query"),
    (["ODM.QUERY", "q", "m", ITEM, "name", "value", "a", "value"], "odm.query"),  # odd pairs
    (["ODM.LOAD", "q", "m", ITEM], "odm.load"),
    (["ODM.LOAD", "q", "m", ITEM, "{}", "x"], "odm.load"),
    (["ODM.DELETE", "q", "m"], "odm.delete"),
    (["ODM.AGGREGATE", "q", "m", ITEM], "odm.aggregate"),
    (["ODM.MOVE2SET", "s"], "odm.move2set"),
])
def test_wrong_number_of_arguments(client, redis_server, args, name):
    with pytest.raises(redis.ResponseError) as info:
        client.execute_command(*args)
    assert str(info.value) == f"wrong number of arguments for '{name}' command"
    assert backend_keys(redis_server) == {}
    assert client.ping()  # the connection is still usable


def test_script_errors_pass_through_unchanged(client, redis_server):
    with pytest.raises(redis.ResponseError) as info:
        commit(client, "m", "not json", rec(name="a"))
    assert str(info.value) == "ODM meta is not a JSON object"
    with pytest.raises(redis.ResponseError) as info:
        odm(client, "COMMIT", "m", ITEM, 2, *rec(name="a"))
    assert str(info.value) == ("ODM record 2 of 2 is incomplete: expected action prev_id id score "
                               "n")
    with pytest.raises(redis.ResponseError) as info:
        odm(client, "QUERY", "q", "m", ITEM, "name", "nope", "x")
    assert str(info.value).startswith('ODM unknown lookup "nope"')
    with pytest.raises(redis.ResponseError) as info:
        odm(client, "MOVE2SET", "x", "k")
    assert str(info.value) == "ODM MOVE2SET: the first argument must be s or z"
    assert backend_keys(redis_server) == {}


def test_a_failing_record_leaves_no_trace(items, redis_server):
    before = backend_keys(redis_server)
    reply = commit(items, "app.item", ITEM, rec(name="a", group="new"),  # unique violation
                   rec("update", "3", "3", name="b"),  # so is this update
                   rec(name="d", group="g"))
    message = 'Unique constraint "name" violated: "{}" is already in database.'
    assert reply == [["", 0, message.format("a")], [3, 0, message.format("b")],
                     [4, 1, MIN_FLOAT]]
    expected = dict(before)
    expected.update({
        "app.item:id": ("set", {"1", "2", "3", "4"}),
        "app.item:ids": ("string", "4"),  # the id the failed add would have taken is not used
        "app.item:obj:4": ("hash", {"name": "d", "group": "g"}),
        "app.item:idx:group:g": ("set", {"1", "2", "4"}),
        "app.item:uni:name": ("hash", {"a": "1", "b": "2", "c": "3", "d": "4"}),
    })
    assert backend_keys(redis_server) == expected


# ---- namespaces, transactions, script cache, RESP3


def test_two_tenants_with_the_same_model_key(stdnetd, redis_server):
    app1 = stdnetd.client(decode_responses=True)
    app2 = stdnetd.client(decode_responses=True, password="app2-secret")
    for c, name in ((app1, "one"), (app2, "two")):
        assert commit(c, "app.item", ITEM, rec(name=name, group="g")) == [[1, 1, MIN_FLOAT]]
        c.sadd("names", name)
    for c, name in ((app1, "one"), (app2, "two")):
        assert odm(c, "QUERY", "q", "app.item", ITEM, "name", "set", "names") == 1
        assert odm(c, "LOAD", "q", "app.item", ITEM, "{}") == [[["1", ["name", name,
                                                                        "group", "g"]]], []]
    assert odm(app2, "DELETE", "q", "app.item", ITEM) == ["1"]
    everything = dump_all(redis_server.client(decode_responses=True))
    assert {k for k in everything if not k.startswith(("app1:", "app2:"))} == set()
    app1_keys = {k[5:]: v for k, v in everything.items() if k.startswith("app1:")}
    app2_keys = {k[5:]: v for k, v in everything.items() if k.startswith("app2:")}
    assert app1_keys == {
        "app.item:id": ("set", {"1"}),
        "app.item:ids": ("string", "1"),
        "app.item:obj:1": ("hash", {"name": "one", "group": "g"}),
        "app.item:idx:group:g": ("set", {"1"}),
        "app.item:uni:name": ("hash", {"one": "1"}),
        "names": ("set", {"one"}),
        "q": ("set", {"1"}),
    }
    assert app2_keys == {
        "app.item:ids": ("string", "1"),
        "names": ("set", {"two"}),
        "q": ("set", {"1"}),
    }
    app1.close()
    app2.close()


def test_odm_commands_inside_multi_exec(client, redis_server):
    pipe = client.pipeline(transaction=True)
    pipe.execute_command("ODM.COMMIT", "app.item", ITEM, 2, *rec(name="a", group="g"),
                         *rec(name="b", group="g"))
    pipe.rpush("app.item:obj:1:tags", "x", "y")  # an ordinary command on a structure field
    pipe.execute_command("ODM.QUERY", "q", "app.item", ITEM, "group", "value", "g")
    pipe.expire("q", 60)
    pipe.execute_command("ODM.LOAD", "q", "app.item", ITEM, json.dumps({
        "ordering": "explicit", "order": {"field": "name", "method": "ALPHA", "desc": True},
        "fields": ["name"], "related": {"tags": {"field": "tags", "type": "list"}}}))
    pipe.execute_command("ODM.AGGREGATE", "q", "app.item", ITEM, "group")
    pipe.execute_command("ODM.MOVE2SET", "z", "q")
    pipe.execute_command("ODM.COMMIT", "app.item", "bad meta", 0)  # fails at EXEC time
    pipe.lrange("app.item:obj:1:tags", 0, -1)
    pipe.execute_command("ODM.DELETE", "q", "app.item", ITEM)
    pipe.exists("app.item:obj:1:tags")
    replies = pipe.execute(raise_on_error=False)
    assert replies[:7] == [
        [[1, 1, MIN_FLOAT], [2, 1, MIN_FLOAT]],
        2,
        2,
        True,
        [[["2", ["b"]], ["1", ["a"]]], [["tags", [["2", []], ["1", ["x", "y"]]], []]]],
        None,
        [1, 1],
    ]
    assert isinstance(replies[7], redis.ResponseError)
    assert str(replies[7]) == "ODM meta is not a JSON object"
    assert replies[8:] == [["x", "y"], ["1", "2"], 0]
    assert backend_keys(redis_server) == {
        "app.item:ids": ("string", "2"),
        "q": ("zset", [("1", 0.0), ("2", 0.0)], "ttl"),
    }


def test_wrong_arity_inside_multi_aborts_the_transaction(client, redis_server):
    pipe = client.pipeline(transaction=True)
    pipe.execute_command("ODM.COMMIT", "app.item", ITEM, 1, *rec(name="a"))
    pipe.execute_command("ODM.LOAD", "q", "app.item", ITEM)  # refused by the proxy
    # redis-py raises the queue-time error of the command that aborted the EXEC
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'odm.load'"):
        pipe.execute()
    assert backend_keys(redis_server) == {}
    assert client.ping()


def test_noscript_recovery(items, redis_server):
    backend = redis_server.client()
    backend.script_flush()
    assert commit(items, "app.item", ITEM, rec(name="d")) == [[4, 1, MIN_FLOAT]]
    for script in ("odm_query", "odm_load", "odm_delete", "odm_aggregate", "odm_move2set"):
        backend.script_flush()
        if script == "odm_query":
            assert odm(items, "QUERY", "q", "app.item", ITEM, "group", "value", "g") == 2
        elif script == "odm_load":
            assert odm(items, "LOAD", "q", "app.item", ITEM, json.dumps({"fields": ["name"]})) \
                == [[["1", ["a"]], ["2", ["b"]]], []]
        elif script == "odm_aggregate":
            assert odm(items, "AGGREGATE", "q", "app.item", ITEM, "group") is None
        elif script == "odm_move2set":
            assert odm(items, "MOVE2SET", "s", "q") == [1, 0]
        else:
            assert odm(items, "DELETE", "q", "app.item", ITEM) == ["1", "2"]
    # a pipeline of several ODM calls after a flush: each one recovers, in order
    backend.script_flush()
    pipe = items.pipeline(transaction=False)
    pipe.execute_command("ODM.COMMIT", "app.item", ITEM, 1, *rec(name="e"))
    pipe.execute_command("ODM.QUERY", "q2", "app.item", ITEM, "name", "value", "e")
    pipe.execute_command("ODM.LOAD", "q2", "app.item", ITEM, json.dumps({"fields": ["name"]}))
    assert pipe.execute() == [[[5, 1, MIN_FLOAT]], 1, [[["5", ["e"]]], []]]
    # and inside MULTI (the proxy sends EVAL there)
    backend.script_flush()
    pipe = items.pipeline(transaction=True)
    pipe.execute_command("ODM.QUERY", "q3", "app.item", ITEM, "name", "value", "c")
    pipe.execute_command("ODM.DELETE", "q3", "app.item", ITEM)
    assert pipe.execute() == [1, ["3"]]
    # the backend did refuse EVALSHA after each flush (not counting the EVALs inside MULTI)
    noscript = backend.info("errorstats")["errorstat_NOSCRIPT"]  # "count=<n>"
    assert int(noscript.split("=")[1]) >= 7
    assert backend_keys(redis_server) == {
        "app.item:id": ("set", {"4", "5"}),
        "app.item:ids": ("string", "5"),
        "app.item:obj:4": ("hash", {"name": "d"}),
        "app.item:obj:5": ("hash", {"name": "e"}),
        "app.item:idx:group:": ("set", {"4", "5"}),
        "app.item:uni:name": ("hash", {"d": "4", "e": "5"}),
        "q": ("set", {"1", "2"}),
        "q2": ("set", {"5"}),
        "q3": ("set", {"3"}),
    }


class RespSocket:
    """A raw connection that reads one complete RESP2/RESP3 reply at a time, as bytes."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def send(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    def _end(self, pos):
        """The end of the value starting at pos, or None when the buffer does not hold it all."""
        line_end = self.buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        kind, head = self.buf[pos:pos + 1], self.buf[pos + 1:line_end]
        after = line_end + 2
        if kind in b"$=!" and head != b"-1" and head != b"?":
            end = after + int(head) + 2
            return end if len(self.buf) >= end else None
        if kind in b"*~>%|" and head != b"-1":
            count = int(head) * (2 if kind in b"%|" else 1)
            for _ in range(count):
                after = self._end(after)
                if after is None:
                    return None
            return after
        return after

    def reply(self):
        while True:
            end = self._end(0) if self.buf else None
            if end is not None:
                data, self.buf = self.buf[:end], self.buf[end:]
                return data
            chunk = self.sock.recv(65536)
            assert chunk, "connection closed"
            self.buf += chunk

    def close(self):
        self.sock.close()


def test_resp3(items, stdnetd):
    s = RespSocket(stdnetd.port)
    try:
        s.send("HELLO", "3")
        assert s.reply().startswith(b"%")
        s.send("ODM.LOAD", "app.item:id", "app.item", ITEM, json.dumps({"fields": ["name", "x"]}))
        assert s.reply() == (b"*2\r\n*3\r\n*2\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n_\r\n"
                             b"*2\r\n$1\r\n2\r\n*2\r\n$1\r\nb\r\n_\r\n"
                             b"*2\r\n$1\r\n3\r\n*2\r\n$1\r\nc\r\n_\r\n*0\r\n")
        s.send("ODM.AGGREGATE", "nokey", "app.item", ITEM, "group")
        assert s.reply() == b"_\r\n"
        s.send("ODM.COMMIT", "app.item", ITEM, 1, *rec(name="a"))
        message = b'Unique constraint "name" violated: "a" is already in database.'
        assert s.reply() == b"*1\r\n*3\r\n$0\r\n\r\n:0\r\n$%d\r\n%s\r\n" % (len(message), message)
        s.send("ODM.LOAD", "app.item:id", "app.item", ITEM)
        assert s.reply() == b"-ERR wrong number of arguments for 'odm.load' command\r\n"
    finally:
        s.close()


def test_resp2_wire_bytes(items, stdnetd):
    s = RespSocket(stdnetd.port)
    try:
        s.send("ODM.LOAD", "app.item:id", "app.item", ITEM, json.dumps({"fields": ["x"]}))
        assert s.reply() == (b"*2\r\n*3\r\n*2\r\n$1\r\n1\r\n*1\r\n$-1\r\n*2\r\n$1\r\n2\r\n*1\r\n"
                             b"$-1\r\n*2\r\n$1\r\n3\r\n*1\r\n$-1\r\n*0\r\n")
        s.send("ODM.QUERY", "q", "app.item", ITEM, "zzz", "value", "1")
        assert s.reply() == b"-ERR ODM Cannot query on field \"zzz\". Not an index.\r\n"
    finally:
        s.close()


# ---- the example program


def test_example_program(stdnetd, redis_server):
    env = dict(os.environ, STDNET_PORT=str(stdnetd.port))
    for run in range(2):  # it starts by deleting what a previous run left
        done = subprocess.run(["/usr/bin/python3", str(EXAMPLE)], env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        out = done.stdout
        for expected in [
            "  author #1 Tolkien\n",
            '  author Tolkien (again) refused: Unique constraint "name" violated: "Tolkien" is '
            "already in database.\n",
            "  8 books committed, ids 1, 2, 3, 4, 5, 6, 7, 8\n",
            "fantasy, excluding Tolkien:\n"
            "    #2 1968 A Wizard of Earthsea — Le Guin\n"
            "    #4 1983 The Colour of Magic — Pratchett\n",
            "published in the 1960s:\n"
            "    #5 1965 Dune — Herbert\n"
            "    #2 1968 A Wizard of Earthsea — Le Guin\n"
            "    #3 1969 The Left Hand of Darkness — Le Guin\n"
            "    #7 1969 Dune Messiah — Herbert\n",
            "by an author whose name starts with 'le':\n"
            "    #2 1968 A Wizard of Earthsea — Le Guin\n"
            "    #3 1969 The Left Hand of Darkness — Le Guin\n",
            "page 1:\n"
            "    #4 1983 The Colour of Magic — Pratchett\n"
            "    #7 1969 Dune Messiah — Herbert\n"
            "    #3 1969 The Left Hand of Darkness — Le Guin\n",
            "    #5 1965 Dune — Herbert [classic, desert]\n",
            "sorted by the author's year of birth (first 4):\n"
            "    #1 1937 The Hobbit — Tolkien\n"
            "    #6 1954 The Fellowship of the Ring — Tolkien\n"
            "    #8 1954 The Two Towers — Tolkien\n"
            "    #5 1965 Dune — Herbert\n",
            "  deleted The Hobbit and its sequels: books 1, 6, 8\n",
            "  deleted author 4 (Herbert) and books 5, 7\n",
            "== done: 3 authors, 3 books\n",
        ]:
            assert expected in out, f"run {run + 1}: {expected!r} not in:\n{out}"
    ks = backend_keys(redis_server)
    assert not [k for k in ks if ":tmp:" in k]  # the query results were dropped
    assert ks["lib.book:id"] == ("zset", [("2", 1968.0), ("3", 1969.0), ("4", 1983.0)])
    assert ks["lib.author:uni:name"] == ("hash", {"Tolkien": "1", "Le Guin": "2",
                                                  "Pratchett": "3"})
