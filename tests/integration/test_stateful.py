"""Stateful clients (SPEC §3): transactions, blocking commands, pub/sub, RESP3, tracking, reset."""
import socket
import subprocess
import threading
import time

import pytest
import redis

from test_foundation import raw_exchange


def auth_client(proxy, password, **kw):
    c = redis.Redis(host="127.0.0.1", port=proxy.port, **kw)
    c.execute_command("AUTH", password)
    return c


# ---------------------------------------------------------------- transactions

def test_multi_exec_namespaced(stdnetd, redis_server):
    c = stdnetd.client()
    p = c.pipeline(transaction=True)
    p.set("a", "1").incr("a").rpush("l", "x", "y").lrange("l", 0, -1).keys("*")
    # KEYS cannot be emulated inside MULTI: the whole transaction fails like a queue-time error.
    with pytest.raises(redis.ResponseError):
        p.execute()
    assert sorted(redis_server.client().keys("*")) == []
    p = c.pipeline(transaction=True)
    p.set("a", "1").incr("a").rpush("l", "x", "y").lrange("l", 0, -1)
    assert p.execute() == [True, 2, 2, [b"x", b"y"]]
    assert sorted(redis_server.client().keys("*")) == [b"app1:a", b"app1:l"]


def test_exec_reply_is_stripped_element_by_element(stdnetd):
    c = stdnetd.client()
    c.rpush("q1", "v")
    c.set("k", "value-app1:not-a-key")
    p = c.pipeline(transaction=True)
    p.execute_command("LMPOP", 1, "q1", "LEFT")
    p.get("k")
    p.execute_command("SCAN", 0)
    res = p.execute()
    assert res[0] == [b"q1", [b"v"]]
    assert res[1] == b"value-app1:not-a-key"
    assert sorted(res[2][1]) == [b"k"]


def test_queue_time_error_gives_execabort(stdnetd, redis_server):
    s = socket.create_connection(("127.0.0.1", stdnetd.port))
    s.sendall(b"MULTI\r\nSET x 1\r\nGET\r\nEXEC\r\n")
    data = b""
    deadline = time.monotonic() + 5
    while data.count(b"\r\n") < 4 and time.monotonic() < deadline:
        data += s.recv(4096)
    s.close()
    assert data.startswith(b"+OK\r\n+QUEUED\r\n-ERR wrong number of arguments for 'get' command\r\n")
    assert b"-EXECABORT" in data
    assert redis_server.client().keys("*") == []


def test_runtime_error_inside_exec(stdnetd):
    c = stdnetd.client()
    c.set("s", "str")
    p = c.pipeline(transaction=True)
    p.set("t", "1").lpush("s", "x").get("t")
    res = p.execute(raise_on_error=False)
    assert res[0] is True and isinstance(res[1], redis.ResponseError) and res[2] == b"1"


def test_watch_conflict_and_retry(stdnetd):
    c = stdnetd.client()
    other = stdnetd.client()
    c.set("counter", 0)
    attempts = 0

    def incr(pipe):
        nonlocal attempts
        attempts += 1
        value = int(pipe.get("counter"))
        if attempts == 1:
            other.set("counter", 100)  # conflicting write from another client
        pipe.multi()
        pipe.set("counter", value + 1)

    c.transaction(incr, "counter")
    assert attempts == 2
    assert c.get("counter") == b"101"


def test_watch_then_exec_nil(stdnetd):
    c = stdnetd.client()
    other = stdnetd.client()
    p = c.pipeline(transaction=True)
    p.watch("w")
    other.set("w", "x")
    p.multi()
    p.set("w", "y")
    with pytest.raises(redis.WatchError):
        p.execute()
    assert c.get("w") == b"x"


def test_disconnect_mid_transaction_leaves_nothing(stdnetd, redis_server):
    s = socket.create_connection(("127.0.0.1", stdnetd.port))
    s.sendall(b"MULTI\r\nSET gone 1\r\n")
    assert s.recv(100).startswith(b"+OK")
    s.close()
    c = stdnetd.client()
    # A later transaction on a reused pooled connection is not polluted by the queued SET.
    p = c.pipeline(transaction=True)
    p.set("kept", "1")
    assert p.execute() == [True]
    assert redis_server.client().keys("*") == [b"app1:kept"]


