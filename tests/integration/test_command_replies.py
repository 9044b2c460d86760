"""COMMAND answered by stdnetd itself (proxy/command_replies.cc) against redis-server 7.0.15.

stdnetd's COMMAND INFO / GETKEYS / COUNT / LIST / DOCS are compared with what the real server
sends for the same request, over raw sockets in RESP2 and RESP3. Where they differ on purpose:
  - container commands list their subcommands sorted by name (Redis: its hash-table order), so
    subcommand lists are compared sorted; COMMAND and COMMAND LIST are compared as sets;
  - stdnetd adds its custom commands (ZPOPBYRANK, KEYINFO, ODM.*, …) and CLIENT SETINFO /
    CLIENT NO-TOUCH, which it answers itself;
  - COMMAND DOCS has no "arguments"/"history" (the command table does not carry them).
"""
import socket

import pytest

CUSTOM = {"zpopbyrank", "zpopbyscore", "countpattern", "delpattern", "keyinfo"}
EXTRA_SUBCOMMANDS = {"client|setinfo", "client|no-touch"}

INFO_SAMPLE = [
    "get", "set", "mset", "del", "lmove", "blmove", "brpoplpush", "zunion", "zunionstore",
    "zrangestore", "georadius", "georadiusbymember", "geosearchstore", "migrate", "sort",
    "sort_ro", "eval", "fcall", "xread", "xreadgroup", "bitfield", "lmpop", "blmpop", "spublish",
    "publish", "keys", "scan", "copy", "hello", "client|setname", "client|kill", "xinfo|stream",
    "xgroup|create", "object|encoding", "memory|usage", "config|get", "xinfo", "object",
]

GETKEYS_SAMPLE = [
    "get a", "get a b", "set k v", "set k v GET", "mset a 1 b 2", "lmove a b left right",
    "zunionstore d 2 a b", "zunionstore d 2x a b", "zunionstore d 0 a b", "zunion 2 a b withscores",
    "eval s 0", "eval s 2 a b c", "eval s 5 a", "fcall f 1 a", "blmpop 0 2 a b left",
    "sort a by x get y store b", "sort a store b by x store c", "sort_ro a by x",
    "migrate h p k 0 50", "migrate h p k 0 50 keys a b",
    "georadius k 1 2 3 m store d storedist e", "georadiusbymember k m 3 m store d",
    "xread count 1 streams a b 0 0", "xread streams a", "xreadgroup group g c streams a 0",
    "bitfield k GET u8 0", "bitfield k GET u8 0 SET u8 0 1", "xinfo stream k full",
    "memory usage k", "client setname x", "client nosuch x", "nosuch a", "spublish ch m",
    "object encoding k", "copy a b", "rename a b",
]


