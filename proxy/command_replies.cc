// COMMAND replies from the command table, in Redis 7.0.15's format (src/server.c: COMMAND INFO,
// DOCS, LIST, COUNT, GETKEYS; src/db.c: key finding by key specs and by the getkeys procs).
#include "proxy/command_replies.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "resp/commands.h"
#include "resp/encode.h"

namespace stdnet::proxy {

using cmd::iequals;
namespace {

using cmd::Command;
using cmd::KeySpec;
using resp::Buffer;

// COMMAND INFO prints the command flags in this order (src/server.c addReplyFlagsForCommand).
// may_replicate, sentinel, only_sentinel and protected are hidden on purpose, as in Redis.
constexpr std::uint32_t kCommandFlagOrder[] = {
    cmd::kWrite,          cmd::kReadonly, cmd::kDenyoom,     cmd::kAdmin,     cmd::kPubsub,
    cmd::kNoscript,       cmd::kBlocking, cmd::kLoading,     cmd::kStale,     cmd::kSkipMonitor,
    cmd::kSkipSlowlog,    cmd::kAsking,   cmd::kFast,        cmd::kNoAuth,    cmd::kNoMandatoryKeys,
    cmd::kNoAsyncLoading, cmd::kNoMulti,  cmd::kMovableKeys, cmd::kAllowBusy,
};

// The help lines of COMMAND HELP, as Redis 7.0 prints them.
constexpr std::string_view kHelp[] = {
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}


// ---------------------------------------------------------------------------------------------
// Glob matching for COMMAND LIST FILTERBY PATTERN: Redis's stringmatchlen (util.c) semantics,
// case-insensitive: * ? [set] [^set] [a-z] and backslash escapes. `skip_longer` stops the search
// once a '*' could not match any longer suffix, so a pattern of many stars stays polynomial.

bool glob_match_impl(std::string_view p, std::string_view s, bool& skip_longer) {
  std::size_t pi = 0;
  std::size_t si = 0;
  while (pi < p.size() && si < s.size()) {
    switch (p[pi]) {
      case '*': {
        while (pi + 1 < p.size() && p[pi + 1] == '*') ++pi;
        if (pi + 1 == p.size()) return true;
        while (si < s.size()) {
          if (glob_match_impl(p.substr(pi + 1), s.substr(si), skip_longer)) return true;
          if (skip_longer) return false;
          ++si;
        }
        skip_longer = true;
        return false;
      }
      case '?':
        ++si;
        break;
      case '[': {
        ++pi;
        const bool negate = pi < p.size() && p[pi] == '^';
        if (negate) ++pi;
        bool match = false;
        const char c = lower(s[si]);
        while (true) {
          if (pi >= p.size()) {  // unterminated set: the last character closes it
            --pi;
            break;
          }
          if (p[pi] == '\\' && p.size() - pi >= 2) {
            ++pi;
            if (p[pi] == s[si]) match = true;
          } else if (p[pi] == ']') {
            break;
          } else if (p.size() - pi >= 3 && p[pi + 1] == '-') {
            char start = lower(p[pi]);
            char end = lower(p[pi + 2]);
            if (start > end) std::swap(start, end);
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (lower(p[pi]) == c) {
            match = true;
          }
          ++pi;
        }
        if (negate) match = !match;
        if (!match) return false;
        ++si;
        break;
      }
      case '\\':
        if (p.size() - pi >= 2) ++pi;
        [[fallthrough]];
      default:
        if (lower(p[pi]) != lower(s[si])) return false;
        ++si;
        break;
    }
    ++pi;
    if (si == s.size()) {
      while (pi < p.size() && p[pi] == '*') ++pi;
      break;
    }
  }
  return pi == p.size() && si == s.size();
}

bool glob_match(std::string_view pattern, std::string_view text) {
  bool skip_longer = false;
  return glob_match_impl(pattern, text, skip_longer);
}

// ---------------------------------------------------------------------------------------------
// Encoding.

std::size_t bit_index(std::uint32_t bit) {
  return static_cast<std::size_t>(std::countr_zero(bit));
}

// A set of status replies: the names of the `bits` set in `flags`, in `order`.
template <std::size_t N>
void append_flag_set(Buffer& out, std::uint32_t flags, const std::uint32_t (&order)[N],
                     std::span<const std::string_view> names, int protocol) {
  std::int64_t count = 0;
  for (std::uint32_t bit : order) {
    if ((flags & bit) != 0 && bit_index(bit) < names.size()) ++count;
  }
  resp::append_set_header(out, count, protocol);
  for (std::uint32_t bit : order) {
    if ((flags & bit) != 0 && bit_index(bit) < names.size()) {
      resp::append_simple(out, names[bit_index(bit)]);
    }
  }
}

// A set of status replies: the names of every bit of `flags`, in bit order.
void append_bit_set(Buffer& out, std::uint32_t flags, std::span<const std::string_view> names,
                    int protocol) {
  std::int64_t count = 0;
  for (std::size_t i = 0; i < names.size() && i < 32; ++i) {
    if ((flags >> i) & 1u) ++count;
  }
  resp::append_set_header(out, count, protocol);
  for (std::size_t i = 0; i < names.size() && i < 32; ++i) {
    if ((flags >> i) & 1u) resp::append_simple(out, names[i]);
  }
}

void append_command_flags(Buffer& out, const Command& c, int protocol) {
  append_flag_set(out, c.flags, kCommandFlagOrder, cmd::flag_names(), protocol);
}

void append_key_spec_flags(Buffer& out, std::uint32_t flags, int protocol) {
  append_bit_set(out, flags, cmd::key_spec_flag_names(), protocol);
}

void append_key_spec(Buffer& out, const KeySpec& spec, int protocol) {
  resp::append_map_header(out, spec.notes.empty() ? 3 : 4, protocol);
  if (!spec.notes.empty()) {
    resp::append_bulk(out, "notes");
    resp::append_bulk(out, spec.notes);
  }
  resp::append_bulk(out, "flags");
  append_key_spec_flags(out, spec.flags, protocol);

  resp::append_bulk(out, "begin_search");
  resp::append_map_header(out, 2, protocol);
  resp::append_bulk(out, "type");
  switch (spec.begin) {
    case KeySpec::Begin::Index:
      resp::append_bulk(out, "index");
      resp::append_bulk(out, "spec");
      resp::append_map_header(out, 1, protocol);
      resp::append_bulk(out, "index");
      resp::append_integer(out, spec.index);
      break;
    case KeySpec::Begin::Keyword:
      resp::append_bulk(out, "keyword");
      resp::append_bulk(out, "spec");
      resp::append_map_header(out, 2, protocol);
      resp::append_bulk(out, "keyword");
      resp::append_bulk(out, spec.keyword);
      resp::append_bulk(out, "startfrom");
      resp::append_integer(out, spec.startfrom);
      break;
    case KeySpec::Begin::Unknown:
      resp::append_bulk(out, "unknown");
      resp::append_bulk(out, "spec");
      resp::append_map_header(out, 0, protocol);
      break;
  }

  resp::append_bulk(out, "find_keys");
  resp::append_map_header(out, 2, protocol);
  resp::append_bulk(out, "type");
  switch (spec.find) {
    case KeySpec::Find::Range:
      resp::append_bulk(out, "range");
      resp::append_bulk(out, "spec");
      resp::append_map_header(out, 3, protocol);
      resp::append_bulk(out, "lastkey");
      resp::append_integer(out, spec.lastkey);
      resp::append_bulk(out, "keystep");
      resp::append_integer(out, spec.keystep);
      resp::append_bulk(out, "limit");
      resp::append_integer(out, spec.limit);
      break;
    case KeySpec::Find::Keynum:
      resp::append_bulk(out, "keynum");
      resp::append_bulk(out, "spec");
      resp::append_map_header(out, 3, protocol);
      resp::append_bulk(out, "keynumidx");
      resp::append_integer(out, spec.keynumidx);
      resp::append_bulk(out, "firstkey");
      resp::append_integer(out, spec.firstkey);
      resp::append_bulk(out, "keystep");
      resp::append_integer(out, spec.keystep);
      break;
    case KeySpec::Find::Unknown:
      resp::append_bulk(out, "unknown");
      resp::append_bulk(out, "spec");
      resp::append_map_header(out, 0, protocol);
      break;
  }
}

// One COMMAND INFO entry (src/server.c addReplyCommandInfo).
void append_info(Buffer& out, const Command& c, int protocol) {
  resp::append_array_header(out, 10);
  resp::append_bulk(out, c.name);
  resp::append_integer(out, c.arity);
  append_command_flags(out, c, protocol);
  resp::append_integer(out, c.first_key);
  resp::append_integer(out, c.last_key);
  resp::append_integer(out, c.key_step);
  append_bit_set(out, c.acl_categories, cmd::acl_category_names(), protocol);
  resp::append_set_header(out, static_cast<std::int64_t>(c.tips.size()), protocol);
  for (std::string_view tip : c.tips) resp::append_bulk(out, tip);
  resp::append_set_header(out, static_cast<std::int64_t>(c.key_specs.size()), protocol);
  for (const KeySpec& spec : c.key_specs) append_key_spec(out, spec, protocol);
  if (c.subcommands.empty()) {
    resp::append_set_header(out, 0, protocol);
  } else {
    resp::append_array_header(out, static_cast<std::int64_t>(c.subcommands.size()));
    for (const Command& sub : c.subcommands) append_info(out, sub, protocol);
  }
}

// One COMMAND DOCS entry (src/server.c addReplyCommandDocs), with what the table has.
void append_docs(Buffer& out, const Command& c, int protocol) {
  const bool deprecated = !c.deprecated_since.empty();
  std::int64_t pairs = 1;  // group
  if (!c.summary.empty()) ++pairs;
  if (!c.since.empty()) ++pairs;
  if (!c.complexity.empty()) ++pairs;
  if (deprecated) ++pairs;  // doc_flags
  if (!c.deprecated_since.empty()) ++pairs;
  if (!c.replaced_by.empty()) ++pairs;
  if (!c.subcommands.empty()) ++pairs;
  resp::append_map_header(out, pairs, protocol);
  if (!c.summary.empty()) {
    resp::append_bulk(out, "summary");
    resp::append_bulk(out, c.summary);
  }
  if (!c.since.empty()) {
    resp::append_bulk(out, "since");
    resp::append_bulk(out, c.since);
  }
  resp::append_bulk(out, "group");
  resp::append_bulk(out, c.group);
  if (!c.complexity.empty()) {
    resp::append_bulk(out, "complexity");
    resp::append_bulk(out, c.complexity);
  }
  if (deprecated) {
    resp::append_bulk(out, "doc_flags");
    resp::append_set_header(out, 1, protocol);
    resp::append_simple(out, "deprecated");
  }
  if (!c.deprecated_since.empty()) {
    resp::append_bulk(out, "deprecated_since");
    resp::append_bulk(out, c.deprecated_since);
  }
  if (!c.replaced_by.empty()) {
    resp::append_bulk(out, "replaced_by");
    resp::append_bulk(out, c.replaced_by);
  }
  if (!c.subcommands.empty()) {
    resp::append_bulk(out, "subcommands");
    resp::append_map_header(out, static_cast<std::int64_t>(c.subcommands.size()), protocol);
    for (const Command& sub : c.subcommands) {
      resp::append_bulk(out, sub.name);
      append_docs(out, sub, protocol);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Subcommands.

void reply_info_all(Buffer& out, int protocol) {
  const auto all = cmd::all_commands();
  resp::append_array_header(out, static_cast<std::int64_t>(all.size()));
  for (const Command& c : all) append_info(out, c, protocol);
}

void reply_info(Buffer& out, std::span<const std::string_view> names, int protocol) {
  if (names.empty()) return reply_info_all(out, protocol);
  resp::append_array_header(out, static_cast<std::int64_t>(names.size()));
  for (std::string_view name : names) {
    const Command* c = cmd::lookup_name(name);
    if (c == nullptr) {
      resp::append_null(out, protocol);
    } else {
      append_info(out, *c, protocol);
    }
  }
}

void reply_docs(Buffer& out, std::span<const std::string_view> names, int protocol) {
  if (names.empty()) {
    const auto all = cmd::all_commands();
    resp::append_map_header(out, static_cast<std::int64_t>(all.size()), protocol);
    for (const Command& c : all) {
      resp::append_bulk(out, c.name);
      append_docs(out, c, protocol);
    }
    return;
  }
  std::vector<const Command*> found;
  for (std::string_view name : names) {
    if (const Command* c = cmd::lookup_name(name)) found.push_back(c);
  }
  resp::append_map_header(out, static_cast<std::int64_t>(found.size()), protocol);
  for (const Command* c : found) {
    resp::append_bulk(out, c->name);
    append_docs(out, *c, protocol);
  }
}

enum class ListFilter { None, Module, AclCat, Pattern };

struct ListQuery {
  ListFilter type = ListFilter::None;
  std::string_view arg;
  std::uint32_t acl = 0;  // AclCat: the category bit (0: unknown category, nothing matches)
};

bool list_includes(const Command& c, const ListQuery& q) {
  switch (q.type) {
    case ListFilter::None:
      return true;
    case ListFilter::Module:
      return false;  // no modules here
    case ListFilter::AclCat:
      return q.acl != 0 && (c.acl_categories & q.acl) != 0;
    case ListFilter::Pattern:
      return glob_match(q.arg, c.name);
  }
  return false;
}

void collect_list(std::span<const Command> table, const ListQuery& q,
                  std::vector<std::string_view>& names) {
  for (const Command& c : table) {
    if (list_includes(c, q)) names.push_back(c.name);
    if (!c.subcommands.empty()) collect_list(c.subcommands, q, names);
  }
}

// COMMAND LIST [FILTERBY MODULE m | ACLCAT c | PATTERN p] (src/server.c commandListCommand).
void reply_list(Buffer& out, std::span<const std::string_view> options) {
  ListQuery q;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const std::size_t more = options.size() - 1 - i;
    if (iequals(options[i], "filterby") && more == 2) {
      const std::string_view type = options[i + 1];
      if (iequals(type, "module")) {
        q.type = ListFilter::Module;
      } else if (iequals(type, "aclcat")) {
        q.type = ListFilter::AclCat;
      } else if (iequals(type, "pattern")) {
        q.type = ListFilter::Pattern;
      } else {
        resp::append_error(out, "ERR syntax error");
        return;
      }
      q.arg = options[i + 2];
      i += 2;
    } else {
      resp::append_error(out, "ERR syntax error");
      return;
    }
  }
  if (q.type == ListFilter::AclCat) {
    // Redis matches the category name without '@', case-insensitively.
    const auto names = cmd::acl_category_names();
    for (std::size_t i = 0; i < names.size() && i < 32; ++i) {
      std::string_view name = names[i];
      if (!name.empty() && name.front() == '@') name.remove_prefix(1);
      if (iequals(name, q.arg)) q.acl = 1u << i;
    }
  }
  std::vector<std::string_view> names;
  collect_list(cmd::all_commands(), q, names);
  resp::append_array_header(out, static_cast<std::int64_t>(names.size()));
  for (std::string_view name : names) resp::append_bulk(out, name);
}

// ---------------------------------------------------------------------------------------------
// GETKEYS / GETKEYSANDFLAGS (src/db.c getKeysFromCommandWithSpecs and the getkeys procs).

struct KeyAt {
  std::size_t pos = 0;
  std::uint32_t flags = 0;  // KeySpecFlag bits
};

// Redis's string2ll via the table's strict parser.
bool strict_int(std::string_view text, long long& value) {
  std::int64_t v = 0;
  if (!cmd::parse_strict_int64(text, v)) return false;
  value = static_cast<long long>(v);
  return true;
}

// C's atoi as Redis's genericGetKeys uses it: leading white space, optional sign, digits up to
// the first non-digit; 0 when there are none. Stops growing past INT_MAX (where atoi's result
// is undefined), which every caller treats as too many keys.
long long c_atoi(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  long long value = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (value > std::numeric_limits<int>::max()) break;
    value = value * 10 + (text[i] - '0');
  }
  return negative ? -value : value;
}

// Keys found by the key specs (src/db.c getKeysUsingKeySpecs). Returns false where Redis returns
// -1 (an unknown or incomplete spec, an invalid numkeys or range), unless `partial`: then such
// specs are skipped and the keys of the others kept.
bool keys_from_specs(const Command& c, std::span<const std::string_view> args, bool partial,
                     std::vector<KeyAt>& keys) {
  const long long argc = static_cast<long long>(args.size());
  for (const KeySpec& spec : c.key_specs) {
    if ((spec.flags & cmd::kKsNotKey) != 0) continue;
    bool valid = true;
    long long first = 0;
    long long last = 0;
    long long step = 1;
    if (spec.begin == KeySpec::Begin::Index) {
      first = spec.index;
    } else if (spec.begin == KeySpec::Begin::Keyword) {
      // From startfrom towards the end (or, when negative, from the end towards the start); the
      // last argument (resp. argument 1) is never looked at, as in Redis.
      const long long start = spec.startfrom > 0 ? spec.startfrom : argc + spec.startfrom;
      const long long end = spec.startfrom > 0 ? argc - 1 : 1;
      for (long long i = start; i != end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (iequals(args[static_cast<std::size_t>(i)], spec.keyword)) {
          first = i + 1;
          break;
        }
      }
      if (first == 0) continue;  // keyword not found: the spec finds nothing
    } else {
      valid = false;
    }

    if (valid && spec.find == KeySpec::Find::Range) {
      step = spec.keystep;
      if (spec.lastkey >= 0) {
        last = first + spec.lastkey;
      } else if (spec.limit == 0) {
        last = argc + spec.lastkey;
      } else {
        last = first + ((argc - first) / spec.limit + spec.lastkey);
      }
    } else if (valid && spec.find == KeySpec::Find::Keynum) {
      step = spec.keystep;
      long long numkeys = 0;
      const long long at = first + spec.keynumidx;
      if (at >= argc || at < 0 || !strict_int(args[static_cast<std::size_t>(at)], numkeys) ||
          numkeys < 0 || numkeys > argc) {
        valid = false;
      } else {
        first += spec.firstkey;
        last = first + numkeys - 1;
      }
    } else {
      valid = false;
    }

    if (valid && (last >= argc || last < first || first >= argc || step <= 0)) valid = false;
    if (valid) {
      for (long long i = first; i <= last; i += step) {
        keys.push_back({static_cast<std::size_t>(i), spec.flags});
      }
      if ((spec.flags & cmd::kKsIncomplete) != 0) valid = false;
    }
    if (!valid && !partial) {
      keys.clear();
      return false;
    }
  }
  return true;
}

// Redis's genericGetKeys for the numkeys family (ZUNIONSTORE, EVAL, LMPOP, …), used when the
// keynum spec is invalid: numkeys read with atoi, the destination key (if any) last, no flags.
void keys_generic(const Command& c, std::span<const std::string_view> args,
                  std::vector<KeyAt>& keys) {
  long long store = 0;
  long long count_at = -1;
  long long first = 0;
  for (const KeySpec& spec : c.key_specs) {
    if (spec.begin != KeySpec::Begin::Index) continue;
    if (spec.find == KeySpec::Find::Keynum && count_at < 0) {
      count_at = spec.index + spec.keynumidx;
      first = spec.index + spec.firstkey;
    } else if (spec.find == KeySpec::Find::Range && spec.lastkey == 0 && count_at < 0 &&
               store == 0) {
      store = spec.index;
    }
  }
  const long long argc = static_cast<long long>(args.size());
  if (count_at < 0 || count_at >= argc) return;
  const long long num = c_atoi(args[static_cast<std::size_t>(count_at)]);
  if (num < 1 || num > argc - first) return;
  for (long long i = 0; i < num; ++i) keys.push_back({static_cast<std::size_t>(first + i), 0});
  if (store != 0) keys.push_back({static_cast<std::size_t>(store), 0});
}

// Redis's sortGetKeys: the sorted key, and the key of the last STORE option (LIMIT skips two
// arguments, GET and BY one; the argument after STORE is looked at as an option too).
void keys_sort(std::span<const std::string_view> args, std::vector<KeyAt>& keys) {
  keys.push_back({1, cmd::kKsRO | cmd::kKsAccess});
  std::size_t store = 0;
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (iequals(args[i], "limit")) {
      i += 2;
    } else if (iequals(args[i], "store") && i + 1 < args.size()) {
      store = i + 1;
    } else if (iequals(args[i], "get") || iequals(args[i], "by")) {
      i += 1;
    }
  }
  if (store != 0) keys.push_back({store, cmd::kKsOW | cmd::kKsUpdate});
}

// Redis's migrateGetKeys: the key at 3, or with KEYS (and an empty key at 3) the keys after it.
void keys_migrate(std::span<const std::string_view> args, std::vector<KeyAt>& keys) {
  std::size_t first = 3;
  std::size_t num = 1;
  if (args.size() > 6) {
    for (std::size_t i = 6; i < args.size(); ++i) {
      if (iequals(args[i], "keys")) {
        if (!args[3].empty()) {
          num = 0;  // a syntax error MIGRATE itself reports
        } else {
          first = i + 1;
          num = args.size() - first;
        }
        break;
      }
      if (iequals(args[i], "auth")) {
        i += 1;
      } else if (iequals(args[i], "auth2")) {
        i += 2;
      }
    }
  }
  for (std::size_t i = 0; i < num && first + i < args.size(); ++i) {
    keys.push_back({first + i, cmd::kKsRW | cmd::kKsAccess | cmd::kKsDelete});
  }
}

// The positions cmd::find_keys names as keys, each with the flags of the first key spec that
// finds it (0 when none does).
bool keys_from_finder(const Command& c, std::span<const std::string_view> args,
                      std::vector<KeyAt>& keys) {
  cmd::KeyRefs refs;
  if (!cmd::find_keys(c, args, refs)) return false;
  std::vector<KeyAt> by_spec;
  keys_from_specs(c, args, /*partial=*/true, by_spec);
  for (std::size_t pos : refs.key_positions()) {
    std::uint32_t flags = 0;
    for (const KeyAt& k : by_spec) {
      if (k.pos == pos) {
        flags = k.flags;
        break;
      }
    }
    keys.push_back({pos, flags});
  }
  return true;
}

bool has_keyspec_flag(const Command& c, std::uint32_t flag) {
  for (const KeySpec& spec : c.key_specs) {
    if ((spec.flags & flag) != 0) return true;
  }
  return false;
}

// Redis's doesCommandHaveKeys: some key spec names real keys.
bool has_keys(const Command& c) {
  for (const KeySpec& spec : c.key_specs) {
    if ((spec.flags & cmd::kKsNotKey) == 0) return true;
  }
  return false;
}

// The keys of a request (args[0] the command), in Redis's order, with their flags.
void find_request_keys(const Command& c, std::span<const std::string_view> args,
                       std::vector<KeyAt>& keys) {
  if (c.custom) {
    // Only the table's finder knows the custom commands' arguments.
    if (!keys_from_finder(c, args, keys)) keys.clear();
    return;
  }
  if (!has_keyspec_flag(c, cmd::kKsVariableFlags)) {
    if (keys_from_specs(c, args, /*partial=*/false, keys)) return;
  }
  keys.clear();
  // The command's own key finder (src/db.c *GetKeys), as Redis falls back to it.
  if (c.name == "set") {
    // SET key value … GET: read and written; otherwise overwritten.
    std::uint32_t flags = cmd::kKsOW | cmd::kKsUpdate;
    for (std::size_t i = 3; i < args.size(); ++i) {
      if (iequals(args[i], "get")) {
        flags = cmd::kKsRW | cmd::kKsAccess | cmd::kKsUpdate;
        break;
      }
    }
    keys.push_back({1, flags});
    return;
  }
  if (c.name == "bitfield") {
    // Read-only when made of GET (and OVERFLOW) operations only.
    bool readonly = true;
    for (std::size_t i = 2; i < args.size(); ++i) {
      const std::size_t remaining = args.size() - i - 1;
      if (iequals(args[i], "get") && remaining >= 2) {
        i += 2;
      } else if ((iequals(args[i], "set") || iequals(args[i], "incrby")) && remaining >= 3) {
        readonly = false;
        break;
      } else if (iequals(args[i], "overflow") && remaining >= 1) {
        i += 1;
      } else {
        readonly = false;
        break;
      }
    }
    keys.push_back(
        {1, readonly ? cmd::kKsRO | cmd::kKsAccess : cmd::kKsRW | cmd::kKsAccess | cmd::kKsUpdate});
    return;
  }
  if (c.name == "sort") return keys_sort(args, keys);
  if (c.name == "sort_ro") {
    keys.push_back({1, cmd::kKsRO | cmd::kKsAccess});
    return;
  }
  if (c.name == "migrate") return keys_migrate(args, keys);
  for (const KeySpec& spec : c.key_specs) {
    if (spec.find == KeySpec::Find::Keynum) return keys_generic(c, args, keys);
  }
  if (!keys_from_finder(c, args, keys)) keys.clear();
}

// COMMAND GETKEYS|GETKEYSANDFLAGS <command> <arg>… (src/server.c getKeysSubcommandImpl).
void reply_getkeys(Buffer& out, std::span<const std::string_view> request, bool with_flags,
                   int protocol) {
  const Command* c = cmd::lookup(request);
  if (c == nullptr || (cmd::is_container(*c) && request.size() >= 2)) {
    resp::append_error(out, "ERR Invalid command specified");
    return;
  }
  if (!has_keys(*c)) {
    resp::append_error(out, "ERR The command has no key arguments");
    return;
  }
  if (!cmd::arity_ok(*c, request.size())) {
    resp::append_error(out, "ERR Invalid number of arguments specified for command");
    return;
  }
  std::vector<KeyAt> keys;
  find_request_keys(*c, request, keys);
  if (keys.empty()) {
    if ((c->flags & cmd::kNoMandatoryKeys) != 0) {
      resp::append_array_header(out, 0);
    } else {
      resp::append_error(out, "ERR Invalid arguments specified for command");
    }
    return;
  }
  resp::append_array_header(out, static_cast<std::int64_t>(keys.size()));
  for (const KeyAt& k : keys) {
    if (with_flags) {
      resp::append_array_header(out, 2);
      resp::append_bulk(out, request[k.pos]);
      append_key_spec_flags(out, k.flags, protocol);
    } else {
      resp::append_bulk(out, request[k.pos]);
    }
  }
}

void reply_help(Buffer& out) {
  resp::append_array_header(out, static_cast<std::int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) resp::append_simple(out, line);
}

// "ERR unknown subcommand '<sub>'. Try COMMAND HELP." as Redis formats it: the subcommand cut at
// 128 characters (and at a NUL), CR and LF turned into spaces.
void reply_unknown_subcommand(Buffer& out, std::string_view command, std::string_view sub) {
  const std::size_t nul = sub.find('\0');
  if (nul != std::string_view::npos) sub = sub.substr(0, nul);
  if (sub.size() > 128) sub = sub.substr(0, 128);
  std::string message = "ERR unknown subcommand '";
  message.append(sub);
  message.append("'. Try ");
  for (char ch : command) message.push_back(upper(ch));
  message.append(" HELP.");
  for (char& ch : message) {
    if (ch == '\r' || ch == '\n') ch = ' ';
  }
  resp::append_error(out, message);
}

}  // namespace

std::string command_reply(std::span<const std::string_view> args, int protocol) {
  if (protocol != 3) protocol = 2;
  Buffer out;
  if (args.size() <= 1) {
    reply_info_all(out, protocol);
    return out;
  }
  const Command* row = cmd::lookup(args.first(2));
  if (row == nullptr || cmd::is_container(*row)) {
    reply_unknown_subcommand(out, args[0], args[1]);
    return out;
  }
  if (!cmd::arity_ok(*row, args.size())) {
    std::string message = "ERR wrong number of arguments for '";
    message.append(row->name);
    message.append("' command");
    resp::append_error(out, message);
    return out;
  }
  const std::string_view sub = row->name.substr(row->name.find('|') + 1);
  const auto rest = args.subspan(2);
  if (sub == "info") {
    reply_info(out, rest, protocol);
  } else if (sub == "docs") {
    reply_docs(out, rest, protocol);
  } else if (sub == "count") {
    resp::append_integer(out, static_cast<std::int64_t>(cmd::all_commands().size()));
  } else if (sub == "list") {
    reply_list(out, rest);
  } else if (sub == "getkeys") {
    reply_getkeys(out, rest, /*with_flags=*/false, protocol);
  } else if (sub == "getkeysandflags") {
    reply_getkeys(out, rest, /*with_flags=*/true, protocol);
  } else if (sub == "help") {
    reply_help(out);
  } else {
    reply_unknown_subcommand(out, args[0], args[1]);
  }
  return out;
}

}  // namespace stdnet::proxy
