"""redis-cli as a person uses it, through stdnetd: an interactive session under tmux (MULTI/EXEC,
WATCH, KEYS, a blocked BLPOP), RESP3 output (`redis-cli -3`), and SUBSCRIBE as a running process.

What redis-cli prints through the proxy must read like what it prints against Redis itself, with no
"app1:" anywhere; the backend is checked for the prefixed keys and channels.
"""
import itertools
import os
import re
import selectors
import shutil
import subprocess
import tempfile
import time

import pytest
import redis

PREFIX = "app1:"
_session_ids = itertools.count()


def cli_env():
    # No history file, no ~/.redisclirc: the session behaves the same on every machine.
    return dict(os.environ, REDISCLI_HISTFILE="/dev/null", REDISCLI_RCFILE="/dev/null")


def run_cli(*args, timeout=10):
    proc = subprocess.run(["redis-cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=cli_env())
    assert proc.returncode == 0, f"redis-cli {args} failed: {proc.stderr}"
    return proc.stdout


class TmuxCli:
    """redis-cli running interactively in a detached tmux session on a private tmux server."""

    def __init__(self, socket_path, port, *cli_args):
        if shutil.which("tmux") is None:
            pytest.fail("tmux is not installed: run scripts/install-deps.sh")
        self.name = f"stdnet-cli-{next(_session_ids)}"
        self.socket = str(socket_path)
        command = " ".join(["redis-cli", "-p", str(port), *map(str, cli_args)])
        self._tmux("new-session", "-d", "-s", self.name, "-x", "200", "-y", "50", command)
        # Keep the screen readable if redis-cli exits (the connection closed): the failure
        # message then shows what it printed last.
        subprocess.run(["tmux", "-S", self.socket, "set-option", "-t", self.name,
                        "remain-on-exit", "on"], capture_output=True, timeout=10)

    def wait_ready(self):
        # The prompt shows redis-cli is connected and reading (a failed connect shows
        # "not connected>" instead).
        self.wait_for(r"^127\.0\.0\.1:\d+> ?$")

    def _tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True,
                              timeout=10, env=cli_env(), check=True).stdout

    def send(self, line):
        self._tmux("send-keys", "-t", self.name, "-l", line)
        self._tmux("send-keys", "-t", self.name, "Enter")

    def screen(self):
        try:
            return self._tmux("capture-pane", "-p", "-t", self.name, "-S", "-1000")
        except subprocess.CalledProcessError as e:
            pytest.fail(f"the tmux session running redis-cli is gone: {e.stderr}")

    def wait_for(self, pattern, timeout=10.0, after=0):
        """Waits until the regex matches the screen text past offset `after`; returns the match end."""
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            m = regex.search(text, after)
            if m:
                return m.end()
            if time.monotonic() > deadline:
                pytest.fail(f"redis-cli screen never showed {pattern!r}; screen:\n{text}")
            time.sleep(0.05)

    def command(self, line, expected, timeout=10.0):
        """Types a command at the prompt and waits for `expected` (a regex) after that point."""
        start = len(self.screen().rstrip())
        self.send(line)
        return self.wait_for(expected, timeout, start)

    def kill(self):
        subprocess.run(["tmux", "-S", self.socket, "kill-session", "-t", self.name],
                       capture_output=True, timeout=10)


@pytest.fixture
def tmux_cli():
    # A private tmux server (its own socket in a fresh directory), removed afterwards.
    socket_dir = tempfile.mkdtemp(prefix="stdnet-tmux-")
    socket_path = os.path.join(socket_dir, "tmux.sock")
    sessions = []

    def make(port, *args):
        session = TmuxCli(socket_path, port, *args)
        sessions.append(session)
        session.wait_ready()
        return session

    yield make
    for session in sessions:
        session.kill()
    if sessions:
        subprocess.run(["tmux", "-S", socket_path, "kill-server"], capture_output=True, timeout=10)
    shutil.rmtree(socket_dir, ignore_errors=True)


# ---------------------------------------------------------------- interactive (tmux)

def test_interactive_multi_exec_keys(stdnetd, redis_server, tmux_cli):
    cli = tmux_cli(stdnetd.port)
    cli.command("MULTI", r"^OK$")
    cli.command("SET greeting hello", r"^QUEUED$")
    cli.command("INCR visits", r"^QUEUED$")
    cli.command("GET greeting", r"^QUEUED$")
    cli.command("EXEC", r'^1\) OK\n2\) \(integer\) 1\n3\) "hello"$')
    cli.command("KEYS *", r'^1\) "(greeting|visits)"\n2\) "(greeting|visits)"$')
    cli.command("SCAN 0", r'^1\) "0"\n2\) 1\) "(greeting|visits)"\n   2\) "(greeting|visits)"$')
    assert PREFIX not in cli.screen()
    assert sorted(redis_server.client().keys("*")) == [b"app1:greeting", b"app1:visits"]


def test_interactive_discard_and_execabort(stdnetd, redis_server, tmux_cli):
    cli = tmux_cli(stdnetd.port)
    cli.command("MULTI", r"^OK$")
    cli.command("SET dropped 1", r"^QUEUED$")
    cli.command("DISCARD", r"^OK$")
    cli.command("MULTI", r"^OK$")
    cli.command("SET never 1", r"^QUEUED$")
    cli.command("GET", r"^\(error\) ERR wrong number of arguments for 'get' command$")
    cli.command("EXEC", r"^\(error\) EXECABORT")
    cli.command("PING", r"^PONG$")
    assert redis_server.client().keys("*") == []


def test_interactive_watch_conflict_gives_nil(stdnetd, redis_server, tmux_cli):
    other = stdnetd.client()
    other.set("balance", "10")
    cli = tmux_cli(stdnetd.port)
    cli.command("WATCH balance", r"^OK$")
    other.set("balance", "20")  # another client changes the watched key
    cli.command("MULTI", r"^OK$")
    cli.command("SET balance 0", r"^QUEUED$")
    cli.command("EXEC", r"^\(nil\)$")
    assert redis_server.client().get("app1:balance") == b"20"
    # Without a conflict the same transaction commits.
    cli.command("WATCH balance", r"^OK$")
    cli.command("MULTI", r"^OK$")
    cli.command("SET balance 0", r"^QUEUED$")
    cli.command("EXEC", r"^1\) OK$")
    assert redis_server.client().get("app1:balance") == b"0"


def test_interactive_blpop_unblocked_by_another_client(stdnetd, redis_server, tmux_cli):
    cli = tmux_cli(stdnetd.port)
    cli.send("BLPOP jobs 0")
    # Wait (bounded) until the backend shows the blocked BLPOP, then push from another client.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if any(c.get("cmd") == "blpop" and "b" in c.get("flags", "")
               for c in redis_server.client().client_list()):
            break
        time.sleep(0.05)
    assert stdnetd.client().rpush("jobs", "job-1") == 1
    cli.wait_for(r'^1\) "jobs"\n2\) "job-1"$')
    cli.command("LLEN jobs", r"^\(integer\) 0$")
    assert PREFIX not in cli.screen()


