"""Helpers shared by the namespacing tests (test_namespacing, test_isolation, test_tricky_positions,
test_redis_cli). This module has no tests of its own.

The main tool is the differential `Tenant`: every command is sent both through stdnetd (tenant app1,
backend database 0, keys prefixed with "app1:") and directly to the same redis-server's database 1
(the reference, un-prefixed). The two replies must be identical (so no prefix leaks into a reply and
every error text is Redis's own), and afterwards database 0 must hold exactly the reference's keys,
each with the prefix, with the same contents.
"""
import socket

import redis
from redis.client import CaseInsensitiveDict

REF_DB = 1  # the reference database on the backend server (the proxy uses database 0)


class Err:
    """An error reply, comparable by its text."""

    def __init__(self, text):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, Err) and other.text == self.text

    def __hash__(self):
        return hash(self.text)

    def __repr__(self):
        return f"Err({self.text!r})"


def run(client, *args):
    try:
        return client.execute_command(*args)
    except redis.ResponseError as e:
        return Err(str(e))


def b(x):
    return x if isinstance(x, bytes) else str(x).encode()


def snapshot(client, key):
    """The type, contents and whether-it-expires of one key."""
    kind = client.type(key)
    if kind == b"string":
        value = client.get(key)
    elif kind == b"hash":
        value = sorted(client.hgetall(key).items())
    elif kind == b"list":
        value = client.lrange(key, 0, -1)
    elif kind == b"set":
        value = sorted(client.smembers(key))
    elif kind == b"zset":
        value = client.zrange(key, 0, -1, withscores=True)
    elif kind == b"stream":
        value = (client.execute_command("XRANGE", key, "-", "+"),
                 client.execute_command("XINFO", "GROUPS", key))
    else:
        value = None
    return kind, value, client.ttl(key) >= 0


def all_keys(client):
    return set(client.keys("*"))


class Tenant:
    """Differential runner: tenant app1 through stdnetd vs. direct Redis (database REF_DB)."""

    def __init__(self, stdnetd, redis_server, prefix=b"app1:"):
        # Replies are compared as redis-py parses them without response callbacks (raw shapes).
        self.proxy = stdnetd.client(single_connection_client=True)
        self.proxy.response_callbacks = CaseInsensitiveDict({})
        self.ref = redis_server.client(db=REF_DB, single_connection_client=True)
        self.ref.response_callbacks = CaseInsensitiveDict({})
        self.ref_view = redis_server.client(db=REF_DB)  # with callbacks, for snapshots
        self.backend = redis_server.client()
        self.prefix = prefix

    def __call__(self, *args):
        """Runs args on both; asserts equal replies; returns the proxy's reply."""
        want = run(self.ref, *args)
        got = run(self.proxy, *args)
        assert got == want, f"{args!r}: through stdnetd {got!r}, Redis replies {want!r}"
        return got

    def sorted(self, *args):
        """As __call__ for replies whose element order Redis does not define (SMEMBERS…)."""
        want = run(self.ref, *args)
        got = run(self.proxy, *args)
        norm = (lambda r: sorted(r) if isinstance(r, list) else r)
        assert norm(got) == norm(want), f"{args!r}: through stdnetd {got!r}, Redis {want!r}"
        return got

    def proxy_only(self, *args):
        return run(self.proxy, *args)

    def both(self, *args):
        """Runs args on both; returns (proxy reply, Redis reply) without comparing."""
        return run(self.proxy, *args), run(self.ref, *args)

    def check_keys(self, expected=None, others_allowed=False):
        """The backend's database 0 holds exactly prefix + each reference key, with equal contents.
        `expected` (names without prefix), when given, is also the exact reference key set.
        With others_allowed, keys not starting with the prefix are left out (the caller checks
        them)."""
        ref_keys = all_keys(self.ref_view)
        if expected is not None:
            assert ref_keys == {b(k) for k in expected}, "test bug: the reference differs"
        backend_keys = all_keys(self.backend)
        if others_allowed:
            backend_keys = {k for k in backend_keys if k.startswith(self.prefix)}
        assert backend_keys == {self.prefix + k for k in ref_keys}
        for k in ref_keys:
            assert snapshot(self.backend, self.prefix + k) == snapshot(self.ref_view, k), k
        return ref_keys


# ---- raw RESP over a socket (exact bytes)

def _read_line(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise ConnectionError(f"connection closed mid-reply ({line!r})")
    return line


def read_reply(f):
    """Reads one complete RESP2/RESP3 reply from the file `f`; returns its raw bytes."""
    line = _read_line(f)
    kind = line[:1]
    if kind in (b"+", b"-", b":", b",", b"_", b"#", b"("):
        return line
    if kind in (b"$", b"!", b"="):
        n = int(line[1:-2])
        if n < 0:
            return line
        data = f.read(n + 2)
        return line + data
    if kind in (b"*", b"~", b">", b"%", b"|"):
        n = int(line[1:-2])
        if kind in (b"%", b"|"):
            n *= 2
        parts = [line]
        for _ in range(max(n, 0)):
            parts.append(read_reply(f))
        return b"".join(parts)
    raise ValueError(f"unexpected reply line {line!r}")


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = b(a)
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class RawConn:
    """One plain socket connection; send(*args) returns the exact reply bytes."""

    def __init__(self, port, db=None, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.f = self.sock.makefile("rb")
        if db is not None:
            assert self.send("SELECT", db) == b"+OK\r\n"

    def send(self, *args):
        self.sock.sendall(encode(*args))
        return read_reply(self.f)

    def send_bytes(self, payload, replies=1):
        self.sock.sendall(payload)
        return [read_reply(self.f) for _ in range(replies)]

    def closed_by_peer(self):
        """True when the peer closed the connection (EOF)."""
        try:
            return self.sock.recv(1) == b""
        except OSError:
            return True

    def close(self):
        self.f.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def scan_all(client, *options):
    """Every name a full SCAN iteration returns (as a list, duplicates kept)."""
    cursor, names = b"0", []
    for _ in range(100000):
        reply = client.execute_command("SCAN", cursor, *options)
        cursor, batch = reply
        names.extend(batch)
        if cursor in (0, b"0"):
            return names
    raise AssertionError("SCAN never finished")
