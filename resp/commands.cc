// The command table (generated: resp/commands_table.inc), its lookup, and the key finder.
#include "resp/commands.h"

#include <algorithm>
#include <array>
#include <limits>

namespace stdnet::cmd {
namespace {

// The generated rows name only the fields that differ from Command's defaults.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "resp/commands_table.inc"
#pragma GCC diagnostic pop

constexpr std::string_view kFlagNames[] = {
    "write",
    "readonly",
    "denyoom",
    "admin",
    "pubsub",
    "noscript",
    "blocking",
    "loading",
    "stale",
    "skip_monitor",
    "skip_slowlog",
    "fast",
    "no_auth",
    "may_replicate",
    "no_mandatory_keys",
    "movablekeys",
    "no_multi",
    "allow_busy",
    "no_async_loading",
    "only_sentinel",
    "sentinel",
    "protected",
    "asking",
};
constexpr std::string_view kAclCategoryNames[] = {
    "@keyspace",   "@read",        "@write",     "@set",         "@sortedset", "@list",
    "@hash",       "@string",      "@bitmap",    "@hyperloglog", "@geo",       "@stream",
    "@pubsub",     "@admin",       "@fast",      "@slow",        "@blocking",  "@dangerous",
    "@connection", "@transaction", "@scripting",
};
constexpr std::string_view kKeySpecFlagNames[] = {
    "RO",     "RW",     "OW",      "RM",         "access",         "update",
    "insert", "delete", "not_key", "incomplete", "variable_flags",
};

// Longest name lookup() lower-cases on the stack; longer names are unknown commands.
constexpr std::size_t kMaxName = 48;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Lower-cases `name` into `buf`; false when it does not fit.
bool to_lower(std::string_view name, char (&buf)[kMaxName], std::string_view& out) {
  if (name.size() > kMaxName) return false;
  for (std::size_t i = 0; i < name.size(); ++i) buf[i] = lower(name[i]);
  out = std::string_view(buf, name.size());
  return true;
}

// Binary search in a sorted table; `skip` characters of every row name are ignored (the
// "container|" part of subcommand names).
const Command* find_row(std::span<const Command> table, std::string_view lowered,
                        std::size_t skip) {
  auto it = std::lower_bound(
      table.begin(), table.end(), lowered,
      [skip](const Command& c, std::string_view key) { return c.name.substr(skip) < key; });
  if (it == table.end() || it->name.substr(skip) != lowered) return nullptr;
  return &*it;
}

// The top-level rows by (lower-case) name, in an open-addressing table with a cheap hash: one
// hash and usually one comparison per request. Built on first use, read-only afterwards.
class TopIndex {
 public:
  TopIndex() {
    static_assert(std::size(kCommands) * 4 <= kSlots, "grow kSlots");
    for (const Command& c : kCommands) {
      std::size_t i = hash(c.name) & (kSlots - 1);
      while (slots_[i] != nullptr) i = (i + 1) & (kSlots - 1);
      slots_[i] = &c;
    }
  }
  const Command* find(std::string_view lowered) const {
    for (std::size_t i = hash(lowered) & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
      const Command* c = slots_[i];
      if (c == nullptr || c->name == lowered) return c;
    }
  }

