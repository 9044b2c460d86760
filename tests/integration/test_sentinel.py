"""[backend.sentinel]: discovering the primary through Redis Sentinel and following a failover.

A primary, a replica (--replicaof) and one sentinel (redis-server in sentinel mode, quorum 1) on
free loopback ports; stdnetd asks the sentinel for the primary, checks ROLE, and after
SENTINEL FAILOVER reconnects to the promoted replica without a restart.
"""
import signal
import socketserver
import subprocess
import threading
import time
import types

import pytest
import redis

from conftest import RedisServer, free_port, wait_for_port

MASTER = "mymaster"


def eventually(fn, timeout=30.0, interval=0.1):
    """Calls fn until it returns something true (exceptions count as not yet); bounded."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = fn()
            if result:
                return result
        except Exception as e:  # noqa: BLE001 - retried until the deadline
            last = e
        time.sleep(interval)
    raise AssertionError(f"condition not met before the deadline (last error: {last!r})")


class SentinelServer:
    """redis-server in sentinel mode, monitoring `primary` as MASTER with quorum 1."""

    def __init__(self, tmpdir, primary_port):
        self.port = free_port()
        self.dir = tmpdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.conf = self.dir / "sentinel.conf"
        # Sentinel rewrites its config file: it must be writable. Plain IPs, no hostnames.
        self.conf.write_text(
            f"port {self.port}\n"
            "bind 127.0.0.1\n"
            "daemonize no\n"
            f"dir {self.dir}\n"
            "loglevel warning\n"
            f"sentinel monitor {MASTER} 127.0.0.1 {primary_port} 1\n"
            f"sentinel down-after-milliseconds {MASTER} 1000\n"
            f"sentinel failover-timeout {MASTER} 5000\n")
        self.proc = subprocess.Popen(["redis-server", str(self.conf), "--sentinel"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.proc)

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, decode_responses=True)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def topology(tmp_path):
    """A primary, its replica and a sentinel that knows both."""
    (tmp_path / "primary").mkdir()
    (tmp_path / "replica").mkdir()
    primary = RedisServer(tmp_path / "primary")
    replica = RedisServer(tmp_path / "replica",
                          extra_args=["--replicaof", "127.0.0.1", str(primary.port)])
    started = [primary, replica]
    try:
        eventually(lambda: replica.client().info("replication").get("master_link_status") == "up")
        sentinel = SentinelServer(tmp_path / "sentinel", primary.port)
        started.append(sentinel)

        def knows_replica():
            replicas = sentinel.client().execute_command("SENTINEL", "REPLICAS", MASTER)
            return any(str(replica.port) in str(r) for r in replicas)

        eventually(knows_replica)
        yield types.SimpleNamespace(primary=primary, replica=replica, sentinel=sentinel)
    finally:
        for server in reversed(started):
            server.stop()


def sentinel_config(master, addresses, extra_backend="", extra_sentinel=""):
    listed = ", ".join(f'"{a}"' for a in addresses)
    # The url's host and port are not used with [backend.sentinel] (127.0.0.1:1 answers nothing);
    # its db is. {port} is filled in by the fixture.
    return f"""
[server]
log_level = "debug"

[backend]
url = "redis://127.0.0.1:1?db=0"
connect_timeout = 1
reconnect_max = 0.2
{extra_backend}

[backend.sentinel]
master = "{master}"
addresses = [{listed}]
{extra_sentinel}

[[listener]]
address = "127.0.0.1:{{port}}"
namespace = "app1"

