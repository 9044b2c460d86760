"""lua/scripts/zpopbyscore.lua against a real redis-server:
ZPOPBYSCORE key min [max] [REV] [WITHSCORES] [LIMIT offset count]."""
import math
import random

import pytest

from lua_helpers import WRONGTYPE, Err, RawClient, scripts, snapshot  # noqa: F401 (fixture)

KEY = "app1:z"
ALL = ["a", "b", "c", "d", "e"]


def fill(r, key=KEY):
    r.zadd(key, {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})


def members(r, key=KEY):
    return [m.decode() for m in r.zrange(key, 0, -1)]


def pop(scripts, *args, key=KEY):
    reply = scripts.call("zpopbyscore", [key], *args)
    return [x.decode() for x in reply] if isinstance(reply, list) else reply


def parse_bound(text):
    """(value, exclusive) as Redis reads a ZRANGE BYSCORE bound."""
    exclusive = text.startswith("(")
    return float(text[1:] if exclusive else text), exclusive


def in_range(score, lo, hi):
    (lv, lx), (hv, hx) = lo, hi
    return (score > lv if lx else score >= lv) and (score < hv if hx else score <= hv)


@pytest.mark.parametrize("args, popped", [
    (["2"], ["b"]),
    (["2", "2"], ["b"]),
    (["2.5"], []),
    (["(2"], []),
    (["2", "4"], ["b", "c", "d"]),
    (["(2", "4"], ["c", "d"]),
    (["2", "(4"], ["b", "c"]),
    (["(2", "(4"], ["c"]),
    (["(2", "(3"], []),
    (["1.5", "3.5"], ["b", "c"]),
    (["-inf", "+inf"], ALL),
    (["-inf", "inf"], ALL),
    (["-inf", "2"], ["a", "b"]),
    (["(4", "+inf"], ["e"]),
    (["5", "2"], []),
    (["6", "+inf"], []),
    (["-inf", "(1"], []),
    (["0", "1e1"], ALL),
    # REV: bounds still min max, highest first.
    (["2", "4", "REV"], ["d", "c", "b"]),
    (["(2", "4", "rev"], ["d", "c"]),
    (["-inf", "+inf", "REV"], ["e", "d", "c", "b", "a"]),
    (["3", "REV"], ["c"]),
    (["4", "2", "REV"], []),
    # LIMIT offset count, in the order of the reply.
    (["2", "4", "LIMIT", "0", "2"], ["b", "c"]),
    (["2", "4", "LIMIT", "1", "1"], ["c"]),
    (["2", "4", "REV", "LIMIT", "0", "2"], ["d", "c"]),
    (["2", "4", "LIMIT", "1", "1", "REV"], ["c"]),
    (["-inf", "+inf", "REV", "LIMIT", "1", "2"], ["d", "c"]),
    (["-inf", "+inf", "LIMIT", "0", "-1"], ALL),
    (["-inf", "+inf", "LIMIT", "3", "-5"], ["d", "e"]),
    (["-inf", "+inf", "LIMIT", "0", "0"], []),
    (["-inf", "+inf", "LIMIT", "5", "1"], []),
    (["-inf", "+inf", "LIMIT", "-1", "2"], []),
    (["-inf", "+inf", "LIMIT", "0", "1", "LIMIT", "2", "1"], ["c"]),  # the last LIMIT counts
    (["-inf", "+inf", "limit", "4", "10", "withscores"], ["e", "5"]),
])
def test_ranges(scripts, args, popped):
    r = scripts.redis
    fill(r)
    assert pop(scripts, *args) == popped
    if "WITHSCORES" not in [a.upper() for a in args]:
        assert members(r) == [m for m in ALL if m not in popped]
    if not [m for m in ALL if m not in popped]:
        assert r.exists(KEY) == 0


