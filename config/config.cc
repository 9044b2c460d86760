// Loading and validation of the TOML configuration (SPEC §6).
//
// toml++ parses the text (it throws toml::parse_error, caught once in load_config_string); every
// value is then read through a Section, which checks its type and range and reports an Error at
// the value's own line:column. Validation never stops at the first problem: each error is recorded
// and loading continues, so that `stdnetd --check-config` lists everything at once. Checks that
// relate several tables (unique names, credentials and prefixes, listener defaults) run after all
// tables have been read.
#include "config/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include <toml++/toml.h>

#include "config/values.h"

namespace stdnet::config {
namespace {

using detail::in_quotes;
using Region = toml::source_region;

constexpr std::size_t kMaxScriptBytes = 16 * 1024 * 1024;
constexpr std::string_view kDefaultBackendUrl = "redis://127.0.0.1:6379?db=0";

std::string join(const std::vector<std::string_view>& words, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += separator;
    out += words[i];
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string format_double(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return "a number";
  return std::string(buffer, end);
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// What the user wrote, for "got ..." in messages. Secrets are described by their type only.
std::string describe(const toml::node& node, bool secret = false) {
  if (!secret) {
    if (const auto* s = node.as_string()) return "the string " + in_quotes(s->get());
    if (const auto* i = node.as_integer()) return std::to_string(i->get());
    if (const auto* f = node.as_floating_point()) return format_double(f->get());
    if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  }
  return type_name(node);
}

std::string line_of(const Region& region) {
  return "line " + std::to_string(region.begin.line);
}

// Collects errors with their positions.
class Errors {
 public:
  explicit Errors(std::string file) : file_(std::move(file)) {}

  void add(const Region& where, std::string message) {
    errors_.push_back(Error{file_, static_cast<int>(where.begin.line),
                            static_cast<int>(where.begin.column), std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  std::size_t count() const { return errors_.size(); }
  std::vector<Error> take() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return std::move(errors_);
  }

 private:
  std::string file_;
  std::vector<Error> errors_;
};

// One TOML table being read: typed getters that report wrong types and ranges, and a check that
// every key present is known. Every message starts with the table's label ("[server]",
// "[[namespace]] \"app1\"").
class Section {
 public:
  Section(Errors& errors, const toml::table& table, std::string label,
          std::vector<std::string_view> known)
      : errors_(errors), table_(table), label_(std::move(label)), known_(std::move(known)) {}

  const std::string& label() const { return label_; }
  void set_label(std::string label) { label_ = std::move(label); }
  const Region& where() const { return table_.source(); }
  const toml::node* node(std::string_view key) const { return table_.get(key); }

  void error(const toml::node& at, const std::string& message) {
    errors_.add(at.source(), label_ + ": " + message);
  }
  void missing(std::string_view key, std::string_view example) {
    errors_.add(where(),
                label_ + ": missing " + std::string(key) + "; add e.g. " + std::string(example));
  }

  // Reports every key that is not in the known list, with a hint when one is close.
  void reject_unknown() {
    for (const auto& [key, value] : table_) {
      const std::string_view name = key.str();
      if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
      std::string message = "unknown key " + in_quotes(name);
      if (std::string_view hint = detail::closest(name, known_); !hint.empty()) {
        message += "; did you mean " + in_quotes(hint) + "?";
      } else {
        message += "; the keys here are: " + join(known_, ", ");
      }
      errors_.add(key.source(), label_ + ": " + message);
    }
  }

  std::optional<std::string> string(std::string_view key, bool secret = false) {
    const toml::node* n = node(key);
    if (n == nullptr) return std::nullopt;
    if (const auto* s = n->as_string()) return s->get();
    error(*n, std::string(key) + " must be a string, got " + describe(*n, secret));
    return std::nullopt;
  }

  // A string that must not be empty (names, passwords).
  std::optional<std::string> non_empty_string(std::string_view key, bool secret = false) {
    std::optional<std::string> value = string(key, secret);
    if (value && value->empty()) {
      error(*node(key), std::string(key) + " is empty");
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const toml::node* n = node(key);
    if (n == nullptr) return std::nullopt;
    const std::string expected =
        max == INT64_MAX ? "an integer >= " + std::to_string(min)
                         : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    const auto* i = n->as_integer();
    if (i == nullptr) {
      error(*n, std::string(key) + " must be " + expected + ", got " + describe(*n));
      return std::nullopt;
    }
    if (i->get() < min || i->get() > max) {
      error(*n, std::string(key) + " = " + std::to_string(i->get()) +
                    " is out of range; expected " + expected);
      return std::nullopt;
    }
    return i->get();
  }

  std::optional<bool> boolean(std::string_view key) {
    const toml::node* n = node(key);
    if (n == nullptr) return std::nullopt;
    if (const auto* b = n->as_boolean()) return b->get();
    error(*n, std::string(key) + " must be true or false, got " + describe(*n));
    return std::nullopt;
  }

  // Seconds: an integer or a float, finite, >= min (> min when `exclusive`).
  std::optional<double> seconds(std::string_view key, double min, bool exclusive) {
    const toml::node* n = node(key);
    if (n == nullptr) return std::nullopt;
    const std::string expected = std::string("a number of seconds ") + (exclusive ? "> " : ">= ") +
                                 format_double(min) + " and <= 1000000000 (e.g. 2 or 0.5)";
    double value = 0;
    if (const auto* i = n->as_integer()) {
      value = static_cast<double>(i->get());
    } else if (const auto* f = n->as_floating_point()) {
      value = f->get();
    } else {
      error(*n, std::string(key) + " must be " + expected + ", got " + describe(*n));
      return std::nullopt;
    }
    if (!std::isfinite(value) || value < min || (exclusive && value == min) ||
        value > detail::kMaxSeconds) {
      error(*n, std::string(key) + " = " + describe(*n) + " is out of range; expected " + expected);
      return std::nullopt;
    }
    return value;
  }

  // Bytes: an integer, or a string with a unit ("256mb").
  std::optional<std::uint64_t> size(std::string_view key, std::uint64_t min) {
    const toml::node* n = node(key);
    if (n == nullptr) return std::nullopt;
    std::uint64_t value = 0;
    if (const auto* i = n->as_integer()) {
      if (i->get() < 0) {
        error(*n, std::string(key) + " = " + std::to_string(i->get()) +
                      " is negative; expected a number of bytes or a string like \"256mb\"");
        return std::nullopt;
      }
      value = static_cast<std::uint64_t>(i->get());
    } else if (const auto* s = n->as_string()) {
      if (std::string message = parse_size(s->get(), value); !message.empty()) {
        error(*n, std::string(key) + ": " + message);
        return std::nullopt;
      }
    } else {
      error(*n, std::string(key) + " must be a number of bytes or a string like \"256mb\", got " +
                    describe(*n));
      return std::nullopt;
    }
    if (value < min) {
      error(*n, std::string(key) + " = " + describe(*n) + " is too small; it must be at least " +
                    std::to_string(min) + " bytes");
      return std::nullopt;
    }
    return value;
  }

  // A string that must be one of `choices`.
  std::optional<std::string> one_of(std::string_view key,
                                    const std::vector<std::string_view>& choices) {
    std::optional<std::string> value = string(key);
    if (!value) return std::nullopt;
    if (std::find(choices.begin(), choices.end(), *value) != choices.end()) return value;
    std::string message =
        std::string(key) + " " + in_quotes(*value) + " is not one of " + join(choices, ", ");
    if (std::string_view hint = detail::closest(*value, choices); !hint.empty()) {
      message += "; did you mean " + in_quotes(hint) + "?";
    }
    error(*node(key), message);
    return std::nullopt;
  }

  // A table (inline or not); reports a wrong type.
  const toml::table* table(std::string_view key, std::string_view example) {
    const toml::node* n = node(key);
    if (n == nullptr) return nullptr;
    if (const auto* t = n->as_table()) return t;
    error(*n, std::string(key) + " must be a table like " + std::string(example) + ", got " +
                  describe(*n));
    return nullptr;
  }

 private:
  Errors& errors_;
  const toml::table& table_;
  std::string label_;
  std::vector<std::string_view> known_;
};

enum class FileKind : std::uint8_t {
  Regular,       // only a regular file (a script)
  RegularOrPipe  // also a pipe (stdnetd --config <(generate-config))
};

// Reads a whole file. Returns an error message, or empty.
std::string read_file(const std::string& path, FileKind kind, std::size_t max_bytes,
                      std::string& content) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is then refused as not a file).
  const int flags = O_RDONLY | O_CLOEXEC | (kind == FileKind::Regular ? O_NONBLOCK : 0);
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return std::system_category().message(errno);
  std::string error;
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    error = std::system_category().message(errno);
  } else if (S_ISDIR(info.st_mode)) {
    error = "it is a directory, not a file";
  } else if (!S_ISREG(info.st_mode) &&
             !(kind == FileKind::RegularOrPipe && S_ISFIFO(info.st_mode))) {
    error = "it is not a regular file";
  } else if (static_cast<std::uint64_t>(info.st_size) > max_bytes) {
    error = "it is larger than " + std::to_string(max_bytes) + " bytes";
  } else {
    content.clear();
    char buffer[65536];
    while (true) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = std::system_category().message(errno);
        break;
      }
      if (n == 0) break;
      content.append(buffer, static_cast<std::size_t>(n));
      if (content.size() > max_bytes) {
        error = "it is larger than " + std::to_string(max_bytes) + " bytes";
        break;
      }
    }
  }
  ::close(fd);
  return error;
}

// Where each checked value came from, for cross-table checks.
struct NamespaceSource {
  Region where;  // the [[namespace]] header
  const toml::node* name = nullptr;
  const toml::node* prefix = nullptr;
  bool prefix_ok = false;
  std::vector<Region> credentials;  // parallel to Namespace::credentials
  bool credential_error = false;    // a password or user was reported as invalid
};

struct ListenerSource {
  const toml::node* address = nullptr;
  bool address_ok = false;
};

class Loader {
 public:
  explicit Loader(std::string path) : path_(std::move(path)), errors_(path_) {}

