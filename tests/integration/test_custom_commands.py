"""Custom commands through stdnetd: the built-in scripts, NOSCRIPT recovery, operator commands."""
import pathlib
import shutil
import subprocess
import time

import pytest
import redis

from conftest import ROOT, RedisServer, DEFAULT_CONFIG


def cli(proxy, *args):
    return subprocess.run(["redis-cli", "-p", str(proxy.port), *args], capture_output=True,
                          text=True, check=True).stdout


def test_builtin_custom_commands_are_namespaced(stdnetd, redis_server):
    c = stdnetd.client()
    c.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert c.execute_command("ZPOPBYRANK", "z", 0, 1, "WITHSCORES") == [b"a", b"1", b"b", b"2"]
    assert c.execute_command("ZPOPBYSCORE", "z", "(3", "+inf") == [b"d"]
    c.zadd("src", {"x": 5, "y": 1})
    c.zadd("sub", {"x": 2, "y": 1})
    assert c.execute_command("ZDIFFSTORE", "dst", 2, "src", "sub", "WITHSCORES") == 1
    assert c.zrange("dst", 0, -1, withscores=True) == [(b"x", 3.0)]
    # The plain form is Redis's own ZDIFFSTORE.
    assert c.execute_command("ZDIFFSTORE", "plain", 2, "src", "sub") == 0
    for i in range(30):
        c.set(f"user:{i}", i)
    assert c.execute_command("COUNTPATTERN", "user:*") == 30
    assert c.execute_command("DELPATTERN", "user:1*") == 11
    info = c.execute_command("KEYINFO", "KEYS", "z", "missing")
    assert info[0][0] == b"z" and info[0][1] == b"zset"
    assert sorted(redis_server.client().keys("*")) == sorted(
        [b"app1:z", b"app1:src", b"app1:sub", b"app1:dst"] +
        [f"app1:user:{i}".encode() for i in range(30) if not str(i).startswith("1")])


def test_wrong_arity_and_bad_options(stdnetd):
    c = stdnetd.client()
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'zpopbyrank'"):
        c.execute_command("ZPOPBYRANK", "z")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        c.execute_command("ZPOPBYRANK", "z", 0, 1, "BOGUS")


def test_noscript_recovered_after_script_flush(stdnetd, redis_server):
    c = stdnetd.client()
    c.zadd("z", {"a": 1, "b": 2})
    redis_server.client().script_flush()
    assert c.execute_command("ZPOPBYRANK", "z", 0) == [b"a"]
    redis_server.client().script_flush()
    p = c.pipeline(transaction=True)
    p.execute_command("ZPOPBYRANK", "z", 0)
    assert p.execute() == [[b"b"]]


def test_noscript_recovered_after_backend_restart(make_stdnetd, tmp_path):
    server = RedisServer(tmp_path)
    try:
        proxy = make_stdnetd(server)
        c = proxy.client()
        c.zadd("z", {"a": 1})
        server.restart()
        deadline = time.monotonic() + 10
        while True:
            try:
                c.zadd("z", {"m": 1})
                break
            except (redis.ResponseError, redis.ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        assert c.execute_command("ZPOPBYRANK", "z", 0) == [b"m"]
    finally:
        server.stop()


def test_delpattern_never_sends_keys_to_backend(stdnetd, redis_server):
    c = stdnetd.client()
    p = c.pipeline(transaction=False)
    for i in range(5000):
        p.set(f"k{i}", i)
    p.execute()
    monitor = subprocess.Popen(["redis-cli", "-p", str(redis_server.port), "MONITOR"],
                               stdout=subprocess.PIPE, text=True)
    time.sleep(0.2)
    assert c.execute_command("DELPATTERN", "k*") == 5000
    assert c.dbsize() == 0
    monitor.terminate()
    out, _ = monitor.communicate(timeout=10)
    assert '"SCAN"' in out
    assert '"KEYS"' not in out and '"keys"' not in out


OPERATOR_CONFIG = DEFAULT_CONFIG + """
[[command]]
name = "RATELIMIT"
script = "ratelimit.lua"
keys = {{ first = 1, last = 1, step = 1 }}

[[command]]
name = "BROKEN"
script = "broken.lua"
keys = {{ first = 1, last = 1, step = 1 }}
"""


def test_operator_defined_command(make_stdnetd, redis_server, tmp_path):
    shutil.copy(ROOT / "examples" / "ratelimit.lua", tmp_path / "ratelimit.lua")
    (tmp_path / "broken.lua").write_text("return (")
    proxy = make_stdnetd(redis_server, OPERATOR_CONFIG)
    assert cli(proxy, "RATELIMIT", "api", "2", "60").strip() == "1"
    assert cli(proxy, "ratelimit", "api", "2", "60").strip() == "1"
    assert cli(proxy, "RATELIMIT", "api", "2", "60").strip() == "0"
    keys = redis_server.client().keys("*")
    assert keys and all(k.startswith(b"app1:") for k in keys)
    # The script the backend refuses: a clear error, logged and replied.
    out = subprocess.run(["redis-cli", "-p", str(proxy.port), "BROKEN", "k"], capture_output=True,
                         text=True).stdout
    assert "compil" in out.lower() or "error" in out.lower()
    assert "BROKEN" in proxy.log_text().upper() and "refuses script" in proxy.log_text()


def test_keyinfo_pattern_in_batches(stdnetd, redis_server):
    c = stdnetd.client()
    for i in range(2500):
        c.set(f"ki:{i}", "x" * (i % 7))
    c.rpush("kl", "a", "b")
    redis_server.client().set("app2:ki:1", "foreign")
    rows = c.execute_command("KEYINFO", "ki:*")
    assert len(rows) == 2500
    assert {r[0] for r in rows} == {f"ki:{i}".encode() for i in range(2500)}
    assert all(r[1] == b"string" for r in rows)
    page = c.execute_command("KEYINFO", "ki:*", 10, 5)
    assert len(page) == 5
    lst = c.execute_command("KEYINFO", "kl*")
    assert lst == [[b"kl", b"list", 2, -1, lst[0][4], lst[0][5]]]
