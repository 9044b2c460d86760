"""ODM.AGGREGATE and ODM.MOVE2SET (lua/scripts/odm_aggregate.lua, odm_move2set.lua)."""
import pytest

from odm_helpers import meta, odm, rec  # noqa: F401 (fixture)

NODE = meta(indices={"parent": False})
SNODE = meta(indices={"parent": False}, sorted=True, autoincr=False)


@pytest.fixture
def tree(odm):
    #      1            6 <-> 7 (a cycle)
    #    2   3
    #   4     5 -> (8 is dead: its hash is gone but the index still names it)
    odm.commit("app.node", NODE, rec(), rec(parent="1"), rec(parent="1"), rec(parent="2"),
               rec(parent="3"), rec(parent="7"), rec(parent="6"))
    odm.r.sadd("t1:app.node:idx:parent:5", "8")
    odm.r.sadd("t1:app.node:idx:parent:8", "9")  # stdnet walks through dead ids too
    odm.commit("app.node", NODE, rec(id="9", parent="8"))
    return odm


def test_aggregate_down_a_tree(tree):
    tree.r.sadd("t1:d", "2")
    before = tree.keyspace()
    assert tree.aggregate("d", "app.node", NODE, "parent") is None
    before["d"] = ("set", {"2", "4"})
    assert tree.keyspace() == before
    tree.r.sadd("t1:d2", "1")
    assert tree.aggregate("d2", "app.node", NODE, "parent") is None
    assert tree.r.smembers("t1:d2") == {"1", "2", "3", "4", "5", "9"}


def test_aggregate_terminates_on_cycles(tree):
    tree.r.sadd("t1:d", "6")
    assert tree.aggregate("d", "app.node", NODE, "parent") is None
    assert tree.r.smembers("t1:d") == {"6", "7"}


def test_aggregate_of_a_missing_key(tree):
    before = tree.keyspace()
    assert tree.aggregate("nokey", "app.node", NODE, "parent") is None
    assert tree.keyspace() == before


def test_aggregate_then_delete_cascades(tree):
    tree.query("d", "app.node", NODE, "id", "value", "3")
    tree.aggregate("d", "app.node", NODE, "parent")
    assert sorted(tree.delete("d", "app.node", NODE)) == ["3", "5", "9"]
    assert tree.r.smembers("t1:app.node:id") == {"1", "2", "4", "6", "7"}


def test_aggregate_sorted(odm):
    odm.commit("app.node", SNODE, rec(score="5"), rec(score="3", parent="1"),
               rec(score="4", parent="2"))
    odm.r.zadd("t1:d", {"1": 100})
    assert odm.aggregate("d", "app.node", SNODE, "parent") is None
    assert odm.keyspace()["d"] == ("zset", [("2", 3.0), ("3", 4.0), ("1", 100.0)])


def test_aggregate_through_a_unique_foreign_key(odm):
    m = meta(indices={"parent": True})
    odm.commit("app.node", m, rec(), rec(parent="1"), rec(parent="2"))
    odm.r.sadd("t1:d", "1")
    assert odm.aggregate("d", "app.node", m, "parent") is None
    assert odm.r.smembers("t1:d") == {"1", "2", "3"}


def test_aggregate_errors(tree):
    before = tree.keyspace()
    assert tree.error("odm_aggregate", ["t1:app.node", "t1:d"], "t1:", NODE) == \
        "ODM wrong number of arguments for ODM.AGGREGATE: expected meta and fk_attname"
    assert tree.error("odm_aggregate", ["t1:app.node", "t1:d"], "t1:", NODE, "") == \
        "ODM fk_attname must not be empty"
    assert tree.error("odm_aggregate", ["t1:app.node", "t2:d"], "t1:", NODE, "parent") == \
        "ODM key 2 is outside the namespace"
    assert tree.error("odm_aggregate", ["t1:app.node"], "t1:", NODE, "parent") == \
        "ODM AGGREGATE takes exactly 2 keys (the model base key and the ids key)"
    tree.r.rpush("t1:l", "1")
    before["l"] = ("list", ["1"])
    assert tree.error("odm_aggregate", ["t1:app.node", "t1:l"], "t1:", NODE, "parent") == \
        'ODM "l" holds a list, expected a set'
    tree.r.set("t1:app.node:idx:parent:4", "x")
    before["app.node:idx:parent:4"] = ("string", "x")
    tree.r.sadd("t1:d", "2")
    before["d"] = ("set", {"2"})
    assert tree.error("odm_aggregate", ["t1:app.node", "t1:d"], "t1:", NODE, "parent") == \
        'ODM key "app.node:idx:parent:4" holds a string, expected a set'
    assert tree.keyspace() == before


# MOVE2SET


@pytest.fixture
def keys(odm):
    r = odm.r
    r.sadd("t1:s", "a", "b")
    r.zadd("t1:z", {"x": 2, "y": 1})
    r.rpush("t1:l", "c", "a", "c")
    r.hset("t1:h", mapping={"f1": "v1", "f2": "v2"})
    return odm


def test_move2set_to_sets(keys):
    keys.r.pexpire("t1:l", 100000)
    assert keys.move2set("s", "s", "z", "l", "h", "missing") == [5, 4]
    assert keys.keyspace() == {
        "s": ("set", {"a", "b"}),
        "z": ("set", {"x", "y"}),
        "l": ("set", {"a", "c"}, "ttl"),
        "h": ("set", {"f1", "f2"}),
    }
    assert 99000 < keys.r.pttl("t1:l") <= 100000


def test_move2set_to_zsets(keys):
    keys.r.expire("t1:h", 1000)
    assert keys.move2set("z", "s", "z", "l", "h") == [4, 3]
    assert keys.keyspace() == {
        "s": ("zset", [("a", 0.0), ("b", 0.0)]),
        "z": ("zset", [("y", 1.0), ("x", 2.0)]),
        "l": ("zset", [("a", 0.0), ("c", 0.0)]),
        "h": ("zset", [("f1", 0.0), ("f2", 0.0)], "ttl"),
    }


def test_move2set_nothing(keys):
    assert keys.move2set("s") == [0, 0]
    assert keys.move2set("s", "missing", "missing") == [2, 2]
    assert keys.move2set("z", "l", "l") == [2, 1]
    assert "missing" not in keys.keyspace()


def test_move2set_errors(keys):
    before = keys.keyspace()
    keys.r.set("t1:str", "x")
    before["str"] = ("string", "x")
    with pytest.raises(Exception) as info:
        keys.move2set("s", "l", "str")
    assert str(info.value) == \
        'ODM MOVE2SET: "str" holds a string, not a set, sorted set, list or hash'
    with pytest.raises(Exception) as info:
        keys.move2set("x", "l")
    assert str(info.value) == "ODM MOVE2SET: the first argument must be s or z"
    assert keys.error("odm_move2set", ["t1:l", "t2:l"], "t1:", "s") == \
        "ODM key 2 is outside the namespace"
    assert keys.error("odm_move2set", ["t1:l"], "t1:") == \
        "ODM wrong number of arguments for ODM.MOVE2SET: expected s|z and keys"
    assert keys.keyspace() == before


def test_move2set_many_members(keys):
    keys.r.rpush("t1:big", *[str(i % 2500) for i in range(5000)])
    assert keys.move2set("z", "big") == [1, 1]
    assert keys.r.zcard("t1:big") == 2500