  LoadResult run(const toml::table& root) {
    config_.path = path_;
    parse_backend_url(kDefaultBackendUrl, config_.backend.url);
    static const std::vector<std::string_view> kSections = {"server", "backend", "listener",
                                                            "namespace", "command"};
    for (const auto& [key, value] : root) {
      const std::string_view name = key.str();
      if (std::find(kSections.begin(), kSections.end(), name) != kSections.end()) continue;
      std::string message = "unknown top-level key " + in_quotes(name);
      if (std::string_view hint = detail::closest(name, kSections); !hint.empty()) {
        message += "; did you mean " + in_quotes(hint) + "?";
      } else {
        message +=
            "; the file has [server], [backend], [[listener]], [[namespace]] and "
            "[[command]]";
      }
      errors_.add(key.source(), message);
    }
    if (const toml::table* server = single_table(root, "server")) load_server(*server);
    if (const toml::table* backend = single_table(root, "backend")) load_backend(*backend);

    const auto namespaces = array_of_tables(root, "namespace");
    for (std::size_t i = 0; i < namespaces.size(); ++i) load_namespace(*namespaces[i], i + 1);
    const auto listeners = array_of_tables(root, "listener");
    for (std::size_t i = 0; i < listeners.size(); ++i) load_listener(*listeners[i], i + 1);
    const auto commands = array_of_tables(root, "command");
    for (std::size_t i = 0; i < commands.size(); ++i) load_command(*commands[i], i + 1);

    if (root.get("namespace") == nullptr) {
      errors_.add(root.source(),
                  "no [[namespace]] is defined; add one, e.g. [[namespace]] name = \"app1\" "
                  "prefix = \"app1:\" password = \"...\"");
    }
    if (root.get("listener") == nullptr) {
      errors_.add(root.source(),
                  "no [[listener]] is defined; add one, e.g. [[listener]] address = "
                  "\"127.0.0.1:6380\" namespace = \"app1\"");
    }
    check_namespaces();

    LoadResult result;
    if (errors_.empty()) result.config = std::move(config_);
    result.errors = errors_.take();
    return result;
  }