def test_withscores(scripts):
    r = scripts.redis
    r.zadd(KEY, {"a": 1.1, "b": 2, "c": -3.5, "d": float("inf"), "e": float("-inf"), "f": 0})
    expected = r.execute_command("ZRANGE", KEY, "-inf", "+inf", "BYSCORE", "WITHSCORES")
    assert scripts.call("zpopbyscore", [KEY], "-inf", "+inf", "WITHSCORES") == expected
    assert expected == [b"e", b"-inf", b"c", b"-3.5", b"f", b"0", b"a", b"1.1000000000000001",
                        b"b", b"2", b"d", b"inf"]
    assert r.exists(KEY) == 0


def test_withscores_rev_limit(scripts):
    r = scripts.redis
    fill(r)
    assert pop(scripts, "2", "5", "WITHSCORES", "REV", "LIMIT", "1", "2") == ["d", "4", "c", "3"]
    assert members(r) == ["a", "b", "e"]


def test_infinite_scores(scripts):
    r = scripts.redis
    r.zadd(KEY, {"lo": float("-inf"), "mid": 0, "hi": float("inf"), "hi2": float("inf")})
    assert pop(scripts, "(+inf") == []
    assert pop(scripts, "+inf", "WITHSCORES") == ["hi", "inf", "hi2", "inf"]
    assert pop(scripts, "-inf") == ["lo"]
    assert members(r) == ["mid"]


def test_ties_and_exact_bounds(scripts):
    r = scripts.redis
    r.zadd(KEY, {"b": 1, "a": 1, "c": 1, "x": 0, "y": 2})
    assert pop(scripts, "1", "REV", "LIMIT", "0", "2") == ["c", "b"]
    assert pop(scripts, "1") == ["a"]
    assert members(r) == ["x", "y"]


def test_missing_key(scripts):
    assert scripts.call("zpopbyscore", [KEY], "-inf", "+inf") == []
    assert scripts.call("zpopbyscore", [KEY], "0", "REV", "WITHSCORES", "LIMIT", "0", "1") == []
    assert scripts.redis.exists(KEY) == 0


def test_large_range_crosses_batches(scripts):
    r = scripts.redis
    r.zadd(KEY, {f"m{i:05d}": i for i in range(2500)})
    reply = pop(scripts, "100", "(2200", "WITHSCORES")
    assert reply[:4] == ["m00100", "100", "m00101", "101"]
    assert len(reply) == 2 * 2100
    assert r.zcard(KEY) == 400
    reply = pop(scripts, "-inf", "+inf", "REV", "LIMIT", "0", "1500")
    assert reply[:2] == ["m02499", "m02498"] and len(reply) == 400
    assert r.exists(KEY) == 0


def test_only_the_key_changes(scripts):
    r = scripts.redis
    fill(r)
    fill(r, key="app1:other")
    pop(scripts, "-inf", "+inf")
    assert members(r, "app1:other") == ALL


def test_wrong_type(scripts):
    r = scripts.redis
    r.rpush(KEY, "a")
    assert scripts.call("zpopbyscore", [KEY], "-inf", "+inf") == Err(WRONGTYPE)
    assert r.lrange(KEY, 0, -1) == [b"a"]


@pytest.mark.parametrize("keys, args, error", [
    ([KEY], [], "ERR wrong number of arguments for 'zpopbyscore' command"),
    ([], ["0"], "ERR wrong number of arguments for 'zpopbyscore' command"),
    ([KEY, "app1:y"], ["0"], "ERR wrong number of arguments for 'zpopbyscore' command"),
    ([KEY], ["0", "1", "FOO"], "ERR syntax error"),
    ([KEY], ["0", "1", "2"], "ERR syntax error"),
    ([KEY], ["0", "REV", "1"], "ERR syntax error"),
    ([KEY], ["0", "1", "LIMIT"], "ERR syntax error"),
    ([KEY], ["0", "1", "LIMIT", "0"], "ERR syntax error"),
    ([KEY], ["0", "LIMIT", "0"], "ERR syntax error"),
    ([KEY], ["0", "1", "BYSCORE"], "ERR syntax error"),
    ([KEY], ["0", "1", "BYLEX"], "ERR syntax error"),
    ([KEY], ["a"], "ERR min or max is not a float"),
    ([KEY], ["0", "b"], "ERR min or max is not a float"),
    ([KEY], ["nan"], "ERR min or max is not a float"),
    ([KEY], ["0", "(nan"], "ERR min or max is not a float"),
    ([KEY], ["((1", "2"], "ERR min or max is not a float"),
    ([KEY], ["[1", "2"], "ERR min or max is not a float"),
    ([KEY], ["1", "2", "REV", "WITHSCORES", "LIMIT", "x", "1"],
     "ERR value is not an integer or out of range"),
    ([KEY], ["1", "2", "LIMIT", "0", "1.5"], "ERR value is not an integer or out of range"),
])
def test_argument_errors_write_nothing(scripts, keys, args, error):
    r = scripts.redis
    fill(r)
    before = snapshot(r)
    reply = scripts.raw.call("EVALSHA", scripts.load("zpopbyscore"), len(keys), *keys, *args)
    assert reply == Err(error)
    assert snapshot(r) == before


