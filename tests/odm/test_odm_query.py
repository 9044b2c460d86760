"""ODM.QUERY (lua/scripts/odm_query.lua) against a real redis-server: exact replies and keyspace."""
import json

import pytest

from odm_helpers import meta, odm, rec  # noqa: F401 (fixture)

ITEM = meta(indices={"name": True, "group": False}, multi_fields=["tags"])
SITEM = meta(indices={"name": True, "group": False}, sorted=True, autoincr=False)
GROUP = meta(indices={"kind": False})
NOT_AN_INDEX = 'ODM Cannot query on field "{}". Not an index.'


def r(value, nested=()):
    return json.dumps([value, list(nested)])


@pytest.fixture
def items(odm):
    """Groups 1 (Alpha, kind x), 2 (beta, kind y); items 1..4 (4 has no fields)."""
    odm.commit("app.group", GROUP, rec(name="Alpha", kind="x"), rec(name="beta", kind="y"))
    odm.commit("app.item", ITEM,
               rec(name="foo", group="1", value="5", code="Apple"),
               rec(name="bar", group="1", value="10", code="banana"),
               rec(name="baz", group="2", value="7.5", code="Cherry pie (50%)"),
               rec())
    return odm


@pytest.fixture
def sitems(odm):
    odm.commit("app.sitem", SITEM,
               rec(score="30", name="foo", group="g1", value="5"),
               rec(score="10", name="bar", group="g1", value="10"),
               rec(score="20", name="baz", group="g2", value="7"))
    return odm


def q(odm, *lookups, field="group", dest="q1", model_meta=ITEM, model="app.item"):
    return odm.query(dest, model, model_meta, field, *lookups)


def dest(odm, key="q1"):
    return odm.keyspace().get(key)


def test_value_on_the_id_field(items):
    assert q(items, "value", "2", "value", "9", "value", "4", field="id") == 2
    assert dest(items) == ("set", {"2", "4"})


def test_value_on_a_unique_field(items):
    items.r.hset("t1:app.item:uni:name", "ghost", "99")  # mapped to a dead id
    assert q(items, "value", "baz", "value", "nope", "value", "ghost", field="name") == 1
    assert dest(items) == ("set", {"3"})


def test_value_on_a_non_unique_field(items):
    items.r.sadd("t1:app.item:idx:group:1", "77")  # a stale entry of a dead id
    assert q(items, "value", "1") == 2
    assert dest(items) == ("set", {"1", "2"})
    assert q(items, "value", "1", "value", "2", dest="q2") == 3
    assert dest(items, "q2") == ("set", {"1", "2", "3"})
    assert q(items, "value", "", dest="q3") == 1  # the empty suffix: instances without a group
    assert dest(items, "q3") == ("set", {"4"})


def test_no_match_leaves_dest_missing(items):
    assert q(items, "value", "nope") == 0
    assert "q1" not in items.keyspace()


def test_matches_are_added_to_an_existing_dest_without_ranges(items):
    items.r.sadd("t1:q1", "x")
    assert q(items, "value", "2") == 2
    assert dest(items) == ("set", {"x", "3"})


def test_dest_ttl_is_kept_and_none_is_set(items):
    assert q(items, "value", "2") == 1
    assert items.r.ttl("t1:q1") == -1
    items.r.expire("t1:q1", 100)
    assert q(items, "value", "1") == 3
    assert dest(items) == ("set", {"1", "2", "3"}, "ttl")


@pytest.mark.parametrize("kind", ["set", "zset", "list", "hash"])
def test_set_lookup_on_the_id_field(items, kind):
    fill(items.r, "t1:s1", kind, ["2", "99", "3", "2"])
    assert q(items, "set", "s1", field="id") == 2
    assert dest(items) == ("set", {"2", "3"})


def fill(r, key, kind, members):
    if kind == "set":
        r.sadd(key, *members)
    elif kind == "zset":
        r.zadd(key, {m: i for i, m in enumerate(members)})
    elif kind == "list":
        r.rpush(key, *members)
    else:
        r.hset(key, mapping={m: "v" for m in members})


def test_set_lookup_on_a_unique_field(items):
    # stdnet failed on this (it called an undefined function).
    fill(items.r, "t1:l1", "list", ["foo", "baz", "nope"])
    assert q(items, "set", "l1", field="name") == 2
    assert dest(items) == ("set", {"1", "3"})


