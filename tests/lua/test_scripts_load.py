"""Every lua/scripts/*.lua (the embedded built-ins) and examples/*.lua compiles in Redis 7, and the SHA
that SCRIPT LOAD returns is the SHA1 of its final source: the file with its `-- #include` lines replaced
(what the build embeds; see registry_test.cc)."""
import hashlib

import pytest

from lua_helpers import EXAMPLES_DIR, SCRIPTS_DIR
from lua_source import INCLUDE_DIR, MARKER, script_source

ALL = sorted(SCRIPTS_DIR.glob("*.lua")) + sorted(EXAMPLES_DIR.glob("*.lua"))


def test_the_builtin_commands_exist():
    names = {p.stem for p in SCRIPTS_DIR.glob("*.lua")}
    assert {"keyinfo", "zdiffstore", "zpopbyrank", "zpopbyscore"} <= names


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_script_loads_with_its_sha1(redis_server, path):
    r = redis_server.client()
    source = script_source(path)
    assert source, f"{path} is empty"
    assert r.script_load(source) == hashlib.sha1(source).hexdigest()
    assert r.script_exists(hashlib.sha1(source).hexdigest()) == [True]



def test_the_odm_scripts_share_the_prelude():
    prelude = (INCLUDE_DIR / "odm_prelude.lua").read_bytes()
    odm = sorted(SCRIPTS_DIR.glob("odm_*.lua"))
    assert len(odm) == 6
    for path in odm:
        assert b"\n" + MARKER + b" odm_prelude.lua\n" in path.read_bytes(), path.name
        assert prelude in script_source(path), path.name


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_no_include_line_is_left(path):
    lines = script_source(path).split(b"\n")
    assert not [line for line in lines if line.startswith(MARKER)]
