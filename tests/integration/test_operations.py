"""Sidecar operations: reload, limits, timeouts, backend faults, workers."""
import os
import signal
import socket
import subprocess
import threading
import time

import pytest
import redis

from conftest import RedisServer


def config(extra_server="", namespace_extra="", password="app1-secret", workers=1,
           backend_extra=""):
    return f"""
[server]
workers = {workers}
{extra_server}

[backend]
url = "{{backend}}"
{backend_extra}

[[listener]]
address = "127.0.0.1:{{port}}"

[[namespace]]
name = "app1"
prefix = "app1:"
password = "{password}"
{namespace_extra}

[[namespace]]
name = "app2"
prefix = "app2:"
password = "app2-secret"
"""


def eventually(fn, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = fn()
            if result:
                return result
        except Exception:  # noqa: BLE001 - retried until the deadline
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        time.sleep(0.05)


def test_auth_required_without_default_namespace(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config())
    c = proxy.client()
    with pytest.raises(redis.AuthenticationError):
        c.get("k")
    with pytest.raises(redis.ResponseError, match="WRONGPASS"):
        c.execute_command("AUTH", "nope")
    assert c.execute_command("AUTH", "app1-secret")
    c.set("k", "v")
    assert redis_server.client().get("app1:k") == b"v"
    c2 = proxy.client()
    assert c2.execute_command("AUTH", "app1", "app1-secret")


def test_sighup_changes_password_without_dropping_clients(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config(password="old-secret"))
    connected = redis.Redis(host="127.0.0.1", port=proxy.port, password="old-secret")
    assert connected.set("k", "1")
    text = proxy.config_path.read_text().replace("old-secret", "new-secret")
    proxy.config_path.write_text(text)
    proxy.proc.send_signal(signal.SIGHUP)

    def new_password_works():
        return redis.Redis(host="127.0.0.1", port=proxy.port, password="new-secret").ping()

    eventually(new_password_works)
    assert connected.get("k") == b"1"  # the connected client keeps working
    with pytest.raises(redis.ResponseError, match="WRONGPASS"):
        redis.Redis(host="127.0.0.1", port=proxy.port, password="old-secret").ping()


def test_sighup_with_broken_file_keeps_old_config(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config())
    good = proxy.config_path.read_text()
    proxy.config_path.write_text(good + "\n[[namespace]]\nname = \"bad\"\nprefix = \"a*\"\n")
    proxy.proc.send_signal(signal.SIGHUP)
    eventually(lambda: "reload refused" in proxy.log_text())
    assert redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret").ping()
    assert proxy.proc.poll() is None


def test_maxclients_global(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config(extra_server="maxclients = 2"))

    def open_client():
        # The fixture's readiness probe may still count for a moment: retry until accepted.
        s = socket.create_connection(("127.0.0.1", proxy.port))
        s.sendall(b"PING\r\n")
        if s.recv(100) == b"+PONG\r\n":
            return s
        s.close()
        return None

    a = eventually(open_client)
    b = eventually(open_client)
    c = socket.create_connection(("127.0.0.1", proxy.port))
    c.settimeout(5)
    assert c.recv(100) == b"-ERR max number of clients reached\r\n"
    a.close()
    eventually(lambda: redis.Redis(host="127.0.0.1", port=proxy.port).ping())


def test_maxclients_per_namespace(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config(namespace_extra="maxclients = 1"))
    first = redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret")
    assert first.ping()
    with pytest.raises(redis.ResponseError, match="max number of clients reached"):
        redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret").ping()
    assert redis.Redis(host="127.0.0.1", port=proxy.port, password="app2-secret").ping()


def test_idle_timeout(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config(extra_server="timeout = 1"))
    s = socket.create_connection(("127.0.0.1", proxy.port))
    s.settimeout(10)
    assert s.recv(100) == b""  # closed by the proxy after the idle timeout


def test_query_buffer_limit(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server,
                         config(extra_server='client_query_buffer_limit = "1mb"'))
    s = socket.create_connection(("127.0.0.1", proxy.port))
    s.sendall(b"AUTH app1-secret\r\n")
    assert s.recv(100) == b"+OK\r\n"
    try:
        s.sendall(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n" + b"x" * 2_000_000)
    except OSError:
        pass
    s.settimeout(10)
    data = b""
    while True:
        try:
            chunk = s.recv(1000)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    assert b"client_query_buffer_limit" in data
    assert redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret").ping()


def test_hung_backend_times_out(make_stdnetd, tmp_path):
    server = RedisServer(tmp_path)
    try:
        proxy = make_stdnetd(server, config(backend_extra="request_timeout = 1"))
        c = redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret",
                        socket_timeout=30)
        assert c.set("k", "v")
        os.kill(server.proc.pid, signal.SIGSTOP)
        try:
            with pytest.raises(redis.ResponseError, match="no reply within"):
                c.get("k")
        finally:
            os.kill(server.proc.pid, signal.SIGCONT)
        assert eventually(lambda: c.get("k") == b"v")
    finally:
        server.stop()


def test_backend_restart_under_benchmark_load(make_stdnetd, tmp_path):
    server = RedisServer(tmp_path)
    try:
        proxy = make_stdnetd(server, config())
        bench = subprocess.Popen(["redis-benchmark", "-p", str(proxy.port), "-a", "app1-secret",
                                  "-c", "20", "-n", "300000", "-P", "8", "-t", "set,get", "-q",
                                  "-e"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True)
        time.sleep(1.0)
        server.stop()
        time.sleep(0.5)
        server.start()
        out, _ = bench.communicate(timeout=300)
        assert proxy.proc.poll() is None, "stdnetd crashed"
        # Errors while the backend was away are expected and explicit; the proxy serves again.
        c = redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret")
        assert eventually(lambda: c.set("after", "1"))
        assert c.get("after") == b"1"
        # No reply went to the wrong request: a fresh pipeline of distinct values reads back.
        p = c.pipeline(transaction=False)
        for i in range(2000):
            p.set(f"v{i}", i)
            p.get(f"v{i}")
        replies = p.execute()
        assert replies[1::2] == [str(i).encode() for i in range(2000)]
    finally:
        server.stop()


def test_two_workers_behave_the_same(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config(workers=2))
    errors = []

    def worker(n):
        try:
            c = redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret")
            p = c.pipeline(transaction=False)
            for i in range(2000):
                p.set(f"w{n}:{i}", i)
                p.get(f"w{n}:{i}")
            replies = p.execute()
            if replies[1::2] != [str(i).encode() for i in range(2000)]:
                errors.append(n)
            c.execute_command("MULTI")
            c.execute_command("SET", f"m{n}", "1")
            if c.execute_command("EXEC") != [b"OK"]:
                errors.append(("multi", n))
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    c = redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret")
    assert c.dbsize() == 20 * 2000 + 20
    assert all(k.startswith(b"app1:") for k in redis_server.client().keys("*"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_client_that_never_reads_is_bounded_and_disconnected(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config())
    c = redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret")
    c.set("big", b"x" * (1024 * 1024))
    s = socket.create_connection(("127.0.0.1", proxy.port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"AUTH app1-secret\r\n")
    request = b"GET big\r\n" * 100
    sent = 0
    s.settimeout(0.5)
    peak = 0
    # Ask for 1 GB of replies and never read them.
    while sent < 1000:
        try:
            s.sendall(request)
            sent += 100
        except (socket.timeout, BlockingIOError):
            break
        except OSError:
            break
        peak = max(peak, rss_kib(proxy.proc.pid))
    deadline = time.monotonic() + 60
    closed = False
    while time.monotonic() < deadline:
        peak = max(peak, rss_kib(proxy.proc.pid))
        if "unread" in proxy.log_text():
            closed = True
            break
        time.sleep(0.5)
    s.close()
    assert peak < 256 * 1024, f"proxy RSS reached {peak} KiB"
    assert closed, "the client that never reads was not disconnected"
    assert c.ping()


def test_flood_of_bad_clients_is_rate_limited_in_the_log(make_stdnetd, redis_server):
    proxy = make_stdnetd(redis_server, config())
    for _ in range(300):
        s = socket.create_connection(("127.0.0.1", proxy.port))
        s.sendall(b"*1\r\n$x\r\n")
        s.settimeout(5)
        assert s.recv(100).startswith(b"-ERR Protocol error")
        s.close()
    lines = [l for l in proxy.log_text().splitlines() if "Protocol error" in l]
    assert 0 < len(lines) < 300
    assert redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret").ping()


def test_backend_answering_garbage_closes_only_that_connection(make_stdnetd, tmp_path):
    """A 'backend' that answers garbage: requests get errors, the proxy lives and reconnects."""
    import socketserver

    class Garbage(socketserver.BaseRequestHandler):
        def handle(self):
            while True:
                data = self.request.recv(65536)
                if not data:
                    return
                self.request.sendall(b"?this is not RESP\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Garbage)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()

    class Fake:
        url = f"redis://127.0.0.1:{server.server_address[1]}?db=0"

    try:
        proxy = make_stdnetd(Fake(), config())
        c = redis.Redis(host="127.0.0.1", port=proxy.port, password="app1-secret")
        for _ in range(3):
            with pytest.raises(redis.ResponseError, match="backend"):
                c.get("k")
        assert c.ping()  # answered by the proxy itself: the client connection is fine
        assert proxy.proc.poll() is None
        assert "protocol error in a backend reply" in proxy.log_text()
    finally:
        server.shutdown()
        server.server_close()