 private:
  const toml::table* single_table(const toml::table& root, std::string_view name) {
    const toml::node* n = root.get(name);
    if (n == nullptr) return nullptr;
    if (const auto* t = n->as_table()) return t;
    errors_.add(n->source(), std::string(name) + " must be a table: write [" + std::string(name) +
                                 "] on its own line, followed by its keys");
    return nullptr;
  }

  std::vector<const toml::table*> array_of_tables(const toml::table& root, std::string_view name) {
    std::vector<const toml::table*> out;
    const toml::node* n = root.get(name);
    if (n == nullptr) return out;
    const std::string header = "[[" + std::string(name) + "]]";
    const auto* array = n->as_array();
    if (array == nullptr) {
      errors_.add(n->source(), std::string(name) + " must be an array of tables: write " + header +
                                   " (double brackets) before each one, not [" + std::string(name) +
                                   "]");
      return out;
    }
    for (const toml::node& element : *array) {
      if (const auto* t = element.as_table()) {
        out.push_back(t);
      } else {
        errors_.add(element.source(), std::string(name) + " must contain only tables, got " +
                                          describe(element) + "; write " + header +
                                          " before each one");
      }
    }
    return out;
  }

  void load_server(const toml::table& table) {
    Section s(errors_, table, "[server]",
              {"workers", "admin", "log_level", "log_format", "maxclients", "timeout",
               "client_query_buffer_limit", "client_output_buffer_limit"});
    s.reject_unknown();
    ServerConfig& server = config_.server;
    if (auto v = s.integer("workers", 1, 64)) server.workers = static_cast<int>(*v);
    if (auto v = s.string("admin")) {
      if (v->empty()) {
        server.admin.reset();
      } else {
        Address address;
        if (std::string message = parse_address(*v, address); !message.empty()) {
          s.error(*s.node("admin"), "admin " + in_quotes(*v) + ": " + message);
        } else {
          server.admin = std::move(address);
        }
      }
    }
    if (auto v = s.one_of("log_level", {"trace", "debug", "info", "warn", "error"})) {
      server.log_level = *v;
    }
    if (auto v = s.one_of("log_format", {"text", "json"})) server.log_format = *v;
    if (auto v = s.integer("maxclients", 1, UINT32_MAX)) {
      server.maxclients = static_cast<std::uint32_t>(*v);
    }
    if (auto v = s.seconds("timeout", 0, false)) server.timeout_seconds = *v;
    if (auto v = s.size("client_query_buffer_limit", 1024)) server.client_query_buffer_limit = *v;
    if (auto v = s.size("client_output_buffer_limit", 0)) server.client_output_buffer_limit = *v;
  }

