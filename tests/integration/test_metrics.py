"""Observability: the admin endpoint (/metrics in Prometheus text, /healthz) and INFO sections.

Counters are compared before and after a known amount of traffic sent on raw sockets, so that
commands, errors and bytes are known exactly. Gauges and health are polled (bounded), never timed.
"""
import re
import socket
import time
import urllib.error
import urllib.request

import pytest

from conftest import free_port, wait_for_port

CONFIG = """
[server]
workers = {workers}
admin = "127.0.0.1:{admin}"

[backend]
url = "{{backend}}"
reconnect_max = 0.2

[[listener]]
address = "127.0.0.1:{{port}}"
namespace = "app1"

[[namespace]]
name = "app1"
prefix = "app1:"
password = "app1-secret"

[[namespace]]
name = "app2"
prefix = "app2:"
password = "app2-secret"
"""

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')


def start(redis_server, make_stdnetd, workers=1):
    admin = free_port()
    proxy = make_stdnetd(redis_server, CONFIG.format(workers=workers, admin=admin))
    wait_for_port(admin, proxy.proc)
    proxy.admin = admin
    return proxy


def http_get(port, path, method="GET"):
    """(status, headers, body) of one request to the admin endpoint."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def parse_exposition(text):
    """{(name, ((label, value), ...)): value}, checking the format on the way: every sample's family
    has a # TYPE line before it, counters end in _total, label values are well escaped."""
    types = {}
    samples = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram"), line
            assert name not in types, f"family {name} declared twice"
            types[name] = kind
            continue
        if line.startswith("#") or not line:
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        name, labels_text, value = m.groups()
        labels = ()
        if labels_text:
            pairs = LABEL.findall(labels_text)
            assert "".join(f'{k}="{v}",' for k, v in pairs).rstrip(",") == labels_text, line
            labels = tuple(pairs)
        family = re.sub(r"_(bucket|sum|count)$", "", name)
        kind = types.get(name) or types.get(family)
        assert kind, f"sample {name} without a # TYPE line"
        if kind == "counter":
            assert name.endswith("_total"), name
        key = (name, labels)
        assert key not in samples, f"duplicate series {key}"
        samples[key] = float(value) if value != "+Inf" else float("inf")
    return samples


def scrape(port):
    status, headers, body = http_get(port, "/metrics")
    assert status == 200, body
    assert headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return parse_exposition(body)


def value(samples, name, **labels):
    """A series' value (0 when absent: a (namespace, command) never called has no series)."""
    want = tuple(labels.items())
    for (n, ls), v in samples.items():
        if n == name and sorted(ls) == sorted(want):
            return v
    return 0.0


def check_histograms(samples):
    """Buckets are cumulative and +Inf equals _count, for every series."""
    buckets = {}
    for (name, labels), v in samples.items():
        if name.endswith("_bucket"):
            le = dict(labels)["le"]
            rest = tuple(p for p in labels if p[0] != "le")
            buckets.setdefault((name[:-len("_bucket")], rest), []).append(
                (float("inf") if le == "+Inf" else float(le), v))
    assert buckets, "no histogram series"
    for (family, rest), points in buckets.items():
        points.sort()
        counts = [c for _, c in points]
        assert counts == sorted(counts), (family, rest, points)
        assert points[-1][0] == float("inf")
        assert points[-1][1] == samples[(family + "_count", rest)]


def resp_command(*args):
    out = f"*{len(args)}\r\n".encode()
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def read_reply(sock, buf):
    """Reads one simple reply (+ - : $) from sock; returns (raw bytes of the reply, rest)."""
    while True:
        if b"\r\n" in buf:
            line, _, rest = buf.partition(b"\r\n")
            if line[:1] in (b"+", b"-", b":"):
                return line + b"\r\n", rest
            if line[:1] == b"$":
                n = int(line[1:])
                need = 0 if n < 0 else n + 2
                if len(rest) >= need:
                    return line + b"\r\n" + rest[:need], rest[need:]
        data = sock.recv(65536)
        assert data, "connection closed by the proxy"
        buf += data


class RawClient:
    """A client on a plain socket that counts every byte each way."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sent = 0
        self.received = 0
        self.buf = b""

    def call(self, *args):
        request = resp_command(*args)
        self.sock.sendall(request)
        self.sent += len(request)
        reply, self.buf = read_reply(self.sock, self.buf)
        self.received += len(reply)
        return reply

    def close(self):
        self.sock.close()


def poll(predicate, what, timeout=15.0):
    """Waits (bounded) until predicate() is true; the bound only keeps a broken build from hanging."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        assert time.monotonic() < deadline, f"still not {what} after {timeout}s"
        time.sleep(0.05)


# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_metrics_count_exactly_the_traffic(redis_server, make_stdnetd, workers):
    proxy = start(redis_server, make_stdnetd, workers)
    # The connection that wait_for_port opened has gone: nothing connected.
    poll(lambda: value(scrape(proxy.admin), "stdnet_connected_clients") == 0, "0 clients")
    before = scrape(proxy.admin)

    n = 25
    clients = [RawClient(proxy.port) for _ in range(4)]  # spread over the workers
    poll(lambda: value(scrape(proxy.admin), "stdnet_connected_clients") == 4, "4 clients")
    poll(lambda: value(scrape(proxy.admin), "stdnet_namespace_connected_clients",
                       namespace="app1") == 4, "4 clients in app1")
    for i in range(n):
        c = clients[i % len(clients)]
        assert c.call("SET", f"key{i}", f"value{i}") == b"+OK\r\n"
    for i in range(n):
        c = clients[(i + 1) % len(clients)]
        assert c.call("GET", f"key{i}") == b"$%d\r\nvalue%d\r\n" % (len(f"value{i}"), i)
    assert clients[0].call("SET", "text", "abc") == b"+OK\r\n"
    assert clients[1].call("INCR", "text").startswith(b"-ERR")
    for c in clients:
        c.close()
    sent = sum(c.sent for c in clients)
    received = sum(c.received for c in clients)

    poll(lambda: value(scrape(proxy.admin), "stdnet_connected_clients") == 0, "clients gone")
    after = scrape(proxy.admin)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    app1 = {"namespace": "app1"}
    assert delta("stdnet_commands_total", command="set", **app1) == n + 1
    assert delta("stdnet_commands_total", command="get", **app1) == n
    assert delta("stdnet_commands_total", command="incr", **app1) == 1
    assert delta("stdnet_command_errors_total", command="incr", **app1) == 1
    assert delta("stdnet_command_errors_total", command="set", **app1) == 0
    assert delta("stdnet_command_errors_total", command="get", **app1) == 0
    assert delta("stdnet_command_duration_seconds_count", command="set", **app1) == n + 1
    assert delta("stdnet_command_duration_seconds_bucket", command="get", le="+Inf",
                 **app1) == n
    assert value(after, "stdnet_command_duration_seconds_sum", command="get", **app1) > 0
    assert delta("stdnet_connections_received_total") == len(clients)
    assert delta("stdnet_net_input_bytes_total") == sent
    assert delta("stdnet_net_output_bytes_total") == received
    assert delta("stdnet_protocol_errors_total") == 0
    # Nothing was counted for the other namespace.
    assert not [k for k in after if dict(k[1]).get("namespace") == "app2"
                and k[0] != "stdnet_namespace_connected_clients"]
    assert value(after, "stdnet_namespace_connected_clients", namespace="app2") == 0
    assert value(after, "stdnet_backend_up") >= 1
    check_histograms(after)


def test_healthz_follows_the_backend(redis_server, make_stdnetd):
    proxy = start(redis_server, make_stdnetd)
    client = proxy.client()

    def traffic_then_health():
        try:
            client.set("probe", "1")  # lets a lazily connecting proxy reach the backend
        except Exception:
            pass
        return http_get(proxy.admin, "/healthz")

    status, headers, body = poll(lambda: (lambda r: r if r[0] == 200 else None)(
        traffic_then_health()), "healthy")
    assert body == "ok\n"
    assert headers["Content-Type"].startswith("text/plain")

    redis_server.stop()
    status, _, body = poll(lambda: (lambda r: r if r[0] == 503 else None)(
        traffic_then_health()), "unhealthy once the backend is gone")
    assert body == "backend unreachable\n"
    samples = scrape(proxy.admin)
    assert value(samples, "stdnet_backend_up") == 0
    assert value(samples, "stdnet_backend_errors_total") >= 1

    redis_server.start()  # same port: the proxy reconnects
    poll(lambda: traffic_then_health()[0] == 200, "healthy again after the backend came back")
    assert value(scrape(proxy.admin), "stdnet_backend_reconnects_total") >= 1


def test_admin_endpoint_answers_only_what_it_serves(redis_server, make_stdnetd):
    proxy = start(redis_server, make_stdnetd)
    assert http_get(proxy.admin, "/nope")[0] == 404
    assert http_get(proxy.admin, "/metrics", method="POST")[0] == 405
    status, headers, body = http_get(proxy.admin, "/metrics", method="HEAD")
    assert status == 200 and body == ""
    # Garbage on the admin port closes that connection only.
    with socket.create_connection(("127.0.0.1", proxy.admin), timeout=10) as s:
        s.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
        response = b""
        while chunk := s.recv(4096):
            response += chunk
        assert response.startswith(b"HTTP/1.1 400 ")
    assert http_get(proxy.admin, "/metrics")[0] == 200
    assert proxy.client().ping()


def test_info_sections(redis_server, make_stdnetd):
    proxy = start(redis_server, make_stdnetd)
    c = proxy.client()
    for i in range(3):
        c.set(f"k{i}", "v")
    c.get("k0")

    default = c.info()
    assert default["redis_version"] == "7.0.15"
    assert "stdnet_version" in default
    assert default["connected_clients"] >= 1
    assert default["total_commands_processed"] >= 4

    stats = c.info("commandstats")
    assert stats["cmdstat_set"]["calls"] == 3
    assert stats["cmdstat_get"]["calls"] == 1
    assert stats["cmdstat_set"]["failed_calls"] == 0
    assert "usec_per_call" in stats["cmdstat_set"]

    ns = c.info("namespace")
    assert ns["ns_app1"]["calls"] >= 4
    assert ns["ns_app1"]["clients"] >= 1

    everything = c.info("everything")
    assert "cmdstat_set" in everything and "redis_version" in everything
    assert c.info("nosuchsection") == {}
    assert "backend_up" in c.info("backend")