def test_set_lookup_on_a_non_unique_field(items):
    fill(items.r, "t1:h1", "hash", ["2", "5"])
    assert q(items, "set", "h1") == 1
    assert dest(items) == ("set", {"3"})


def test_set_lookup_key_is_namespaced(items):
    # The decoys 'q' (no prefix) and 't2:q' hold 1 2 3 foo a; t1:q does not exist.
    assert q(items, "set", "q", field="id", dest="q2") == 0
    assert "q2" not in items.keyspace()
    assert q(items, "set", "t2:q", field="id", dest="q3") == 0
    items.r.sadd("t1:q", "1")
    assert q(items, "set", "q", field="id", dest="q4") == 1
    assert dest(items, "q4") == ("set", {"1"})


def test_set_lookup_on_the_result_of_another_query(items):
    q(items, "value", "1", dest="first")
    assert q(items, "set", "first", "value", "3", field="id", dest="second") == 3
    assert dest(items, "second") == ("set", {"1", "2", "3"})


def test_set_lookup_on_a_string_is_an_error(items):
    before = items.keyspace()
    items.r.set("t1:str", "x")
    with pytest.raises(Exception) as info:
        q(items, "set", "str", field="id")
    assert str(info.value) == \
        'ODM set lookup key "str" holds a string, not a set, sorted set, list or hash'
    before["str"] = ("string", "x")
    assert items.keyspace() == before


@pytest.mark.parametrize("lookup", ["value", "set"])
def test_equality_on_a_field_without_index(items, lookup):
    before = items.keyspace()
    with pytest.raises(Exception) as info:
        q(items, lookup, "5", field="value")
    assert str(info.value) == NOT_AN_INDEX.format("value")
    with pytest.raises(Exception) as info:
        q(items, "gt", r(1), lookup, "5", field="value")
    assert str(info.value) == NOT_AN_INDEX.format("value")
    assert items.keyspace() == before


@pytest.mark.parametrize("lookups, expected", [
    (["gt", r(5)], {"2", "3"}),
    (["ge", r(5)], {"1", "2", "3"}),
    (["lt", r(7.5)], {"1"}),
    (["le", r("7.5")], {"1", "3"}),
    (["gt", r(4), "lt", r(10)], {"1", "3"}),
    (["gt", r(100)], set()),
])
def test_numeric_ranges(items, lookups, expected):
    items.r.hset("t1:app.item:obj:4", "value", "not a number")
    assert q(items, *lookups, field="value") == len(expected)
    assert dest(items) == (("set", expected) if expected else None)


def test_numeric_range_on_the_id_field(items):
    assert q(items, "ge", r(2), "lt", r(4), field="id") == 2
    assert dest(items) == ("set", {"2", "3"})


@pytest.mark.parametrize("lookup, operand, expected", [
    ("startswith", "ba", {"2", "3"}),
    ("startswith", "Ba", set()),
    ("istartswith", "BA", {"2", "3"}),
    ("endswith", "z", {"3"}),  # stdnet had no endswith (a typo: endswidth)
    ("endswith", "", {"1", "2", "3"}),
    ("iendswith", "AR", {"2"}),
    ("contains", "a", {"2", "3"}),
    ("icontains", "O", {"1"}),
    ("startswith", "", {"1", "2", "3"}),
])
def test_text_ranges(items, lookup, operand, expected):
    assert q(items, lookup, r(operand), field="name") == len(expected)
    assert dest(items) == (("set", expected) if expected else None)


@pytest.mark.parametrize("operand, expected", [
    ("(50%)", {"3"}),  # plain text, not a Lua pattern (stdnet treated it as one)
    ("%", {"3"}),
    (".", set()),
    ("a.a", set()),
    ("ana", {"2"}),
])
def test_contains_is_plain_text(items, operand, expected):
    assert q(items, "contains", r(operand), field="code") == len(expected)
    assert dest(items) == (("set", expected) if expected else None)


def test_case_insensitive_lookups(items):
    assert q(items, "icontains", r("CHERRY"), field="code") == 1
    assert q(items, "istartswith", r("apple"), field="code", dest="q2") == 1
    assert q(items, "iendswith", r("BANANA"), field="code", dest="q3") == 1
    assert (dest(items), dest(items, "q2"), dest(items, "q3")) == \
        (("set", {"3"}), ("set", {"1"}), ("set", {"2"}))


