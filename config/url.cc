// Addresses, backend URLs and byte sizes: the string-valued settings with a syntax of their own.
#include <algorithm>
#include <climits>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/values.h"

namespace stdnet::config {
namespace {

// sockaddr_un::sun_path holds 108 bytes on Linux, including the terminating NUL.
constexpr std::size_t kMaxUnixPath = 107;

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

bool is_ipv6_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

std::string parse_port(std::string_view text, std::uint16_t& port) {
  std::int64_t value = 0;
  if (!detail::parse_int64(text, value)) {
    return "port " + detail::in_quotes(text) + " is not a number; expected a port from 1 to 65535";
  }
  if (value < 1 || value > 65535) {
    return "port " + std::string(text) + " is out of range; expected a port from 1 to 65535";
  }
  port = static_cast<std::uint16_t>(value);
  return {};
}

std::string parse_unix_path(std::string_view path, Address& out) {
  if (path.empty()) return "the unix socket path is empty; expected unix:/path/to.sock";
  if (path.find('\0') != std::string_view::npos) return "the unix socket path contains a NUL byte";
  if (path.size() > kMaxUnixPath) {
    return "the unix socket path is " + std::to_string(path.size()) +
           " bytes long; the system allows at most " + std::to_string(kMaxUnixPath);
  }
  out = Address{};
  out.unix_path = std::string(path);
  return {};
}

// "host:port" or "[v6]:port"; the port may be omitted when default_port is non-zero.
std::string parse_host_port(std::string_view text, std::uint16_t default_port, Address& out) {
  const std::string_view expected =
      default_port != 0 ? "expected host[:port], [::1][:port]" : "expected host:port, [::1]:port";
  std::string_view host;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return "the IPv6 address has no closing ']'; " + std::string(expected);
    }
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return "unexpected " + detail::in_quotes(rest) + " after ']'; " + std::string(expected);
      }
      has_port = true;
      port_text = rest.substr(1);
    }
    if (host.empty()) return "the IPv6 address in [] is empty; " + std::string(expected);
    const std::size_t zone = host.find('%');
    const std::string_view address_part = host.substr(0, zone);
    if (address_part.find(':') == std::string_view::npos ||
        !std::all_of(address_part.begin(), address_part.end(), is_ipv6_char)) {
      return detail::in_quotes(host) + " is not an IPv6 address; " + std::string(expected);
    }
    if (zone != std::string_view::npos) {
      const std::string_view zone_id = host.substr(zone + 1);
      if (zone_id.empty() || !std::all_of(zone_id.begin(), zone_id.end(), is_host_char)) {
        return "the IPv6 zone in " + detail::in_quotes(host) + " is not valid";
      }
    }
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon != std::string_view::npos &&
        text.substr(0, colon).find(':') != std::string_view::npos) {
      return "an IPv6 address must be written in brackets, e.g. [::1]:6380";
    }
    host = text.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = text.substr(colon + 1);
    }
    if (host.empty()) {
      return "the host is empty; " + std::string(expected) +
             " (use 0.0.0.0 or [::] to listen on every interface)";
    }
    for (char c : host) {
      if (!is_host_char(c)) {
        return "the host " + detail::in_quotes(host) + " contains " +
               (c == ' ' ? std::string("a space") : detail::in_quotes(std::string_view(&c, 1))) +
               "; " + std::string(expected);
      }
    }
  }
  Address address;
  address.host = std::string(host);
  if (has_port) {
    if (std::string error = parse_port(port_text, address.port); !error.empty()) return error;
  } else if (default_port != 0) {
    address.port = default_port;
  } else {
    return "the port is missing; " + std::string(expected) + " or unix:/path";
  }
  out = std::move(address);
  return {};
}

struct QueryParam {
  std::string_view name;
  std::string_view raw_value;
};

}  // namespace

