#!/usr/bin/python3
"""Generates resp/commands_table.inc, stdnet's command table.

Redis describes each of its commands once, as data: arity, flags, ACL categories, key-specs, docs
(COMMAND and COMMAND DOCS). This script asks a real redis-server 7 for that data, merges it with our
own columns from tools/command_rules.toml (policy, key rule, reply rule, the stdnet custom commands)
and writes the C++ table that resp/commands.cc compiles.

  /usr/bin/python3 tools/gen_command_table.py            # start a redis-server, rewrite the table
  /usr/bin/python3 tools/gen_command_table.py --check    # fail if the committed table is stale (CI)
  /usr/bin/python3 tools/gen_command_table.py --port 6379   # ask a running Redis instead

It fails (exit status 1, with the list of commands) when Redis reports a command that needs a decision
the rules file does not make; see the header of tools/command_rules.toml. Standard library only.
"""
import argparse
import difflib
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "resp" / "commands_table.inc"
DEFAULT_RULES = ROOT / "tools" / "command_rules.toml"

# Bit order of resp/commands.h (Flag, AclCategory, KeySpecFlag). Keep in sync with that header.
FLAGS = [
    ("write", "kWrite"), ("readonly", "kReadonly"), ("denyoom", "kDenyoom"), ("admin", "kAdmin"),
    ("pubsub", "kPubsub"), ("noscript", "kNoscript"), ("blocking", "kBlocking"),
    ("loading", "kLoading"), ("stale", "kStale"), ("skip_monitor", "kSkipMonitor"),
    ("skip_slowlog", "kSkipSlowlog"), ("fast", "kFast"), ("no_auth", "kNoAuth"),
    ("may_replicate", "kMayReplicate"), ("no_mandatory_keys", "kNoMandatoryKeys"),
    ("movablekeys", "kMovableKeys"), ("no_multi", "kNoMulti"), ("allow_busy", "kAllowBusy"),
    ("no_async_loading", "kNoAsyncLoading"), ("only_sentinel", "kOnlySentinel"),
    ("sentinel", "kSentinel"), ("protected", "kProtected"), ("asking", "kAsking"),
]
ACL_CATEGORIES = [
    ("@keyspace", "kAclKeyspace"), ("@read", "kAclRead"), ("@write", "kAclWrite"),
    ("@set", "kAclSet"), ("@sortedset", "kAclSortedset"), ("@list", "kAclList"),
    ("@hash", "kAclHash"), ("@string", "kAclString"), ("@bitmap", "kAclBitmap"),
    ("@hyperloglog", "kAclHyperloglog"), ("@geo", "kAclGeo"), ("@stream", "kAclStream"),
    ("@pubsub", "kAclPubsub"), ("@admin", "kAclAdmin"), ("@fast", "kAclFast"),
    ("@slow", "kAclSlow"), ("@blocking", "kAclBlocking"), ("@dangerous", "kAclDangerous"),
    ("@connection", "kAclConnection"), ("@transaction", "kAclTransaction"),
    ("@scripting", "kAclScripting"),
]
KEY_SPEC_FLAGS = [
    ("RO", "kKsRO"), ("RW", "kKsRW"), ("OW", "kKsOW"), ("RM", "kKsRM"), ("access", "kKsAccess"),
    ("update", "kKsUpdate"), ("insert", "kKsInsert"), ("delete", "kKsDelete"),
    ("not_key", "kKsNotKey"), ("incomplete", "kKsIncomplete"),
    ("variable_flags", "kKsVariableFlags"),
]
POLICIES = {"Forward", "Local", "Emulate", "Stateful", "Trusted", "RawScript", "Refuse", "Script"}
KEY_RULES = {"None", "KeySpecs", "Sort", "Xread", "Georadius", "Scan", "Keys", "Numkeys", "Channels",
             "Patterns", "PubsubPattern", "PubsubChannels", "ClientTracking", "Migrate", "Custom",
             "KeyInfo"}
REPLY_RULES = {"Raw", "KeyList", "Scan", "Key", "KeyFirst", "MPop", "Xread", "Exec", "PubSub",
               "ChannelList", "ChannelCounts", "KeyError", "TrackingInfo"}
NUMKEYS = {"Script", "Function", "Zset", "SetCard", "MPop"}
RULE_COLUMNS = {"policy", "key_rule", "reply_rule", "numkeys", "script", "note"}
ROW_COLUMNS = RULE_COLUMNS | {"arity", "flags", "acl_categories", "key_specs", "tips", "summary",
                              "since", "group", "complexity", "deprecated_since", "replaced_by"}