def test_equality_or_then_ranges_and(items):
    # all on one field: (group 1 OR group 2 OR group 5) AND group >= 2 AND group <= 10
    assert q(items, "value", "1", "ge", r(2), "value", "2", "le", r(10), "value", "5") == 1
    assert dest(items) == ("set", {"3"})
    assert q(items, "value", "1", "value", "2", "lt", r(2), dest="q2") == 2
    assert dest(items, "q2") == ("set", {"1", "2"})


def test_ranges_replace_the_previous_content_of_dest(items):
    items.r.sadd("t1:q1", "x", "1")
    assert q(items, "value", "2", "gt", r(0), field="group") == 1
    assert dest(items) == ("set", {"3"})
    items.r.delete("t1:q1")
    items.r.set("t1:q1", "a string is replaced too")
    items.r.expire("t1:q1", 100)
    assert q(items, "gt", r(6), field="value") == 2
    assert dest(items) == ("set", {"2", "3"})


def test_dest_of_the_wrong_type_without_ranges(items):
    items.r.rpush("t1:q1", "x")
    before = items.keyspace()
    with pytest.raises(Exception) as info:
        q(items, "value", "1")
    assert str(info.value) == 'ODM dest "q1" holds a list, expected a set'
    assert items.keyspace() == before


def test_range_through_a_foreign_key(items):
    # items whose group's name starts with "al" (case-insensitive): the group model key is
    # namespaced (the decoy groups without prefix and under t2: are all named decoy...).
    assert q(items, "istartswith", r("al", ["group", "app.group"]), field="name") == 2
    assert dest(items) == ("set", {"1", "2"})
    assert q(items, "startswith", r("decoy", ["group", "app.group"]), field="name", dest="q2") == 0
    assert q(items, "ge", r(2, ["group", "app.group"]), field="id", dest="q3") == 1
    assert dest(items, "q3") == ("set", {"3"})


def test_range_through_two_foreign_keys(items):
    odm = items
    odm.commit("app.node", meta(indices={"item": False}), rec(item="1"), rec(item="3"),
               rec(item="9"))
    nested = ["item", "app.item", "group", "app.group"]
    # node 1 -> item 1 -> group 1 (kind x); node 2 -> item 3 -> group 2 (kind y); node 3 -> item 9
    # (missing): its value is missing, it never matches.
    assert odm.query("q2", "app.node", meta(indices={"item": False}), "kind", "startswith",
                     r("y", nested)) == 1
    assert dest(odm, "q2") == ("set", {"2"})
    assert odm.query("q3", "app.node", meta(indices={"item": False}), "kind", "startswith",
                     r("", nested)) == 2
    assert dest(odm, "q3") == ("set", {"1", "2"})


def test_sorted_value_keeps_the_idset_scores(sitems):
    assert q(sitems, "value", "g1", model_meta=SITEM, model="app.sitem") == 2
    assert dest(sitems) == ("zset", [("2", 10.0), ("1", 30.0)])
    # Running it again into the same dest must not sum the scores (stdnet's ZUNIONSTORE did).
    assert q(sitems, "value", "g1", "value", "g2", model_meta=SITEM, model="app.sitem") == 3
    assert dest(sitems) == ("zset", [("2", 10.0), ("3", 20.0), ("1", 30.0)])


def test_sorted_set_lookup_and_unique_and_id(sitems):
    sitems.r.rpush("t1:l1", "g1", "g1", "g2")
    assert q(sitems, "set", "l1", model_meta=SITEM, model="app.sitem") == 3
    assert dest(sitems) == ("zset", [("2", 10.0), ("3", 20.0), ("1", 30.0)])
    assert q(sitems, "value", "foo", field="name", dest="q2", model_meta=SITEM,
             model="app.sitem") == 1
    assert dest(sitems, "q2") == ("zset", [("1", 30.0)])
    assert q(sitems, "value", "3", "value", "4", field="id", dest="q3", model_meta=SITEM,
             model="app.sitem") == 1
    assert dest(sitems, "q3") == ("zset", [("3", 20.0)])


def test_ranges_on_a_sorted_model(sitems):
    # stdnet failed on every range lookup of a sorted model.
    assert q(sitems, "ge", r(7), field="value", model_meta=SITEM, model="app.sitem") == 2
    assert dest(sitems) == ("zset", [("2", 10.0), ("3", 20.0)])
    assert q(sitems, "value", "g1", "endswith", r("o"), field="group", dest="q2",
             model_meta=SITEM, model="app.sitem") == 0
    assert q(sitems, "value", "g1", "lt", r(8), field="group", dest="q3",
             model_meta=SITEM, model="app.sitem") == 0
    assert q(sitems, "startswith", r("ba"), field="name", dest="q4", model_meta=SITEM,
             model="app.sitem") == 2
    assert dest(sitems, "q4") == ("zset", [("2", 10.0), ("3", 20.0)])