@pytest.mark.parametrize("bad", ["abc", "1.5.5", "1x", "--1", "nan", "(-nan", "inf1"])
def test_bound_parsing_is_redis_own(scripts, bad):
    r = scripts.redis
    fill(r)
    expected = scripts.raw.call("ZRANGE", KEY, bad, "5", "BYSCORE")
    assert isinstance(expected, Err)
    assert scripts.call("zpopbyscore", [KEY], bad, "5") == expected
    assert scripts.call("zpopbyscore", [KEY], "0", bad, "REV") == expected
    assert members(r) == ALL


def test_empty_bound_is_zero_as_in_redis(scripts):
    """Redis's ZRANGE BYSCORE reads "" and "(" as 0 (strtod); the script inherits that, not more."""
    r = scripts.redis
    r.zadd(KEY, {"neg": -1, "zero": 0, "pos": 1})
    assert scripts.raw.call("ZRANGE", KEY, "(", "1", "BYSCORE") == [b"pos"]
    assert pop(scripts, "") == ["zero"]
    assert pop(scripts, "(", "1") == ["pos"]
    assert members(r) == ["neg"]


def test_random_against_reference(scripts):
    r = scripts.redis
    rng = random.Random(4321)
    bounds = ["-inf", "+inf", "-2", "-1", "0", "1", "2", "1.5", "(-1", "(0", "(1", "(2", "(1.5"]
    for round_ in range(300):
        n = rng.randrange(0, 12)
        content = {f"m{i}": rng.choice([-2.0, -1.0, 0.0, 0.5, 1.0, 1.5, 2.0, math.inf, -math.inf])
                   for i in range(n)}
        r.delete(KEY)
        if content:
            r.zadd(KEY, content)
        ordered = sorted(content, key=lambda m: (content[m], m))
        lo, hi = rng.choice(bounds), rng.choice(bounds)
        rev = rng.random() < 0.5
        limit = (rng.randrange(-1, 5), rng.randrange(-1, 5)) if rng.random() < 0.5 else None
        view = list(reversed(ordered)) if rev else ordered
        expected = [m for m in view if in_range(content[m], parse_bound(lo), parse_bound(hi))]
        if limit:
            offset, count = limit
            expected = [] if offset < 0 else expected[offset:]
            if count >= 0:
                expected = expected[:count]
        args = [lo, hi] + (["REV"] if rev else []) + (["LIMIT", str(limit[0]), str(limit[1])]
                                                       if limit else [])
        assert pop(scripts, *args) == expected, (round_, args, content)
        assert members(r) == [m for m in ordered if m not in expected]


def test_resp3(scripts):
    r = scripts.redis
    fill(r)
    raw = RawClient(scripts.server.port)
    try:
        assert isinstance(raw.call("HELLO", "3"), list)
        sha = scripts.load("zpopbyscore")
        assert raw.call("EVALSHA", sha, 1, KEY, "4", "5", "REV", "WITHSCORES") == [b"e", b"5", b"d", b"4"]
        assert raw.call("EVALSHA", sha, 1, KEY, "x") == Err("ERR min or max is not a float")
        assert raw.call("EVALSHA", sha, 1, KEY, "1", "LIMIT") == Err("ERR syntax error")
    finally:
        raw.close()
    assert members(r) == ["a", "b", "c"]