DOC_FIELDS = ["summary", "since", "group", "complexity", "deprecated_since", "replaced_by"]


class Failure(Exception):
    """A problem the user must fix; the message says how."""


# ----------------------------------------------------------------------------------------------
# A minimal RESP2 client.

class Redis:
    def __init__(self, host, port, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.file = self.sock.makefile("rb")

    def close(self):
        self.file.close()
        self.sock.close()

    def call(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for arg in args:
            data = arg.encode() if isinstance(arg, str) else arg
            out.append(b"$%d\r\n%s\r\n" % (len(data), data))
        self.sock.sendall(b"".join(out))
        return self._read()

    def _read(self):
        line = self.file.readline()
        if not line.endswith(b"\r\n"):
            raise Failure("the Redis connection closed in the middle of a reply")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise Failure("Redis replied an error: " + rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            if length < 0:
                return None
            data = self.file.read(length + 2)
            return data[:-2].decode()
        if kind == b"*":
            length = int(rest)
            return None if length < 0 else [self._read() for _ in range(length)]
        raise Failure(f"unexpected RESP type byte {kind!r} from Redis")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throw-away redis-server on a free loopback port."""

    def __init__(self, binary):
        path = shutil.which(binary)
        if path is None:
            raise Failure(f"'{binary}' not found: install redis-server 7 (Debian: apt-get install "
                          "redis-server), pass --redis-server PATH, or --port of a running Redis 7")
        self.dir = tempfile.TemporaryDirectory(prefix="gen_command_table-")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [path, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir.name, "--daemonize", "no",
             "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def connect(self):
        deadline = time.monotonic() + 10
        while True:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace").strip()
                raise Failure(f"redis-server exited with status {self.proc.returncode}: {err}")
            try:
                return Redis("127.0.0.1", self.port)
            except OSError:
                if time.monotonic() > deadline:
                    raise Failure(f"redis-server does not listen on port {self.port} after 10 s")
                time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.dir.cleanup()


# ----------------------------------------------------------------------------------------------
# Reading Redis's description.

def pairs(flat):
    """A RESP2 map (flat list k1 v1 k2 v2 …) as a dict."""
    if flat is None:
        return {}
    return dict(zip(flat[0::2], flat[1::2]))


def parse_key_spec(raw, where):
    spec = pairs(raw)
    begin, find = pairs(spec.get("begin_search")), pairs(spec.get("find_keys"))
    out = {"flags": list(spec.get("flags", [])), "notes": spec.get("notes", "")}
    bspec, fspec = pairs(begin.get("spec")), pairs(find.get("spec"))
    btype, ftype = begin.get("type"), find.get("type")
    if btype == "index":
        out.update(begin="index", index=int(bspec["index"]))
    elif btype == "keyword":
        out.update(begin="keyword", keyword=bspec["keyword"], startfrom=int(bspec["startfrom"]))
    elif btype == "unknown":
        out.update(begin="unknown")
    else:
        raise Failure(f"{where}: unknown begin_search type {btype!r}")
    if ftype == "range":
        out.update(find="range", lastkey=int(fspec["lastkey"]), keystep=int(fspec["keystep"]),
                   limit=int(fspec["limit"]))
    elif ftype == "keynum":
        out.update(find="keynum", keynumidx=int(fspec["keynumidx"]),
                   firstkey=int(fspec["firstkey"]), keystep=int(fspec["keystep"]))
    elif ftype == "unknown":
        out.update(find="unknown")
    else:
        raise Failure(f"{where}: unknown find_keys type {ftype!r}")
    return out


def redis_row(info, docs):
    name, arity, flags, first, last, step, acl, tips, specs, subs = info[:10]
    row = {
        "name": name.lower(), "arity": int(arity), "flags": list(flags), "first_key": int(first),
        "last_key": int(last), "key_step": int(step), "acl_categories": list(acl),
        "tips": list(tips or []), "key_specs": [parse_key_spec(s, name) for s in specs or []],
        "subcommands": {}, "custom": False,
    }
    doc = pairs(docs.get(row["name"]))
    for field in DOC_FIELDS:
        row[field] = doc.get(field, "") or ""
    subdocs = pairs(doc.get("subcommands"))
    for sub in subs or []:
        subrow = redis_row(sub, subdocs)
        row["subcommands"][subrow["name"]] = subrow
    return row


def read_redis(conn):
    version = pairs_from_info(conn.call("INFO", "server")).get("redis_version", "")
    if not version or int(version.split(".")[0]) < 7:
        raise Failure(f"Redis {version or '(unknown version)'} is too old: key-specs need Redis 7")
    docs = pairs(conn.call("COMMAND", "DOCS"))
    docs = {k.lower(): v for k, v in docs.items()}
    rows = {}
    for info in conn.call("COMMAND"):
        row = redis_row(info, docs)
        rows[row["name"]] = row
    return version, rows


def pairs_from_info(text):
    out = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            key, value = line.split(":", 1)
            out[key] = value.strip()
    return out


# ----------------------------------------------------------------------------------------------
# Merging our rules.

def needs_key_rule(row):
    """Why Redis's own description cannot find every name of this command, or None."""
    if "movablekeys" in row["flags"]:
        return "movablekeys"
    for spec in row["key_specs"]:
        if "incomplete" in spec["flags"]:
            return "an INCOMPLETE key-spec"
        if spec["begin"] == "unknown" or spec["find"] == "unknown":
            return "an unknown key-spec"
    if "pubsub" in row["flags"]:
        return "channel names (pubsub flag)"
    return None


def needs_policy(row):
    if "admin" in row["flags"]:
        return "the admin flag"
    if "@dangerous" in row["acl_categories"]:
        return "the @dangerous ACL category"
    return None


def custom_row(name, data, where, custom):
    unknown = set(data) - ROW_COLUMNS
    if unknown:
        raise Failure(f"{where}: unknown column(s) {sorted(unknown)}; allowed: {sorted(ROW_COLUMNS)}")
    if "arity" not in data:
        raise Failure(f"{where}: 'arity' is required")
    row = {
        "name": name, "arity": int(data["arity"]), "flags": list(data.get("flags", [])),
        "acl_categories": list(data.get("acl_categories", [])), "tips": list(data.get("tips", [])),
        "key_specs": [], "subcommands": {}, "custom": custom,
    }
    for i, spec in enumerate(data.get("key_specs", [])):
        row["key_specs"].append(custom_key_spec(spec, f"{where} key_specs[{i}]"))
    first, last, step, movable = legacy_range(row["key_specs"])
    row.update(first_key=first, last_key=last, key_step=step)
    if movable and "movablekeys" not in row["flags"]:
        row["flags"].append("movablekeys")
    for field in DOC_FIELDS:
        row[field] = data.get(field, "")
    for column in RULE_COLUMNS:
        if column in data:
            row[column] = data[column]
    return row


def custom_key_spec(spec, where):
    out = {"flags": list(spec.get("flags", [])), "notes": spec.get("notes", "")}
    if spec.get("begin") == "index":
        out.update(begin="index", index=int(spec["index"]))
    elif spec.get("begin") == "keyword":
        out.update(begin="keyword", keyword=spec["keyword"], startfrom=int(spec["startfrom"]))
    else:
        raise Failure(f"{where}: begin must be \"index\" or \"keyword\"")
    if spec.get("find") == "range":
        out.update(find="range", lastkey=int(spec.get("lastkey", 0)),
                   keystep=int(spec.get("keystep", 1)), limit=int(spec.get("limit", 0)))
    elif spec.get("find") == "keynum":
        out.update(find="keynum", keynumidx=int(spec.get("keynumidx", 0)),
                   firstkey=int(spec.get("firstkey", 1)), keystep=int(spec.get("keystep", 1)))
    else:
        raise Failure(f"{where}: find must be \"range\" or \"keynum\"")
    return out


def legacy_range(specs):
    """COMMAND INFO's first/last/step and whether the keys are movable, derived from the key-specs
    as Redis does for commands without a JSON file (populateCommandLegacyRangeSpec)."""
    if not specs:
        return 0, 0, 0, False
    if len(specs) == 1 and specs[0]["begin"] == "index" and specs[0]["find"] == "range":
        spec = specs[0]
        last = spec["lastkey"] if spec["lastkey"] < 0 else spec["index"] + spec["lastkey"]
        return spec["index"], last, spec["keystep"], "incomplete" in spec["flags"]
    movable, first, last, prev_last = False, None, 0, 0
    for spec in specs:
        if spec["begin"] != "index" or spec["find"] != "range":
            movable = True
            continue
        if spec["keystep"] != 1 or (prev_last and prev_last != spec["index"] - 1):
            movable = True
            continue
        movable = movable or "incomplete" in spec["flags"]
        first = spec["index"] if first is None else min(first, spec["index"])
        end = spec["lastkey"] + spec["index"] if spec["lastkey"] >= 0 else spec["lastkey"]
        last = max(last, end, key=lambda v: v % (1 << 32))  # Redis compares as unsigned
        prev_last = last
    if first is None:
        return 0, 0, 0, True
    return first, last, 1, movable


def apply_rules(rows, rules_doc):
    """Merges [commands], [extra] and [custom] into rows; returns the list of missing decisions."""
    unknown = set(rules_doc) - {"commands", "extra", "custom"}
    if unknown:
        raise Failure(f"rules file: unknown table(s) {sorted(unknown)}")
    for name, data in sorted(rules_doc.get("extra", {}).items()):
        container, _, sub = name.partition("|")
        row = custom_row(name, data, f"[extra.\"{name}\"]", custom=False)
        if sub:
            if container not in rows:
                raise Failure(f"[extra.\"{name}\"]: container '{container}' is not a Redis command")
            rows[container]["subcommands"].setdefault(name, row)
        else:
            rows.setdefault(name, row)
    for name, data in sorted(rules_doc.get("custom", {}).items()):
        if name in rows:
            raise Failure(f"[custom.{name}] clashes with Redis's own command '{name}'; give the "
                          "Redis row our columns in [commands] instead")
        if "policy" not in data:
            raise Failure(f"[custom.{name}]: 'policy' is required")
        rows[name] = custom_row(name, data, f"[custom.{name}]", custom=True)

    every = {}
    for name, row in rows.items():
        every[name] = row
        for subname, sub in row["subcommands"].items():
            every[subname] = sub
    for name, rule in sorted(rules_doc.get("commands", {}).items()):
        where = f"[commands] {name}"
        if name != name.lower():
            raise Failure(f"{where}: names are lower case")
        if name not in every:
            raise Failure(f"{where}: Redis reports no such command (a typo?). Declare a command "
                          "Redis does not have in [extra] or [custom]")
        unknown = set(rule) - RULE_COLUMNS
        if unknown:
            raise Failure(f"{where}: unknown column(s) {sorted(unknown)}; allowed: "
                          f"{sorted(RULE_COLUMNS)}")
        every[name].update(rule)
        every[name]["explicit"] = set(rule)

    missing = []
    for name in sorted(every):
        row = every[name]
        explicit = row.get("explicit", set()) | ({"policy", "key_rule"} if row["custom"] else set())
        if row["subcommands"]:
            row.setdefault("policy", "Refuse")
            row.setdefault("key_rule", "None")
            if not row.get("note") and row["policy"] == "Refuse":
                row["note"] = "container: reached only for an unknown subcommand"
        else:
            undecided = len(missing)
            why = needs_key_rule(row)
            if why and "key_rule" not in explicit:
                missing.append(f"{name}: {why} and no key_rule")
            why = needs_policy(row)
            if why and "policy" not in explicit:
                missing.append(f"{name}: {why} and no policy")
            if len(missing) > undecided:
                continue
        row.setdefault("policy", "Forward")
        row.setdefault("key_rule", "KeySpecs" if row["key_specs"] else "None")
        row.setdefault("reply_rule", "Raw")
        check_row(name, row)
    return missing


def check_row(name, row):
    def bad(column, value, allowed):
        raise Failure(f"{name}: {column} = {value!r} is not one of {sorted(allowed)}")
    if row["policy"] not in POLICIES:
        bad("policy", row["policy"], POLICIES)
    if row["key_rule"] not in KEY_RULES:
        bad("key_rule", row["key_rule"], KEY_RULES)
    if row["reply_rule"] not in REPLY_RULES:
        bad("reply_rule", row["reply_rule"], REPLY_RULES)
    if (row["key_rule"] == "Numkeys") != ("numkeys" in row):
        raise Failure(f"{name}: key_rule Numkeys and the numkeys column go together")
    if "numkeys" in row and row["numkeys"] not in NUMKEYS:
        bad("numkeys", row["numkeys"], NUMKEYS)
    if row["key_rule"] in ("KeySpecs", "Numkeys", "Custom"):
        if not row["key_specs"]:
            raise Failure(f"{name}: key_rule {row['key_rule']} needs key-specs and it has none")
        if row["key_rule"] != "Custom":
            for spec in row["key_specs"]:
                if spec["begin"] == "unknown" or spec["find"] == "unknown":
                    raise Failure(f"{name}: key_rule {row['key_rule']} with an unknown key-spec")
    if row["policy"] == "Script" and not row.get("script"):
        raise Failure(f"{name}: policy Script needs a script name")
    for flag in row["flags"]:
        if flag not in dict(FLAGS):
            raise Failure(f"{name}: unknown command flag '{flag}': add it to Flag in "
                          "resp/commands.h and FLAGS in this script")
    for cat in row["acl_categories"]:
        if cat not in dict(ACL_CATEGORIES):
            raise Failure(f"{name}: unknown ACL category '{cat}': add it to AclCategory in "
                          "resp/commands.h and ACL_CATEGORIES in this script")
    for spec in row["key_specs"]:
        for flag in spec["flags"]:
            if flag not in dict(KEY_SPEC_FLAGS):
                raise Failure(f"{name}: unknown key-spec flag '{flag}': add it to KeySpecFlag in "
                              "resp/commands.h and KEY_SPEC_FLAGS in this script")


# ----------------------------------------------------------------------------------------------
# Writing C++.

def cpp_string(text):
    out = ['"']
    for byte in text.encode():
        ch = chr(byte)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append("\\%03o" % byte)
    out.append('"')
    return "".join(out)


def ident(name):
    return re.sub(r"[^0-9a-zA-Z]", "_", name)


def bits(names, table):
    order = [n for n, _ in table]
    cpp = dict(table)
    chosen = sorted(set(names), key=order.index)
    return " | ".join(cpp[n] for n in chosen) if chosen else "0"


def render_key_spec(spec):
    fields = []
    if spec["begin"] == "index":
        fields += ["KeySpec::Begin::Index", f".index = {spec['index']}"]
    elif spec["begin"] == "keyword":
        fields += ["KeySpec::Begin::Keyword", f".keyword = {cpp_string(spec['keyword'])}",
                   f".startfrom = {spec['startfrom']}"]
    else:
        fields += ["KeySpec::Begin::Unknown"]
    fields[0] = ".begin = " + fields[0]
    if spec["find"] == "range":
        fields += [".find = KeySpec::Find::Range", f".lastkey = {spec['lastkey']}",
                   f".keystep = {spec['keystep']}", f".limit = {spec['limit']}"]
    elif spec["find"] == "keynum":
        fields += [".find = KeySpec::Find::Keynum", f".keystep = {spec['keystep']}",
                   f".keynumidx = {spec['keynumidx']}", f".firstkey = {spec['firstkey']}"]
    else:
        fields += [".find = KeySpec::Find::Unknown"]
    fields.append(f".flags = {bits(spec['flags'], KEY_SPEC_FLAGS)}")
    if spec["notes"]:
        fields.append(f".notes = {cpp_string(spec['notes'])}")
    return "{" + ", ".join(fields) + "}"


def render_row(row, out_defs, indent="    "):
    """Appends the definitions the row needs to out_defs; returns the row's initializer."""
    cid = ident(row["name"])
    specs_ref = tips_ref = subs_ref = None
    if row["key_specs"]:
        specs_ref = f"kKeySpecs_{cid}"
        lines = [f"constexpr KeySpec {specs_ref}[] = {{"]
        lines += [f"    {render_key_spec(s)}," for s in row["key_specs"]]
        lines.append("};")
        out_defs.append("\n".join(lines))
    if row["tips"]:
        tips_ref = f"kTips_{cid}"
        out_defs.append(f"constexpr std::string_view {tips_ref}[] = {{"
                        + ", ".join(cpp_string(t) for t in row["tips"]) + "};")
    if row["subcommands"]:
        subs_ref = f"kSubcommands_{cid}"
        inits = [render_row(row["subcommands"][n], out_defs) for n in sorted(row["subcommands"])]
        out_defs.append(f"constexpr Command {subs_ref}[] = {{\n" + "\n".join(inits) + "\n};")

    parts = [f".name = {cpp_string(row['name'])}", f".arity = {row['arity']}",
             f".flags = {bits(row['flags'], FLAGS)}"]
    if specs_ref:
        parts.append(f".key_specs = {specs_ref}")
    parts += [f".key_rule = KeyRule::{row['key_rule']}",
              f".reply_rule = ReplyRule::{row['reply_rule']}",
              f".policy = Policy::{row['policy']}"]
    if subs_ref:
        parts.append(f".subcommands = {subs_ref}")
    if row.get("script"):
        parts.append(f".script = {cpp_string(row['script'])}")
    if row["custom"]:
        parts.append(".custom = true")
    if "numkeys" in row:
        parts.append(f".numkeys_errors = NumkeysErrors::{row['numkeys']}")
    parts += [f".first_key = {row['first_key']}", f".last_key = {row['last_key']}",
              f".key_step = {row['key_step']}",
              f".acl_categories = {bits(row['acl_categories'], ACL_CATEGORIES)}"]
    if tips_ref:
        parts.append(f".tips = {tips_ref}")
    for field in DOC_FIELDS:
        if row.get(field):
            parts.append(f".{field} = {cpp_string(row[field])}")
    comment = f"{indent}// {row['name']}" + (f": {row['note']}" if row.get("note") else "")
    lines, line = [], indent + "{"
    for i, part in enumerate(parts):
        text = part + ("}," if i == len(parts) - 1 else ",")
        if len(line) + len(text) + 1 > 100 and line.strip() != "{":
            lines.append(line)
            line = indent + " " + text
        else:
            line += ("" if line.endswith("{") else " ") + text
    lines.append(line)
    return comment + "\n" + "\n".join(lines)


def render(version, rows):
    defs = []
    inits = [render_row(rows[name], defs) for name in sorted(rows)]
    names = [n for n in rows] + [s for r in rows.values() for s in r["subcommands"]]
    idents = {}
    for name in names:
        other = idents.setdefault(ident(name), name)
        if other != name:
            raise Failure(f"commands '{name}' and '{other}' map to the same C++ identifier")
    header = (
        "// Generated by tools/gen_command_table.py from redis-server "
        f"{version} (COMMAND, COMMAND DOCS)\n"
        "// and tools/command_rules.toml — do not edit. Change the rules file and regenerate:\n"
        "//   /usr/bin/python3 tools/gen_command_table.py\n"
        "// Included by resp/commands.cc inside namespace stdnet::cmd.\n"
        "// clang-format off\n")
    body = "\n\n".join(defs)
    table = "constexpr Command kCommands[] = {\n" + "\n".join(inits) + "\n};\n"
    return header + "\n" + body + "\n\n" + table + "// clang-format on\n"


# ----------------------------------------------------------------------------------------------

def generate(args):
    try:
        with open(args.rules, "rb") as f:
            rules = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise Failure(f"cannot read the rules file {args.rules}: {e}")
    server = None
    try:
        if args.port:
            conn = Redis(args.host, args.port)
        else:
            server = RedisServer(args.redis_server)
            conn = server.connect()
        try:
            version, rows = read_redis(conn)
        finally:
            conn.close()
    except OSError as e:
        raise Failure(f"cannot talk to Redis: {e}")
    finally:
        if server:
            server.stop()
    missing = apply_rules(rows, rules)
    if missing:
        raise Failure("Redis reports commands with no decision in "
                      f"{args.rules.relative_to(ROOT) if args.rules.is_relative_to(ROOT) else args.rules}"
                      " (see its header):\n  " + "\n  ".join(missing))
    return render(version, rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate and fail if the committed table differs")
    parser.add_argument("--port", type=int, help="ask the Redis on this port instead of starting one")
    parser.add_argument("--host", default="127.0.0.1", help="with --port (default 127.0.0.1)")
    parser.add_argument("--redis-server", default="redis-server", help="redis-server binary to start")
    parser.add_argument("--rules", type=pathlib.Path, default=DEFAULT_RULES)
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    try:
        text = generate(args)
    except Failure as e:
        print(f"gen_command_table: error: {e}", file=sys.stderr)
        return 1
    if args.check:
        with tempfile.NamedTemporaryFile("w", suffix=".inc", delete=False) as tmp:
            tmp.write(text)
        try:
            current = args.output.read_text()
        except OSError as e:
            print(f"gen_command_table: error: cannot read {args.output}: {e}", file=sys.stderr)
            return 1
        if current != text:
            diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(),
                                             str(args.output), tmp.name, lineterm="", n=1))
            shown = "\n".join(diff[:80]) + ("\n…" if len(diff) > 80 else "")
            print(f"{shown}\ngen_command_table: error: {args.output} is stale (regenerated: "
                  f"{tmp.name}). Run /usr/bin/python3 tools/gen_command_table.py and commit the "
                  "result.", file=sys.stderr)
            return 1
        pathlib.Path(tmp.name).unlink()
        print(f"gen_command_table: {args.output} is up to date")
        return 0
    args.output.write_text(text)
    print(f"gen_command_table: wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
