"""lua/scripts/zpopbyrank.lua against a real redis-server: ZPOPBYRANK key start [stop] [REV] [WITHSCORES]."""
import random

import pytest

from lua_helpers import WRONGTYPE, Err, RawClient, scripts, snapshot  # noqa: F401 (fixture)

KEY = "app1:z"


def fill(r, key=KEY, n=5):
    # a:1 b:2 c:3 d:4 e:5
    r.zadd(key, {chr(ord("a") + i): i + 1 for i in range(n)})


def members(r, key=KEY):
    return [m.decode() for m in r.zrange(key, 0, -1)]


def pop(scripts, *args, key=KEY):
    reply = scripts.call("zpopbyrank", [key], *args)
    return [x.decode() for x in reply] if isinstance(reply, list) else reply


def rank_range(n, start, stop):
    """The ranks ZRANGE start stop selects in a set of n members."""
    if start < 0:
        start += n
    if stop < 0:
        stop += n
    start = max(start, 0)
    if start > stop or start >= n:
        return range(0)
    return range(start, min(stop, n - 1) + 1)


@pytest.mark.parametrize("args, popped, left", [
    (["0"], ["a"], ["b", "c", "d", "e"]),
    (["1"], ["b"], ["a", "c", "d", "e"]),
    (["-1"], ["e"], ["a", "b", "c", "d"]),
    (["1", "3"], ["b", "c", "d"], ["a", "e"]),
    (["0", "-1"], ["a", "b", "c", "d", "e"], []),
    (["-2", "-1"], ["d", "e"], ["a", "b", "c"]),
    (["-100", "1"], ["a", "b"], ["c", "d", "e"]),
    (["3", "100"], ["d", "e"], ["a", "b", "c"]),
    (["-100", "-6"], [], ["a", "b", "c", "d", "e"]),
    (["5"], [], ["a", "b", "c", "d", "e"]),
    (["10", "20"], [], ["a", "b", "c", "d", "e"]),
    (["3", "1"], [], ["a", "b", "c", "d", "e"]),
    (["-1", "-3"], [], ["a", "b", "c", "d", "e"]),
    (["9223372036854775807"], [], ["a", "b", "c", "d", "e"]),
    (["-9223372036854775808", "0"], ["a"], ["b", "c", "d", "e"]),
    # REV: ranks from the highest score, highest first.
    (["0", "REV"], ["e"], ["a", "b", "c", "d"]),
    (["-1", "REV"], ["a"], ["b", "c", "d", "e"]),
    (["0", "1", "REV"], ["e", "d"], ["a", "b", "c"]),
    (["1", "2", "rev"], ["d", "c"], ["a", "b", "e"]),
    (["-2", "-1", "REV"], ["b", "a"], ["c", "d", "e"]),
    (["3", "100", "REV"], ["b", "a"], ["c", "d", "e"]),
    (["2", "1", "REV"], [], ["a", "b", "c", "d", "e"]),
    (["0", "-1", "REV"], ["e", "d", "c", "b", "a"], []),
])
def test_ranges(scripts, args, popped, left):
    r = scripts.redis
    fill(r)
    assert pop(scripts, *args) == popped
    assert members(r) == left
    if not left:
        assert r.exists(KEY) == 0


def test_withscores(scripts):
    r = scripts.redis
    r.zadd(KEY, {"a": 1.1, "b": 2, "c": -3.5, "d": float("inf"), "e": float("-inf"), "f": 0})
    # Same text as ZRANGE ... WITHSCORES gives (RESP2 bulk strings, %.17g).
    expected = r.execute_command("ZRANGE", KEY, 0, -1, "WITHSCORES")
    assert scripts.call("zpopbyrank", [KEY], "0", "-1", "WITHSCORES") == expected
    assert expected == [b"e", b"-inf", b"c", b"-3.5", b"f", b"0", b"a", b"1.1000000000000001",
                        b"b", b"2", b"d", b"inf"]
    assert r.exists(KEY) == 0


@pytest.mark.parametrize("args", [
    ["1", "2", "REV", "WITHSCORES"], ["1", "2", "WITHSCORES", "REV"], ["1", "2", "withscores", "Rev"],
    ["1", "2", "REV", "REV", "WITHSCORES", "WITHSCORES"],
])
def test_rev_withscores_any_order(scripts, args):
    r = scripts.redis
    fill(r)
    assert pop(scripts, *args) == ["d", "4", "c", "3"]
    assert members(r) == ["a", "b", "e"]


def test_withscores_single_rank(scripts):
    r = scripts.redis
    fill(r)
    assert pop(scripts, "2", "WITHSCORES") == ["c", "3"]
    assert pop(scripts, "0", "REV", "WITHSCORES") == ["e", "5"]
    assert members(r) == ["a", "b", "d"]


def test_ties_are_ordered_like_zrange(scripts):
    r = scripts.redis
    r.zadd(KEY, {"b": 1, "a": 1, "c": 1, "x": 0})
    assert pop(scripts, "1", "2") == ["a", "b"]
    assert pop(scripts, "0", "REV") == ["c"]
    assert members(r) == ["x"]


def test_missing_key(scripts):
    assert scripts.call("zpopbyrank", [KEY], "0", "-1") == []
    assert scripts.call("zpopbyrank", [KEY], "0", "-1", "REV", "WITHSCORES") == []
    assert scripts.redis.exists(KEY) == 0


