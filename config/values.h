// Value parsers shared by the config loader and the URL/address parsers (internal to config/).
// Each returns an error message (what is wrong and what is expected), or empty on success.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stdnet::config::detail {

// A key prefix: letters, digits and _ . : - only (never glob or hash-tag characters).
std::string check_prefix_chars(std::string_view prefix);
// Names of namespaces and commands: letters, digits and `extra`; not empty.
std::string check_name_chars(std::string_view name, std::string_view extra);
// Strict decimal integer (digits only, optional leading '-' when allow_negative).
bool parse_int64(std::string_view text, std::int64_t& out, bool allow_negative = false);
// Durations are capped so that any unit (down to nanoseconds) fits in 64 bits.
constexpr double kMaxSeconds = 1e9;
// A non-negative decimal number of seconds, at most kMaxSeconds ("2", "0.5").
bool parse_seconds(std::string_view text, double& out);
// Decodes %XX escapes; returns false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out);
// Edit distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word` (case-insensitive), or empty when none is close enough.
std::string_view closest(std::string_view word, const std::vector<std::string_view>& candidates);
// `text` in double quotes, with control characters escaped and long text shortened.
std::string in_quotes(std::string_view text);

}  // namespace stdnet::config::detail
