"""ODM.LOAD (lua/scripts/odm_load.lua) against a real redis-server: exact replies and keyspace."""
import json
import time

import pytest

from odm_helpers import meta, odm, rec  # noqa: F401 (fixture)

ITEM = meta(indices={"name": True, "group": False}, multi_fields=["tags"])
GROUP = meta(indices={})
SITEM = meta(indices={"group": False}, sorted=True, autoincr=False)


@pytest.fixture
def data(odm):
    odm.commit("app.group", GROUP, rec(name="Alpha", rank="2"), rec(name="beta", rank="1"), rec())
    odm.commit("app.item", ITEM,
               rec(name="foo", group="1", value="5"),
               rec(name="bar", group="2", value="10"),
               rec(name="baz", group="1", value="7.5"),
               rec(name="qux", group="3"),
               rec(name="Zed", group="9", value="1"))
    odm.r.rpush("t1:ids", "3", "1", "5", "2", "4")  # a query result in a chosen order
    return odm


def load(odm, options, key="ids", model="app.item", model_meta=ITEM):
    return odm.load(key, model, model_meta, options)


ROWS = {
    "1": ["name", "foo", "group", "1", "value", "5"],
    "2": ["name", "bar", "group", "2", "value", "10"],
    "3": ["name", "baz", "group", "1", "value", "7.5"],
    "4": ["name", "qux", "group", "3"],
    "5": ["name", "Zed", "group", "9", "value", "1"],
}


def rows(*ids):
    return [[i, ROWS[i]] for i in ids]


def test_all_fields_in_key_order(data):
    before = data.keyspace()
    assert load(data, {}) == [rows("3", "1", "5", "2", "4"), []]
    assert load(data, "null") == [rows("3", "1", "5", "2", "4"), []]
    assert load(data, {"ordering": "", "fields": [], "related": {}, "get": None, "order": [],
                       "start": 0, "stop": -1}) == [rows("3", "1", "5", "2", "4"), []]
    assert data.keyspace() == before


def test_idset_key(data):
    assert load(data, {}, key="app.item:id") == [rows("1", "2", "3", "4", "5"), []]


def test_missing_ids_have_no_fields(data):
    data.r.rpush("t1:l1", "2", "99")
    assert load(data, {}, key="l1") == [[["2", ROWS["2"]], ["99", []]], []]
    assert load(data, {}, key="nokey") == [[], []]


def test_listed_fields(data):
    assert load(data, {"fields": ["value", "name", "nope"]}) == [[
        ["3", ["7.5", "baz", None]], ["1", ["5", "foo", None]], ["5", ["1", "Zed", None]],
        ["2", ["10", "bar", None]], ["4", [None, "qux", None]]], []]


def test_ids_only(data):
    assert load(data, {"fields": ["id"]}) == [["3", "1", "5", "2", "4"], []]


@pytest.mark.parametrize("kind", ["set", "zset", "hash"])
def test_key_kinds(data, kind):
    if kind == "set":
        data.r.sadd("t1:k", "2", "4")
    elif kind == "zset":
        data.r.zadd("t1:k", {"4": 1, "2": 2})
    else:
        data.r.hset("t1:k", mapping={"2": "x", "4": "y"})
    reply = load(data, {"fields": ["id"]}, key="k")
    assert sorted(reply[0]) == ["2", "4"] and reply[1] == []
    if kind == "zset":
        assert reply[0] == ["4", "2"]


def test_get_replies_with_the_raw_members(data):
    data.r.rpush("t1:l1", "b", "a", "b")
    assert load(data, {"get": "name"}, key="l1") == ["b", "a", "b"]
    assert load(data, {"get": "name"}, key="nokey") == []
    assert load(data, {"get": ""}, key="l1") == [[["b", []], ["a", []], ["b", []]], []]


