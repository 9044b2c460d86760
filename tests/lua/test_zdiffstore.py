"""lua/scripts/zdiffstore.lua against a real redis-server: ZDIFFSTORE dst numkeys src key... WITHSCORES.

Called as the proxy does: EVALSHA sha numkeys+1 dst src key... WITHSCORES.
"""
import math
import random

import pytest

from lua_helpers import WRONGTYPE, Err, RawClient, scripts, snapshot  # noqa: F401 (fixture)

DST, SRC, K1, K2 = "app1:dst", "app1:src", "app1:k1", "app1:k2"


def zdiff(scripts, dst, *keys, opt="WITHSCORES"):
    return scripts.call("zdiffstore", [dst, *keys], *([opt] if opt else []))


def content(r, key):
    return {m.decode(): s for m, s in r.zrange(key, 0, -1, withscores=True)}


def reference(inputs):
    """The spec's rule in Python: inputs = [src dict, later dicts...] (None: a missing key)."""
    src = inputs[0]
    if src is None:
        return {}
    out, subtracted = dict(src), set()
    for later in inputs[1:]:
        for m, s in (later or {}).items():
            if m in out:
                v = out[m] - s
                out[m] = 0.0 if math.isnan(v) else v
                subtracted.add(m)
    return {m: s for m, s in out.items() if not (m in subtracted and s == 0)}


def test_spec_example(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 5, "b": 3, "c": 0, "d": 2, "n": 1})
    r.zadd(K1, {"a": 2, "b": 3, "e": 9, "n": 4})
    assert zdiff(scripts, DST, SRC, K1) == 4
    # b: 3-3 = 0 subtracted -> removed; c: 0, never subtracted -> stays; n: negative -> stays;
    # e: not in src -> ignored.
    assert content(r, DST) == {"a": 3, "c": 0, "d": 2, "n": -3}
    assert content(r, SRC) == {"a": 5, "b": 3, "c": 0, "d": 2, "n": 1}  # inputs untouched


def test_zero_after_all_subtractions_only(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 5, "b": 5, "z": 0, "y": 0})
    r.zadd(K1, {"a": 5, "b": 2, "z": 0, "y": 2})
    r.zadd(K2, {"a": -1, "b": 3, "y": -2})
    assert zdiff(scripts, DST, SRC, K1, K2) == 1
    # a: 5-5 = 0 then 0-(-1) = 1 -> kept; b: 5-2-3 = 0 -> removed; z: 0-0 = 0 subtracted -> removed;
    # y: 0-2+2 = 0 -> removed.
    assert content(r, DST) == {"a": 1}


def test_same_key_subtracted_twice(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 4, "b": 2})
    r.zadd(K1, {"a": 1, "b": 1})
    assert zdiff(scripts, DST, SRC, K1, K1) == 1
    assert content(r, DST) == {"a": 2}
    assert zdiff(scripts, DST, SRC, SRC) == 0
    assert r.exists(DST) == 0


def test_in_place(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 5, "b": 3, "c": 0})
    r.zadd(K1, {"a": 2, "b": 3})
    assert zdiff(scripts, SRC, SRC, K1) == 2
    assert content(r, SRC) == {"a": 3, "c": 0}


def test_dst_is_a_later_key(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 5, "b": 3})
    r.zadd(K1, {"a": 2, "x": 1})
    assert zdiff(scripts, K1, SRC, K1) == 2
    assert content(r, K1) == {"a": 3, "b": 3}


def test_dst_is_replaced_whatever_it_held(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 1})
    r.set(DST, "a string")
    assert zdiff(scripts, DST, SRC, K1) == 1
    assert content(r, DST) == {"a": 1}
    r.delete(DST)
    r.zadd(DST, {"old": 1, "a": 7})
    assert zdiff(scripts, DST, SRC) == 1
    assert content(r, DST) == {"a": 1}
    assert r.ttl(DST) == -1


def test_missing_src_deletes_dst(scripts):
    r = scripts.redis
    r.zadd(DST, {"old": 1})
    r.zadd(K1, {"old": 1})
    assert zdiff(scripts, DST, SRC, K1) == 0
    assert r.exists(DST) == 0
    r.set(DST, "x")
    assert zdiff(scripts, DST, SRC) == 0
    assert r.exists(DST) == 0


def test_everything_removed_leaves_no_dst(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 1, "b": 2})
    r.zadd(K1, {"a": 1, "b": 2})
    r.zadd(DST, {"old": 1})
    assert zdiff(scripts, DST, SRC, K1) == 0
    assert r.exists(DST) == 0


def test_missing_later_keys_are_empty(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 1, "z": 0})
    assert zdiff(scripts, DST, SRC, K1, K2) == 2
    assert content(r, DST) == {"a": 1, "z": 0}


def test_scores_are_exact(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 0.3, "b": 1.1, "c": 1e300, "d": 2.5e-300, "e": 1 / 3})
    r.zadd(K1, {"a": 0.1, "c": -1e300, "d": 2.5e-300})
    r.zadd(K2, {"a": 0.2, "e": 1 / 3 - 1e-16})
    assert zdiff(scripts, DST, SRC, K1, K2) == 4
    got = content(r, DST)
    assert got["a"] == 0.3 - 0.1 - 0.2 != 0  # floating point: not exactly 0, so kept
    assert got["b"] == 1.1  # untouched: copied exactly
    assert got["c"] == 2e300
    assert "d" not in got
    assert got["e"] == 1 / 3 - (1 / 3 - 1e-16) != 0
    assert r.zscore(DST, "b") == r.zscore(SRC, "b")


