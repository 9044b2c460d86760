#!/usr/bin/python3
"""ODM throughput: ODM.COMMIT, then ODM.QUERY + ODM.LOAD, through stdnetd and direct to Redis.

Starts a redis-server and a stdnetd in front of it on free loopback ports (namespace "bench",
prefix "bench:"), then, from one client connection, one request at a time:

  commit  ODM.COMMIT of N instances (default 100,000) in batches of 100 records: a sorted model
          with an auto id, a unique index (name), a non-unique index (group: 100 instances each)
          and three more fields;
  load    for every group: ODM.QUERY into a tmp key (value lookup on the group index), ODM.LOAD of
          that page of 100 instances with all their fields, DEL of the tmp key.

and reports instances per second for each. The same run is repeated directly against redis-server
with EVALSHA in the layout of odm/PROTOCOL.md ("direct", prefix "direct:"), so the proxy's cost can
be read off. Python and redis-py run on the same machine and take their share of the CPU: the
figures compare the two paths, they are not the limit of either.

Usage: bench/odm_bench.py [stdnetd binary, default build/stdnetd] [--quick] [--instances N]
       [--no-direct]
"""
import argparse
import hashlib
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time

import redis

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "lua" / "scripts"
BATCH = 100  # records per ODM.COMMIT, instances per page
MODEL = "bench.item"
META = json.dumps({"id_name": "id", "id_type": 1, "sorted": True, "autoincr": False,
                   "multi_fields": [], "indices": {"name": True, "group": False}})