std::string Address::to_string() const {
  if (is_unix()) return "unix:" + unix_path;
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::string parse_address(std::string_view text, Address& out) {
  if (text.starts_with("unix:")) {
    std::string_view path = text.substr(5);
    if (path.starts_with("//")) path.remove_prefix(2);  // unix:///path
    return parse_unix_path(path, out);
  }
  if (text.empty()) return "the address is empty; expected host:port, [::1]:port or unix:/path";
  if (text.find("://") != std::string_view::npos) {
    return "expected host:port, [::1]:port or unix:/path, not a URL";
  }
  return parse_host_port(text, 0, out);
}

std::string parse_backend_url(std::string_view url, BackendUrl& out) {
  BackendUrl result;
  const std::size_t question = url.find('?');
  const std::string_view query = question == std::string_view::npos ? "" : url.substr(question + 1);
  std::string_view location = url.substr(0, question);

  bool password_in_userinfo = false;
  std::string_view path_db;
  if (location.starts_with("unix:")) {
    std::string_view path = location.substr(5);
    if (path.starts_with("//")) path.remove_prefix(2);  // unix:///path
    if (std::string error = parse_unix_path(path, result.address); !error.empty()) return error;
  } else if (location.starts_with("redis://")) {
    std::string_view rest = location.substr(8);
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) path_db = rest.substr(slash + 1);
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      const std::string_view userinfo = authority.substr(0, at);
      authority = authority.substr(at + 1);
      const std::size_t colon = userinfo.find(':');
      if (colon == std::string_view::npos) {
        return "the user in user@host has no password; write redis://user:password@host:port";
      }
      if (!detail::percent_decode(userinfo.substr(0, colon), result.user)) {
        return "the user name has an invalid %-escape; write %XX with two hex digits";
      }
      if (!detail::percent_decode(userinfo.substr(colon + 1), result.password)) {
        return "the password has an invalid %-escape; write %XX with two hex digits "
               "(a literal '%' is %25)";
      }
      password_in_userinfo = true;
    }
    if (std::string error = parse_host_port(authority, 6379, result.address); !error.empty()) {
      return error;
    }
  } else if (location.starts_with("rediss://")) {
    return "TLS (rediss://) is not supported; use redis://host:port or unix:/path";
  } else {
    return "expected redis://[user:password@]host:port[?db=N&...] or unix:/path[?db=N&...]";
  }

  std::int64_t db = 0;
  bool db_given = false;
  if (!path_db.empty()) {
    if (!detail::parse_int64(path_db, db) || db > INT_MAX) {
      return "the path /" + std::string(path_db) +
             " is not a database number; write redis://host:port/N or ?db=N";
    }
    db_given = true;
  }

  static const std::vector<std::string_view> kParams = {"db", "password", "user", "timeout",
                                                        "namespace"};
  std::vector<std::string_view> seen;
  std::string_view rest = query;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    const std::string_view name = item.substr(0, eq);
    const std::string_view raw = eq == std::string_view::npos ? "" : item.substr(eq + 1);
    if (std::find(kParams.begin(), kParams.end(), name) == kParams.end()) {
      std::string message = "unknown parameter " + detail::in_quotes(name);
      if (std::string_view hint = detail::closest(name, kParams); !hint.empty()) {
        message += "; did you mean " + detail::in_quotes(hint) + "?";
      } else {
        message += "; expected db, password, user, timeout or namespace";
      }
      return message;
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return "the parameter " + std::string(name) + " is given twice";
    }
    seen.push_back(name);
    std::string value;
    if (!detail::percent_decode(raw, value)) {
      return "the value of " + std::string(name) +
             " has an invalid %-escape; write %XX with two hex digits (a literal '%' is %25)";
    }
    if (name == "db") {
      if (db_given) return "the database is given twice (as /N and as ?db=N)";
      if (!detail::parse_int64(value, db) || db > INT_MAX) {
        return "db=" + value + " is not a database number; expected an integer >= 0";
      }
      db_given = true;
    } else if (name == "password") {
      if (password_in_userinfo) {
        return "the password is given twice (in user:password@ and as ?password=)";
      }
      result.password = std::move(value);
    } else if (name == "user") {
      if (!result.user.empty()) return "the user is given twice (in user:password@ and as ?user=)";
      result.user = std::move(value);
    } else if (name == "timeout") {
      if (!detail::parse_seconds(value, result.timeout_seconds)) {
        return "timeout=" + value + " is not a number of seconds; expected e.g. timeout=5 or 0.5";
      }
    } else if (name == "namespace") {
      if (std::string error = detail::check_prefix_chars(value); !error.empty()) {
        return "namespace=" + detail::in_quotes(value) + " " + error;
      }
      result.namespace_prefix = std::move(value);
    }
  }
  if (!result.user.empty() && result.password.empty()) {
    return "user=" + result.user + " is given without a password; add &password=...";
  }
  result.db = static_cast<int>(db);
  out = std::move(result);
  return {};
}

std::string parse_size(std::string_view text, std::uint64_t& out) {
  // Redis's units: k/m/g are powers of 1000, kb/mb/gb powers of 1024; case-insensitive.
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string_view number = text.substr(0, digits);
  std::string_view unit_text = text.substr(digits);
  while (!unit_text.empty() && unit_text.front() == ' ') unit_text.remove_prefix(1);  // "256 mb"
  std::string unit(unit_text);
  std::transform(unit.begin(), unit.end(), unit.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const std::string expected =
      "expected bytes with an optional unit, e.g. 1048576, \"512kb\", "
      "\"256mb\" or \"1gb\" (k/m/g: 1000s, kb/mb/gb: 1024s)";
  std::int64_t value = 0;
  if (number.empty() || !detail::parse_int64(number, value)) {
    return detail::in_quotes(text) + " is not a size; " + expected;
  }
  std::uint64_t multiplier = 0;
  if (unit.empty() || unit == "b") {
    multiplier = 1;
  } else if (unit == "k") {
    multiplier = 1000;
  } else if (unit == "kb") {
    multiplier = 1024;
  } else if (unit == "m") {
    multiplier = 1000 * 1000;
  } else if (unit == "mb") {
    multiplier = 1024 * 1024;
  } else if (unit == "g") {
    multiplier = 1000ull * 1000 * 1000;
  } else if (unit == "gb") {
    multiplier = 1024ull * 1024 * 1024;
  } else {
    return detail::in_quotes(text) + " has an unknown unit " + detail::in_quotes(unit_text) + "; " +
           expected;
  }
  const auto magnitude = static_cast<std::uint64_t>(value);
  if (magnitude > UINT64_MAX / multiplier) return detail::in_quotes(text) + " is too large";
  out = magnitude * multiplier;
  return {};
}

}  // namespace stdnet::config
