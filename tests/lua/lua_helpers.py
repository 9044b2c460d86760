"""Shared helpers for the tests of lua/scripts: load the scripts into a real redis-server and call them
with EVALSHA, the way the proxy does; a raw RESP2/RESP3 client that shows exact error texts and types.

Imported by the test modules (not a conftest.py, so that it never shadows tests/conftest.py).
"""
import hashlib
import pathlib
import socket

import pytest

from lua_source import script_source

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SCRIPTS_DIR = ROOT / "lua" / "scripts"
EXAMPLES_DIR = ROOT / "examples"

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def script_path(name):
    path = SCRIPTS_DIR / f"{name}.lua"
    return path if path.exists() else EXAMPLES_DIR / f"{name}.lua"


class Err:
    """An error reply, with its exact text (without the leading '-')."""

    def __init__(self, text):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, Err) and other.text == self.text

    def __repr__(self):
        return f"Err({self.text!r})"


class Double(float):
    """A RESP3 double (',')."""


class RawClient:
    """A minimal blocking RESP client: replies are parsed without any interpretation.

    Simple strings -> str, bulk strings -> bytes, integers -> int, nil -> None, arrays/sets/pushes ->
    list, maps -> list of (key, value) pairs, doubles -> Double, errors -> Err.
    """

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def close(self):
        self.sock.close()

    def call(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if not isinstance(a, bytes):
                a = str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))
        return self._read()

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def _read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return Err(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b",":
            return Double(float(rest))
        if kind == b"_":
            return None
        if kind == b"#":
            return rest == b"t"
        if kind in (b"$", b"="):
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if kind in (b"*", b"~", b">"):
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        if kind == b"%":
            return [(self._read(), self._read()) for _ in range(int(rest))]
        raise ValueError(f"unexpected reply line {line!r}")


class Scripts:
    """The lua/scripts (and examples/) scripts loaded into one redis-server, called with EVALSHA."""

    def __init__(self, server):
        self.server = server
        self.redis = server.client()
        self.raw = RawClient(server.port)
        self.sha = {}

    def load(self, name):
        if name not in self.sha:
            source = script_source(script_path(name))
            sha = self.redis.script_load(source)
            assert sha == hashlib.sha1(source).hexdigest()
            self.sha[name] = sha
        return self.sha[name]

    def call(self, name, keys, *args):
        """EVALSHA through the raw client: the exact reply (errors as Err)."""
        return self.raw.call("EVALSHA", self.load(name), len(keys), *keys, *args)

    def close(self):
        self.raw.close()
        self.redis.close()


@pytest.fixture
def scripts(redis_server):
    s = Scripts(redis_server)
    yield s
    s.close()


def dump(r, key):
    """A key's whole content, to check that a failed call wrote nothing."""
    t = r.type(key)
    if t == b"zset":
        return ("zset", r.zrange(key, 0, -1, withscores=True))
    if t == b"set":
        return ("set", sorted(r.smembers(key)))
    if t == b"string":
        return ("string", r.get(key), r.ttl(key))
    if t == b"list":
        return ("list", r.lrange(key, 0, -1))
    if t == b"hash":
        return ("hash", sorted(r.hgetall(key).items()))
    return (t.decode(),)


def snapshot(r):
    return {k: dump(r, k) for k in sorted(r.keys("*"))}