@pytest.fixture
def sdata(odm):
    odm.commit("app.sitem", SITEM, rec(score="3", name="c"), rec(score="1", name="a"),
               rec(score="2", name="b"), rec(score="4", name="d"))
    return odm


@pytest.mark.parametrize("options, ids", [
    ({"ordering": "ASC"}, ["2", "3", "1", "4"]),
    ({"ordering": "DESC"}, ["4", "1", "3", "2"]),
    ({"ordering": "ASC", "start": 1, "stop": 2}, ["3", "1"]),
    ({"ordering": "DESC", "start": 1, "stop": -2}, ["1", "3"]),
    ({"ordering": "ASC", "start": -1}, ["4"]),
    ({"ordering": "ASC", "start": 5}, []),
])
def test_asc_desc(sdata, options, ids):
    assert load(sdata, {**options, "fields": ["id"]}, key="app.sitem:id", model="app.sitem",
                model_meta=SITEM) == [ids, []]


def test_asc_rows(sdata):
    assert load(sdata, {"ordering": "ASC", "stop": 1}, key="app.sitem:id", model="app.sitem",
                model_meta=SITEM) == [[["2", ["name", "a"]], ["3", ["name", "b"]]], []]


def test_asc_on_a_set_is_an_error(data):
    with pytest.raises(Exception) as info:
        load(data, {"ordering": "ASC"}, key="app.item:id")
    assert str(info.value) == 'ODM ordering "ASC" needs a sorted set but "app.item:id" holds a set'


def explicit(field, method=None, desc=False, nested=None, **options):
    order = {"field": field, "method": method, "desc": desc}
    if nested is not None:
        order["nested"] = nested
    return {"ordering": "explicit", "order": order, "fields": ["id"], **options}


@pytest.mark.parametrize("options, ids", [
    (explicit("value"), ["4", "5", "1", "3", "2"]),  # numeric; missing value sorts as 0
    (explicit("value", desc=True), ["2", "3", "1", "5", "4"]),
    (explicit("name", "ALPHA"), ["5", "2", "3", "1", "4"]),
    (explicit("name", "ALPHA", True), ["4", "1", "3", "2", "5"]),
    (explicit(""), ["1", "2", "3", "4", "5"]),  # by id
    (explicit("", desc=True), ["5", "4", "3", "2", "1"]),
    (explicit("", start=1, stop=2), ["2", "3"]),  # start an offset, stop a count
    (explicit("", start=3), ["4", "5"]),
    (explicit("", start=3, stop=-1), ["4", "5"]),
    (explicit("", start=0, stop=-5), ["1", "2", "3", "4", "5"]),
    (explicit("", stop=2), ["1", "2"]),
    (explicit("", start=10, stop=2), []),
    (explicit("", stop=0), []),  # count 0: no rows (stdnet returned every row)
    (explicit("", start=2, stop=0), []),
    (explicit("value", start=1, stop=3), ["5", "1", "3"]),
])
def test_explicit_ordering(data, options, ids):
    before = data.keyspace()
    assert load(data, options) == [ids, []]
    assert data.keyspace() == before


def test_explicit_ordering_rows(data):
    assert load(data, {**explicit("value", stop=2), "fields": None}) == [rows("4", "5"), []]


def test_explicit_numeric_sort_of_text_fails(data):
    with pytest.raises(Exception) as info:
        load(data, explicit("name"))
    assert str(info.value) == "One or more scores can't be converted into double"


def in_tie_groups(ids, groups):
    """ids lists the groups in order; inside a group (equal ALPHA sort values) any order."""
    pos = 0
    for group in groups:
        if set(ids[pos:pos + len(group)]) != set(group):
            return False
        pos += len(group)
    return pos == len(ids)


