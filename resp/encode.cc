// RESP encoder: every function appends to the output buffer.
#include "resp/encode.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace stdnet::resp {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// Appends <type><value>\r\n.
inline void append_line_int(Buffer& out, char type, std::int64_t value) {
  char buf[24];  // type + 20 characters of int64 + CRLF
  buf[0] = type;
  char* end = std::to_chars(buf + 1, buf + sizeof(buf) - 2, value).ptr;
  end[0] = '\r';
  end[1] = '\n';
  out.append(buf, static_cast<std::size_t>(end + 2 - buf));
}

}  // namespace

void append_array_header(Buffer& out, std::int64_t count) {
  append_line_int(out, '*', count);
}

void append_header(Buffer& out, char type, std::int64_t count) {
  append_line_int(out, type, count);
}

void append_bulk(Buffer& out, std::string_view value) {
  append_line_int(out, '$', static_cast<std::int64_t>(value.size()));
  out.append(value);
  out.append(kCrlf);
}

void append_bulk(Buffer& out, std::string_view prefix, std::string_view value) {
  append_line_int(out, '$', static_cast<std::int64_t>(prefix.size() + value.size()));
  out.append(prefix);
  out.append(value);
  out.append(kCrlf);
}

void append_simple(Buffer& out, std::string_view value) {
  out.push_back('+');
  out.append(value);
  out.append(kCrlf);
}

void append_error(Buffer& out, std::string_view message) {
  out.push_back('-');
  out.append(message);
  out.append(kCrlf);
}

void append_integer(Buffer& out, std::int64_t value) {
  append_line_int(out, ':', value);
}

void append_null(Buffer& out, int protocol) {
  out.append(protocol >= 3 ? "_\r\n" : "$-1\r\n");
}

void append_null_array(Buffer& out, int protocol) {
  out.append(protocol >= 3 ? "_\r\n" : "*-1\r\n");
}

// As Redis 7.0's addReplyDouble: "%.17g" (std::to_chars with general format and precision 17
// produces exactly that), with inf/-inf spelled out; RESP3 also spells NaN "nan".
void append_double(Buffer& out, double value, int protocol) {
  char buf[40];
  std::string_view text;
  if (std::isinf(value)) {
    text = value > 0 ? "inf" : "-inf";
  } else if (std::isnan(value)) {
    text = "nan";
  } else {
    char* end = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::general, 17).ptr;
    text = std::string_view(buf, static_cast<std::size_t>(end - buf));
  }
  if (protocol >= 3) {
    out.push_back(',');
    out.append(text);
    out.append(kCrlf);
  } else {
    append_bulk(out, text);
  }
}

void append_map_header(Buffer& out, std::int64_t pairs, int protocol) {
  if (protocol >= 3) {
    append_line_int(out, '%', pairs);
  } else {
    append_line_int(out, '*', 2 * pairs);
  }
}

void append_set_header(Buffer& out, std::int64_t count, int protocol) {
  append_line_int(out, protocol >= 3 ? '~' : '*', count);
}

void append_command(Buffer& out, std::initializer_list<std::string_view> args) {
  append_line_int(out, '*', static_cast<std::int64_t>(args.size()));
  for (std::string_view arg : args) append_bulk(out, arg);
}

// Redis's string2ll: optional '-', then "0" or a digit 1-9 followed by digits; no '+', no spaces,
// no leading zeros, no "-0"; must fit in a signed 64-bit integer.
bool parse_int64(std::string_view text, std::int64_t& value) {
  const std::size_t n = text.size();
  if (n == 0 || n > 20) return false;
  if (n == 1 && text[0] == '0') {
    value = 0;
    return true;
  }
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    i = 1;
    if (n == 1) return false;
  }
  if (text[i] < '1' || text[i] > '9') return false;
  std::uint64_t v = 0;
  for (; i < n; ++i) {
    const unsigned d = static_cast<unsigned char>(text[i]) - static_cast<unsigned>('0');
    if (d > 9) return false;
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
    v = v * 10 + d;
  }
  const std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (v > max + 1) return false;
    value = static_cast<std::int64_t>(0 - v);
  } else {
    if (v > max) return false;
    value = static_cast<std::int64_t>(v);
  }
  return true;
}

}  // namespace stdnet::resp