def test_interactive_resp3_session(stdnetd, tmux_cli):
    c = stdnetd.client()
    c.hset("h", mapping={"f": "v"})
    c.zadd("z", {"m": 1.5})
    cli = tmux_cli(stdnetd.port, "-3")
    cli.command("HGETALL h", r'^1# "f" => "v"$')
    cli.command("ZSCORE z m", r"^\(double\) 1\.5$")
    cli.command("GET missing", r"^\(nil\)$")
    cli.command("HELLO", r'^\d+# "proto" => \(integer\) 3$')


def test_interactive_resp3_tracking_push_and_subscribe(stdnetd, redis_server, tmux_cli):
    cli = tmux_cli(stdnetd.port, "-3")
    cli.command("CLIENT TRACKING ON", r"^OK$")
    cli.command("GET tk", r"^\(nil\)$")
    stdnetd.client().set("tk", "changed")  # another client invalidates the tracked key
    # redis-cli prints a push that arrived while idle before the next reply.
    cli.command("PING", r"^-> invalidate: 'tk'\nPONG$")
    cli.command("SUBSCRIBE ch", r'^1\) "subscribe"\n2\) "ch"\n3\) \(integer\) 1$')
    deadline = time.monotonic() + 10
    while stdnetd.client().publish("ch", "hi") < 1:
        assert time.monotonic() < deadline, "the RESP3 subscription never became visible"
        time.sleep(0.05)
    cli.wait_for(r'^1\) "message"\n2\) "ch"\n3\) "hi"$')
    assert redis_server.client().pubsub_channels() == [b"app1:ch"]
    assert PREFIX not in cli.screen()


# ---------------------------------------------------------------- RESP3 (one-shot)

def test_resp3_hgetall_map_formatting(stdnetd, redis_server):
    stdnetd.client().hset("h", mapping={"f": "v"})
    out = run_cli("-3", "--no-raw", "-p", stdnetd.port, "HGETALL", "h")
    assert out == '1# "f" => "v"\n'
    # Exactly what redis-cli shows against Redis itself for the prefixed key.
    assert out == run_cli("-3", "--no-raw", "-p", redis_server.port, "HGETALL", "app1:h")


