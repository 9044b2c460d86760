"""Helpers for the tests of the ODM scripts (lua/scripts/odm_*.lua) against a real redis-server.

The scripts are loaded with SCRIPT LOAD and called with EVALSHA exactly as the proxy calls them (see
odm/PROTOCOL.md): KEYS[1] = prefix + M, further keys prefixed, ARGV[1] = the prefix.

Imported by the test modules (not a conftest.py, so that it never shadows tests/conftest.py).
"""
import hashlib
import json
import pathlib

import pytest
import redis

from lua_source import script_source

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SCRIPTS_DIR = ROOT / "lua" / "scripts"
SCRIPTS = ("odm_commit", "odm_query", "odm_load", "odm_delete", "odm_aggregate", "odm_move2set")

PREFIX = "t1:"
MIN_FLOAT = "-1e+99"  # the score stdnet sends for instances of unsorted models


def meta(id_type=1, indices=None, sorted=False, autoincr=None, multi_fields=(), id_name="id"):
    """A model description as stdnet sends it (json.dumps of ModelMeta.as_dict)."""
    return json.dumps({
        "id_name": id_name,
        "id_type": id_type,
        "sorted": sorted,
        "autoincr": autoincr,
        "multi_fields": list(multi_fields),
        "indices": indices or {},
    })


def rec(action="add", prev_id="", id="", score=MIN_FLOAT, **fields):
    """One ODM.COMMIT record."""
    flat = []
    for k, v in fields.items():
        flat += [k, v]
    return [action, prev_id, id, score, len(flat), *flat]


def rec_pairs(action, prev_id, id, score, pairs):
    flat = []
    for k, v in pairs:
        flat += [k, v]
    return [action, prev_id, id, score, len(flat), *flat]


class Odm:
    """The ODM scripts in one redis-server, called as the proxy calls them, for one prefix."""

    def __init__(self, server, prefix=PREFIX):
        self.server = server
        self.prefix = prefix
        self.r = server.client(decode_responses=True)
        self.sha = {}
        for name in SCRIPTS:
            source = script_source(SCRIPTS_DIR / f"{name}.lua")
            sha = self.r.script_load(source)
            assert sha == hashlib.sha1(source).hexdigest()
            self.sha[name] = sha

    def with_prefix(self, prefix):
        other = Odm.__new__(Odm)
        other.server, other.prefix, other.r, other.sha = self.server, prefix, self.r, self.sha
        return other

    def run(self, name, keys, *args, client=None):
        client = client or self.r
        return client.evalsha(self.sha[name], len(keys), *keys, *args)

    def k(self, name):
        return self.prefix + name

    # The six commands, with the user's arguments (keys without the prefix).
    def commit(self, M, meta_json, *records):
        flat = [x for r in records for x in r]
        return self.run("odm_commit", [self.k(M)], self.prefix, meta_json, len(records), *flat)

    def commit_raw(self, M, *args):
        return self.run("odm_commit", [self.k(M)], self.prefix, *args)

    def query(self, dest, M, meta_json, field, *lookups):
        return self.run("odm_query", [self.k(M), self.k(dest)], self.prefix, meta_json, field,
                        *lookups)

    def load(self, key, M, meta_json, options):
        if not isinstance(options, str):
            options = json.dumps(options)
        return self.run("odm_load", [self.k(M), self.k(key)], self.prefix, meta_json, options)

    def delete(self, key, M, meta_json):
        return self.run("odm_delete", [self.k(M), self.k(key)], self.prefix, meta_json)

    def aggregate(self, key, M, meta_json, fk):
        return self.run("odm_aggregate", [self.k(M), self.k(key)], self.prefix, meta_json, fk)

    def move2set(self, kind, *keys):
        return self.run("odm_move2set", [self.k(k) for k in keys], self.prefix, kind)

    def keyspace(self, prefix=None):
        """Every key under the prefix (stripped): (type, content) or (type, content, 'ttl')."""
        prefix = self.prefix if prefix is None else prefix
        pattern = "*" if any(c in prefix for c in "*?[]\\") else prefix + "*"
        return {k[len(prefix):]: v for k, v in dump_all(self.r, pattern).items()
                if k.startswith(prefix)}

    def error(self, name, keys, *args):
        with pytest.raises(redis.ResponseError) as info:
            self.run(name, keys, *args)
        return str(info.value)


READERS = {
    "string": lambda p, k: p.get(k),
    "hash": lambda p, k: p.hgetall(k),
    "set": lambda p, k: p.smembers(k),
    "zset": lambda p, k: p.zrange(k, 0, -1, withscores=True),
    "list": lambda p, k: p.lrange(k, 0, -1),
}


def dump_all(r, pattern="*"):
    """{key: (type, content) or (type, content, 'ttl')} for the keys matching pattern."""
    keys = sorted(r.keys(pattern))
    pipe = r.pipeline(transaction=False)
    for k in keys:
        pipe.type(k)
        pipe.pttl(k)
    meta_replies = pipe.execute()
    pipe = r.pipeline(transaction=False)
    kinds = []
    for i, k in enumerate(keys):
        t = meta_replies[2 * i]
        kinds.append(t)
        if t in READERS:
            READERS[t](pipe, k)
        else:
            pipe.exists(k)
    contents = pipe.execute()
    out = {}
    for i, k in enumerate(keys):
        t, ttl, v = kinds[i], meta_replies[2 * i + 1], contents[i]
        if t == "none":
            continue
        if t == "set":
            v = set(v)
        elif t not in READERS:
            v = None
        out[k] = (t, v, "ttl") if ttl >= 0 else (t, v)
    return out


# Keys outside the namespace under test, named like the ones the tests use, so that a missing prefix
# anywhere would hit (and change) them: no prefix, another tenant's prefix, a prefix of the prefix.
DECOY_PREFIXES = ("", "t2:", "t1")
DECOY_MODELS = ("app.item", "app.group", "app.node", "app.sitem", "app.word", "app.cid")


def write_decoys(r):
    pipe = r.pipeline(transaction=False)
    for p in DECOY_PREFIXES:
        for m in DECOY_MODELS:
            b = p + m
            pipe.sadd(b + ":id", "1", "2", "3", "a", "b")
            pipe.set(b + ":ids", "1000")
            for i in ("1", "2", "3", "a", "b"):
                pipe.hset(b + ":obj:" + i, mapping={"name": "decoy" + i, "group": "1",
                                                    "parent": "1", "code": "c" + i, "value": "5"})
                pipe.rpush(b + ":obj:" + i + ":tags", "decoy")
            pipe.sadd(b + ":idx:group:1", "1", "2", "3")
            pipe.sadd(b + ":idx:group:", "a")
            pipe.sadd(b + ":idx:parent:1", "2", "3")
            pipe.hset(b + ":uni:name", mapping={"foo": "1", "bar": "2", "decoy1": "1"})
            pipe.hset(b + ":uni:code", mapping={"c1": "1", "x": "2"})
        for k in ("q", "dest", "ids", "tmp", "s1", "l1", "h1"):
            pipe.sadd(p + k, "1", "2", "3", "foo", "a")
        pipe.set(p + "str", "decoy")
    pipe.execute()


@pytest.fixture
def odm(redis_server):
    """An Odm for prefix t1:, with decoys outside the prefix that must stay exactly as they were."""
    o = Odm(redis_server)
    write_decoys(o.r)
    before = {k: v for k, v in dump_all(o.r).items() if not k.startswith(PREFIX)}
    yield o
    after = {k: v for k, v in dump_all(o.r).items() if not k.startswith(PREFIX)}
    assert after == before, "a key outside the namespace was touched"
    o.r.close()