  void load_backend(const toml::table& table) {
    Section s(errors_, table, "[backend]",
              {"url", "connections", "pool_size", "connect_timeout", "request_timeout",
               "reconnect_min", "reconnect_max", "sentinel"});
    s.reject_unknown();
    BackendConfig& backend = config_.backend;
    if (auto v = s.string("url", /*secret=*/true)) {
      // The URL may hold a password: messages describe the problem, never echo the URL.
      if (std::string message = parse_backend_url(*v, backend.url); !message.empty()) {
        s.error(*s.node("url"), "url: " + message);
      }
    }
    if (auto v = s.integer("connections", 1, 256)) backend.connections = static_cast<int>(*v);
    if (auto v = s.integer("pool_size", 1, 100000)) backend.pool_size = static_cast<int>(*v);
    if (auto v = s.seconds("connect_timeout", 0, true)) backend.connect_timeout_seconds = *v;
    if (auto v = s.seconds("request_timeout", 0, false)) backend.request_timeout_seconds = *v;
    const auto min = s.seconds("reconnect_min", 0, true);
    const auto max = s.seconds("reconnect_max", 0, true);
    if (min) backend.reconnect_min_seconds = *min;
    if (max) backend.reconnect_max_seconds = *max;
    if (backend.reconnect_max_seconds < backend.reconnect_min_seconds && (min || max)) {
      const toml::node* at = max ? s.node("reconnect_max") : s.node("reconnect_min");
      s.error(*at, "reconnect_max (" + format_double(backend.reconnect_max_seconds) +
                       "s) is less than reconnect_min (" +
                       format_double(backend.reconnect_min_seconds) +
                       "s); the reconnect delay grows from reconnect_min up to reconnect_max");
    }
    if (const toml::table* sentinel =
            s.table("sentinel", "{ master = \"mymaster\", addresses = [\"127.0.0.1:26379\"] }")) {
      load_sentinel(*sentinel);
    }
  }

  // [backend.sentinel]: the sentinels that know the primary. Sentinels are reached over TCP only.
  void load_sentinel(const toml::table& table) {
    Section s(errors_, table, "[backend.sentinel]", {"master", "addresses", "password", "user"});
    s.reject_unknown();
    SentinelConfig sentinel;
    bool ok = true;
    if (auto master = s.non_empty_string("master")) {
      const bool bad_char = std::any_of(master->begin(), master->end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
      });
      if (bad_char) {
        s.error(*s.node("master"), "master " + in_quotes(*master) +
                                       " contains a space or control character; write the name "
                                       "of the master as in the sentinels' `sentinel monitor`");
        ok = false;
      } else {
        sentinel.master = *master;
      }
    } else {
      if (s.node("master") == nullptr) {
        s.missing("master",
                  "master = \"mymaster\" (the name the sentinels monitor the primary under)");
      }
      ok = false;
    }
    if (const toml::node* addresses = s.node("addresses")) {
      const auto* list = addresses->as_array();
      if (list == nullptr) {
        s.error(*addresses,
                "addresses must be an array of \"host:port\" strings like "
                "[\"127.0.0.1:26379\"], got " +
                    describe(*addresses));
        ok = false;
      } else if (list->empty()) {
        s.error(*addresses,
                "addresses is empty; list at least one sentinel, e.g. [\"127.0.0.1:26379\"]");
        ok = false;
      }
      for (std::size_t i = 0; list != nullptr && i < list->size(); ++i) {
        const toml::node& element = *list->get(i);
        const auto* text = element.as_string();
        Address address;
        if (text == nullptr) {
          s.error(element,
                  "addresses must contain \"host:port\" strings, got " + describe(element));
          ok = false;
        } else if (std::string message = parse_address(text->get(), address); !message.empty()) {
          s.error(element, "address " + in_quotes(text->get()) + ": " + message);
          ok = false;
        } else if (address.is_unix()) {
          s.error(element, "address " + in_quotes(text->get()) +
                               ": sentinels are reached over TCP; write host:port (e.g. "
                               "\"127.0.0.1:26379\")");
          ok = false;
        } else {
          const std::string written = address.to_string();
          const bool twice =
              std::any_of(sentinel.addresses.begin(), sentinel.addresses.end(),
                          [&](const Address& a) { return a.to_string() == written; });
          if (twice) {
            s.error(element, "address " + written + " is listed twice");
            ok = false;
          } else {
            sentinel.addresses.push_back(std::move(address));
          }
        }
      }
    } else {
      s.missing("addresses", "addresses = [\"127.0.0.1:26379\"] (host:port of each sentinel)");
      ok = false;
    }
    if (auto password = s.string("password", /*secret=*/true)) sentinel.password = *password;
    if (auto user = s.string("user")) {
      if (std::any_of(user->begin(), user->end(),
                      [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; })) {
        s.error(*s.node("user"),
                "user " + in_quotes(*user) + " contains a space or control character");
        ok = false;
      } else if (!user->empty() && sentinel.password.empty()) {
        s.error(*s.node("user"), "user " + in_quotes(*user) +
                                     " is given without a password; add password = \"...\" "
                                     "(the sentinels' AUTH needs both)");
        ok = false;
      } else {
        sentinel.user = *user;
      }
    }
    if (ok) config_.backend.sentinel = std::move(sentinel);
  }

