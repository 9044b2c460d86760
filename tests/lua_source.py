"""The final source of a lua/scripts/*.lua script, the text stdnetd embeds and loads: every line that is
exactly `-- #include NAME.lua` replaced by the text of lua/scripts/include/NAME.lua (see lua/README.md).

A second reading of lua/embed_scripts.cmake's rule, so that the tests load into Redis what stdnetd does;
tests/lua/registry_test.cc checks the embedded sources against the same rule. Any other file (examples/)
has no include lines and comes back byte for byte.

Imported by the test helpers of tests/lua and tests/odm (tests/ is on sys.path: tests/conftest.py).
"""
import io
import pathlib
import re

INCLUDE_DIR = pathlib.Path(__file__).resolve().parent.parent / "lua" / "scripts" / "include"
MARKER = b"-- #include"


def script_source(path):
    """The bytes of the script at path with its include lines replaced."""
    out = []
    for line in io.BytesIO(pathlib.Path(path).read_bytes()).readlines():
        if line.startswith(MARKER):
            m = re.fullmatch(rb"-- #include ([a-z][a-z0-9_]*\.lua)\n?", line)
            assert m, f"{path}: bad include line {line!r}"
            line = (INCLUDE_DIR / m.group(1).decode()).read_bytes()
        out.append(line)
    return b"".join(out)
