"""The generated command table (resp/commands_table.inc) against a live Redis.

- every command and subcommand the backend reports has a row (unknown commands are refused by the
  proxy, so a missing row would make a Redis command unusable);
- the committed table is what tools/gen_command_table.py produces today (the CI staleness check);
- the generator refuses to write a table when a command needs a decision the rules file lacks.
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
GENERATOR = ROOT / "tools" / "gen_command_table.py"
TABLE = ROOT / "resp" / "commands_table.inc"
RULES = ROOT / "tools" / "command_rules.toml"

CUSTOM = {"zpopbyrank", "zpopbyscore", "countpattern", "delpattern", "keyinfo", "odm.commit",
          "odm.query", "odm.load", "odm.delete", "odm.aggregate", "odm.move2set"}


def table_names():
    return set(re.findall(r'\.name = "([^"]+)"', TABLE.read_text()))


def run_generator(*args):
    return subprocess.run([sys.executable, str(GENERATOR), *args], capture_output=True, text=True,
                          timeout=120)


def test_every_backend_command_has_a_row(redis_server):
    client = redis_server.client()
    client.response_callbacks.pop("COMMAND", None)  # redis-py would parse it as COMMAND INFO
    reported = {name.decode().lower() for name in client.execute_command("COMMAND", "LIST")}
    assert len(reported) > 300  # commands and "container|sub" subcommands
    missing = sorted(reported - table_names())
    assert not missing, f"commands without a row in {TABLE.name}: {missing}; regenerate the table"


def test_custom_commands_have_rows():
    names = table_names()
    assert CUSTOM <= names, sorted(CUSTOM - names)


def test_committed_table_is_current(redis_server):
    result = run_generator("--check", "--port", str(redis_server.port))
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_stale_table_is_detected(redis_server, tmp_path):
    stale = tmp_path / "commands_table.inc"
    stale.write_text(TABLE.read_text().replace('.name = "get"', '.name = "got"'))
    result = run_generator("--check", "--port", str(redis_server.port), "--output", str(stale))
    assert result.returncode == 1
    assert "is stale" in result.stderr
    assert '"got"' in result.stderr  # the diff is shown


def test_missing_decisions_fail_the_generator(redis_server, tmp_path):
    # Drop the rules of a movablekeys command, a pubsub command and an admin command.
    dropped = ("sort = ", "subscribe = ", '"config|set" = ')
    rules = tmp_path / "rules.toml"
    rules.write_text("".join(line for line in RULES.read_text().splitlines(keepends=True)
                             if not line.startswith(dropped)))
    out = tmp_path / "table.inc"
    result = run_generator("--port", str(redis_server.port), "--rules", str(rules),
                           "--output", str(out))
    assert result.returncode == 1
    assert "sort: movablekeys and no key_rule" in result.stderr
    assert "subscribe: channel names (pubsub flag) and no key_rule" in result.stderr
    assert "config|set: the admin flag and no policy" in result.stderr
    assert not out.exists()


def test_unknown_rule_name_fails(redis_server, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES.read_text().replace('ping = { policy = "Local" }',
                                               'pingg = { policy = "Local" }'))
    result = run_generator("--port", str(redis_server.port), "--rules", str(rules),
                           "--output", str(tmp_path / "table.inc"))
    assert result.returncode == 1
    assert "pingg" in result.stderr


def test_generator_starts_its_own_redis(tmp_path):
    out = tmp_path / "table.inc"
    result = run_generator("--output", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text() == TABLE.read_text()