@pytest.mark.parametrize("lookups, message", [
    (["like", "x"], 'ODM unknown lookup "like" (value set gt ge lt le startswith endswith contains '
                    'istartswith iendswith icontains)'),
    (["ilike", "x"], 'ODM unknown lookup "ilike" (value set gt ge lt le startswith endswith '
                     'contains istartswith iendswith icontains)'),
    (["igt", r(1)], 'ODM unknown lookup "igt" (value set gt ge lt le startswith endswith '
                    'contains istartswith iendswith icontains)'),
    (["gt", "5"], "ODM lookup gt: value must be JSON [operand, nested]"),
    (["gt", "[1, [], 3]"], "ODM lookup gt: value must be JSON [operand, nested]"),
    (["gt", "nope"], "ODM lookup gt: value must be JSON [operand, nested]"),
    (["gt", r("abc")], "ODM lookup gt: operand must be a number"),
    (["le", json.dumps([[1], []])], "ODM lookup le: operand must be a number"),
    (["contains", json.dumps([{"a": 1}, []])], "ODM lookup contains: operand must be a string"),
    (["gt", json.dumps([1, ["group"]])],
     "ODM lookup gt: nested must be an array [fk_attname, related_M, ...]"),
    (["gt", json.dumps([1, {"a": "b"}])],
     "ODM lookup gt: nested must be an array [fk_attname, related_M, ...]"),
    (["gt", json.dumps([1, ["group", ""]])], "ODM lookup gt: nested must hold non-empty names"),
    (["value"],
     "ODM wrong number of arguments for ODM.QUERY: expected field and lookup/value pairs"),
])
def test_argument_errors(items, lookups, message):
    before = items.keyspace()
    with pytest.raises(Exception) as info:
        q(items, "value", "1", *lookups)
    assert str(info.value) == message
    assert items.keyspace() == before


def test_no_lookup_is_an_error(items):
    with pytest.raises(Exception) as info:
        q(items)
    assert str(info.value) == \
        "ODM wrong number of arguments for ODM.QUERY: expected field and lookup/value pairs"


def test_operands_given_as_json_numbers_or_text(items):
    assert q(items, "gt", json.dumps(["5", None]), field="value") == 2
    assert q(items, "startswith", json.dumps([1, []]), field="group", dest="q2") == 2
    assert q(items, "gt", json.dumps([5]), field="value", dest="q3") == 2


def test_key_errors(items):
    assert items.error("odm_query", ["t1:app.item"], "t1:", ITEM, "id", "value", "1") == \
        "ODM QUERY takes exactly 2 keys (the model base key and dest)"
    assert items.error("odm_query", ["t1:app.item", "t2:dest"], "t1:", ITEM, "id", "value",
                       "1") == "ODM key 2 is outside the namespace"
    assert items.error("odm_query", ["app.item", "t1:dest"], "t1:", ITEM, "id", "value",
                       "1") == "ODM key 1 is outside the namespace"
    assert items.error("odm_query", ["t1:", "t1:dest"], "t1:", ITEM, "id", "value", "1") == \
        "ODM the model key is empty"
    assert items.error("odm_query", ["t1:app.item", "t1:dest"], "t1:", "{}", "id", "value",
                       "1") == 'ODM meta: "id_name" must be a non-empty string'


def test_sorted_mismatch_is_refused(items):
    with pytest.raises(Exception) as info:
        q(items, "value", "1", model_meta=SITEM)
    assert str(info.value) == 'ODM "app.item:id" holds a set but meta says the model is sorted'


def test_query_of_a_missing_model(odm):
    assert odm.query("q1", "app.nothing", ITEM, "group", "value", "1", "gt", r(0)) == 0
    assert odm.keyspace() == {}


def test_set_lookup_on_dest_itself(items):
    items.r.sadd("t1:q1", "1", "3")
    assert q(items, "set", "q1", field="id") == 2
    assert dest(items) == ("set", {"1", "3"})
    assert q(items, "set", "q1", "gt", r(1), field="id") == 1
    assert dest(items) == ("set", {"3"})