@pytest.mark.parametrize("options, groups", [
    # by the group's name; items 4 (group 3 has no hash) and 5 (group 9 missing) sort as ""
    (explicit("group", "ALPHA", nested=["app.group", "name"]), [["4", "5"], ["1", "3"], ["2"]]),
    (explicit("group", "ALPHA", True, nested=["app.group", "name"]),
     [["2"], ["1", "3"], ["4", "5"]]),
    (explicit("group", "ALPHA", nested=["app.group", "name"], start=2, stop=2), [["1", "3"]]),
])
def test_explicit_alpha_ordering_through_a_foreign_key(data, options, groups):
    # (SORT ALPHA leaves the order of equal values unspecified)
    before = data.keyspace()
    reply = load(data, options)
    assert reply[1] == [] and in_tie_groups(reply[0], groups), reply
    assert data.keyspace() == before  # the scratch keys are gone


@pytest.mark.parametrize("options, ids", [
    # by the group's rank, numeric: "" counts as 0; equal numbers sort by id
    (explicit("group", nested=["app.group", "rank"]), ["4", "5", "2", "1", "3"]),
    (explicit("group", nested=["app.group", "rank"], start=1, stop=2), ["5", "2"]),
    (explicit("group", nested=["app.group", "rank"], stop=0), []),
])
def test_explicit_ordering_through_a_foreign_key(data, options, ids):
    # The decoy groups (no prefix, t2:) all have name "decoy<n>", rank missing: the related model
    # key must be namespaced for this order to come out.
    before = data.keyspace()
    assert load(data, options) == [ids, []]
    assert data.keyspace() == before  # the scratch keys are gone


def test_explicit_ordering_through_two_foreign_keys(data):
    odm = data
    NODE = meta(indices={"item": False})
    odm.commit("app.node", NODE, rec(item="2"), rec(item="1"), rec(item="5"), rec(item="77"),
               rec())
    reply = odm.load("app.node:id", "app.node", NODE,
                     explicit("item", "ALPHA", nested=["app.item", "group", "app.group", "name"]))
    # node 1 -> item 2 -> beta; node 2 -> item 1 -> Alpha; node 3 -> item 5 -> group 9 (missing);
    # node 4 -> item 77 (missing); node 5 has no item.
    assert reply[1] == [] and in_tie_groups(reply[0], [["3", "4", "5"], ["2"], ["1"]]), reply


def test_scratch_keys_carry_a_ttl_and_are_deleted(data):
    """Watch the keyspace events of the scratch keys: each is set with an expiry, then deleted."""
    data.r.config_set("notify-keyspace-events", "KEA")
    pubsub = data.server.client(decode_responses=True).pubsub()
    pubsub.psubscribe("__keyspace@0__:t1:app.item:tmp:*")
    assert pubsub.get_message(timeout=5)["type"] == "psubscribe"
    assert in_tie_groups(load(data, explicit("group", "ALPHA", nested=["app.group", "name"]))[0],
                         [["4", "5"], ["1", "3"], ["2"]])
    events = {}
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        msg = pubsub.get_message(timeout=0.2)
        if msg is None:
            if len(events) == 5 and all(e[-1:] == ["del"] for e in events.values()):
                break
            continue
        key = msg["channel"].split(":", 1)[1]
        events.setdefault(key, []).append(msg["data"])
    pubsub.close()
    assert len(events) == 5
    for key, evs in events.items():
        assert key.startswith("t1:app.item:tmp:")
        assert evs == ["set", "expire", "del"], (key, evs)
    assert {k.rsplit(":", 1)[1] for k in events} == {"1", "2", "3", "4", "5"}


def test_failing_sort_deletes_its_scratch_keys(data):
    before = data.keyspace()
    with pytest.raises(Exception) as info:
        load(data, explicit("group", nested=["app.group", "name"]))  # numeric sort of names
    assert str(info.value) == "One or more scores can't be converted into double"
    assert data.keyspace() == before