  void load_namespace(const toml::table& table, std::size_t index) {
    Section s(errors_, table, "[[namespace]] #" + std::to_string(index),
              {"name", "prefix", "password", "users", "trusted", "database", "databases",
               "backend_user", "maxclients"});
    Namespace ns;
    NamespaceSource source;
    source.where = table.source();
    if (auto name = s.string("name")) {
      source.name = s.node("name");
      if (std::string message = detail::check_name_chars(*name, "_.:-"); !message.empty()) {
        s.error(*source.name, "name " + in_quotes(*name) + " " + message);
        source.name = nullptr;
      } else {
        ns.name = *name;
        s.set_label("[[namespace]] " + in_quotes(*name));
      }
    } else if (s.node("name") == nullptr) {
      s.missing("name", "name = \"app1\" (a unique name for this namespace)");
    }
    s.reject_unknown();

    if (auto v = s.boolean("trusted")) ns.trusted = *v;
    if (auto prefix = s.string("prefix")) {
      source.prefix = s.node("prefix");
      if (std::string message = detail::check_prefix_chars(*prefix); !message.empty()) {
        s.error(*source.prefix, "prefix " + in_quotes(*prefix) + " " + message);
      } else if (prefix->empty() && !ns.trusted) {
        s.error(*source.prefix,
                "prefix is empty; only a trusted namespace (trusted = true) may have the empty "
                "prefix, which gives its clients every key of the backend");
      } else {
        ns.prefix = *prefix;
        source.prefix_ok = true;
      }
    } else if (s.node("prefix") == nullptr) {
      s.missing("prefix", "prefix = \"" + (ns.name.empty() ? std::string("app1") : ns.name) +
                              ":\" (put before every key of this namespace)");
    }

    const std::size_t errors_before_credentials = errors_.count();
    if (const toml::node* password = s.node("password")) {
      auto add_password = [&](const toml::node& n) {
        const auto* text = n.as_string();
        if (text == nullptr) {
          s.error(n, "password must be a string (or an array of strings), got " +
                         describe(n, /*secret=*/true));
        } else if (text->get().empty()) {
          s.error(n, "password is empty");
        } else {
          ns.credentials.push_back(Credential{"", text->get()});
          source.credentials.push_back(n.source());
        }
      };
      if (const auto* list = password->as_array()) {
        if (list->empty()) s.error(*password, "password is an empty array");
        for (const toml::node& element : *list) add_password(element);
      } else {
        add_password(*password);
      }
    }
    if (const toml::node* users = s.node("users")) {
      const auto* list = users->as_array();
      if (list == nullptr) {
        s.error(*users, "users must be an array like [{ name = \"u\", password = \"p\" }], got " +
                            describe(*users, /*secret=*/true));
      } else {
        std::size_t i = 0;
        for (const toml::node& element : *list) {
          ++i;
          load_user(s, element, i, ns, source);
        }
      }
    }
    source.credential_error = errors_.count() != errors_before_credentials;

    std::optional<std::int64_t> database = s.integer("database", 0, INT_MAX);
    if (database) ns.database = static_cast<int>(*database);
    const int default_db = ns.database.value_or(config_.backend.url.db);
    ns.databases.push_back(default_db);
    if (const toml::node* databases = s.node("databases")) {
      const auto* list = databases->as_array();
      if (list == nullptr) {
        s.error(*databases, "databases must be an array of database numbers like [0, 1], got " +
                                describe(*databases));
      } else {
        std::vector<std::int64_t> seen;
        for (const toml::node& element : *list) {
          const auto* number = element.as_integer();
          if (number == nullptr || number->get() < 0 || number->get() > INT_MAX) {
            s.error(element,
                    "databases must contain database numbers >= 0, got " + describe(element));
            continue;
          }
          if (std::find(seen.begin(), seen.end(), number->get()) != seen.end()) {
            s.error(element, "databases lists " + std::to_string(number->get()) + " twice");
            continue;
          }
          seen.push_back(number->get());
          if (number->get() != default_db) ns.databases.push_back(static_cast<int>(number->get()));
        }
      }
    }

    if (const toml::table* user =
            s.table("backend_user", "{ name = \"ns_app1\", password = \"...\" }")) {
      Section u(errors_, *user, s.label() + " backend_user", {"name", "password"});
      u.reject_unknown();
      BackendUser backend_user;
      auto name = u.non_empty_string("name");
      auto password = u.non_empty_string("password", /*secret=*/true);
      if (!u.node("name")) u.missing("name", "name = \"ns_app1\" (a Redis ACL user)");
      if (!u.node("password")) u.missing("password", "password = \"...\"");
      if (name && password) ns.backend_user = BackendUser{*name, *password};
    }
    if (auto v = s.integer("maxclients", 0, UINT32_MAX))
      ns.maxclients = static_cast<std::uint32_t>(*v);

    namespace_labels_.push_back(s.label());
    namespace_sources_.push_back(std::move(source));
    config_.namespaces.push_back(std::move(ns));
  }

