"""Every lua/scripts/*.lua (the embedded built-ins) and examples/*.lua compiles in Redis 7, and the SHA
that SCRIPT LOAD returns is the SHA1 of the file (what the build embeds; see registry_test.cc)."""
import hashlib

import pytest

from lua_helpers import EXAMPLES_DIR, SCRIPTS_DIR

ALL = sorted(SCRIPTS_DIR.glob("*.lua")) + sorted(EXAMPLES_DIR.glob("*.lua"))


def test_the_builtin_commands_exist():
    names = {p.stem for p in SCRIPTS_DIR.glob("*.lua")}
    assert {"keyinfo", "zdiffstore", "zpopbyrank", "zpopbyscore"} <= names


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_script_loads_with_its_sha1(redis_server, path):
    r = redis_server.client()
    source = path.read_bytes()
    assert source, f"{path} is empty"
    assert r.script_load(source) == hashlib.sha1(source).hexdigest()
    assert r.script_exists(hashlib.sha1(source).hexdigest()) == [True]