def test_resp3_hello_and_types_match_redis(stdnetd, redis_server):
    c = stdnetd.client()
    c.zadd("z", {"a": 1.5, "b": 2})
    c.sadd("s", "x")
    hello = run_cli("-3", "--no-raw", "-p", stdnetd.port, "HELLO", "3")
    assert re.search(r'^\d+# "proto" => \(integer\) 3$', hello, re.M), hello
    assert re.search(r'^1# "server" => ', hello, re.M), hello
    for args, backend_args in [
        (["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZRANGE", "app1:z", "0", "-1", "WITHSCORES"]),
        (["ZSCORE", "z", "a"], ["ZSCORE", "app1:z", "a"]),
        (["SMEMBERS", "s"], ["SMEMBERS", "app1:s"]),
        (["GET", "nothing"], ["GET", "app1:nothing"]),
    ]:
        through = run_cli("-3", "--no-raw", "-p", stdnetd.port, *args)
        plain = run_cli("-3", "--no-raw", "-p", redis_server.port, *backend_args)
        assert through == plain, (args, through, plain)
    assert run_cli("-3", "--no-raw", "-p", stdnetd.port, "ZSCORE", "z", "a") == "(double) 1.5\n"


# ---------------------------------------------------------------- SUBSCRIBE as a process

class CliProcess:
    """A long-running redis-cli whose stdout is read as it comes, with deadlines."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(["redis-cli", "--no-raw", *map(str, args)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env=cli_env())
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        self.out = b""

    def read_until(self, text, timeout=10.0):
        deadline = time.monotonic() + timeout
        while text.encode() not in self.out:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"redis-cli never printed {text!r}; output so far:\n"
                            f"{self.out.decode(errors='replace')}")
            if self.sel.select(min(left, 0.2)):
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    pytest.fail(f"redis-cli exited ({self.proc.poll()}) before printing {text!r}; "
                                f"output:\n{self.out.decode(errors='replace')}")
                self.out += chunk
        return self.out.decode(errors="replace")

    def stop(self):
        self.sel.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture
def cli_process():
    procs = []

    def start(*args):
        p = CliProcess(*args)
        procs.append(p)
        return p

    yield start
    for p in procs:
        p.stop()


def publish_until(client, channel, message, reader, expected, timeout=10.0):
    """Publishes once the subscription is visible (PUBLISH returns 1), then waits for the output."""
    deadline = time.monotonic() + timeout
    while client.publish(channel, message) < 1:
        if time.monotonic() > deadline:
            pytest.fail(f"PUBLISH {channel} never reached a subscriber")
        time.sleep(0.05)
    return reader.read_until(expected, timeout)


def test_subscribe_process_shows_channel_without_prefix(stdnetd, redis_server, cli_process):
    sub = cli_process("-p", stdnetd.port, "SUBSCRIBE", "news")
    sub.read_until('1) "subscribe"\n2) "news"\n3) (integer) 1\n')
    assert redis_server.client().pubsub_channels() == [b"app1:news"]
    out = publish_until(stdnetd.client(), "news", "hello", sub,
                        '1) "message"\n2) "news"\n3) "hello"\n')
    assert PREFIX not in out
    # The same channel name published outside the namespace does not reach the subscriber.
    assert redis_server.client().publish("news", "foreign") == 0


def test_psubscribe_process(stdnetd, redis_server, cli_process):
    sub = cli_process("-p", stdnetd.port, "PSUBSCRIBE", "ev.*")
    sub.read_until('1) "psubscribe"\n2) "ev.*"\n3) (integer) 1\n')
    out = publish_until(stdnetd.client(), "ev.one", "1", sub,
                        '1) "pmessage"\n2) "ev.*"\n3) "ev.one"\n4) "1"\n')
    assert PREFIX not in out


def test_resp3_subscribe_process(stdnetd, cli_process):
    sub = cli_process("-3", "-p", stdnetd.port, "SUBSCRIBE", "ch3")
    sub.read_until('1) "subscribe"\n2) "ch3"\n3) (integer) 1\n')
    out = publish_until(stdnetd.client(), "ch3", "pushed", sub,
                        '1) "message"\n2) "ch3"\n3) "pushed"\n')
    assert PREFIX not in out


def test_two_tenants_subscribe_same_channel(stdnetd, redis_server, cli_process):
    sub1 = cli_process("-p", stdnetd.port, "SUBSCRIBE", "chat")
    sub2 = cli_process("-p", stdnetd.port, "-a", "app2-secret", "--no-auth-warning",
                       "SUBSCRIBE", "chat")
    sub1.read_until("(integer) 1\n")
    sub2.read_until("(integer) 1\n")
    assert sorted(redis_server.client().pubsub_channels()) == [b"app1:chat", b"app2:chat"]
    app2 = redis.Redis(host="127.0.0.1", port=stdnetd.port, password="app2-secret")
    publish_until(stdnetd.client(), "chat", "from-app1", sub1,
                  '1) "message"\n2) "chat"\n3) "from-app1"\n')
    publish_until(app2, "chat", "from-app2", sub2, '1) "message"\n2) "chat"\n3) "from-app2"\n')
    time.sleep(0.3)  # give a wrongly routed message the time to show up
    sub1.read_until("from-app1")
    sub2.read_until("from-app2")
    assert "from-app2" not in sub1.out.decode() and "from-app1" not in sub2.out.decode()