  void load_user(Section& s, const toml::node& element, std::size_t index, Namespace& ns,
                 NamespaceSource& source) {
    const auto* table = element.as_table();
    if (table == nullptr) {
      s.error(element, "users must contain tables like { name = \"u\", password = \"p\" }, got " +
                           describe(element, /*secret=*/true));
      return;
    }
    Section u(errors_, *table, s.label() + " users[" + std::to_string(index) + "]",
              {"name", "password"});
    u.reject_unknown();
    auto name = u.non_empty_string("name");
    auto password = u.non_empty_string("password", /*secret=*/true);
    if (!u.node("name")) u.missing("name", "name = \"app1-user\"");
    if (!u.node("password")) u.missing("password", "password = \"...\"");
    if (name) {
      const bool bad_char = std::any_of(name->begin(), name->end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
      });
      if (bad_char) {
        u.error(*u.node("name"),
                "user name " + in_quotes(*name) + " contains a space or control character");
        name.reset();
      } else if (lower(*name) == "default") {
        u.error(*u.node("name"),
                "the user name \"default\" is reserved: AUTH default <password> means a bare "
                "password; write password = \"...\" in the namespace instead");
        name.reset();
      }
    }
    if (name && password) {
      ns.credentials.push_back(Credential{*name, *password});
      source.credentials.push_back(u.node("name")->source());
    }
  }

  void load_listener(const toml::table& table, std::size_t index) {
    Section s(errors_, table, "[[listener]] #" + std::to_string(index), {"address", "namespace"});
    Listener listener;
    ListenerSource source;
    if (auto address = s.string("address")) {
      source.address = s.node("address");
      if (std::string message = parse_address(*address, listener.address); !message.empty()) {
        s.error(*source.address, "address " + in_quotes(*address) + ": " + message);
      } else {
        source.address_ok = true;
        s.set_label("[[listener]] " + in_quotes(*address));
      }
    } else if (s.node("address") == nullptr) {
      s.missing("address", "address = \"127.0.0.1:6380\" (or \"unix:/path/to.sock\")");
    }
    s.reject_unknown();
    if (auto name = s.string("namespace")) {
      if (config_.find_namespace(*name) != nullptr) {
        listener.namespace_name = *name;
      } else {
        std::vector<std::string_view> names;
        for (const Namespace& ns : config_.namespaces) {
          if (!ns.name.empty()) names.push_back(ns.name);
        }
        std::string message = "namespace " + in_quotes(*name) + " is not defined";
        if (std::string_view hint = detail::closest(*name, names); !hint.empty()) {
          message += "; did you mean " + in_quotes(hint) + "?";
        } else if (!names.empty()) {
          message += "; the namespaces are: " + join(names, ", ");
        } else {
          message += "; define it with [[namespace]] name = " + in_quotes(*name);
        }
        s.error(*s.node("namespace"), message);
      }
    }
    if (source.address_ok) {
      const std::string text = listener.address.to_string();
      for (std::size_t i = 0; i < config_.listeners.size(); ++i) {
        if (listener_sources_[i].address_ok && config_.listeners[i].address.to_string() == text) {
          s.error(*source.address, "address " + text + " is already used by the [[listener]] at " +
                                       line_of(listener_sources_[i].address->source()));
        }
      }
    }
    listener_sources_.push_back(source);
    config_.listeners.push_back(std::move(listener));
  }

  void load_command(const toml::table& table, std::size_t index) {
    Section s(errors_, table, "[[command]] #" + std::to_string(index),
              {"name", "script", "keys", "arity", "write"});
    ScriptCommand command;
    if (auto name = s.string("name")) {
      const toml::node* at = s.node("name");
      if (std::string message = detail::check_name_chars(*name, "_.-"); !message.empty()) {
        s.error(*at, "name " + in_quotes(*name) + " " + message);
      } else {
        s.set_label("[[command]] " + in_quotes(*name));
        for (std::size_t i = 0; i < config_.commands.size(); ++i) {
          if (lower(config_.commands[i].name) == lower(*name)) {
            s.error(*at, "name " + in_quotes(*name) + " is already used by the [[command]] at " +
                             line_of(command_names_[i]) + " (command names are case-insensitive)");
          }
        }
        command.name = *name;
      }
    } else if (s.node("name") == nullptr) {
      s.missing("name", "name = \"RATELIMIT\"");
    }
    s.reject_unknown();

    if (auto script = s.non_empty_string("script")) {
      std::filesystem::path path(*script);
      if (path.is_relative()) path = std::filesystem::path(path_).parent_path() / path;
      command.script_path = path.lexically_normal().string();
      if (std::string message =
              read_file(command.script_path, FileKind::Regular, kMaxScriptBytes, command.source);
          !message.empty()) {
        s.error(*s.node("script"), "cannot read the script " + in_quotes(*script) + " (" +
                                       command.script_path + "): " + message);
      } else if (command.source.empty()) {
        s.error(*s.node("script"),
                "the script " + in_quotes(*script) + " (" + command.script_path + ") is empty");
      }
    } else if (s.node("script") == nullptr) {
      s.missing("script", "script = \"ratelimit.lua\" (a Lua file, relative to this config file)");
    }

    if (const toml::table* keys =
            s.table("keys", "{ first = 1, last = 1, step = 1 } or { numkeys = 1 }")) {
      load_keys(s, *keys, command.keys);
    } else if (s.node("keys") == nullptr) {
      s.missing("keys",
                "keys = { first = 1, last = 1, step = 1 } or keys = { numkeys = 1 } (where the "
                "key arguments are, so that they get the namespace prefix; keys = {} if none)");
    }

    if (auto arity = s.integer("arity", -1000000, 1000000)) {
      const toml::node* at = s.node("arity");
      const KeyPositions& k = command.keys;
      // The fewest arguments (command name included) that reach every fixed key position.
      int needed = 1;
      if (k.numkeys_index > 0) needed = k.numkeys_index + 1;
      if (k.first > 0) needed = std::max(k.first, k.last) + 1;
      if (*arity == 0) {
        s.error(*at,
                "arity must not be 0; use N for exactly N arguments or -N for at least N "
                "(the command name counts), or leave arity out");
      } else if (std::llabs(*arity) < needed) {
        s.error(*at, "arity " + std::to_string(*arity) +
                         " allows fewer arguments than the key positions need (" +
                         std::to_string(needed) + ", counting the command name)");
      } else {
        command.arity = static_cast<int>(*arity);
      }
    }
    if (auto v = s.boolean("write")) command.write = *v;

    command_names_.push_back(s.node("name") ? s.node("name")->source() : table.source());
    config_.commands.push_back(std::move(command));
  }

