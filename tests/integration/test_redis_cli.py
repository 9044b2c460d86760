"""redis-cli through stdnetd shows the tenant's keys without the namespace prefix: one-shot
commands, --scan, --bigkeys, commands read from stdin, and an interactive session in a tmux pane."""
import os
import re
import subprocess
import time

import pytest

from test_ns_common import all_keys

TENANT_KEYS = {"u1", "u2", "v1"}


@pytest.fixture
def populated(stdnetd, redis_server):
    """app1 has u1, u2 and v1; app2 has u9; decoys sit directly on the backend."""
    c = stdnetd.client()
    for k in TENANT_KEYS:
        c.set(k, "x")
    backend = redis_server.client()
    backend.set("decoy", "1")
    backend.set("u3", "1")
    backend.set("app1x:u4", "1")
    app2 = stdnetd.client(single_connection_client=True)
    assert app2.execute_command("AUTH", "app2-secret")
    app2.set("u9", "x")
    assert all_keys(backend) == {b"app1:u1", b"app1:u2", b"app1:v1", b"app2:u9", b"decoy", b"u3",
                                 b"app1x:u4"}
    return stdnetd


def cli(port, *args, stdin=None):
    result = subprocess.run(["redis-cli", "-p", str(port), *args], input=stdin,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result
    return result.stdout


def lines(text):
    return [line for line in text.splitlines() if line != ""]


def test_keys_star(populated):
    out = cli(populated.port, "KEYS", "*")
    assert sorted(lines(out)) == sorted(TENANT_KEYS)
    assert "app1" not in out


def test_keys_pattern(populated):
    assert sorted(lines(cli(populated.port, "KEYS", "u*"))) == ["u1", "u2"]


def test_randomkey_and_dbsize(populated):
    assert cli(populated.port, "RANDOMKEY").strip() in TENANT_KEYS
    assert cli(populated.port, "DBSIZE").strip() == "3"


def test_auth_as_other_tenant(populated):
    out = cli(populated.port, "--no-auth-warning", "-a", "app2-secret", "KEYS", "*")
    assert lines(out) == ["u9"]


def test_scan(populated):
    out = cli(populated.port, "--scan")
    assert sorted(lines(out)) == sorted(TENANT_KEYS)


def test_scan_pattern(populated):
    out = cli(populated.port, "--scan", "--pattern", "u*")
    assert sorted(lines(out)) == ["u1", "u2"]


def test_bigkeys(populated):
    out = cli(populated.port, "--bigkeys")
    assert "3 keys" in out or "Sampled 3 keys" in out, out
    assert "app1:" not in out and "decoy" not in out and "u9" not in out


def test_commands_from_stdin_no_raw(populated):
    out = cli(populated.port, "--no-raw", stdin="KEYS *\nSCAN 0 COUNT 1000\n")
    assert "app1" not in out
    # KEYS: the three names; SCAN: the cursor "0", then the same three names.
    assert sorted(re.findall(r'"([^"]*)"', out)) == sorted(["0"] + sorted(TENANT_KEYS) * 2), out
    assert '1) "0"' in out


def test_keys_from_stdin_no_raw(populated):
    out = cli(populated.port, "--no-raw", stdin="KEYS *\n")
    assert all(re.fullmatch(r'[123]\) "(u1|u2|v1)"', line) for line in lines(out)), out
    assert sorted(re.findall(r'"([^"]*)"', out)) == sorted(TENANT_KEYS)


class Tmux:
    """A private tmux server (own socket) running one session."""

    def __init__(self, command):
        self.socket = f"stdnet-h7-{os.getpid()}-{time.monotonic_ns()}"
        self.session = "cli"
        self.run("new-session", "-d", "-s", self.session, "-x", "200", "-y", "100", command)

    def run(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              check=True, timeout=30).stdout

    def send(self, text):
        self.run("send-keys", "-t", self.session, "-l", text)
        self.run("send-keys", "-t", self.session, "Enter")

    def pane(self):
        return self.run("capture-pane", "-p", "-t", self.session, "-S", "-", "-E", "-")

    def wait_for(self, predicate, what, timeout=20.0):
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.pane()
            if predicate(text):
                return text
            time.sleep(0.05)
        raise AssertionError(f"{what} never appeared; the pane shows:\n{text}")

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


def test_interactive_session_in_tmux(populated):
    port = populated.port
    tmux = Tmux(f"redis-cli -p {port}")
    prompt = f"127.0.0.1:{port}>"

    def run(command):
        """Types `command` and returns what redis-cli printed before its next prompt."""
        tmux.send(command)
        echo = f"{prompt} {command}"

        def finished(s):
            return echo in s and prompt in s.rsplit(echo, 1)[1]

        text = tmux.wait_for(finished, f"the output of {command!r}")
        return text.rsplit(echo, 1)[1].split(prompt, 1)[0]

    try:
        tmux.wait_for(lambda s: prompt in s, "the redis-cli prompt")
        out = run("KEYS *")
        assert sorted(re.findall(r'"([^"]*)"', out)) == sorted(TENANT_KEYS), out
        out = run("SCAN 0 COUNT 1000")
        assert "ERR" not in out, out
        assert '1) "0"' in out, out
        assert sorted(re.findall(r'"([^"]*)"', out)) == sorted(["0"] + sorted(TENANT_KEYS)), out
        out = run("SCAN 0 MATCH u* COUNT 1000")
        assert sorted(re.findall(r'"([^"]*)"', out)) == ["0", "u1", "u2"], out
        assert run("GET u1").strip() == '"x"'
        assert run("DBSIZE").strip() == "(integer) 3"
        text = tmux.pane()
        assert "app1" not in text and "decoy" not in text and "u9" not in text
        tmux.send("QUIT")
    finally:
        tmux.close()
