"""Shared pytest fixtures: real redis-server processes and stdnetd on free loopback ports.

Run with Debian's interpreter (it has python3-redis): /usr/bin/python3 -m pytest tests/...
The stdnetd binary is taken from $STDNETD, else build/stdnetd.
"""
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import redis

ROOT = pathlib.Path(__file__).resolve().parent.parent
LUA_DIR = ROOT / "lua" / "scripts"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc=None, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


class RedisServer:
    """A redis-server on a free port, no persistence. restart() keeps the port."""

    def __init__(self, tmpdir, extra_args=()):
        self.port = free_port()
        self.dir = tmpdir
        self.extra_args = list(extra_args)
        self.proc = None
        self.start()

    def start(self):
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.dir), "--daemonize", "no",
                "--loglevel", "warning", *self.extra_args]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.proc)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def restart(self):
        self.stop()
        self.start()

    def client(self, **kw):
        return redis.Redis(host="127.0.0.1", port=self.port, **kw)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}?db=0"


def stdnetd_binary():
    path = os.environ.get("STDNETD") or str(ROOT / "build" / "stdnetd")
    if not os.path.exists(path):
        pytest.fail(f"stdnetd binary not found at {path}: build first or set STDNETD")
    return path


class Stdnetd:
    """stdnetd started with a config text; `{backend}` and `{port}` placeholders are filled in."""

    def __init__(self, tmpdir, config_text, backend, extra_args=()):
        self.port = free_port()
        self.dir = pathlib.Path(tmpdir)
        self.config_path = self.dir / f"stdnetd-{self.port}.toml"
        self.config_path.write_text(config_text.format(backend=backend.url if backend else "",
                                                       port=self.port, dir=self.dir))
        self.log_path = self.dir / f"stdnetd-{self.port}.log"
        self.extra_args = list(extra_args)
        self.proc = None
        self.start()

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([stdnetd_binary(), "--config", str(self.config_path),
                                      *self.extra_args],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.proc)

    def stop(self, sig=None):
        if self.proc and self.proc.poll() is None:
            if sig is None:
                self.proc.terminate()
            else:
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def client(self, **kw):
        return redis.Redis(host="127.0.0.1", port=self.port, **kw)

    def log_text(self):
        return self.log_path.read_text(errors="replace")


DEFAULT_CONFIG = """
[server]
log_level = "info"

[backend]
url = "{backend}"

[[listener]]
address = "127.0.0.1:{port}"
namespace = "app1"

[[namespace]]
name = "app1"
prefix = "app1:"
password = "app1-secret"

[[namespace]]
name = "app2"
prefix = "app2:"
password = "app2-secret"

[[namespace]]
name = "raw"
prefix = ""
password = "raw-secret"
trusted = true
"""


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def make_stdnetd(tmp_path):
    started = []

    def make(backend, config_text=DEFAULT_CONFIG, extra_args=()):
        proxy = Stdnetd(tmp_path, config_text, backend, extra_args)
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.stop()


@pytest.fixture
def stdnetd(redis_server, make_stdnetd):
    return make_stdnetd(redis_server)