  void load_keys(Section& parent, const toml::table& table, KeyPositions& keys) {
    Section k(errors_, table, parent.label() + " keys", {"first", "last", "step", "numkeys"});
    k.reject_unknown();
    const auto first = k.integer("first", 1, 1000000);
    const auto last = k.integer("last", -1000000, 1000000);
    const auto step = k.integer("step", 1, 1000000);
    const auto numkeys = k.integer("numkeys", 1, 1000000);
    const bool range_given = k.node("first") || k.node("last") || k.node("step");
    if (k.node("numkeys") != nullptr) {
      if (range_given) {
        k.error(*k.node("numkeys"),
                "use either numkeys (the index of the argument that counts the keys) or "
                "first/last/step, not both");
      } else if (numkeys) {
        keys.numkeys_index = static_cast<int>(*numkeys);
      }
      return;
    }
    if (!range_given) return;  // keys = {}: no key arguments
    if (k.node("first") == nullptr) {
      k.missing("first", "first = 1 (the index of the first key argument)");
      return;
    }
    if (!first) return;
    keys.first = static_cast<int>(*first);
    keys.last = last ? static_cast<int>(*last) : keys.first;
    keys.step = step ? static_cast<int>(*step) : 1;
    if (!last) return;  // not given (last = first), or already reported
    if (keys.last == 0) {
      k.error(*k.node("last"),
              "last must not be 0; use an index >= first, or -1 for the last "
              "argument (-2 for the one before it, ...)");
    } else if (keys.last > 0 && keys.last < keys.first) {
      k.error(*k.node("last"), "last = " + std::to_string(keys.last) +
                                   " is before first = " + std::to_string(keys.first) +
                                   "; use an index >= first, or a negative index counted from the "
                                   "end (-1: the last argument)");
    }
  }