def enc(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Node:
    """A parsed RESP value that keeps its exact bytes."""

    def __init__(self, head, value=b"", kids=()):
        self.head, self.value, self.kids = head, value, list(kids)

    @property
    def type(self):
        return self.head[:1]

    @property
    def text(self):
        return self.value[:-2].decode()

    def raw(self):
        return self.head + self.value + b"".join(k.raw() for k in self.kids)


class RawConn:
    def __init__(self, port, protocol=2):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.file = self.sock.makefile("rb")
        if protocol == 3:
            hello = self.query("HELLO", "3")
            assert hello.type == b"%", hello.raw()

    def close(self):
        self.file.close()
        self.sock.close()

    def read(self):
        head = self.file.readline()
        assert head.endswith(b"\r\n"), head
        t, n = head[:1], head[1:-2]
        if t in b"$=!" and int(n) >= 0:
            return Node(head, self.file.read(int(n) + 2))
        if t in b"*~>%|" and int(n) >= 0:
            count = int(n) * (2 if t in b"%|" else 1)
            return Node(head, b"", [self.read() for _ in range(count)])
        return Node(head)

    def query(self, *args):
        self.sock.sendall(enc(args))
        return self.read()


@pytest.fixture
def conns(redis_server, stdnetd):
    opened = {}

    def get(which, protocol):
        key = (which, protocol)
        if key not in opened:
            port = redis_server.port if which == "redis" else stdnetd.port
            opened[key] = RawConn(port, protocol)
        return opened[key]

    yield get
    for conn in opened.values():
        conn.close()


def info_bytes(node, drop_subcommands=()):
    """One COMMAND INFO entry with its subcommands sorted by name (minus `drop_subcommands`)."""
    if node.type != b"*" or len(node.kids) != 10:
        return node.raw()
    subs = [k for k in node.kids[9].kids if k.kids[0].text not in drop_subcommands]
    if not subs:
        return node.raw()
    subs.sort(key=lambda k: k.kids[0].text)
    return (node.head + b"".join(k.raw() for k in node.kids[:9]) + b"*%d\r\n" % len(subs) +
            b"".join(info_bytes(k) for k in subs))


def entries_by_name(reply):
    return {k.kids[0].text: k for k in reply.kids}


@pytest.mark.parametrize("protocol", [2, 3])
def test_command_info_matches_redis(conns, protocol):
    redis, proxy = conns("redis", protocol), conns("proxy", protocol)
    for name in INFO_SAMPLE:
        expected = redis.query("COMMAND", "INFO", name)
        got = proxy.query("COMMAND", "INFO", name)
        assert got.head == expected.head == b"*1\r\n"
        assert (info_bytes(got.kids[0], EXTRA_SUBCOMMANDS) ==
                info_bytes(expected.kids[0])), name
    # Several names, unknown ones as nil, subcommands by their full name in any case.
    args = ("COMMAND", "INFO", "nosuch", "GET", "CLIENT|SetName", "client|nosuch")
    assert proxy.query(*args).raw() == redis.query(*args).raw()


@pytest.mark.parametrize("protocol", [2, 3])
def test_command_lists_every_redis_command_and_the_custom_ones(conns, protocol):
    redis, proxy = conns("redis", protocol), conns("proxy", protocol)
    expected = entries_by_name(redis.query("COMMAND"))
    got = entries_by_name(proxy.query("COMMAND"))
    assert set(expected) <= set(got)
    for name, entry in expected.items():
        assert info_bytes(got[name], EXTRA_SUBCOMMANDS) == info_bytes(entry), name
    extra = set(got) - set(expected)
    assert CUSTOM <= extra
    assert all(name in CUSTOM or name.startswith("odm.") for name in extra), extra

    count_redis = redis.query("COMMAND", "COUNT").raw()
    count_proxy = proxy.query("COMMAND", "COUNT").raw()
    assert int(count_proxy[1:-2]) == int(count_redis[1:-2]) + len(extra)

    names_redis = {k.text for k in redis.query("COMMAND", "LIST").kids}
    names_proxy = {k.text for k in proxy.query("COMMAND", "LIST").kids}
    assert names_proxy - names_redis == extra | EXTRA_SUBCOMMANDS


def test_custom_commands_have_key_specs(conns):
    proxy = conns("proxy", 3)
    entry = proxy.query("COMMAND", "INFO", "zpopbyrank").kids[0]
    assert entry.kids[0].text == "zpopbyrank"
    assert [k.raw() for k in entry.kids[2].kids] == [b"+write\r\n"]
    specs = entry.kids[8]
    assert specs.type == b"~" and len(specs.kids) == 1
    spec = specs.kids[0]
    assert spec.type == b"%"
    fields = {spec.kids[i].text: spec.kids[i + 1] for i in range(0, len(spec.kids), 2)}
    assert fields["flags"].raw() == b"~3\r\n+RW\r\n+access\r\n+delete\r\n"
    assert fields["begin_search"].raw() == (b"%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
                                            b"%1\r\n$5\r\nindex\r\n:1\r\n")
    keyinfo = proxy.query("COMMAND", "INFO", "KEYINFO").kids[0]
    assert b"+movablekeys\r\n" in keyinfo.kids[2].raw()
    assert b"$7\r\nkeyword\r\n$4\r\nKEYS\r\n" in keyinfo.kids[8].raw()


@pytest.mark.parametrize("protocol", [2, 3])
def test_getkeys_matches_redis(conns, protocol):
    redis, proxy = conns("redis", protocol), conns("proxy", protocol)
    for line in GETKEYS_SAMPLE:
        args = line.split(" ")
        for sub in ("GETKEYS", "GETKEYSANDFLAGS"):
            expected = redis.query("COMMAND", sub, *args).raw()
            assert proxy.query("COMMAND", sub, *args).raw() == expected, (sub, line)


def test_getkeys_of_custom_commands_names_the_clients_keys(conns):
    proxy = conns("proxy", 2)
    # The proxy's client is in namespace "app1:"; the keys come back as the client wrote them.
    assert proxy.query("COMMAND", "GETKEYS", "ZPOPBYRANK", "board", "0", "1").raw() == \
        b"*1\r\n$5\r\nboard\r\n"
    assert proxy.query("COMMAND", "GETKEYS", "keyinfo", "KEYS", "a", "b").raw() == \
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert proxy.query("COMMAND", "GETKEYS", "COUNTPATTERN", "user:*").raw() == \
        b"-ERR The command has no key arguments\r\n"


@pytest.mark.parametrize("protocol", [2, 3])
def test_errors_and_help_match_redis(conns, protocol):
    redis, proxy = conns("redis", protocol), conns("proxy", protocol)
    for args in (["COMMAND", "HELP"], ["command", "nosuch"], ["COMMAND", "COUNT", "x"],
                 ["COMMAND", "GETKEYS", "get"], ["COMMAND", "LIST", "FILTERBY", "PATTERN"],
                 ["COMMAND", "LIST", "FILTERBY", "nope", "x"], ["COMMAND", "a\nb"],
                 ["COMMAND", "x" * 200], ["COMMAND", "DOCS", "nosuch"],
                 ["COMMAND", "LIST", "FILTERBY", "MODULE", "x"],
                 ["COMMAND", "LIST", "FILTERBY", "PATTERN", "ZRANGES*"]):
        assert proxy.query(*args).raw() == redis.query(*args).raw(), args


@pytest.mark.parametrize("protocol", [2, 3])
def test_list_filters_match_redis(conns, protocol):
    redis, proxy = conns("redis", protocol), conns("proxy", protocol)
    for flt in (["ACLCAT", "hyperloglog"], ["ACLCAT", "Dangerous"], ["ACLCAT", "@read"],
                ["PATTERN", "x*"], ["PATTERN", "*|*"], ["PATTERN", "[^a-x]*"],
                ["PATTERN", "cl?ent|[s-z]*"]):
        expected = {k.text for k in redis.query("COMMAND", "LIST", "FILTERBY", *flt).kids}
        got = {k.text for k in proxy.query("COMMAND", "LIST", "FILTERBY", *flt).kids}
        assert got - expected <= CUSTOM | EXTRA_SUBCOMMANDS | {
            n for n in got if n.startswith("odm.")}, flt
        assert expected <= got, flt


def docs_without_arguments(node):
    """A COMMAND DOCS entry as {field: bytes}, without arguments/history, subcommands by name."""
    fields = {node.kids[i].text: node.kids[i + 1] for i in range(0, len(node.kids), 2)}
    out = {}
    for key, value in fields.items():
        if key in ("arguments", "history"):
            continue
        if key == "subcommands":
            subs = {value.kids[i].text: value.kids[i + 1] for i in range(0, len(value.kids), 2)}
            out[key] = {name: docs_without_arguments(v) for name, v in subs.items()
                        if name not in EXTRA_SUBCOMMANDS}
        else:
            out[key] = value.raw()
    return out


@pytest.mark.parametrize("protocol", [2, 3])
def test_docs_match_redis(conns, protocol):
    redis, proxy = conns("redis", protocol), conns("proxy", protocol)
    for name in ("get", "georadius", "client|kill", "xinfo", "slaveof", "zunion"):
        expected = redis.query("COMMAND", "DOCS", name)
        got = proxy.query("COMMAND", "DOCS", name)
        assert got.head == expected.head
        assert got.kids[0].raw() == expected.kids[0].raw()
        assert docs_without_arguments(got.kids[1]) == docs_without_arguments(expected.kids[1])
    docs = proxy.query("COMMAND", "DOCS", "ZPOPBYSCORE")
    assert docs.kids[0].text == "zpopbyscore"
    fields = docs_without_arguments(docs.kids[1])
    assert fields["group"] == b"$10\r\nsorted-set\r\n"
    assert b"score range" in fields["summary"]


def test_redis_py_reads_command_output(stdnetd):
    client = stdnetd.client()
    commands = client.command()
    assert commands["get"]["arity"] == 2
    assert commands["zpopbyrank"]["arity"] == -3
    assert commands["zpopbyrank"]["first_key_pos"] == 1
    assert client.command_count() == len(commands)
    assert client.command_getkeys("MSET", "a", "1", "b", "2") == ["a", "b"]