 private:
  static constexpr std::size_t kSlots = 1024;
  static std::uint32_t hash(std::string_view name) {  // FNV-1a
    std::uint32_t h = 2166136261u;
    for (char ch : name) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
    return h;
  }
  std::array<const Command*, kSlots> slots_{};
};

const Command* find_top(std::string_view lowered) {
  static const TopIndex index;
  return index.find(lowered);
}

const Command* find_sub(const Command& container, std::string_view sub) {
  char buf[kMaxName];
  std::string_view lowered;
  if (!to_lower(sub, buf, lowered)) return nullptr;
  return find_row(container.subcommands, lowered, container.name.size() + 1);
}

bool fail(KeyRefs& out, std::string_view message) {
  out.error.assign(message);
  return false;
}

bool fail_arity(const Command& c, KeyRefs& out) {
  out.error.assign("ERR wrong number of arguments for '");
  out.error.append(c.name).append("' command");
  return false;
}

// ---- key-specs (Redis src/db.c getKeysUsingKeySpecs), strict about numkeys.

// Checks numkeys the way the command itself does, with its error texts.
bool check_numkeys(const Command& c, std::string_view text, std::size_t numidx, std::size_t argc,
                   std::int64_t& numkeys, KeyRefs& out) {
  const bool parsed = parse_strict_int64(text, numkeys);
  // Arguments after numkeys: the most keys there can be.
  const auto room = static_cast<std::int64_t>(argc - numidx - 1);
  switch (c.numkeys_errors) {
    case NumkeysErrors::Script:
    case NumkeysErrors::Function:
      if (!parsed) {
        return fail(out, c.numkeys_errors == NumkeysErrors::Script
                             ? "ERR value is not an integer or out of range"
                             : "ERR Bad number of keys provided");
      }
      if (numkeys > room)
        return fail(out, "ERR Number of keys can't be greater than number of args");
      if (numkeys < 0) return fail(out, "ERR Number of keys can't be negative");
      return true;
    case NumkeysErrors::Zset:
      if (!parsed) return fail(out, "ERR value is not an integer or out of range");
      if (numkeys < 1) {
        out.error.assign("ERR at least 1 input key is needed for '");
        out.error.append(c.name).append("' command");
        return false;
      }
      if (numkeys > room) return fail(out, "ERR syntax error");
      return true;
    case NumkeysErrors::SetCard:
      if (!parsed || numkeys < 1) return fail(out, "ERR numkeys should be greater than 0");
      if (numkeys > room)
        return fail(out, "ERR Number of keys can't be greater than number of args");
      return true;
    case NumkeysErrors::MPop:
      if (!parsed || numkeys < 1) return fail(out, "ERR numkeys should be greater than 0");
      // The LEFT|RIGHT / MIN|MAX argument must follow the keys.
      if (numkeys >= room) return fail(out, "ERR syntax error");
      return true;
  }
  return fail(out, "ERR syntax error");
}

bool walk_key_specs(const Command& c, std::span<const std::string_view> args, KeyRefs& out) {
  const auto argc = static_cast<std::int64_t>(args.size());
  for (const KeySpec& spec : c.key_specs) {
    if (spec.flags & kKsNotKey) continue;  // a channel posing as a key for cluster routing
    std::int64_t first = 0;
    switch (spec.begin) {
      case KeySpec::Begin::Index:
        first = spec.index;
        break;
      case KeySpec::Begin::Keyword: {
        const std::int64_t start = spec.startfrom > 0 ? spec.startfrom : argc + spec.startfrom;
        const std::int64_t end = spec.startfrom > 0 ? argc - 1 : 1;
        for (std::int64_t i = start; i != end; i += start <= end ? 1 : -1) {
          if (i >= argc || i < 1) break;
          if (iequals(args[static_cast<std::size_t>(i)], spec.keyword)) {
            first = i + 1;
            break;
          }
        }
        if (first == 0) continue;  // keyword absent: no keys from this spec
        break;
      }
      case KeySpec::Begin::Unknown:
        out.error.assign("ERR stdnet: cannot find the keys of '");
        out.error.append(c.name).append("'");
        return false;
    }
    std::int64_t last = 0;
    std::int64_t step = spec.keystep > 0 ? spec.keystep : 1;
    switch (spec.find) {
      case KeySpec::Find::Range:
        if (spec.lastkey >= 0) {
          last = first + spec.lastkey;
        } else if (spec.limit == 0) {
          last = argc + spec.lastkey;
        } else {
          last = first + ((argc - first) / spec.limit + spec.lastkey);
        }
        // Positions past the end hold no key (e.g. PFMERGE dest): only existing arguments count.
        last = std::min(last, argc - 1);
        break;
      case KeySpec::Find::Keynum: {
        const std::int64_t numidx = first + spec.keynumidx;
        if (numidx >= argc) return fail_arity(c, out);
        std::int64_t numkeys = 0;
        if (!check_numkeys(c, args[static_cast<std::size_t>(numidx)],
                           static_cast<std::size_t>(numidx), args.size(), numkeys, out)) {
          return false;
        }
        first += spec.firstkey;
        last = first + numkeys - 1;
        if (numkeys > 0 && last >= argc) return fail_arity(c, out);
        break;
      }
      case KeySpec::Find::Unknown:
        out.error.assign("ERR stdnet: cannot find the keys of '");
        out.error.append(c.name).append("'");
        return false;
    }
    if (first < argc && last >= first) {
      out.add(static_cast<std::size_t>(first), static_cast<std::size_t>(last),
              static_cast<std::size_t>(step), NameKind::Key);
    }
  }
  return true;
}

// ---- command-specific parsers: the same option loops as the Redis commands.

bool find_sort(const Command& c, std::span<const std::string_view> args, KeyRefs& out) {
  const bool readonly = c.name == "sort_ro";
  out.add(1, NameKind::Key);
  const std::size_t argc = args.size();
  for (std::size_t j = 2; j < argc; ++j) {
    const std::size_t left = argc - j - 1;
    const std::string_view a = args[j];
    if (iequals(a, "asc") || iequals(a, "desc") || iequals(a, "alpha")) continue;
    if (iequals(a, "limit") && left >= 2) {
      std::int64_t v = 0;
      if (!parse_strict_int64(args[j + 1], v) || !parse_strict_int64(args[j + 2], v)) {
        return fail(out, "ERR value is not an integer or out of range");
      }
      j += 2;
    } else if (!readonly && iequals(a, "store") && left >= 1) {
      out.add(++j, NameKind::Key);
    } else if (iequals(a, "by") && left >= 1) {
      ++j;
      // A BY pattern without '*' means "do not sort": it names no key and stays as it is.
      if (args[j].find('*') != std::string_view::npos) out.add(j, NameKind::SortPattern);
    } else if (iequals(a, "get") && left >= 1) {
      ++j;
      if (args[j] != "#") out.add(j, NameKind::SortPattern);  // '#': the element itself
    } else {
      return fail(out, "ERR syntax error");
    }
  }
  return true;
}

bool find_xread(const Command& c, std::span<const std::string_view> args, KeyRefs& out) {
  const bool xreadgroup = c.name == "xreadgroup";
  const std::size_t argc = args.size();
  std::size_t streams = 0;
  bool group = false;
  for (std::size_t i = 1; i < argc; ++i) {
    const std::size_t more = argc - i - 1;
    const std::string_view a = args[i];
    std::int64_t v = 0;
    if (iequals(a, "BLOCK") && more > 0) {
      if (!parse_strict_int64(args[++i], v)) {
        return fail(out, "ERR timeout is not an integer or out of range");
      }
      if (v < 0) return fail(out, "ERR timeout is negative");
      out.block = true;
    } else if (iequals(a, "COUNT") && more > 0) {
      if (!parse_strict_int64(args[++i], v)) {
        return fail(out, "ERR value is not an integer or out of range");
      }
    } else if (iequals(a, "STREAMS") && more > 0) {
      streams = i + 1;
      if ((argc - streams) % 2 != 0) {
        return fail(out,
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must "
                    "be specified.");
      }
      break;
    } else if (iequals(a, "GROUP") && more >= 2) {
      if (!xreadgroup) {
        return fail(out,
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD "
                    "instead.");
      }
      group = true;
      i += 2;
    } else if (iequals(a, "NOACK")) {
      if (!xreadgroup) {
        return fail(out,
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD "
                    "instead.");
      }
    } else {
      return fail(out, "ERR syntax error");
    }
  }
  if (streams == 0) return fail(out, "ERR syntax error");
  if (xreadgroup && !group) return fail(out, "ERR Missing GROUP option for XREADGROUP");
  out.add(streams, streams + (argc - streams) / 2 - 1, 1, NameKind::Key);
  return true;
}

bool find_georadius(const Command& c, std::span<const std::string_view> args, KeyRefs& out) {
  out.add(1, NameKind::Key);
  const std::size_t base = c.name == "georadius" ? 6 : 5;  // GEORADIUSBYMEMBER has no lon lat
  const std::size_t argc = args.size();
  for (std::size_t i = base; i < argc; ++i) {
    const std::size_t more = argc - i - 1;
    const std::string_view a = args[i];
    if (iequals(a, "withdist") || iequals(a, "withhash") || iequals(a, "withcoord") ||
        iequals(a, "any") || iequals(a, "asc") || iequals(a, "desc")) {
      continue;
    }
    if (iequals(a, "count") && more > 0) {
      std::int64_t count = 0;
      if (!parse_strict_int64(args[++i], count)) {
        return fail(out, "ERR value is not an integer or out of range");
      }
      if (count <= 0) return fail(out, "ERR COUNT must be > 0");
    } else if ((iequals(a, "store") || iequals(a, "storedist")) && more > 0) {
      out.add(++i, NameKind::Key);
    } else {
      return fail(out, "ERR syntax error");
    }
  }
  return true;
}

bool find_scan(std::span<const std::string_view> args, KeyRefs& out) {
  const std::size_t argc = args.size();
  bool match = false;
  for (std::size_t i = 2; i < argc; i += 2) {
    const std::size_t remaining = argc - i;
    const std::string_view a = args[i];
    if (iequals(a, "count") && remaining >= 2) {
      std::int64_t count = 0;
      if (!parse_strict_int64(args[i + 1], count)) {
        return fail(out, "ERR value is not an integer or out of range");
      }
      if (count < 1) return fail(out, "ERR syntax error");
    } else if (iequals(a, "match") && remaining >= 2) {
      out.add(i + 1, NameKind::Pattern);
      match = true;
    } else if (iequals(a, "type") && remaining >= 2) {
      continue;
    } else {
      return fail(out, "ERR syntax error");
    }
  }
  if (!match) out.append = Append::MatchAll;
  return true;
}

bool find_client_tracking(std::span<const std::string_view> args, KeyRefs& out) {
  const std::size_t argc = args.size();
  bool bcast = false;
  bool prefix = false;
  for (std::size_t j = 3; j < argc; ++j) {
    const std::size_t more = argc - 1 - j;
    const std::string_view a = args[j];
    if (iequals(a, "redirect") && more > 0) {
      ++j;
    } else if (iequals(a, "bcast")) {
      bcast = true;
    } else if (iequals(a, "optin") || iequals(a, "optout") || iequals(a, "noloop")) {
      continue;
    } else if (iequals(a, "prefix") && more > 0) {
      out.add(++j, NameKind::TrackingPrefix);
      prefix = true;
    } else {
      return fail(out, "ERR syntax error");
    }
  }
  if (iequals(args[2], "on") && bcast && !prefix) out.append = Append::TrackingPrefix;
  return true;
}

bool find_migrate(std::span<const std::string_view> args, KeyRefs& out) {
  // MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 u pw]
  //         [KEYS key…]
  const std::size_t argc = args.size();
  for (std::size_t j = 6; j < argc; ++j) {
    const std::size_t more = argc - 1 - j;
    const std::string_view a = args[j];
    if (iequals(a, "copy") || iequals(a, "replace")) continue;
    if (iequals(a, "auth")) {
      if (more < 1) return fail(out, "ERR syntax error");
      ++j;
    } else if (iequals(a, "auth2")) {
      if (more < 2) return fail(out, "ERR syntax error");
      j += 2;
    } else if (iequals(a, "keys")) {
      if (!args[3].empty()) {
        return fail(out,
                    "ERR When using MIGRATE KEYS option, the key argument must be set to the "
                    "empty string");
      }
      out.add(j + 1, argc - 1, 1, NameKind::Key);
      return true;
    } else {
      return fail(out, "ERR syntax error");
    }
  }
  out.add(3, NameKind::Key);
  return true;
}

}  // namespace

std::span<const Command> all_commands() {
  return kCommands;
}

const Command* lookup(std::span<const std::string_view> args) {
  if (args.empty()) return nullptr;
  char buf[kMaxName];
  std::string_view name;
  if (!to_lower(args[0], buf, name)) return nullptr;
  const Command* row = find_top(name);
  if (row == nullptr || row->subcommands.empty() || args.size() < 2) return row;
  const Command* sub = find_sub(*row, args[1]);
  return sub != nullptr ? sub : row;
}

const Command* lookup_name(std::string_view name) {
  const std::size_t bar = name.find('|');
  char buf[kMaxName];
  std::string_view lowered;
  if (!to_lower(name.substr(0, bar), buf, lowered)) return nullptr;
  const Command* row = find_top(lowered);
  if (row == nullptr || bar == std::string_view::npos) return row;
  return find_sub(*row, name.substr(bar + 1));
}

std::span<const std::string_view> flag_names() {
  return kFlagNames;
}
std::span<const std::string_view> acl_category_names() {
  return kAclCategoryNames;
}
std::span<const std::string_view> key_spec_flag_names() {
  return kKeySpecFlagNames;
}

std::string_view to_string(KeyRule rule) {
  switch (rule) {
    case KeyRule::None:
      return "None";
    case KeyRule::KeySpecs:
      return "KeySpecs";
    case KeyRule::Sort:
      return "Sort";
    case KeyRule::Xread:
      return "Xread";
    case KeyRule::Georadius:
      return "Georadius";
    case KeyRule::Scan:
      return "Scan";
    case KeyRule::Keys:
      return "Keys";
    case KeyRule::Numkeys:
      return "Numkeys";
    case KeyRule::Channels:
      return "Channels";
    case KeyRule::Patterns:
      return "Patterns";
    case KeyRule::PubsubPattern:
      return "PubsubPattern";
    case KeyRule::PubsubChannels:
      return "PubsubChannels";
    case KeyRule::ClientTracking:
      return "ClientTracking";
    case KeyRule::Migrate:
      return "Migrate";
    case KeyRule::Custom:
      return "Custom";
    case KeyRule::KeyInfo:
      return "KeyInfo";
  }
  return "?";
}

std::string_view to_string(ReplyRule rule) {
  switch (rule) {
    case ReplyRule::Raw:
      return "Raw";
    case ReplyRule::KeyList:
      return "KeyList";
    case ReplyRule::Scan:
      return "Scan";
    case ReplyRule::Key:
      return "Key";
    case ReplyRule::KeyFirst:
      return "KeyFirst";
    case ReplyRule::MPop:
      return "MPop";
    case ReplyRule::Xread:
      return "Xread";
    case ReplyRule::Exec:
      return "Exec";
    case ReplyRule::PubSub:
      return "PubSub";
    case ReplyRule::ChannelList:
      return "ChannelList";
    case ReplyRule::ChannelCounts:
      return "ChannelCounts";
    case ReplyRule::KeyError:
      return "KeyError";
    case ReplyRule::TrackingInfo:
      return "TrackingInfo";
  }
  return "?";
}

std::string_view to_string(Policy policy) {
  switch (policy) {
    case Policy::Forward:
      return "Forward";
    case Policy::Local:
      return "Local";
    case Policy::Emulate:
      return "Emulate";
    case Policy::Stateful:
      return "Stateful";
    case Policy::Trusted:
      return "Trusted";
    case Policy::RawScript:
      return "RawScript";
    case Policy::Refuse:
      return "Refuse";
    case Policy::Script:
      return "Script";
  }
  return "?";
}

// ---- KeyRefs

void KeyRefs::clear() {
  size_ = 0;
  more_.clear();
  append = Append::None;
  block = false;
  error.clear();
}

void KeyRefs::add(std::size_t first, std::size_t last, std::size_t step, NameKind kind) {
  if (first > last || first > std::numeric_limits<std::uint32_t>::max()) return;
  const KeyRange range{static_cast<std::uint32_t>(first),
                       static_cast<std::uint32_t>(
                           std::min<std::size_t>(last, std::numeric_limits<std::uint32_t>::max())),
                       static_cast<std::uint32_t>(step == 0 ? 1 : step), kind};
  if (size_ < kInline) {
    inline_[size_++] = range;
    return;
  }
  if (more_.empty()) more_.assign(inline_.begin(), inline_.end());
  more_.push_back(range);
  ++size_;
}

std::span<const KeyRange> KeyRefs::ranges() const {
  if (size_ <= kInline) return {inline_.data(), size_};
  return more_;
}

const NameKind* KeyRefs::kind_of(std::size_t index) const {
  for (const KeyRange& r : ranges()) {
    if (index >= r.first && index <= r.last && (index - r.first) % r.step == 0) return &r.kind;
  }
  return nullptr;
}

std::vector<std::size_t> KeyRefs::positions() const {
  std::vector<std::size_t> out;
  for (const KeyRange& r : ranges()) {
    for (std::size_t i = r.first; i <= r.last; i += r.step) out.push_back(i);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::size_t> KeyRefs::key_positions() const {
  std::vector<std::size_t> out;
  for (std::size_t i : positions()) {
    if (*kind_of(i) == NameKind::Key) out.push_back(i);
  }
  return out;
}

// ---- find_keys

bool parse_strict_int64(std::string_view text, std::int64_t& value) {
  // As Redis's string2ll: no '+', no spaces, no leading zeros, "-0" rejected.
  if (text.empty() || text.size() > 20) return false;
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative && ++i == text.size()) return false;
  if (text[i] == '0') {
    if (text.size() != 1) return false;
    value = 0;
    return true;
  }
  std::uint64_t v = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return false;
    v = v * 10 + digit;
  }
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (v > kMax + 1) return false;
    value =
        v == kMax + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(v);
  } else {
    if (v > kMax) return false;
    value = static_cast<std::int64_t>(v);
  }
  return true;
}