def test_infinities(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": math.inf, "b": math.inf, "c": 1, "d": -math.inf})
    r.zadd(K1, {"a": 1, "b": math.inf, "c": -math.inf, "d": -math.inf})
    assert zdiff(scripts, DST, SRC, K1) == 2
    # inf - inf (and -inf - -inf) count as 0, and were subtracted: removed.
    assert content(r, DST) == {"a": math.inf, "c": math.inf}


def test_sets_count_as_score_1(scripts):
    r = scripts.redis
    r.sadd(SRC, "a", "b", "c")
    r.zadd(K1, {"a": 1, "b": 0.5})
    r.sadd(K2, "c", "x")
    assert zdiff(scripts, DST, SRC, K1, K2) == 1
    assert content(r, DST) == {"b": 0.5}
    r.zadd("app1:z", {"a": 3, "b": 1})
    assert zdiff(scripts, DST, "app1:z", SRC) == 1
    assert content(r, DST) == {"a": 2}


def test_withscores_any_case(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 3})
    r.zadd(K1, {"a": 1})
    assert zdiff(scripts, DST, SRC, K1, opt="withScores") == 1
    assert content(r, DST) == {"a": 2}


def test_without_withscores_is_redis_zdiffstore(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 3, "b": 2, "c": 0})
    r.zadd(K1, {"a": 1})
    r.sadd(K2, "b")
    assert zdiff(scripts, DST, SRC, K1, K2, opt=None) == r.zdiffstore("app1:ref", [SRC, K1, K2])
    assert content(r, DST) == content(r, "app1:ref") == {"c": 0}


@pytest.mark.parametrize("size_src, size_later", [(3000, 10), (10, 3000), (2500, 2500)])
def test_large_inputs(scripts, size_src, size_later):
    """Both ways of subtracting (walk the later key, or ask it for src's members) and the batches."""
    r = scripts.redis
    rng = random.Random(size_src * 7 + size_later)
    src = {f"m{i}": float(rng.randrange(-3, 4)) for i in range(size_src)}
    later = {f"m{rng.randrange(0, max(size_src, size_later) * 2)}": float(rng.randrange(-3, 4))
             for _ in range(size_later)}
    later_set = {f"m{rng.randrange(0, size_src * 2)}" for _ in range(size_later)}
    r.zadd(SRC, src)
    r.zadd(K1, later)
    r.sadd(K2, *later_set)
    expected = reference([src, later, {m: 1.0 for m in later_set}])
    assert zdiff(scripts, DST, SRC, K1, K2) == len(expected)
    assert content(r, DST) == expected


@pytest.mark.parametrize("bad_key", [SRC, K1, K2])
def test_wrong_type_writes_nothing(scripts, bad_key):
    r = scripts.redis
    r.zadd(SRC, {"a": 3})
    r.zadd(K1, {"a": 1})
    r.sadd(K2, "a")
    r.zadd(DST, {"old": 1})
    r.delete(bad_key)
    r.rpush(bad_key, "x")
    before = snapshot(r)
    assert zdiff(scripts, DST, SRC, K1, K2) == Err(WRONGTYPE)
    assert snapshot(r) == before


@pytest.mark.parametrize("keys, args, error", [
    ([], ["WITHSCORES"], "ERR at least 1 input key is needed for 'zdiffstore' command"),
    ([DST], ["WITHSCORES"], "ERR at least 1 input key is needed for 'zdiffstore' command"),
    ([DST, SRC], ["WITHSCORE"], "ERR syntax error"),
    ([DST, SRC, K1], ["WITHSCORES", "x"], "ERR syntax error"),
    ([DST, SRC, K1], ["AGGREGATE", "SUM"], "ERR syntax error"),
])
def test_argument_errors_write_nothing(scripts, keys, args, error):
    r = scripts.redis
    r.zadd(SRC, {"a": 3})
    r.zadd(K1, {"a": 1})
    r.zadd(DST, {"old": 1})
    before = snapshot(r)
    reply = scripts.raw.call("EVALSHA", scripts.load("zdiffstore"), len(keys), *keys, *args)
    assert reply == Err(error)
    assert snapshot(r) == before


def test_random_against_reference(scripts):
    r = scripts.redis
    rng = random.Random(99)
    names = [SRC, K1, K2, "app1:k3"]
    for round_ in range(200):
        r.flushdb()
        inputs = {}
        for name in names:
            kind = rng.choice(["zset", "zset", "zset", "set", "missing"])
            members = {f"m{rng.randrange(0, 8)}" for _ in range(rng.randrange(0, 8))}
            if kind == "missing" or not members:
                inputs[name] = None
            elif kind == "set":
                r.sadd(name, *members)
                inputs[name] = {m: 1.0 for m in members}
            else:
                scores = {m: float(rng.choice([-2, -1, 0, 0, 1, 2, 0.5])) for m in members}
                r.zadd(name, scores)
                inputs[name] = scores
        later = [rng.choice(names) for _ in range(rng.randrange(0, 4))]
        dst = rng.choice([DST, SRC, K1])
        expected = reference([inputs[SRC]] + [inputs[k] for k in later])
        assert zdiff(scripts, dst, SRC, *later) == len(expected), (round_, later, inputs)
        assert content(r, dst) == expected, (round_, later, inputs)


def test_resp3(scripts):
    r = scripts.redis
    r.zadd(SRC, {"a": 3, "b": 1})
    r.zadd(K1, {"a": 1, "b": 1})
    raw = RawClient(scripts.server.port)
    try:
        assert isinstance(raw.call("HELLO", "3"), list)
        sha = scripts.load("zdiffstore")
        assert raw.call("EVALSHA", sha, 3, DST, SRC, K1, "WITHSCORES") == 1
        assert raw.call("EVALSHA", sha, 2, DST, SRC, "NOPE") == Err("ERR syntax error")
    finally:
        raw.close()
    assert content(r, DST) == {"a": 2}