def test_related_foreign_key_all_fields(data):
    opts = {"related": {"group": {"field": "group", "type": "", "bk": "app.group", "fields": []}}}
    # Each related id once, in the order of the rows. Without listed fields a related id without a
    # hash comes as [rid, []] (an instance without fields has no hash), as in stdnet.
    assert load(data, opts) == [rows("3", "1", "5", "2", "4"), [
        ["group", [["1", ["name", "Alpha", "rank", "2"]], ["9", []],
                   ["2", ["name", "beta", "rank", "1"]], ["3", []]], []]]]


def test_related_foreign_key_listed_fields(data):
    opts = {"fields": ["id"],
            "related": {"group": {"field": "group", "type": "", "bk": "app.group",
                                  "fields": ["rank", "nope"]}}}
    # group 3 has no hash: with listed fields it is left out; group 9 does not exist
    assert load(data, opts) == [["3", "1", "5", "2", "4"], [
        ["group", [["1", ["2", None]], ["2", ["1", None]]], ["rank", "nope"]]]]


def test_related_foreign_key_bare_ids(data):
    opts = {"fields": ["name"],
            "related": {"group": {"field": "group", "type": "", "bk": "app.group", "fields": [""]}}}
    assert load(data, opts) == [
        [["3", ["baz"]], ["1", ["foo"]], ["5", ["Zed"]], ["2", ["bar"]], ["4", ["qux"]]],
        [["group", ["1", "2"], [""]]]]


def test_related_bk_is_namespaced(data):
    data.r.delete("t1:app.group:obj:1", "t1:app.group:obj:2")
    opts = {"fields": ["id"],
            "related": {"group": {"field": "group", "type": "", "bk": "app.group", "fields": []}}}
    # the decoys app.group:obj:1 (no prefix) and t2:app.group:obj:1 must not be read
    assert load(data, opts) == [["3", "1", "5", "2", "4"], [
        ["group", [["1", []], ["9", []], ["2", []], ["3", []]], []]]]


def test_related_structures(data):
    r = data.r
    r.rpush("t1:app.item:obj:1:tags", "b", "a")
    r.sadd("t1:app.item:obj:1:set", "s")
    r.zadd("t1:app.item:obj:1:zs", {"x": 1.5, "y": 0})
    r.hset("t1:app.item:obj:1:h", mapping={"k": "v"})
    r.set("t1:app.item:obj:1:s", "text")
    related = {
        "tags": {"field": "tags", "type": "list", "bk": "", "fields": []},
        "aset": {"field": "set", "type": "set", "bk": None, "fields": None},
        "zs": {"field": "zs", "type": "zset", "fields": []},
        "h": {"field": "h", "type": "hash", "fields": []},
        "s": {"field": "s", "type": "string", "fields": []},
    }
    data.r.delete("t1:ids")
    data.r.rpush("t1:ids", "1", "2")
    assert load(data, {"fields": ["id"], "related": related}) == [["1", "2"], [
        ["aset", [["1", ["s"]], ["2", []]], []],
        ["h", [["1", ["k", "v"]], ["2", []]], []],
        ["s", [["1", "text"], ["2", None]], []],
        ["tags", [["1", ["b", "a"]], ["2", []]], []],
        ["zs", [["1", ["y", "0", "x", "1.5"]], ["2", []]], []],
    ]]


