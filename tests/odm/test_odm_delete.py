"""ODM.DELETE (lua/scripts/odm_delete.lua) against a real redis-server: replies and keyspace."""
import pytest

from odm_helpers import meta, odm, rec  # noqa: F401 (fixture)

ITEM = meta(indices={"name": True, "group": False}, multi_fields=["tags", "log"])
SITEM = meta(indices={"name": True, "group": False}, sorted=True, autoincr=False)


@pytest.fixture
def items(odm):
    odm.commit("app.item", ITEM, rec(name="foo", group="g1"), rec(name="bar", group="g1"),
               rec(group="g2"), rec())
    odm.r.rpush("t1:app.item:obj:1:tags", "a")
    odm.r.set("t1:app.item:obj:1:log", "x")
    odm.r.sadd("t1:app.item:obj:3:tags", "b")
    odm.r.set("t1:app.item:obj:1:other", "not a structure of the model")
    return odm


def test_delete_by_query(items):
    items.query("q", "app.item", ITEM, "group", "value", "g1")
    assert sorted(items.delete("q", "app.item", ITEM)) == ["1", "2"]
    assert items.keyspace() == {
        "app.item:id": ("set", {"3", "4"}),
        "app.item:ids": ("string", "4"),
        "app.item:obj:3": ("hash", {"group": "g2"}),
        "app.item:obj:3:tags": ("set", {"b"}),
        "app.item:obj:1:other": ("string", "not a structure of the model"),
        "app.item:idx:group:g2": ("set", {"3"}),
        "app.item:idx:group:": ("set", {"4"}),
        "q": ("set", {"1", "2"}),
    }


def test_delete_everything_keeps_the_counter(items):
    # the reply lists the ids whose hash existed: 4 has no fields, 99 does not exist
    items.r.rpush("t1:l", "4", "3", "99", "1", "2", "3")
    assert items.delete("l", "app.item", ITEM) == ["3", "1", "2"]
    assert items.keyspace() == {
        "app.item:ids": ("string", "4"),
        "app.item:obj:1:other": ("string", "not a structure of the model"),
        "l": ("list", ["4", "3", "99", "1", "2", "3"]),
    }


def test_delete_the_idset_itself(items):
    assert sorted(items.delete("app.item:id", "app.item", ITEM)) == ["1", "2", "3"]
    assert set(items.keyspace()) == {"app.item:ids", "app.item:obj:1:other"}


@pytest.mark.parametrize("kind", ["set", "zset", "hash"])
def test_key_kinds(items, kind):
    if kind == "set":
        items.r.sadd("t1:k", "2")
    elif kind == "zset":
        items.r.zadd("t1:k", {"2": 5})
    else:
        items.r.hset("t1:k", "2", "whatever")
    assert items.delete("k", "app.item", ITEM) == ["2"]
    ks = items.keyspace()
    assert ks["app.item:id"] == ("set", {"1", "3", "4"})
    assert ks["app.item:uni:name"] == ("hash", {"foo": "1"})
    assert ks["app.item:idx:group:g1"] == ("set", {"1"})


def test_missing_key_deletes_nothing(items):
    before = items.keyspace()
    assert items.delete("nokey", "app.item", ITEM) == []
    assert items.keyspace() == before


def test_missing_unique_value(items):
    # instance 3 has no name: stdnet's HDEL with a nil value aborted the script half-way
    items.r.rpush("t1:l", "3", "1")
    assert items.delete("l", "app.item", ITEM) == ["3", "1"]
    ks = items.keyspace()
    assert ks["app.item:uni:name"] == ("hash", {"bar": "2"})
    assert ks["app.item:id"] == ("set", {"2", "4"})


def test_unique_mapping_of_another_instance_is_kept(items):
    # a stale hash value pointing at a mapping owned by instance 2
    items.r.hset("t1:app.item:obj:1", "name", "bar")
    items.r.rpush("t1:l", "1")
    assert items.delete("l", "app.item", ITEM) == ["1"]
    assert items.keyspace()["app.item:uni:name"] == ("hash", {"foo": "1", "bar": "2"})


def test_sorted_model(odm):
    odm.commit("app.sitem", SITEM, rec(score="1", name="a", group="g"),
               rec(score="2", name="b", group="g"))
    odm.r.rpush("t1:l", "1")
    assert odm.delete("l", "app.sitem", SITEM) == ["1"]
    assert odm.keyspace() == {
        "app.sitem:id": ("zset", [("2", 2.0)]),
        "app.sitem:ids": ("string", "2"),
        "app.sitem:obj:2": ("hash", {"name": "b", "group": "g"}),
        "app.sitem:idx:group:g": ("zset", [("2", 2.0)]),
        "app.sitem:uni:name": ("hash", {"b": "2"}),
        "l": ("list", ["1"]),
    }


def test_wrong_types_delete_nothing(items):
    items.r.delete("t1:app.item:idx:group:g2")
    items.r.set("t1:app.item:idx:group:g2", "oops")
    before = items.keyspace()
    items.r.rpush("t1:l", "1", "3")
    before["l"] = ("list", ["1", "3"])
    with pytest.raises(Exception) as info:
        items.delete("l", "app.item", ITEM)
    assert str(info.value) == 'ODM key "app.item:idx:group:g2" holds a string, expected a set'
    assert items.keyspace() == before
    items.r.set("t1:str", "x")
    with pytest.raises(Exception) as info:
        items.delete("str", "app.item", ITEM)
    assert str(info.value) == 'ODM key "str" holds a string, not a set, sorted set, list or hash'


def test_argument_errors(items):
    before = items.keyspace()
    assert items.error("odm_delete", ["t1:app.item"], "t1:", ITEM) == \
        "ODM DELETE takes exactly 2 keys (the model base key and the ids key)"
    assert items.error("odm_delete", ["t1:app.item", "t1:app.item:id"], "t1:") == \
        "ODM wrong number of arguments for ODM.DELETE: expected meta"
    assert items.error("odm_delete", ["t1:app.item", "app.item:id"], "t1:", ITEM) == \
        "ODM key 2 is outside the namespace"
    assert items.error("odm_delete", ["t1:app.item", "t1:app.item:id"], "t1:", "{") == \
        "ODM meta is not a JSON object"
    assert items.error("odm_delete", ["t1:app.item", "t1:app.item:id"], "t1:", SITEM) == \
        'ODM key "app.item:id" holds a set, expected a zset'
    assert items.keyspace() == before
