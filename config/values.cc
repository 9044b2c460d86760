#include "config/values.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace stdnet::config::detail {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string describe_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7f) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("a control character (0x") + kHex[u >> 4] + kHex[u & 15] + ")";
  }
  if (u >= 0x80) return "a non-ASCII character";
  if (c == ' ') return "a space";
  return std::string("'") + c + "'";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string check_prefix_chars(std::string_view prefix) {
  for (char c : prefix) {
    if (is_alnum(c) || c == '_' || c == '.' || c == ':' || c == '-') continue;
    return "contains " + describe_char(c) +
           "; a prefix may contain only letters, digits and _ . : -";
  }
  return {};
}

std::string check_name_chars(std::string_view name, std::string_view extra) {
  if (name.empty()) return "is empty";
  for (char c : name) {
    if (is_alnum(c) || extra.find(c) != std::string_view::npos) continue;
    std::string allowed;
    for (char e : extra) {
      allowed += ' ';
      allowed += e;
    }
    return "contains " + describe_char(c) + "; it may contain only letters, digits and" + allowed;
  }
  return {};
}

bool parse_int64(std::string_view text, std::int64_t& out, bool allow_negative) {
  if (text.empty()) return false;
  const bool negative = text.front() == '-';
  if (negative && !allow_negative) return false;
  const std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_seconds(std::string_view text, double& out) {
  // Digits with at most one '.', no sign, no exponent, no "inf"/"nan".
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  int dots = 0;
  for (char c : text) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  if (dots > 1) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out <= kMaxSeconds;
}

bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  auto starts_with = [](std::string_view text, std::string_view start) {
    if (start.size() < 3 || start.size() > text.size()) return false;
    for (std::size_t i = 0; i < start.size(); ++i) {
      if (lower(text[i]) != lower(start[i])) return false;
    }
    return true;
  };
  // "warning" -> "warn", "pass" -> "password".
  for (std::string_view candidate : candidates) {
    if (starts_with(word, candidate) || starts_with(candidate, word)) return candidate;
  }
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  // Close enough: at most 2 edits, and fewer edits than the word has characters (or 1/3 of it for
  // long words, so that "reconect_maximum" still finds "reconnect_max").
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  if (best.empty() || best_distance > allowed || best_distance >= word.size()) return {};
  return best;
}

std::string in_quotes(std::string_view text) {
  constexpr std::size_t kMax = 80;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == kMax) {
      out += "...";
      break;
    }
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace stdnet::config::detail