@pytest.mark.parametrize("options, message", [
    ("not json", "ODM options are not valid JSON"),
    ("[1]", "ODM options must be a JSON object"),
    ({"ordering": "RANDOM"}, 'ODM options: "ordering" must be "", "ASC", "DESC" or "explicit"'),
    ({"start": "1"}, 'ODM options: "start" must be an integer'),
    ({"stop": 1.5}, 'ODM options: "stop" must be an integer'),
    ({"ordering": "explicit"},
     'ODM options: "order" must be an object {field, method, desc, nested}'),
    ({"ordering": "explicit", "order": {}}, 'ODM options: "order.field" must be a string'),
    ({"ordering": "explicit", "order": {"field": "a", "method": "NUM"}},
     'ODM options: "order.method" must be "ALPHA" or empty'),
    ({"ordering": "explicit", "order": {"field": "a", "desc": "yes"}},
     'ODM options: "order.desc" must be true or false'),
    ({"ordering": "explicit", "order": {"field": "a", "nested": ["app.group"]}},
     'ODM options: "order.nested" must be pairs [related_M, field, ...]'),
    ({"ordering": "explicit", "order": {"field": "a", "nested": "x"}},
     'ODM options: "order.nested" must be an array of names'),
    ({"ordering": "explicit", "order": {"field": "a", "nested": ["", "x"]}},
     'ODM options: "order.nested" has an empty model key'),
    ({"fields": "name"}, 'ODM options: "fields" must be an array of names'),
    ({"fields": [1]}, 'ODM options: "fields" must be an array of names'),
    ({"related": [1]}, 'ODM options: "related" must be an object'),
    ({"related": {"g": 1}}, 'ODM options: related "g" must be an object {field, type, bk, fields}'),
    ({"related": {"g": {"type": ""}}}, 'ODM options: related "g": "field" must be a name'),
    ({"related": {"g": {"field": "group", "type": "ts"}}},
     'ODM options: related "g": "type" must be "" (foreign key), list, set, zset, hash or string'),
    ({"related": {"g": {"field": "group", "type": ""}}},
     'ODM options: related "g": "bk" must be the related model key'),
    ({"related": {"g": {"field": "group", "type": "", "bk": "app.group", "fields": "x"}}},
     'ODM options: related "g": "fields" must be an array of names'),
    ({"get": 5}, 'ODM options: "get" must be a field name'),
])
def test_option_errors(data, options, message):
    before = data.keyspace()
    with pytest.raises(Exception) as info:
        load(data, options)
    assert str(info.value) == message
    assert data.keyspace() == before


def test_related_empty_array_is_accepted(data):
    # cjson decodes [] as an empty table, which is both an empty array and an empty object: allowed.
    assert load(data, {"related": [], "fields": ["id"]}) == [["3", "1", "5", "2", "4"], []]


def test_key_errors(data):
    assert data.error("odm_load", ["t1:app.item"], "t1:", ITEM, "{}") == \
        "ODM LOAD takes exactly 2 keys (the model base key and the ids key)"
    assert data.error("odm_load", ["t1:app.item", "ids"], "t1:", ITEM, "{}") == \
        "ODM key 2 is outside the namespace"
    assert data.error("odm_load", ["t1:app.item", "t1:ids"], "t1:", ITEM) == \
        "ODM wrong number of arguments for ODM.LOAD: expected meta and options"
    data.r.set("t1:str", "x")
    assert data.error("odm_load", ["t1:app.item", "t1:str"], "t1:", ITEM, "{}") == \
        'ODM key "str" holds a string, not a set, sorted set, list or hash'
    data.r.hset("t1:h", "1", "x")
    assert data.error("odm_load", ["t1:app.item", "t1:h"], "t1:", ITEM,
                      json.dumps(explicit(""))) == 'ODM cannot sort "h": it holds a hash'


def test_sort_by_field_with_a_star_in_the_model_key(odm):
    with pytest.raises(Exception) as info:
        odm.load("ids", "app*item", ITEM, explicit("name", "ALPHA"))
    assert str(info.value) == 'ODM cannot sort by a field: the model key contains "*"'


SORT_CASES = [
    explicit("value"), explicit("value", desc=True), explicit("name", "ALPHA"),
    explicit("name", "ALPHA", True), explicit("value", start=1, stop=3),
    explicit("value", start=2), explicit("value", start=2, stop=-1), explicit("value", stop=1),
    explicit("value", start=7, stop=1), explicit("nope", "ALPHA"), explicit("nope"),
    explicit("group", nested=["app.group", "rank"]),
    explicit("group", nested=["app.group", "rank"], desc=True, start=1, stop=3),
    explicit("group", "ALPHA", nested=["app.group", "name"]),
    explicit("group", "ALPHA", True, nested=["app.group", "name"], start=1),
]