CONFIG = """
[server]
log_level = "warn"

[backend]
url = "redis://127.0.0.1:{backend}"

[[listener]]
address = "127.0.0.1:{port}"
namespace = "bench"

[[namespace]]
name = "bench"
prefix = "bench:"
password = "bench-secret"
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, what, log=None):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = pathlib.Path(log).read_text(errors="replace") if log else ""
            sys.exit(f"odm_bench: {what} exited with {proc.returncode} before listening on {port}"
                     f"\n{output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    sys.exit(f"odm_bench: {what} does not listen on port {port} after 10 s")


class Direct:
    """The ODM commands as EVALSHA calls straight to redis-server (what stdnetd sends)."""

    def __init__(self, client, prefix):
        self.r, self.p = client, prefix
        self.sha = {}
        for name in ("odm_commit", "odm_query", "odm_load"):
            source = (SCRIPTS / f"{name}.lua").read_bytes()
            self.sha[name] = self.r.script_load(source)
            assert self.sha[name] == hashlib.sha1(source).hexdigest()

    def commit(self, *args):
        return self.r.execute_command("EVALSHA", self.sha["odm_commit"], 1, self.p + MODEL, self.p,
                                      META, *args)

    def query(self, dest, *args):
        return self.r.execute_command("EVALSHA", self.sha["odm_query"], 2, self.p + MODEL,
                                      self.p + dest, self.p, META, *args)

    def load(self, key, options):
        return self.r.execute_command("EVALSHA", self.sha["odm_load"], 2, self.p + MODEL,
                                      self.p + key, self.p, META, options)

    def delete_key(self, key):
        self.r.delete(self.p + key)


class Proxied:
    """The ODM commands through stdnetd."""

    def __init__(self, client):
        self.r = client

    def commit(self, *args):
        return self.r.execute_command("ODM.COMMIT", MODEL, META, *args)

    def query(self, dest, *args):
        return self.r.execute_command("ODM.QUERY", dest, MODEL, META, *args)

    def load(self, key, options):
        return self.r.execute_command("ODM.LOAD", key, MODEL, META, options)

    def delete_key(self, key):
        self.r.delete(key)


def batch_args(first):
    """ODM.COMMIT's num and records for instances first … first+BATCH-1 (new, auto ids)."""
    args = [BATCH]
    for i in range(first, first + BATCH):
        args += ["add", "", "", str(i), 8, "name", f"item-{i}", "group", str(i // BATCH),
                 "value", str(i * 7 % 1000), "text", "lorem ipsum dolor sit amet"]
    return args


def run(api, instances):
    batches = [batch_args(first) for first in range(0, instances, BATCH)]  # built before timing
    start = time.perf_counter()
    for args in batches:
        reply = api.commit(*args)
        if len(reply) != BATCH or any(r[1] != 1 for r in reply):
            sys.exit(f"odm_bench: a commit failed: {[r for r in reply if r[1] != 1][:3]}")
    commit_rate = instances / (time.perf_counter() - start)

    options = json.dumps({"ordering": "ASC", "start": 0, "stop": BATCH - 1})
    groups = instances // BATCH
    start = time.perf_counter()
    loaded = 0
    for g in range(groups):
        dest = f"{MODEL}:tmp:page"
        n = api.query(dest, "group", "value", str(g))
        rows = api.load(dest, options)[0]
        api.delete_key(dest)
        if n != BATCH or len(rows) != BATCH:
            sys.exit(f"odm_bench: page {g}: query found {n}, load returned {len(rows)} rows")
        loaded += len(rows)
    load_rate = loaded / (time.perf_counter() - start)
    return commit_rate, load_rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stdnetd", nargs="?", default=str(ROOT / "build" / "stdnetd"),
                        help="the stdnetd binary (default: build/stdnetd)")
    parser.add_argument("--quick", action="store_true", help="a small run (2,000 instances)")
    parser.add_argument("--instances", type=int, help="instances to commit (multiple of 100)")
    parser.add_argument("--no-direct", action="store_true",
                        help="skip the run directly against redis-server")
    args = parser.parse_args()
    instances = args.instances or (2000 if args.quick else 100000)
    if instances <= 0 or instances % BATCH:
        parser.error(f"--instances must be a positive multiple of {BATCH}")
    if not os.access(args.stdnetd, os.X_OK):
        parser.error(f"stdnetd binary not found at {args.stdnetd}: build it, or pass its path")

    procs = []
    with tempfile.TemporaryDirectory(prefix="odm_bench.") as tmp:
        try:
            backend = free_port()
            procs.append(subprocess.Popen(
                ["redis-server", "--port", str(backend), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", tmp, "--loglevel", "warning"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for_port(backend, procs[-1], "redis-server")
            port = free_port()
            config = pathlib.Path(tmp) / "stdnetd.toml"
            config.write_text(CONFIG.format(backend=backend, port=port))
            log_path = pathlib.Path(tmp) / "stdnetd.log"
            with open(log_path, "wb") as log:
                procs.append(subprocess.Popen([args.stdnetd, "--config", str(config)],
                                              stdout=log, stderr=subprocess.STDOUT))
            wait_for_port(port, procs[-1], "stdnetd", log_path)

            print(f"ODM benchmark: {instances} instances, batches/pages of {BATCH}, "
                  f"one request at a time, loopback")
            print(f"{'path':<10} {'commit inst/s':>14} {'query+load inst/s':>18}")
            paths = [("stdnetd", Proxied(redis.Redis(port=port)))]
            if not args.no_direct:
                paths.append(("direct", Direct(redis.Redis(port=backend), "direct:")))
            for name, api in paths:
                commit_rate, load_rate = run(api, instances)
                print(f"{name:<10} {commit_rate:>14,.0f} {load_rate:>18,.0f}", flush=True)
            # every key is under the prefixes: nothing leaked out of the namespaces
            stray = [k for k in redis.Redis(port=backend).scan_iter(count=1000)
                     if not k.startswith((b"bench:", b"direct:"))]
            if stray:
                sys.exit(f"odm_bench: keys outside the namespaces: {stray[:5]}")
        finally:
            for p in reversed(procs):
                if p.poll() is None:
                    p.terminate()
                    try:
                        p.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        p.kill()
                        p.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