bool find_keys(const Command& c, std::span<const std::string_view> args, KeyRefs& out) {
  out.clear();
  if (!arity_ok(c, args.size())) return fail_arity(c, out);
  const std::size_t argc = args.size();
  switch (c.key_rule) {
    case KeyRule::None:
      return true;
    case KeyRule::KeySpecs:
    case KeyRule::Numkeys:
    case KeyRule::Custom:
      return walk_key_specs(c, args, out);
    case KeyRule::Sort:
      return find_sort(c, args, out);
    case KeyRule::Xread:
      return find_xread(c, args, out);
    case KeyRule::Georadius:
      return find_georadius(c, args, out);
    case KeyRule::Scan:
      return find_scan(args, out);
    case KeyRule::Keys:
      out.add(1, NameKind::Pattern);
      return true;
    case KeyRule::Channels:
      if (c.name == "publish" || c.name == "spublish") {
        out.add(1, NameKind::Channel);
      } else {
        const bool keyspace_aware = c.name == "subscribe" || c.name == "unsubscribe";
        out.add(1, argc - 1, 1, keyspace_aware ? NameKind::SubChannel : NameKind::Channel);
      }
      return true;
    case KeyRule::Patterns:
      out.add(1, argc - 1, 1, NameKind::SubPattern);
      return true;
    case KeyRule::PubsubPattern:
      if (argc > 3) {
        out.error.assign("ERR unknown subcommand or wrong number of arguments for '");
        out.error.append(args[1].substr(0, 128)).append("'. Try PUBSUB HELP.");
        return false;
      }
      if (argc == 3) {
        out.add(2, NameKind::Pattern);
      } else {
        out.append = Append::PatternAll;
      }
      return true;
    case KeyRule::PubsubChannels:
      out.add(2, argc - 1, 1, NameKind::Channel);
      return true;
    case KeyRule::ClientTracking:
      return find_client_tracking(args, out);
    case KeyRule::Migrate:
      return find_migrate(args, out);
    case KeyRule::KeyInfo:
      if (argc >= 3 && iequals(args[1], "KEYS")) {
        out.add(2, argc - 1, 1, NameKind::Key);
      } else {
        out.add(1, NameKind::Pattern);
      }
      return true;
  }
  return fail(out, "ERR syntax error");
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace stdnet::cmd