def test_custom_command_inside_multi(stdnetd, redis_server):
    c = stdnetd.client()
    c.zadd("z", {"a": 1, "b": 2, "c": 3})
    redis_server.client().script_flush()
    p = c.pipeline(transaction=True)
    p.execute_command("ZPOPBYRANK", "z", 0)
    p.zcard("z")
    assert p.execute() == [[b"a"], 2]


# ---------------------------------------------------------------- blocking commands

def test_blpop_gets_key_without_prefix(stdnetd):
    c = stdnetd.client()
    result = {}

    def waiter():
        result["v"] = stdnetd.client().blpop(["q"], timeout=0)

    t = threading.Thread(target=waiter)
    t.start()
    deadline = time.monotonic() + 5
    # The waiter is blocked; other traffic is not delayed (no timing asserted, just progress).
    while "v" not in result and time.monotonic() < deadline:
        assert c.ping()
        c.rpush("q", "job")
        t.join(timeout=0.2)
    t.join(timeout=5)
    assert result["v"] == (b"q", b"job")


def test_blocking_timeout_returns_nil(stdnetd):
    assert stdnetd.client().blpop(["empty"], timeout=0.2) is None
    assert stdnetd.client().bzpopmin(["emptyz"], timeout=0.2) is None


def test_bzpopmin_blmove_blmpop_bzmpop(stdnetd, redis_server):
    c = stdnetd.client()
    c.zadd("z", {"m": 1})
    assert c.bzpopmin(["nothing", "z"], timeout=1) == (b"z", b"m", 1.0)
    c.rpush("src", "a", "b")
    assert c.blmove("src", "dst", 1, "LEFT", "RIGHT") == b"a"
    assert c.execute_command("BLMPOP", 1, 1, "src", "LEFT") == [b"src", [b"b"]]
    c.zadd("z2", {"x": 5})
    assert c.execute_command("BZMPOP", 1, 1, "z2", "MIN") == [b"z2", [[b"x", b"5"]]]
    assert sorted(redis_server.client().keys("*")) == [b"app1:dst"]


def test_xread_block(stdnetd):
    c = stdnetd.client()
    result = {}

    def reader():
        result["v"] = stdnetd.client().xread({"s": "$"}, block=0)

    t = threading.Thread(target=reader)
    t.start()
    deadline = time.monotonic() + 5
    while "v" not in result and time.monotonic() < deadline:
        c.xadd("s", {"f": "v"})
        t.join(timeout=0.2)
    assert result["v"][0][0] == b"s"


def test_disconnect_while_blocked_is_clean(stdnetd, redis_server):
    s = socket.create_connection(("127.0.0.1", stdnetd.port))
    s.sendall(b"BLPOP never 0\r\n")
    time.sleep(0.2)
    s.close()
    c = stdnetd.client()
    # The element pushed later must not be swallowed by the dead client's connection.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        blocked = [l for l in redis_server.client().client_list() if l.get("cmd") == "blpop"]
        if not blocked:
            break
        time.sleep(0.05)
    c.rpush("never", "x")
    assert c.lrange("never", 0, -1) == [b"x"]