  // Checks across namespaces and listeners: unique names, prefixes and credentials.
  void check_namespaces() {
    const auto& all = config_.namespaces;
    auto label = [&](std::size_t i) { return namespace_labels_[i]; };
    auto where = [&](std::size_t i) { return line_of(namespace_sources_[i].where); };
    std::map<std::string, std::size_t> names;
    std::map<std::string, std::pair<std::size_t, Region>> passwords;
    std::map<std::string, std::pair<std::size_t, Region>> users;
    for (std::size_t i = 0; i < all.size(); ++i) {
      const Namespace& ns = all[i];
      const NamespaceSource& source = namespace_sources_[i];
      if (!ns.name.empty()) {
        auto [it, inserted] = names.emplace(ns.name, i);
        if (!inserted) {
          errors_.add(source.name->source(), label(i) + ": name " + in_quotes(ns.name) +
                                                 " is already used by the [[namespace]] at " +
                                                 where(it->second) + "; names must be unique");
        }
      }
      for (std::size_t j = 0; source.prefix_ok && j < i; ++j) {
        if (namespace_sources_[j].prefix_ok) check_prefixes(j, i);
      }
      for (std::size_t c = 0; c < ns.credentials.size(); ++c) {
        const Credential& credential = ns.credentials[c];
        const Region& at = source.credentials[c];
        if (credential.user.empty()) {
          auto [it, inserted] = passwords.emplace(credential.password, std::pair(i, at));
          if (!inserted) {
            const std::size_t other = it->second.first;
            errors_.add(at, label(i) + ": this password is already the password of " +
                                (other == i ? std::string("this namespace") : display(other)) +
                                " (" + line_of(it->second.second) +
                                "); AUTH <password> must identify exactly one namespace, so give "
                                "each its own password");
          }
        } else {
          auto [it, inserted] = users.emplace(credential.user, std::pair(i, at));
          if (!inserted) {
            errors_.add(at, label(i) + ": user " + in_quotes(credential.user) +
                                " is already defined at " + line_of(it->second.second) +
                                "; user names must be unique across all namespaces");
          }
        }
      }
    }
    // A user named like another namespace that has a bare password: "AUTH app1 <password>" could
    // mean either.
    for (std::size_t i = 0; i < all.size(); ++i) {
      for (std::size_t c = 0; c < all[i].credentials.size(); ++c) {
        const std::string& user = all[i].credentials[c].user;
        auto it = names.find(user);
        if (user.empty() || it == names.end() || it->second == i) continue;
        const Namespace& other = all[it->second];
        const bool has_bare = std::any_of(other.credentials.begin(), other.credentials.end(),
                                          [](const Credential& cr) { return cr.user.empty(); });
        if (!has_bare) continue;
        errors_.add(namespace_sources_[i].credentials[c],
                    label(i) + ": user " + in_quotes(user) + " has the name of the namespace " +
                        in_quotes(other.name) + " (" + where(it->second) + "), and AUTH " + user +
                        " <password> also selects that namespace by its password; choose "
                        "another user name");
      }
    }
    // Every namespace must be reachable: by a credential or as some listener's default.
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (!all[i].credentials.empty() || all[i].name.empty()) continue;
      if (namespace_sources_[i].credential_error) continue;  // already reported
      const bool is_default =
          std::any_of(config_.listeners.begin(), config_.listeners.end(),
                      [&](const Listener& l) { return l.namespace_name == all[i].name; });
      if (!is_default) {
        errors_.add(namespace_sources_[i].where,
                    label(i) +
                        ": no credentials, and no [[listener]] has it as its namespace, so "
                        "no client could use it; add password = \"...\" or users = "
                        "[{ name = \"...\", password = \"...\" }], or name it in a "
                        "[[listener]]");
      }
    }
  }

  // A namespace in messages: its name in quotes, or its label when the name is invalid.
  std::string display(std::size_t i) const {
    const std::string& name = config_.namespaces[i].name;
    return name.empty() ? namespace_labels_[i] : in_quotes(name);
  }

  // Reports namespace `later` whose prefix overlaps that of `earlier` (defined before it).
  void check_prefixes(std::size_t earlier, std::size_t later) {
    const Namespace& a = config_.namespaces[earlier];
    const Namespace& b = config_.namespaces[later];
    // Different databases never share keys.
    const bool shared_db = std::any_of(a.databases.begin(), a.databases.end(), [&](int db) {
      return std::find(b.databases.begin(), b.databases.end(), db) != b.databases.end();
    });
    if (!shared_db) return;
    const std::string other =
        namespace_labels_[earlier] + " (" + line_of(namespace_sources_[earlier].where) + ")";
    const Region& at = namespace_sources_[later].prefix->source();
    const std::string fix =
        "; end each prefix with a separator such as ':' so that none starts with another";
    if (a.prefix == b.prefix) {
      errors_.add(at, namespace_labels_[later] + ": prefix " + in_quotes(b.prefix) +
                          " is already the prefix of " + other +
                          "; the two would share every key (give one namespace several "
                          "credentials instead)");
    } else if (b.prefix.starts_with(a.prefix) && !a.trusted) {
      errors_.add(at, namespace_labels_[later] + ": prefix " + in_quotes(b.prefix) +
                          " starts with the prefix " + in_quotes(a.prefix) + " of " + other +
                          ", so clients of " + display(earlier) +
                          " could read and write this namespace's keys" + fix);
    } else if (a.prefix.starts_with(b.prefix) && !b.trusted) {
      errors_.add(at, namespace_labels_[later] + ": prefix " + in_quotes(b.prefix) +
                          " is the start of the prefix " + in_quotes(a.prefix) + " of " + other +
                          ", so clients of this namespace could read and write the keys of " +
                          display(earlier) + fix);
    }
  }

  std::string path_;
  Errors errors_;
  Config config_;
  std::vector<std::string> namespace_labels_;
  std::vector<NamespaceSource> namespace_sources_;
  std::vector<ListenerSource> listener_sources_;
  std::vector<Region> command_names_;
};

}  // namespace

std::string Error::to_string() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

const Namespace* Config::find_namespace(std::string_view name) const {
  for (const Namespace& ns : namespaces) {
    if (ns.name == name) return &ns;
  }
  return nullptr;
}

LoadResult load_config_string(std::string_view text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    LoadResult result;
    result.errors.push_back(Error{path, static_cast<int>(e.source().begin.line),
                                  static_cast<int>(e.source().begin.column),
                                  "invalid TOML: " + std::string(e.description())});
    return result;
  }
  return Loader(path).run(root);
}

LoadResult load_config_file(const std::string& path) {
  std::string text;
  if (std::string message =
          read_file(path, FileKind::RegularOrPipe, std::size_t{64} * 1024 * 1024, text);
      !message.empty()) {
    LoadResult result;
    result.errors.push_back(Error{path, 0, 0, "cannot read the config file: " + message});
    return result;
  }
  return load_config_string(text, path);
}

}  // namespace stdnet::config
