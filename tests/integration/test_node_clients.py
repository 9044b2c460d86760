"""Real Node clients (ioredis, node-redis) against stdnetd: tests/integration/node/*.test.mjs.

The Node tests run under node's built-in test runner (`node --test`) with STDNET_PORT (the proxy,
default namespace app1 with prefix "app1:", second tenant via AUTH app2-secret) and REDIS_PORT (the
backend, to check what the proxy really wrote). scripts/install-deps.sh installs the npm packages.
"""
import os
import pathlib
import shutil
import subprocess

import pytest

NODE_DIR = pathlib.Path(__file__).resolve().parent / "node"
TEST_FILES = sorted(p.name for p in NODE_DIR.glob("*.test.mjs"))


def node_ready():
    if shutil.which("node") is None:
        return "node is not installed: run scripts/install-deps.sh"
    for package in ("ioredis", "redis"):
        if not (NODE_DIR / "node_modules" / package / "package.json").exists():
            return (f"the npm package {package!r} is missing: run scripts/install-deps.sh "
                    f"(or `npm ci` in {NODE_DIR})")
    return None


@pytest.mark.parametrize("test_file", TEST_FILES)
def test_node_client_suite(test_file, stdnetd, redis_server):
    problem = node_ready()
    if problem:
        pytest.fail(problem)
    env = dict(os.environ, STDNET_PORT=str(stdnetd.port), REDIS_PORT=str(redis_server.port),
               NODE_NO_WARNINGS="1")
    try:
        proc = subprocess.run(["node", "--test", "--test-reporter=spec", test_file], cwd=NODE_DIR,
                              env=env, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else e.stdout
        pytest.fail(f"node --test {test_file} did not finish in 300 s\n{out or ''}\n"
                    f"--- stdnetd log ---\n{stdnetd.log_text()[-4000:]}")
    if proc.returncode != 0:
        pytest.fail(f"node --test {test_file} exited {proc.returncode}\n"
                    f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}\n"
                    f"--- stdnetd log (tail) ---\n{stdnetd.log_text()[-4000:]}", pytrace=False)
    # node's runner prints "# pass N" / "# fail 0" (TAP) or "ℹ pass N" (spec): at least one ran.
    assert "pass" in proc.stdout and "fail 0" in proc.stdout, proc.stdout