def test_50_blocked_clients_do_not_delay_benchmark(stdnetd):
    results = [None] * 50

    def waiter(i):
        results[i] = stdnetd.client().blpop([f"job{i}"], timeout=0)

    threads = [threading.Thread(target=waiter, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    bench = subprocess.run(["redis-benchmark", "-p", str(stdnetd.port), "-c", "50", "-n", "50000",
                            "-P", "16", "-t", "set,get", "-q"], capture_output=True, text=True,
                           timeout=300)
    assert bench.returncode == 0, bench.stderr
    assert "requests per second" in bench.stdout
    c = stdnetd.client()
    for i in range(50):
        c.rpush(f"job{i}", f"v{i}")
    for t in threads:
        t.join(timeout=10)
    assert results == [(f"job{i}".encode(), f"v{i}".encode()) for i in range(50)]


# ---------------------------------------------------------------- pub/sub

def wait_message(pubsub, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = pubsub.get_message(timeout=0.1)
        if m is not None:
            return m
    return None


def test_subscribe_publish_namespaced(stdnetd, redis_server):
    sub = stdnetd.client().pubsub()
    sub.subscribe("news")
    assert wait_message(sub)["type"] == "subscribe"
    assert wait_message(sub) is None or True
    direct = redis_server.client()
    assert direct.pubsub_channels() == [b"app1:news"]
    assert stdnetd.client().publish("news", "hello") == 1
    m = wait_message(sub)
    assert m == {"type": "message", "pattern": None, "channel": b"news", "data": b"hello"}
    assert stdnetd.client().pubsub_channels() == [b"news"]


def test_psubscribe_and_listener_thread(stdnetd):
    got = []
    sub = stdnetd.client().pubsub()
    sub.psubscribe(**{"ev.*": lambda m: got.append(m)})
    worker = sub.run_in_thread(sleep_time=0.05)
    try:
        pub = stdnetd.client()
        deadline = time.monotonic() + 5
        while not got and time.monotonic() < deadline:
            pub.publish("ev.one", "1")
            time.sleep(0.05)
        assert got and got[0]["channel"] == b"ev.one" and got[0]["pattern"] == b"ev.*"
    finally:
        worker.stop()


def test_two_tenants_same_channel(stdnetd):
    s1 = stdnetd.client().pubsub()
    s1.subscribe("chat")
    c2 = auth_client(stdnetd, "app2-secret")
    s2 = auth_client(stdnetd, "app2-secret").pubsub()
    # redis-py's pubsub opens its own connection: authenticate it through the connection pool.
    s2 = redis.Redis(host="127.0.0.1", port=stdnetd.port, password="app2-secret").pubsub()
    s2.subscribe("chat")
    assert wait_message(s1)["type"] == "subscribe"
    assert wait_message(s2)["type"] == "subscribe"
    stdnetd.client().publish("chat", "from-app1")
    c2.publish("chat", "from-app2")
    m1 = wait_message(s1)
    m2 = wait_message(s2)
    assert m1["data"] == b"from-app1" and m2["data"] == b"from-app2"
    assert wait_message(s1, 0.3) is None and wait_message(s2, 0.3) is None


def test_subscribed_mode_ping_and_unsubscribe(stdnetd):
    s = socket.create_connection(("127.0.0.1", stdnetd.port))
    s.sendall(b"SUBSCRIBE a b\r\nPING\r\nUNSUBSCRIBE\r\nPING\r\n")
    expected = (b"*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
                b"*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"
                b"*2\r\n$4\r\npong\r\n$0\r\n\r\n")
    data = b""
    deadline = time.monotonic() + 5
    while len(data) < len(expected) + 60 and time.monotonic() < deadline:
        s.settimeout(1)
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    s.close()
    assert data.startswith(expected)
    assert data.endswith(b"+PONG\r\n")
    # Redis leaves the channels in its own (hash) order: the counts go 1 then 0 either way.
    assert (b"unsubscribe\r\n$1\r\na\r\n:1\r\n" in data and
            b"unsubscribe\r\n$1\r\nb\r\n:0\r\n" in data) or \
           (b"unsubscribe\r\n$1\r\nb\r\n:1\r\n" in data and
            b"unsubscribe\r\n$1\r\na\r\n:0\r\n" in data)


def test_keyspace_notifications_namespaced(stdnetd, redis_server):
    redis_server.client().config_set("notify-keyspace-events", "KEA")
    sub = stdnetd.client().pubsub()
    sub.psubscribe("__keyspace@0__:*")
    assert wait_message(sub)["type"] == "psubscribe"
    redis_server.client().set("app2:other", "x")
    redis_server.client().set("plain", "x")
    stdnetd.client().set("mine", "1")
    m = wait_message(sub)
    assert m["channel"] == b"__keyspace@0__:mine" and m["data"] == b"set"
    assert wait_message(sub, 0.3) is None


# ---------------------------------------------------------------- RESP3, tracking, reset

def test_hello3_resp3_types(stdnetd):
    out = raw_exchange(stdnetd.port, b"HELLO 3\r\nHSET h f v\r\nHGETALL h\r\nZADD z 1.5 m\r\n"
                                     b"ZSCORE z m\r\nRANDOMKEY\r\nGET missing\r\n")
    assert out.startswith(b"%7\r\n")
    assert b"%1\r\n$1\r\nf\r\n$1\r\nv\r\n" in out      # a map, as RESP3 gives it
    assert b",1.5\r\n" in out                           # a double
    assert out.endswith(b"_\r\n")                       # RESP3 null


def test_resp3_push_subscribe(stdnetd):
    s = socket.create_connection(("127.0.0.1", stdnetd.port))
    s.sendall(b"HELLO 3\r\nSUBSCRIBE ch\r\n")
    time.sleep(0.3)
    stdnetd.client().publish("ch", "hi")
    data = b""
    deadline = time.monotonic() + 5
    while b"hi\r\n" not in data and time.monotonic() < deadline:
        s.settimeout(1)
        try:
            data += s.recv(4096)
        except socket.timeout:
            pass
    s.close()
    assert b">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n" in data
    assert b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n" in data


def test_client_tracking_resp3_invalidation(stdnetd):
    s = socket.create_connection(("127.0.0.1", stdnetd.port))
    s.sendall(b"HELLO 3\r\nCLIENT TRACKING ON\r\nGET tk\r\n")
    time.sleep(0.3)
    stdnetd.client().set("tk", "new")
    data = b""
    deadline = time.monotonic() + 5
    while b"invalidate" not in data and time.monotonic() < deadline:
        s.settimeout(1)
        try:
            data += s.recv(4096)
        except socket.timeout:
            pass
    s.close()
    assert b">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\ntk\r\n" in data


def test_client_reply_off_skip(stdnetd):
    out = raw_exchange(stdnetd.port, b"CLIENT REPLY OFF\r\nSET a 1\r\nCLIENT REPLY ON\r\n"
                                     b"CLIENT REPLY SKIP\r\nGET a\r\nGET a\r\n")
    assert out == b"+OK\r\n$1\r\n1\r\n"


def test_pooled_connection_carries_no_state(stdnetd, redis_server):
    # A client leaves its pinned connection in every kind of state, then disconnects.
    s = socket.create_connection(("127.0.0.1", stdnetd.port))
    s.sendall(b"WATCH w\r\nCLIENT SETNAME dirty\r\nMULTI\r\nSET w 1\r\n")
    time.sleep(0.2)
    s.close()
    time.sleep(0.2)
    # The next clients get clean connections: no queued transaction, no name, RESP2, db 0.
    c = stdnetd.client()
    p = c.pipeline(transaction=True)
    p.set("w", "2")
    assert p.execute() == [True]
    assert c.get("w") == b"2"
    names = [l.get("name") for l in redis_server.client().client_list()]
    assert "dirty" not in names
    for l in redis_server.client().client_list():
        assert l.get("multi") in ("-1", None)
        assert l.get("sub") in ("0", None) and l.get("psub") in ("0", None)


def test_reset_returns_to_default(stdnetd):
    out = raw_exchange(stdnetd.port, b"AUTH app2-secret\r\nHELLO 3\r\nRESET\r\nSET r 1\r\n")
    assert b"+RESET\r\n+OK\r\n" in out
    assert stdnetd.client().get("r") == b"1"  # RESET went back to the listener's namespace


def test_scan_iter_and_pipelines(stdnetd, redis_server):
    c = stdnetd.client()
    p = c.pipeline(transaction=False)
    for i in range(500):
        p.set(f"k{i}", i)
    p.execute()
    redis_server.client().set("foreign", "x")
    assert sorted(c.scan_iter(count=50)) == sorted(f"k{i}".encode() for i in range(500))
    assert sorted(c.scan_iter(match="k1*")) == sorted(
        f"k{i}".encode() for i in range(500) if str(i).startswith("1"))


def test_tracking_redirect_maps_the_proxy_client_id(stdnetd):
    # The invalidation client subscribes; its id is the proxy's, which the proxy maps to the Redis
    # id of that client's own backend connection.
    inv = socket.create_connection(("127.0.0.1", stdnetd.port))
    inv.sendall(b"CLIENT ID\r\n")
    inv.settimeout(5)
    inv_id = int(inv.recv(100)[1:-2])
    inv.sendall(b"SUBSCRIBE __redis__:invalidate\r\n")
    assert b"subscribe" in inv.recv(200)
    tracker = stdnetd.client()
    assert tracker.execute_command("CLIENT", "TRACKING", "ON", "REDIRECT", inv_id) == b"OK"
    with pytest.raises(redis.ResponseError, match="redirect to does not exist"):
        stdnetd.client().execute_command("CLIENT", "TRACKING", "ON", "REDIRECT", 999999)
    tracker.set("tr", "1")
    tracker.get("tr")
    stdnetd.client().set("tr", "2")
    data = b""
    deadline = time.monotonic() + 5
    while b"tr\r\n" not in data and time.monotonic() < deadline:
        try:
            data += inv.recv(4096)
        except socket.timeout:
            pass
    inv.close()
    assert b"$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$2\r\ntr\r\n" in data