def test_large_range_crosses_batches(scripts):
    r = scripts.redis
    r.zadd(KEY, {f"m{i:05d}": i for i in range(2500)})
    reply = pop(scripts, "100", "2199", "WITHSCORES")
    assert reply[:4] == ["m00100", "100", "m00101", "101"]
    assert len(reply) == 2 * 2100
    assert r.zcard(KEY) == 400
    assert pop(scripts, "0", "-1", "REV")[:2] == ["m02499", "m02498"]
    assert r.exists(KEY) == 0


def test_only_the_key_changes(scripts):
    r = scripts.redis
    fill(r)
    fill(r, key="app1:other")
    r.set("app1:s", "x")
    pop(scripts, "0", "-1")
    assert members(r, "app1:other") == ["a", "b", "c", "d", "e"]
    assert r.get("app1:s") == b"x"


def test_wrong_type(scripts):
    r = scripts.redis
    r.set(KEY, "x")
    assert scripts.call("zpopbyrank", [KEY], "0") == Err(WRONGTYPE)
    r.delete(KEY)
    r.sadd(KEY, "a")
    assert scripts.call("zpopbyrank", [KEY], "0", "-1", "REV", "WITHSCORES") == Err(WRONGTYPE)
    assert r.smembers(KEY) == {b"a"}


@pytest.mark.parametrize("keys, args, error", [
    ([KEY], [], "ERR wrong number of arguments for 'zpopbyrank' command"),
    ([], ["0"], "ERR wrong number of arguments for 'zpopbyrank' command"),
    ([KEY, "app1:y"], ["0"], "ERR wrong number of arguments for 'zpopbyrank' command"),
    ([KEY], ["0", "1", "FOO"], "ERR syntax error"),
    ([KEY], ["0", "1", "2"], "ERR syntax error"),
    ([KEY], ["0", "REV", "1"], "ERR syntax error"),
    ([KEY], ["0", "1", "REV", "LIMIT"], "ERR syntax error"),
    ([KEY], ["a"], "ERR value is not an integer or out of range"),
    ([KEY], ["0", "b"], "ERR value is not an integer or out of range"),
    ([KEY], ["1.5"], "ERR value is not an integer or out of range"),
    ([KEY], ["0", "1.0"], "ERR value is not an integer or out of range"),
    ([KEY], [""], "ERR value is not an integer or out of range"),
    ([KEY], [" 1"], "ERR value is not an integer or out of range"),
    ([KEY], ["9223372036854775808"], "ERR value is not an integer or out of range"),
    ([KEY], ["0", "-9223372036854775809", "WITHSCORES"], "ERR value is not an integer or out of range"),
    ([KEY], ["(1", "2"], "ERR value is not an integer or out of range"),
])
def test_argument_errors_write_nothing(scripts, keys, args, error):
    r = scripts.redis
    fill(r)
    before = snapshot(r)
    assert scripts.raw.call("EVALSHA", scripts.load("zpopbyrank"), len(keys), *keys, *args) == Err(error)
    assert snapshot(r) == before


@pytest.mark.parametrize("bad", ["abc", "1.5", "", "01", "+1", " 1", "1 ", "0x10", "1e3",
                                 "99999999999999999999", "-"])
def test_integer_parsing_is_redis_own(scripts, bad):
    """Whatever ZRANGE rejects as a rank, ZPOPBYRANK rejects with the same error."""
    r = scripts.redis
    fill(r)
    expected = scripts.raw.call("ZRANGE", KEY, bad, "1")
    assert isinstance(expected, Err)
    assert scripts.call("zpopbyrank", [KEY], bad, "1") == expected
    assert scripts.call("zpopbyrank", [KEY], "0", bad) == expected
    assert members(r) == ["a", "b", "c", "d", "e"]


def test_random_against_reference(scripts):
    r = scripts.redis
    rng = random.Random(1234)
    for round_ in range(300):
        n = rng.randrange(0, 12)
        content = {f"m{i}": float(rng.randrange(-3, 4)) for i in range(n)}
        r.delete(KEY)
        if content:
            r.zadd(KEY, content)
        ordered = sorted(content, key=lambda m: (content[m], m))
        start = rng.randrange(-15, 15)
        stop = rng.randrange(-15, 15)
        rev = rng.random() < 0.5
        withscores = rng.random() < 0.5
        view = list(reversed(ordered)) if rev else ordered
        expected = [view[i] for i in rank_range(n, start, stop)]
        args = [str(start), str(stop)] + (["REV"] if rev else []) + (["WITHSCORES"] if withscores else [])
        reply = pop(scripts, *args)
        if withscores:
            assert reply[0::2] == expected, (round_, args)
            assert [float(s) for s in reply[1::2]] == [content[m] for m in expected]
        else:
            assert reply == expected, (round_, args)
        assert members(r) == [m for m in ordered if m not in expected]


def test_resp3(scripts):
    """The reply has the same shape in RESP3: a flat array of bulk strings, scores included."""
    r = scripts.redis
    fill(r)
    raw = RawClient(scripts.server.port)
    try:
        hello = raw.call("HELLO", "3")
        assert isinstance(hello, list)  # a RESP3 map
        sha = scripts.load("zpopbyrank")
        assert raw.call("EVALSHA", sha, 1, KEY, "0", "1", "REV", "WITHSCORES") == [b"e", b"5", b"d", b"4"]
        assert raw.call("EVALSHA", sha, 1, KEY, "0") == [b"a"]
        assert raw.call("EVALSHA", sha, 1, KEY, "x") == Err("ERR value is not an integer or out of range")
        assert raw.call("EVALSHA", sha, 1, "app1:none", "0") == []
    finally:
        raw.close()
    assert members(r) == ["b", "c"]
