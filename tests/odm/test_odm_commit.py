"""ODM.COMMIT (lua/scripts/odm_commit.lua) against a real redis-server: replies and keyspace."""
import pytest

from odm_helpers import MIN_FLOAT, meta, odm, rec, rec_pairs  # noqa: F401 (fixture)

ITEM = meta(indices={"name": True, "group": False}, multi_fields=["tags"])  # auto ids, unsorted
SITEM = meta(indices={"code": True, "group": False}, sorted=True, autoincr=False)  # auto, sorted
CID = meta(id_type=3, indices={"code": True, "group": False}, multi_fields=["tags"])  # custom ids
WORD = meta(id_type=3, indices={"lang": False}, sorted=True, autoincr=True)  # autoincr ordering
UNIQUE_FOO = 'Unique constraint "name" violated: "foo" is already in database.'


def test_add_auto_ids(odm):
    reply = odm.commit("app.item", ITEM, rec(name="foo", group="g1"), rec(name="bar", group="g1"),
                       rec(name="baz", group="g2"))
    assert reply == [[1, 1, MIN_FLOAT], [2, 1, MIN_FLOAT], [3, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1", "2", "3"}),
        "app.item:ids": ("string", "3"),
        "app.item:obj:1": ("hash", {"name": "foo", "group": "g1"}),
        "app.item:obj:2": ("hash", {"name": "bar", "group": "g1"}),
        "app.item:obj:3": ("hash", {"name": "baz", "group": "g2"}),
        "app.item:idx:group:g1": ("set", {"1", "2"}),
        "app.item:idx:group:g2": ("set", {"3"}),
        "app.item:uni:name": ("hash", {"foo": "1", "bar": "2", "baz": "3"}),
    }


def test_add_without_fields_and_missing_values(odm):
    # No fields: no hash; the non-unique index uses the empty suffix; a missing unique value has no
    # mapping (stdnet aborted the script half-way on it).
    reply = odm.commit("app.item", ITEM, rec(), rec(group=""), rec(group="g1"))
    assert reply == [[1, 1, MIN_FLOAT], [2, 1, MIN_FLOAT], [3, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1", "2", "3"}),
        "app.item:ids": ("string", "3"),
        "app.item:obj:2": ("hash", {"group": ""}),
        "app.item:obj:3": ("hash", {"group": "g1"}),
        "app.item:idx:group:": ("set", {"1", "2"}),
        "app.item:idx:group:g1": ("set", {"3"}),
    }


def test_unique_empty_string_is_a_value(odm):
    reply = odm.commit("app.item", ITEM, rec(name=""), rec(name=""))
    assert reply == [[1, 1, MIN_FLOAT],
                     ["", 0, 'Unique constraint "name" violated: "" is already in database.']]
    assert odm.keyspace()["app.item:uni:name"] == ("hash", {"": "1"})


def test_custom_ids(odm):
    reply = odm.commit("app.cid", CID, rec(id="a", code="c1", group="g"), rec(id="b b", code="c2"))
    assert reply == [["a", 1, MIN_FLOAT], ["b b", 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.cid:id": ("set", {"a", "b b"}),
        "app.cid:obj:a": ("hash", {"code": "c1", "group": "g"}),
        "app.cid:obj:b b": ("hash", {"code": "c2"}),
        "app.cid:idx:group:g": ("set", {"a"}),
        "app.cid:idx:group:": ("set", {"b b"}),
        "app.cid:uni:code": ("hash", {"c1": "a", "c2": "b b"}),
    }


def test_custom_id_missing_fails_alone(odm):
    reply = odm.commit("app.cid", CID, rec(id="", code="c1"), rec(id="a", code="c1"))
    assert reply == [["", 0, "Id not available. Cannot commit."], ["a", 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.cid:id": ("set", {"a"}),
        "app.cid:obj:a": ("hash", {"code": "c1"}),
        "app.cid:idx:group:": ("set", {"a"}),
        "app.cid:uni:code": ("hash", {"c1": "a"}),
    }


def test_sorted_model(odm):
    reply = odm.commit("app.sitem", SITEM, rec(score="3", code="x", group="g"),
                       rec(score="1.5", code="y", group="g"), rec(score="-2", group="h"))
    assert reply == [[1, 1, "3"], [2, 1, "1.5"], [3, 1, "-2"]]
    assert odm.keyspace() == {
        "app.sitem:id": ("zset", [("3", -2.0), ("2", 1.5), ("1", 3.0)]),
        "app.sitem:ids": ("string", "3"),
        "app.sitem:obj:1": ("hash", {"code": "x", "group": "g"}),
        "app.sitem:obj:2": ("hash", {"code": "y", "group": "g"}),
        "app.sitem:obj:3": ("hash", {"group": "h"}),
        "app.sitem:idx:group:g": ("zset", [("2", 1.5), ("1", 3.0)]),
        "app.sitem:idx:group:h": ("zset", [("3", -2.0)]),
        "app.sitem:uni:code": ("hash", {"x": "1", "y": "2"}),
    }
    # An update with a new score moves the idset and index scores.
    reply = odm.commit("app.sitem", SITEM, rec("update", "1", "1", "0.5"))
    assert reply == [[1, 1, "0.5"]]
    ks = odm.keyspace()
    assert ks["app.sitem:id"] == ("zset", [("3", -2.0), ("1", 0.5), ("2", 1.5)])
    assert ks["app.sitem:idx:group:g"] == ("zset", [("1", 0.5), ("2", 1.5)])
    assert ks["app.sitem:obj:1"] == ("hash", {"code": "x", "group": "g"})


def test_autoincr_model(odm):
    reply = odm.commit("app.word", WORD, rec(id="hello", score="1", lang="en"),
                       rec(id="ciao", score="1", lang="it"),
                       rec("update", "hello", "hello", "1.5"))
    assert reply == [["hello", 1, "1"], ["ciao", 1, "1"], ["hello", 1, "2.5"]]
    assert odm.keyspace() == {
        "app.word:id": ("zset", [("ciao", 1.0), ("hello", 2.5)]),
        "app.word:obj:hello": ("hash", {"lang": "en"}),
        "app.word:obj:ciao": ("hash", {"lang": "it"}),
        "app.word:idx:lang:en": ("zset", [("hello", 2.5)]),
        "app.word:idx:lang:it": ("zset", [("ciao", 1.0)]),
    }


def test_autoincr_nan_fails_the_record(odm):
    reply = odm.commit("app.word", WORD, rec(id="w", score="inf"), rec("update", "w", "w", "-inf"))
    assert reply[0] == ["w", 1, "inf"]
    assert reply[1][:2] == ["w", 0] and "not a number" in reply[1][2]
    assert odm.keyspace() == {
        "app.word:id": ("zset", [("w", float("inf"))]),
        "app.word:idx:lang:": ("zset", [("w", float("inf"))]),
    }


def test_override_replaces_the_hash(odm):
    odm.commit("app.item", ITEM, rec(name="foo", group="g1", extra="x"))
    reply = odm.commit("app.item", ITEM, rec("override", "1", "1", name="new"))
    assert reply == [[1, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1"}),
        "app.item:ids": ("string", "1"),
        "app.item:obj:1": ("hash", {"name": "new"}),
        "app.item:idx:group:": ("set", {"1"}),
        "app.item:uni:name": ("hash", {"new": "1"}),
    }


def test_update_merges_the_hash(odm):
    odm.commit("app.item", ITEM, rec(name="foo", group="g1", extra="x"))
    reply = odm.commit("app.item", ITEM, rec("update", "1", "1", group="g2", more="y"))
    assert reply == [[1, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1"}),
        "app.item:ids": ("string", "1"),
        "app.item:obj:1": ("hash", {"name": "foo", "group": "g2", "extra": "x", "more": "y"}),
        "app.item:idx:group:g2": ("set", {"1"}),
        "app.item:uni:name": ("hash", {"foo": "1"}),
    }


def test_update_keeping_its_unique_value(odm):
    odm.commit("app.item", ITEM, rec(name="foo"))
    assert odm.commit("app.item", ITEM, rec("update", "1", "1", name="foo", group="g")) == \
        [[1, 1, MIN_FLOAT]]
    assert odm.commit("app.item", ITEM, rec("override", "1", "1", name="foo")) == \
        [[1, 1, MIN_FLOAT]]
    assert odm.keyspace()["app.item:uni:name"] == ("hash", {"foo": "1"})


def test_failed_add_leaves_no_trace(odm):
    # stdnet left the hash of a failed add behind and bumped the counter.
    odm.commit("app.item", ITEM, rec(name="foo", group="g1"))
    before = odm.keyspace()
    reply = odm.commit("app.item", ITEM, rec(name="foo", group="g2"))
    assert reply == [["", 0, UNIQUE_FOO]]
    assert odm.keyspace() == before


def test_failed_add_with_explicit_auto_id(odm):
    odm.commit("app.item", ITEM, rec(name="foo"))
    before = odm.keyspace()
    reply = odm.commit("app.item", ITEM, rec(id="50", name="foo", group="g"))
    assert reply == [[50, 0, UNIQUE_FOO]]
    assert odm.keyspace() == before  # the counter is not raised


def test_failed_add_of_a_second_unique_field(odm):
    two = meta(indices={"a": True, "b": True, "g": False})
    odm.commit("app.item", two, rec(a="1", b="1"))
    before = odm.keyspace()
    reply = odm.commit("app.item", two, rec(a="2", b="1", g="x"))
    assert reply == [["", 0, 'Unique constraint "b" violated: "1" is already in database.']]
    assert odm.keyspace() == before


def test_unique_enforced_on_update_of_auto_id_models(odm):
    # stdnet skipped the check when the ids were auto-increment numbers.
    odm.commit("app.item", ITEM, rec(name="foo", group="g1"), rec(name="bar", group="g2"))
    before = odm.keyspace()
    reply = odm.commit("app.item", ITEM, rec("update", "2", "2", name="foo", group="g3"))
    assert reply == [[2, 0, UNIQUE_FOO]]
    assert odm.keyspace() == before
    reply = odm.commit("app.item", ITEM, rec("override", "2", "2", name="foo"))
    assert reply == [[2, 0, UNIQUE_FOO]]
    assert odm.keyspace() == before


def test_unique_enforced_on_update_of_custom_id_models(odm):
    odm.commit("app.cid", CID, rec(id="a", code="c1"), rec(id="b", code="c2"))
    before = odm.keyspace()
    reply = odm.commit("app.cid", CID, rec("update", "b", "b", code="c1"))
    assert reply == [["b", 0, 'Unique constraint "code" violated: "c1" is already in database.']]
    assert odm.keyspace() == before


def test_unique_value_mapped_to_a_dead_id_is_taken(odm):
    odm.r.hset("t1:app.item:uni:name", "foo", "99")  # 99 is not a live instance
    assert odm.commit("app.item", ITEM, rec(name="foo")) == [[1, 1, MIN_FLOAT]]
    assert odm.keyspace()["app.item:uni:name"] == ("hash", {"foo": "1"})


def test_readd_of_an_existing_id_overrides_and_removes_old_index_entries(odm):
    # stdnet left the id in the old value's index.
    odm.commit("app.cid", CID, rec(id="a", code="c1", group="g1", other="o"))
    reply = odm.commit("app.cid", CID, rec(id="a", code="c2", group="g2"))
    assert reply == [["a", 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.cid:id": ("set", {"a"}),
        "app.cid:obj:a": ("hash", {"code": "c2", "group": "g2"}),
        "app.cid:idx:group:g2": ("set", {"a"}),
        "app.cid:uni:code": ("hash", {"c2": "a"}),
    }


def test_readd_of_an_existing_id_without_fields(odm):
    odm.commit("app.cid", CID, rec(id="a"))
    assert odm.commit("app.cid", CID, rec(id="a", group="g")) == [["a", 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.cid:id": ("set", {"a"}),
        "app.cid:obj:a": ("hash", {"group": "g"}),
        "app.cid:idx:group:g": ("set", {"a"}),
    }


def test_readd_of_an_existing_explicit_auto_id(odm):
    odm.commit("app.item", ITEM, rec(name="foo", group="g1"))
    assert odm.commit("app.item", ITEM, rec(id="1", name="bar")) == [[1, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1"}),
        "app.item:ids": ("string", "1"),
        "app.item:obj:1": ("hash", {"name": "bar"}),
        "app.item:idx:group:": ("set", {"1"}),
        "app.item:uni:name": ("hash", {"bar": "1"}),
    }


@pytest.mark.parametrize("action, hash_after", [
    ("update", {"code": "c1", "group": "g2", "other": "o"}),
    ("override", {"group": "g2"}),
])
def test_primary_key_change_moves_the_instance(odm, action, hash_after):
    # stdnet orphaned the old hash.
    odm.commit("app.cid", CID, rec(id="a", code="c1", group="g1", other="o"))
    odm.r.rpush("t1:app.cid:obj:a:tags", "x", "y")
    odm.r.set("t1:app.cid:obj:a:notastructure", "stays")
    reply = odm.commit("app.cid", CID, rec(action, "a", "b", group="g2"))
    assert reply == [["b", 1, MIN_FLOAT]]
    expected = {
        "app.cid:id": ("set", {"b"}),
        "app.cid:obj:b": ("hash", hash_after),
        "app.cid:idx:group:g2": ("set", {"b"}),
        "app.cid:obj:b:tags": ("list", ["x", "y"]),
        "app.cid:obj:a:notastructure": ("string", "stays"),
    }
    if action == "update":
        expected["app.cid:uni:code"] = ("hash", {"c1": "b"})
    assert odm.keyspace() == expected


def test_primary_key_change_of_a_sorted_model(odm):
    m = meta(id_type=3, indices={"g": False}, sorted=True, autoincr=False)
    odm.commit("app.cid", m, rec(id="a", score="5", g="x"))
    assert odm.commit("app.cid", m, rec("update", "a", "b", "7")) == [["b", 1, "7"]]
    assert odm.keyspace() == {
        "app.cid:id": ("zset", [("b", 7.0)]),
        "app.cid:obj:b": ("hash", {"g": "x"}),
        "app.cid:idx:g:x": ("zset", [("b", 7.0)]),
    }


def test_primary_key_change_onto_an_existing_instance(odm):
    odm.commit("app.cid", CID, rec(id="a", code="c1", group="g1"),
               rec(id="b", code="c2", group="g2", old="o"))
    reply = odm.commit("app.cid", CID, rec("update", "a", "b", group="g3"))
    assert reply == [["b", 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.cid:id": ("set", {"b"}),
        "app.cid:obj:b": ("hash", {"code": "c1", "group": "g3"}),
        "app.cid:idx:group:g3": ("set", {"b"}),
        "app.cid:uni:code": ("hash", {"c1": "b"}),
    }


def test_primary_key_change_violating_a_unique_constraint(odm):
    odm.commit("app.cid", CID, rec(id="a", code="c1"), rec(id="b", code="c2"))
    before = odm.keyspace()
    reply = odm.commit("app.cid", CID, rec("update", "a", "c", code="c2"))
    assert reply == [["c", 0, 'Unique constraint "code" violated: "c2" is already in database.']]
    assert odm.keyspace() == before


def test_large_auto_ids_are_written_in_full(odm):
    # stdnet wrote ids of 15 digits and more in exponent notation (1.2345678901234e+15).
    reply = odm.commit("app.item", ITEM, rec(id="1234567890123456", name="big"), rec(name="next"))
    assert reply == [[1234567890123456, 1, MIN_FLOAT], [1234567890123457, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1234567890123456", "1234567890123457"}),
        "app.item:ids": ("string", "1234567890123457"),
        "app.item:obj:1234567890123456": ("hash", {"name": "big"}),
        "app.item:obj:1234567890123457": ("hash", {"name": "next"}),
        "app.item:idx:group:": ("set", {"1234567890123456", "1234567890123457"}),
        "app.item:uni:name": ("hash", {"big": "1234567890123456", "next": "1234567890123457"}),
    }


def test_auto_id_counter(odm):
    # An explicit id sets a missing counter and raises a smaller one, never lowers it.
    assert odm.commit("app.item", ITEM, rec(id="5")) == [[5, 1, MIN_FLOAT]]
    assert odm.r.get("t1:app.item:ids") == "5"
    assert odm.commit("app.item", ITEM, rec(), rec(id="3"), rec(id="10"), rec()) == [
        [6, 1, MIN_FLOAT], [3, 1, MIN_FLOAT], [10, 1, MIN_FLOAT], [11, 1, MIN_FLOAT]]
    assert odm.r.get("t1:app.item:ids") == "11"
    assert odm.commit("app.item", ITEM, rec(id="007")) == [[7, 1, MIN_FLOAT]]
    assert odm.r.smembers("t1:app.item:id") == {"3", "5", "6", "7", "10", "11"}


def test_counter_survives_deletion_and_failure_takes_it_back(odm):
    odm.commit("app.item", ITEM, rec(name="foo"))
    reply = odm.commit("app.item", ITEM, rec(name="a"), rec(name="foo"), rec(name="b"))
    # the failed record's id (3) is taken back and given to the next record
    assert reply == [[2, 1, MIN_FLOAT], ["", 0, UNIQUE_FOO], [3, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1", "2", "3"}),
        "app.item:ids": ("string", "3"),
        "app.item:obj:1": ("hash", {"name": "foo"}),
        "app.item:obj:2": ("hash", {"name": "a"}),
        "app.item:obj:3": ("hash", {"name": "b"}),
        "app.item:idx:group:": ("set", {"1", "2", "3"}),
        "app.item:uni:name": ("hash", {"foo": "1", "a": "2", "b": "3"}),
    }


def test_records_of_one_call_see_each_other(odm):
    reply = odm.commit("app.cid", CID, rec(id="a", code="c1"), rec(id="b", code="c1"),
                       rec("update", "a", "a", code="c9"), rec(id="b", code="c1"))
    assert reply == [["a", 1, MIN_FLOAT],
                     ["b", 0, 'Unique constraint "code" violated: "c1" is already in database.'],
                     ["a", 1, MIN_FLOAT], ["b", 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.cid:id": ("set", {"a", "b"}),
        "app.cid:obj:a": ("hash", {"code": "c9"}),
        "app.cid:obj:b": ("hash", {"code": "c1"}),
        "app.cid:idx:group:": ("set", {"a", "b"}),
        "app.cid:uni:code": ("hash", {"c9": "a", "c1": "b"}),
    }


def test_duplicate_fields_last_wins(odm):
    reply = odm.commit("app.item", ITEM,
                       rec_pairs("add", "", "", MIN_FLOAT, [("name", "x"), ("name", "y")]))
    assert reply == [[1, 1, MIN_FLOAT]]
    ks = odm.keyspace()
    assert ks["app.item:obj:1"] == ("hash", {"name": "y"})
    assert ks["app.item:uni:name"] == ("hash", {"y": "1"})


def test_a_key_of_the_wrong_type_fails_only_its_record(odm):
    odm.r.set("t1:app.item:idx:group:bad", "x")
    reply = odm.commit("app.item", ITEM, rec(name="a", group="bad"), rec(name="b", group="ok"))
    assert reply == [["", 0, 'key "app.item:idx:group:bad" holds a string, expected a set'],
                     [1, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1"}),
        "app.item:ids": ("string", "1"),
        "app.item:obj:1": ("hash", {"name": "b", "group": "ok"}),
        "app.item:idx:group:ok": ("set", {"1"}),
        "app.item:uni:name": ("hash", {"b": "1"}),
        "app.item:idx:group:bad": ("string", "x"),
    }


def test_commit_of_nothing(odm):
    assert odm.commit("app.item", ITEM) == []
    assert odm.keyspace() == {}


def test_the_structure_keys_stay_on_override(odm):
    odm.commit("app.item", ITEM, rec(name="foo"))
    odm.r.sadd("t1:app.item:obj:1:tags", "t")
    odm.commit("app.item", ITEM, rec("override", "1", "1", name="bar"))
    assert odm.keyspace()["app.item:obj:1:tags"] == ("set", {"t"})


VALID = rec(name="ok")


@pytest.mark.parametrize("args, message", [
    (["not json", 1, *VALID], "ODM meta is not a JSON object"),
    (["[1, 2]", 1, *VALID], "ODM meta is not a JSON object"),
    ('{"id_type": 1, "indices": {}}', 'ODM meta: "id_name" must be a non-empty string'),
    ('{"id_name": "id", "id_type": "1", "indices": {}}',
     'ODM meta: "id_type" must be 1 (auto-increment ids) or 3 (any other ids)'),
    ('{"id_name": "id", "id_type": 7, "indices": {}}',
     'ODM meta: "id_type" must be 1 (auto-increment ids) or 3 (any other ids)'),
    ('{"id_name": "id", "id_type": 1}', 'ODM meta: "indices" must be an object {attname: unique}'),
    ('{"id_name": "id", "id_type": 1, "indices": [1]}',
     'ODM meta: "indices" must be an object {attname: unique}'),
    ('{"id_name": "id", "id_type": 1, "indices": {"a": 1}}',
     'ODM meta: "indices" values must be true (unique) or false'),
    ('{"id_name": "id", "id_type": 1, "indices": {}, "sorted": "yes"}',
     'ODM meta: "sorted" must be true, false or null'),
    ('{"id_name": "id", "id_type": 1, "indices": {}, "multi_fields": "tags"}',
     'ODM meta: "multi_fields" must be an array of names'),
    ([ITEM, "x", *VALID], 'ODM num must be a non-negative integer, got "x"'),
    ([ITEM, "-1"], 'ODM num must be a non-negative integer, got "-1"'),
    ([ITEM, 2, *VALID], "ODM record 2 of 2 is incomplete: expected action prev_id id score n"),
    ([ITEM, 1, *VALID, "extra"], "ODM 1 arguments left over after 1 records"),
    ([ITEM, 1, "add", "", "", MIN_FLOAT, 3, "a", "b", "c"],
     'ODM record 1: n must be an even non-negative integer (field/value count), got "3"'),
    ([ITEM, 1, "add", "", "", MIN_FLOAT, "x"],
     'ODM record 1: n must be an even non-negative integer (field/value count), got "x"'),
    ([ITEM, 2, *VALID, "add", "", "", MIN_FLOAT, 4, "a", "b"],
     "ODM record 2: n is 4 but only 2 arguments follow"),
    ([ITEM, 2, *VALID, "create", "", "", MIN_FLOAT, 0],
     'ODM record 2: action must be add, override or update, got "create"'),
    ([ITEM, 2, *VALID, "add", "", "abc", MIN_FLOAT, 0],
     'ODM record 2: id "abc" is not an integer (auto-id model, |id| <= 2^53)'),
    ([ITEM, 2, *VALID, "add", "", "1.5", MIN_FLOAT, 0],
     'ODM record 2: id "1.5" is not an integer (auto-id model, |id| <= 2^53)'),
    ([ITEM, 2, *VALID, "add", "", "9007199254740993", MIN_FLOAT, 0],
     'ODM record 2: id "9007199254740993" is not an integer (auto-id model, |id| <= 2^53)'),
    ([SITEM, 2, *rec(score="1"), "add", "", "", "abc", 0],
     'ODM record 2: score "abc" is not a number'),
    ([SITEM, 2, *rec(score="1"), "add", "", "", "nan", 0],
     'ODM record 2: score "nan" is not a number'),
    ([SITEM, 2, *rec(score="1"), "add", "", "", "", 0], 'ODM record 2: score "" is not a number'),
    ([SITEM, 2, *rec(score="1"), "add", "", "", " 1", 0],
     'ODM record 2: score " 1" is not a number'),
    ([SITEM, 2, *rec(score="1"), "add", "", "", "1e999", 0],
     'ODM record 2: score "1e999" is not a number'),
    ([], "ODM wrong number of arguments for ODM.COMMIT"),
])
def test_argument_errors_write_nothing(odm, args, message):
    if isinstance(args, str):
        args = [args, 1, *VALID]
    before = odm.keyspace()
    with pytest.raises(Exception) as info:
        odm.commit_raw("app.item", *args)
    assert str(info.value) == message
    assert odm.keyspace() == before


def test_key_errors(odm):
    sha = odm.sha["odm_commit"]
    assert odm.error("odm_commit", [], "t1:", ITEM, 0) == \
        "ODM COMMIT takes exactly 1 key (the model base key)"
    assert odm.error("odm_commit", ["t2:app.item"], "t1:", ITEM, 1, *VALID) == \
        "ODM the model key is empty or outside the namespace"
    assert odm.error("odm_commit", ["t1:"], "t1:", ITEM, 1, *VALID) == \
        "ODM the model key is empty or outside the namespace"
    assert sha


def test_idset_of_the_wrong_kind_is_refused(odm):
    odm.commit("app.item", ITEM, rec(name="a"))
    before = odm.keyspace()
    sorted_meta = meta(indices={"name": True}, sorted=True)
    with pytest.raises(Exception) as info:
        odm.commit("app.item", sorted_meta, rec(score="1", name="b"))
    assert str(info.value) == \
        'ODM "app.item:id" holds a set but meta says the model is sorted'
    assert odm.keyspace() == before


def test_unsorted_scores_are_echoed_unchecked(odm):
    assert odm.commit("app.item", ITEM, rec(score="whatever")) == [[1, 1, "whatever"]]


def test_null_members_of_meta_count_as_absent(odm):
    m = ('{"id_name": "id", "id_type": 1, "sorted": null, "autoincr": null, "multi_fields": null,'
         ' "indices": {"name": true, "gone": null}, "unknown": 5}')
    assert odm.commit("app.item", m, rec(name="a", gone="x")) == [[1, 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.item:id": ("set", {"1"}),
        "app.item:ids": ("string", "1"),
        "app.item:obj:1": ("hash", {"name": "a", "gone": "x"}),
        "app.item:uni:name": ("hash", {"a": "1"}),
    }


@pytest.mark.parametrize("counter", ["abc", "007", " 1", "1.5", "99999999999999999999"])
def test_a_corrupt_counter_fails_auto_id_records(odm, counter):
    odm.r.set("t1:app.item:ids", counter)
    before = odm.keyspace()
    reply = odm.commit("app.item", ITEM, rec(name="a"), rec(id="5", name="b"))
    message = 'the auto-id counter "app.item:ids" is not an integer'
    assert reply == [["", 0, message], [5, 0, message]]
    assert odm.keyspace() == before
    # custom-id models have no counter
    assert odm.commit("app.item", CID, rec(id="x")) == [["x", 1, MIN_FLOAT]]


def test_update_of_a_missing_instance_creates_it(odm):
    reply = odm.commit("app.cid", CID, rec("update", "a", "a", code="c1"))
    assert reply == [["a", 1, MIN_FLOAT]]
    assert odm.keyspace() == {
        "app.cid:id": ("set", {"a"}),
        "app.cid:obj:a": ("hash", {"code": "c1"}),
        "app.cid:idx:group:": ("set", {"a"}),
        "app.cid:uni:code": ("hash", {"c1": "a"}),
    }