[[namespace]]
name = "app1"
prefix = "app1:"
password = "app1-secret"
"""


def no_backend():
    return types.SimpleNamespace(url="unused")


def role(server):
    return server.client().execute_command("ROLE")[0]


def test_discovers_the_primary_and_follows_a_failover(topology, make_stdnetd):
    primary, replica, sentinel = topology.primary, topology.replica, topology.sentinel
    dead = free_port()  # nothing listens there: the next sentinel is asked
    proxy = make_stdnetd(no_backend(), sentinel_config(
        MASTER, [f"127.0.0.1:{dead}", f"127.0.0.1:{sentinel.port}"]))
    c = proxy.client(decode_responses=True)
    eventually(lambda: c.set("key", "v1"))
    assert primary.client().get("app1:key") == b"v1"
    assert c.get("key") == "v1"
    assert f"the primary of '{MASTER}' is 127.0.0.1:{primary.port}" in proxy.log_text()
    # INFO names the sentinels, not the url's unused address.
    info = c.info("backend")
    assert info["backend_sentinel_master"] == MASTER
    assert info["backend_sentinel_addresses"] == f"127.0.0.1:{dead},127.0.0.1:{sentinel.port}"
    assert "backend_address" not in info
    assert info["backend_sentinel_primary"] == f"127.0.0.1:{primary.port}"

    def failover():
        return sentinel.client().execute_command("SENTINEL", "FAILOVER", MASTER)

    eventually(failover)
    eventually(lambda: role(replica) == b"master")

    # Writes land on the new primary once stdnetd has followed the failover.
    attempt = [0]
    errors = []

    def write_reaches_new_primary():
        attempt[0] += 1
        value = f"v2-{attempt[0]}"
        try:
            c.set("key2", value)
        except redis.exceptions.ReadOnlyError:
            return False  # the old primary's own -READONLY, passed through as it is
        except redis.ResponseError as e:
            errors.append(str(e))
            return False
        return replica.client().get("app1:key2") == value.encode()

    eventually(write_reaches_new_primary)
    assert c.info("backend")["backend_sentinel_primary"] == f"127.0.0.1:{replica.port}"
    # Requests during the switch got a clear -ERR (or the old primary's -READONLY), never a hang.
    for error in errors:
        assert error.startswith("stdnet: backend"), error
    assert c.get("key") == "v1"  # replicated before the failover
    assert proxy.proc.poll() is None
    log = proxy.log_text()
    assert f"127.0.0.1:{replica.port}" in log
    assert "primary of 'mymaster' is now" in log or "failover of 'mymaster'" in log


def test_unknown_master_gives_a_clear_error(topology, make_stdnetd):
    sentinel = topology.sentinel
    proxy = make_stdnetd(no_backend(), sentinel_config(
        "nosuchmaster", [f"127.0.0.1:{sentinel.port}"]))
    c = proxy.client()

    def error_text():
        with pytest.raises(redis.ResponseError) as info:
            c.set("key", "v")
        return str(info.value)

    message = eventually(error_text)
    assert message.startswith("stdnet: backend unavailable (sentinel: "), message
    assert (f"sentinel: no sentinel of [127.0.0.1:{sentinel.port}] knows primary 'nosuchmaster'"
            in message), message
    assert "does not know the master 'nosuchmaster'" in message, message
    # stdnetd keeps running and answering.
    assert c.ping()
    assert proxy.proc.poll() is None
    assert "knows primary 'nosuchmaster'" in proxy.log_text()


def test_no_sentinel_answers(tmp_path, make_stdnetd):
    dead = [free_port(), free_port()]
    proxy = make_stdnetd(no_backend(), sentinel_config(
        MASTER, [f"127.0.0.1:{dead[0]}", f"127.0.0.1:{dead[1]}"]))
    c = proxy.client()
    with pytest.raises(redis.ResponseError) as info:
        c.get("key")
    message = str(info.value)
    assert (f"no sentinel of [127.0.0.1:{dead[0]}, 127.0.0.1:{dead[1]}] knows primary "
            f"'{MASTER}'" in message), message
    assert "connect: connection refused" in message, message
    assert "stdnetd reconnects by itself, retry later" in message, message
    assert proxy.proc.poll() is None


def test_unreachable_first_sentinel_is_skipped(topology, make_stdnetd):
    primary, sentinel = topology.primary, topology.sentinel
    proxy = make_stdnetd(no_backend(), sentinel_config(
        MASTER, [f"127.0.0.1:{free_port()}", f"127.0.0.1:{sentinel.port}"]))
    c = proxy.client()
    eventually(lambda: c.set("k", "v"))
    assert primary.client().get("app1:k") == b"v"
    # A transaction runs on a pinned connection, to the primary too.
    pipe = c.pipeline(transaction=True)
    pipe.incr("n")
    pipe.incr("n")
    assert pipe.execute() == [1, 2]
    assert primary.client().get("app1:n") == b"2"


def test_reload_refuses_a_sentinel_change(topology, make_stdnetd):
    sentinel = topology.sentinel
    addresses = [f"127.0.0.1:{sentinel.port}"]
    proxy = make_stdnetd(no_backend(), sentinel_config(MASTER, addresses))
    c = proxy.client()
    eventually(lambda: c.set("k", "v"))
    text = proxy.config_path.read_text()
    proxy.config_path.write_text(text.replace(f'master = "{MASTER}"', 'master = "other"'))
    proxy.proc.send_signal(signal.SIGHUP)
    eventually(lambda: "[backend.sentinel] changed, which needs a restart" in proxy.log_text())
    assert c.set("k", "v2")
    assert topology.primary.client().get("app1:k") == b"v2"


class FakeSentinel:
    """A minimal sentinel on a free port: answers AUTH, SENTINEL get-master-addr-by-name and
    SUBSCRIBE (never publishes), so that tests choose what it names as the primary."""

    def __init__(self, master, answers, password=None):
        self.master = master
        self.answers = list(answers)  # (host, port) per query; the last one is kept
        self.password = password
        self.received = []
        self.lock = threading.Lock()
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                while True:
                    command = fake.read_command(self.rfile)
                    if command is None:
                        return
                    with fake.lock:
                        fake.received.append(command)
                    self.wfile.write(fake.answer(command))
                    self.wfile.flush()

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def read_command(rfile):
        line = rfile.readline()
        if not line.startswith(b"*"):
            return None
        args = []
        for _ in range(int(line[1:])):
            length = int(rfile.readline()[1:])
            args.append(rfile.read(length + 2)[:-2].decode())
        return args

    def answer(self, command):
        name = command[0].upper()
        if name == "AUTH":
            if command[1:] == self.password:
                return b"+OK\r\n"
            return b"-WRONGPASS invalid username-password pair\r\n"
        if name == "SENTINEL" and command[1].lower() == "get-master-addr-by-name":
            if command[2] != self.master:
                return b"*-1\r\n"
            with self.lock:
                host, port = self.answers[0] if len(self.answers) == 1 else self.answers.pop(0)
            return f"*2\r\n${len(host)}\r\n{host}\r\n${len(str(port))}\r\n{port}\r\n".encode()
        if name == "SUBSCRIBE":
            channel = command[1]
            return f"*3\r\n$9\r\nsubscribe\r\n${len(channel)}\r\n{channel}\r\n:1\r\n".encode()
        return b"-ERR unknown command\r\n"

    def set_answer(self, host, port):
        with self.lock:
            self.answers = [(host, port)]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_role_check_rejects_a_replica_and_sentinel_auth(tmp_path, make_stdnetd):
    (tmp_path / "primary").mkdir()
    (tmp_path / "replica").mkdir()
    primary = RedisServer(tmp_path / "primary")
    replica = RedisServer(tmp_path / "replica",
                          extra_args=["--replicaof", "127.0.0.1", str(primary.port)])
    # The first two answers (the subscription's and the first query's) name the replica.
    fake = FakeSentinel(MASTER, [("127.0.0.1", replica.port)] * 2 + [("127.0.0.1", primary.port)],
                        password=["watcher", "sentinel-secret"])
    try:
        proxy = make_stdnetd(no_backend(), sentinel_config(
            MASTER, [f"127.0.0.1:{fake.port}"],
            extra_sentinel='password = "sentinel-secret"\nuser = "watcher"'))
        c = proxy.client()
        eventually(lambda: c.set("k", "v"))
        assert primary.client().get("app1:k") == b"v"
        log = proxy.log_text()
        assert f"127.0.0.1:{replica.port} is not the primary (role slave); asking the sentinels " \
               "again" in log
        with fake.lock:
            auths = [cmd for cmd in fake.received if cmd[0] == "AUTH"]
        assert auths and all(cmd == ["AUTH", "watcher", "sentinel-secret"] for cmd in auths)
    finally:
        fake.stop()
        replica.stop()
        primary.stop()


def test_readonly_reply_makes_the_proxy_ask_again(tmp_path, make_stdnetd):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = RedisServer(tmp_path / "a")
    b = RedisServer(tmp_path / "b")
    fake = FakeSentinel(MASTER, [("127.0.0.1", a.port)])
    try:
        proxy = make_stdnetd(no_backend(), sentinel_config(MASTER, [f"127.0.0.1:{fake.port}"]))
        c = proxy.client()
        eventually(lambda: c.set("k", "v1"))
        assert a.client().get("app1:k") == b"v1"
        # A failover the proxy does not hear of: a becomes a replica of b.
        b.client().execute_command("REPLICAOF", "NO", "ONE")
        a.client().execute_command("REPLICAOF", "127.0.0.1", str(b.port))
        fake.set_answer("127.0.0.1", b.port)
        # The backend's -READONLY reaches the client as it is...
        with pytest.raises(redis.exceptions.ReadOnlyError):
            c.set("k", "v2")

        # ...and the proxy asks the sentinel again: writes go to b.
        def lands_on_b():
            try:
                c.set("k", "v3")
            except redis.ResponseError:
                return False
            return b.client().get("app1:k") == b"v3"

        eventually(lands_on_b)
        assert "answered -READONLY: it is not the primary any more" in proxy.log_text()
    finally:
        fake.stop()
        b.stop()
        a.stop()