@pytest.mark.parametrize("options", SORT_CASES)
def test_explicit_ordering_for_a_namespace_restricted_by_acl(data, options):
    """Redis 7 refuses SORT BY to an ACL user without access to every key: the script then sorts in
    Lua, with the same result as SORT."""
    data.r.acl_setuser("ns1", enabled=True, passwords=["+pw"], keys=["t1:*"], channels=["t1:*"],
                       commands=["+@all"])
    restricted = data.server.client(decode_responses=True, username="ns1", password="pw")
    with pytest.raises(Exception) as info:
        restricted.sort("t1:ids", by="t1:app.item:obj:*->value")
    assert "BY option of SORT denied" in str(info.value)
    before = data.keyspace()
    expected = load(data, options)
    got = data.run("odm_load", ["t1:app.item", "t1:ids"], "t1:", ITEM, json.dumps(options),
                   client=restricted)
    if options["order"]["method"] == "ALPHA":
        # equal ALPHA values come in no particular order, in Redis as in Lua
        assert sorted(got[0]) == sorted(expected[0]) and len(got[0]) == len(expected[0])
        key = options["order"]["field"]
        if options["order"].get("nested"):
            names = {"1": "Alpha", "2": "beta", "3": "", "9": ""}
            value = {i: names[data.r.hget("t1:app.item:obj:" + i, "group")] for i in got[0]}
        else:
            value = {i: data.r.hget("t1:app.item:obj:" + i, key) for i in got[0]}
        assert [value[i] for i in got[0]] == [value[i] for i in expected[0]]
    else:
        assert got == expected
    assert data.keyspace() == before
    restricted.close()
    data.r.acl_deluser("ns1")


def test_numeric_sort_errors_for_a_namespace_restricted_by_acl(data):
    data.r.acl_setuser("ns1", enabled=True, passwords=["+pw"], keys=["t1:*"], commands=["+@all"])
    restricted = data.server.client(decode_responses=True, username="ns1", password="pw")
    for value in ("abc", "5 ", "1e999", "nan"):
        data.r.hset("t1:app.item:obj:1", "value", value)
        with pytest.raises(Exception) as info:
            data.run("odm_load", ["t1:app.item", "t1:ids"], "t1:", ITEM,
                     json.dumps(explicit("value")), client=restricted)
        assert str(info.value) == "One or more scores can't be converted into double", value
        with pytest.raises(Exception) as info:
            load(data, explicit("value"))
        assert str(info.value) == "One or more scores can't be converted into double", value
    for value, ids in ((" 6", ["4", "5", "1", "3", "2"]), ("0x10", ["4", "5", "3", "2", "1"]),
                       ("-inf", ["1", "4", "5", "3", "2"]), ("", ["1", "4", "5", "3", "2"])):
        data.r.hset("t1:app.item:obj:1", "value", value)
        assert load(data, explicit("value")) == [ids, []], value
        assert data.run("odm_load", ["t1:app.item", "t1:ids"], "t1:", ITEM,
                        json.dumps(explicit("value")), client=restricted) == [ids, []], value
    restricted.close()
    data.r.acl_deluser("ns1")


def test_numeric_sort_after_an_overflow_elsewhere(data):
    # Redis's SORT reads errno without clearing it: an ERANGE left by any earlier conversion (here
    # Lua's tonumber in another script) would make it fail on good values; ODM.LOAD resets errno.
    data.r.eval("local x = tonumber('1e999') return 1", 0)
    assert load(data, explicit("value")) == [["4", "5", "1", "3", "2"], []]
    data.r.eval("local x = tonumber('1e999') return 1", 0)
    assert load(data, explicit("", desc=True)) == [["5", "4", "3", "2", "1"], []]
