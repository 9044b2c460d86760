"""The ODM scripts as the proxy calls them: exact wire replies, MULTI/EXEC, RESP3, namespaces."""
import json
import socket

import pytest

from odm_helpers import MIN_FLOAT, Odm, meta, odm, rec  # noqa: F401 (fixture)

ITEM = meta(indices={"name": True, "group": False}, multi_fields=["tags"])


def raw_call(port, *args):
    """Send one command, return the raw reply bytes (read until the socket is idle)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        s.sendall(b"".join(out))
        s.settimeout(0.5)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        return data


def test_wire_replies(odm):
    port = odm.server.port
    sha = odm.sha["odm_commit"]
    reply = raw_call(port, "EVALSHA", sha, 1, "t1:app.item", "t1:", ITEM, 2,
                     *rec(name="a"), *rec(name="a"))
    message = b'Unique constraint "name" violated: "a" is already in database.'
    assert reply == (b"*2\r\n*3\r\n:1\r\n:1\r\n$6\r\n-1e+99\r\n"
                     b"*3\r\n$0\r\n\r\n:0\r\n$%d\r\n%s\r\n" % (len(message), message))
    reply = raw_call(port, "EVALSHA", sha, 1, "t1:app.item", "t1:", "{}", 0)
    assert reply == b"-ERR ODM meta: \"id_name\" must be a non-empty string\r\n"
    reply = raw_call(port, "EVALSHA", odm.sha["odm_query"], 2, "t1:app.item", "t1:q", "t1:", ITEM,
                     "zzz", "value", "1")
    assert reply == b"-ERR ODM Cannot query on field \"zzz\". Not an index.\r\n"
    reply = raw_call(port, "EVALSHA", odm.sha["odm_aggregate"], 2, "t1:app.item", "t1:q", "t1:",
                     ITEM, "group")
    assert reply == b"$-1\r\n"


def test_resp3_replies(odm):
    odm.commit("app.item", ITEM, rec(name="a", group="g"))
    with socket.create_connection(("127.0.0.1", odm.server.port), timeout=5) as s:
        s.sendall(b"*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n")
        buf = b""
        while b"modules" not in buf or not buf.endswith(b"*0\r\n"):
            buf += s.recv(65536)
        args = [b"EVALSHA", odm.sha["odm_load"].encode(), b"2", b"t1:app.item", b"t1:app.item:id",
                b"t1:", ITEM.encode(), json.dumps({"fields": ["name", "x"]}).encode()]
        s.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
        expected = b"*2\r\n*1\r\n*2\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n_\r\n*0\r\n"
        data = b""
        while len(data) < len(expected):
            data += s.recv(65536)
        assert data == expected


def test_odm_commands_inside_multi_exec(odm):
    r = odm.r
    pipe = r.pipeline(transaction=True)
    odm.run("odm_commit", ["t1:app.item"], "t1:", ITEM, 2, *rec(name="a", group="g"),
            *rec(name="b", group="g"), client=pipe)
    odm.run("odm_query", ["t1:app.item", "t1:q"], "t1:", ITEM, "group", "value", "g", client=pipe)
    pipe.expire("t1:q", 60)
    odm.run("odm_load", ["t1:app.item", "t1:q"], "t1:", ITEM,
            json.dumps({"ordering": "explicit", "order": {"field": "name", "method": "ALPHA"}}),
            client=pipe)
    odm.run("odm_move2set", ["t1:q"], "t1:", "z", client=pipe)
    odm.run("odm_delete", ["t1:app.item", "t1:q"], "t1:", ITEM, client=pipe)
    odm.run("odm_commit", ["t1:app.item"], "t1:", "bad meta", 0, client=pipe)
    replies = pipe.execute(raise_on_error=False)
    assert replies[:6] == [
        [[1, 1, MIN_FLOAT], [2, 1, MIN_FLOAT]],
        2,
        True,
        [[["1", ["name", "a", "group", "g"]], ["2", ["name", "b", "group", "g"]]], []],
        [1, 1],
        ["1", "2"],
    ]
    assert str(replies[6]) == "ODM meta is not a JSON object"
    assert odm.keyspace() == {
        "app.item:ids": ("string", "2"),
        "q": ("zset", [("1", 0.0), ("2", 0.0)], "ttl"),
    }


def test_two_namespaces_share_nothing(odm):
    other = odm.with_prefix("t3:")
    odm.commit("app.item", ITEM, rec(name="a", group="g"))
    before = odm.keyspace()
    assert other.commit("app.item", ITEM, rec(name="a", group="g")) == [[1, 1, MIN_FLOAT]]
    assert other.query("q", "app.item", ITEM, "name", "value", "a") == 1
    other.r.sadd("t3:s", "1")
    assert other.query("q2", "app.item", ITEM, "id", "set", "s") == 1
    assert other.load("q", "app.item", ITEM, {}) == [[["1", ["name", "a", "group", "g"]]], []]
    assert other.delete("q", "app.item", ITEM) == ["1"]
    assert odm.keyspace() == before
    assert other.keyspace() == {"app.item:ids": ("string", "1"), "q": ("set", {"1"}),
                                "q2": ("set", {"1"}), "s": ("set", {"1"})}
    other.r.delete(*other.r.keys("t3:*"))  # (the fixture checks nothing else changed outside t1:)


def test_empty_prefix_of_a_trusted_namespace(redis_server):
    o = Odm(redis_server, prefix="")
    assert o.commit("app.item", ITEM, rec(name="a")) == [[1, 1, MIN_FLOAT]]
    o.r.sadd("s", "a")
    assert o.query("q", "app.item", ITEM, "name", "set", "s") == 1
    assert o.keyspace() == {
        "app.item:id": ("set", {"1"}),
        "app.item:ids": ("string", "1"),
        "app.item:obj:1": ("hash", {"name": "a"}),
        "app.item:idx:group:": ("set", {"1"}),
        "app.item:uni:name": ("hash", {"a": "1"}),
        "q": ("set", {"1"}),
        "s": ("set", {"a"}),
    }


def test_a_session_like_stdnet(odm):
    """Commit, filter, load with related, cascade delete: the flow of a stdnet session."""
    CAT = meta(indices={"parent": False, "name": True})
    assert odm.commit("app.group", CAT, rec(name="root"), rec(name="child", parent="1"),
                      rec(name="leaf", parent="2")) == [[i, 1, MIN_FLOAT] for i in (1, 2, 3)]
    assert odm.commit("app.item", ITEM, rec(name="x", group="3"), rec(name="y", group="2")) == \
        [[1, 1, MIN_FLOAT], [2, 1, MIN_FLOAT]]
    assert odm.query("q", "app.item", ITEM, "group", "value", "3", "value", "2") == 2
    odm.r.expire("t1:q", 60)
    reply = odm.load("q", "app.item", ITEM, {
        "ordering": "explicit", "order": {"field": "name", "method": "ALPHA", "desc": True},
        "fields": ["name"], "related": {"group": {"field": "group", "type": "", "bk": "app.group",
                                                  "fields": ["name"]}}})
    assert reply == [[["2", ["y"]], ["1", ["x"]]], [["group", [["2", ["child"]], ["3", ["leaf"]]],
                                                     ["name"]]]]
    # cascade: delete group 2 and its descendants
    assert odm.query("d", "app.group", CAT, "id", "value", "2") == 1
    assert odm.aggregate("d", "app.group", CAT, "parent") is None
    assert sorted(odm.delete("d", "app.group", CAT)) == ["2", "3"]
    ks = odm.keyspace()
    assert ks["app.group:id"] == ("set", {"1"})
    assert ks["app.group:uni:name"] == ("hash", {"root": "1"})
    assert ks["app.group:idx:parent:"] == ("set", {"1"})
    assert "app.group:idx:parent:1" not in ks and "app.group:idx:parent:2" not in ks


@pytest.mark.parametrize("name", ["odm_commit", "odm_query", "odm_load", "odm_delete",
                                  "odm_aggregate", "odm_move2set"])
def test_scripts_refuse_no_arguments(odm, name):
    with pytest.raises(Exception) as info:
        odm.run(name, [])
    assert str(info.value).startswith("ODM ")
