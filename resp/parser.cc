// Request parser: RESP multibulk and inline commands, following Redis 7.0's processMultibulkBuffer
// and processInlineBuffer (src/networking.c) and sdssplitargs (src/sds.c).
//
// Differences from Redis, all deliberate:
//  - Every length limit is applied to the length of the line, so the result never depends on how
//    the input was split into reads (Redis looks at how many bytes happen to be buffered).
//  - A count line whose '\r' is not followed by '\n' is invalid (Redis skips the byte unchecked).
//  - Bulk data must be followed by "\r\n" (Redis skips two bytes unchecked).
//  - NUL bytes in inline commands are ordinary bytes (Redis's C-string handling truncates there).
//  - "*0", "*-1" (any count <= 0) and blank inline lines return Ok with no arguments (Redis skips
//    them silently); the caller ignores such requests.
#include "resp/parser.h"

#include <algorithm>
#include <cstring>

#include "resp/encode.h"

namespace stdnet::resp {
namespace {

enum State : int {
  kStart = 0,  // no byte of the frame seen yet
  kCount,      // reading "*<count>\r\n"
  kBulkLen,    // reading "$<len>\r\n" at pos_
  kBulkData,   // waiting for bulk_len_ bytes + "\r\n" at pos_
  kInline,     // waiting for '\n'
  kDone,       // returned Ok; the next parse() starts a new frame
  kFailed,     // returned Error; sticky until reset()
};

constexpr std::size_t kInitialArgReserve = 1024;  // Redis: argv_len = min(multibulklen, 1024)

enum class Line : std::uint8_t { Found, NeedMore, TooLong };

// Finds the '\r' ending the line that starts at `start`, resuming the search at `search`. The line
// (without "\r\n") may be at most `max_len` bytes long. On NeedMore, `search` is updated so the
// next call does not look at the same bytes again.
inline Line find_cr(std::string_view input, std::size_t start, std::size_t max_len,
                    std::size_t& search, std::size_t& cr) {
  const std::size_t limit = std::min(input.size(), start + max_len + 1);
  std::size_t from = std::max(search, start);
  if (from < limit) {
    const void* hit = std::memchr(input.data() + from, '\r', limit - from);
    if (hit != nullptr) {
      cr = static_cast<std::size_t>(static_cast<const char*>(hit) - input.data());
      search = cr;
      return cr + 1 < input.size() ? Line::Found : Line::NeedMore;
    }
  }
  if (limit - start > max_len) return Line::TooLong;
  search = limit;
  return Line::NeedMore;
}

// Fast path for the common length line "<type><digits>\r\n" in canonical form (no sign, no leading
// zero, at most 18 digits, not longer than max_len): one pass, no memchr, no string2ll. Anything
// else goes to the general path, which gives the same result for these lines.
inline bool fast_length_line(std::string_view input, std::size_t start, char type,
                             std::size_t max_len, std::int64_t& value, std::size_t& cr) {
  const char* const data = input.data();
  const std::size_t size = input.size();
  if (start >= size || data[start] != type) return false;
  std::size_t i = start + 1;
  const std::size_t digits_end = std::min(size, i + 18);
  std::int64_t v = 0;
  while (i < digits_end) {
    const unsigned d = static_cast<unsigned char>(data[i]) - static_cast<unsigned>('0');
    if (d > 9) break;
    v = v * 10 + static_cast<std::int64_t>(d);
    ++i;
  }
  const std::size_t digits = i - start - 1;
  if (digits == 0 || i + 1 >= size || data[i] != '\r' || data[i + 1] != '\n') return false;
  if (digits > 1 && data[start + 1] == '0') return false;
  if (i - start > max_len) return false;
  value = v;
  cr = i;
  return true;
}

// isspace() in the C locale, as sdssplitargs uses it.
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

RequestParser::RequestParser(Limits limits) : limits_(limits) {
  positions_.reserve(16);
  views_.reserve(16);
}

void RequestParser::begin_frame() {
  state_ = kStart;
  pos_ = 0;
  search_ = 0;
  multibulk_len_ = -1;
  bulk_len_ = -1;
  positions_.clear();
  views_.clear();
  request_ = Request{};
  consumed_ = 0;
}

void RequestParser::reset() {
  begin_frame();
  error_ = {};
}

ParseStatus RequestParser::fail(std::string_view message) {
  state_ = kFailed;
  consumed_ = 0;
  positions_.clear();
  views_.clear();
  request_ = Request{};
  error_ = message;
  return ParseStatus::Error;
}

ParseStatus RequestParser::finish(std::string_view input, std::size_t frame_len, bool is_inline) {
  state_ = kDone;
  consumed_ = frame_len;
  request_.args = std::span<const std::string_view>(views_.data(), views_.size());
  request_.raw = input.substr(0, frame_len);
  request_.is_inline = is_inline;
  return ParseStatus::Ok;
}

ParseStatus RequestParser::parse(std::string_view input) {
  if (state_ == kFailed) return ParseStatus::Error;
  if (state_ == kDone) begin_frame();
  if (state_ == kStart) {
    if (input.empty()) return ParseStatus::NeedMore;
    if (input[0] == '*') {
      state_ = kCount;
      search_ = 1;
    } else {
      state_ = kInline;
    }
  }
  return state_ == kInline ? parse_inline(input) : parse_multibulk(input);
}

ParseStatus RequestParser::parse_multibulk(std::string_view input) {
  const char* const data = input.data();
  std::size_t cr = 0;
  std::int64_t value = 0;

  if (state_ == kCount) {
    if (!fast_length_line(input, 0, '*', limits_.max_inline_len, value, cr)) {
      switch (find_cr(input, 0, limits_.max_inline_len, search_, cr)) {
        case Line::NeedMore:
          return ParseStatus::NeedMore;
        case Line::TooLong:
          return fail("Protocol error: too big mbulk count string");
        case Line::Found:
          break;
      }
      if (data[cr + 1] != '\n' || !parse_int64(input.substr(1, cr - 1), value)) {
        return fail("Protocol error: invalid multibulk length");
      }
    }
    if (value > 0 && static_cast<std::uint64_t>(value) > limits_.max_multibulk_len) {
      return fail("Protocol error: invalid multibulk length");
    }
    if (!authenticated_ && value > 0 &&
        static_cast<std::uint64_t>(value) > limits_.unauth_max_multibulk_len) {
      return fail("Protocol error: unauthenticated multibulk length");
    }
    pos_ = cr + 2;
    if (value <= 0) return finish(input, pos_, false);  // "*0", "*-1": an empty request
    multibulk_len_ = value;
    if (positions_.capacity() < kInitialArgReserve) {
      positions_.reserve(
          std::min<std::size_t>(static_cast<std::size_t>(value), kInitialArgReserve));
    }
    state_ = kBulkLen;
    search_ = pos_;
  }

  while (positions_.size() < static_cast<std::size_t>(multibulk_len_)) {
    if (state_ == kBulkLen) {
      if (!fast_length_line(input, pos_, '$', limits_.max_inline_len, value, cr)) {
        switch (find_cr(input, pos_, limits_.max_inline_len, search_, cr)) {
          case Line::NeedMore:
            return ParseStatus::NeedMore;
          case Line::TooLong:
            return fail("Protocol error: too big bulk count string");
          case Line::Found:
            break;
        }
        if (data[pos_] != '$') {
          char got = data[pos_];
          if (got == '\r' || got == '\n') got = ' ';  // as Redis: no newline inside an error line
          error_text_.assign("Protocol error: expected '$', got '");
          error_text_.push_back(got);
          error_text_.push_back('\'');
          return fail(error_text_);
        }
        if (data[cr + 1] != '\n' || !parse_int64(input.substr(pos_ + 1, cr - pos_ - 1), value) ||
            value < 0) {
          return fail("Protocol error: invalid bulk length");
        }
      }
      if (static_cast<std::uint64_t>(value) > limits_.max_bulk_len) {
        return fail("Protocol error: invalid bulk length");
      }
      if (!authenticated_ && static_cast<std::uint64_t>(value) > limits_.unauth_max_bulk_len) {
        return fail("Protocol error: unauthenticated bulk length");
      }
      bulk_len_ = value;
      pos_ = cr + 2;
      state_ = kBulkData;
    }
    // kBulkData: the payload's end is known; jump straight to it.
    const std::size_t end = pos_ + static_cast<std::size_t>(bulk_len_);
    if (input.size() < end + 2) return ParseStatus::NeedMore;
    if (data[end] != '\r' || data[end + 1] != '\n') {
      return fail("Protocol error: expected CRLF after bulk data");
    }
    positions_.push_back(ArgPos{pos_, static_cast<std::size_t>(bulk_len_)});
    pos_ = end + 2;
    search_ = pos_;
    state_ = kBulkLen;
  }

  views_.clear();
  for (const ArgPos& arg : positions_) views_.emplace_back(data + arg.offset, arg.length);
  return finish(input, pos_, false);
}

ParseStatus RequestParser::parse_inline(std::string_view input) {
  // The line (everything before '\n') may be at most max_inline_len bytes.
  const std::size_t limit = std::min(input.size(), limits_.max_inline_len + 1);
  std::size_t nl = std::string_view::npos;
  if (search_ < limit) {
    const void* hit = std::memchr(input.data() + search_, '\n', limit - search_);
    if (hit != nullptr) nl = static_cast<std::size_t>(static_cast<const char*>(hit) - input.data());
  }
  if (nl == std::string_view::npos) {
    if (limit > limits_.max_inline_len) return fail("Protocol error: too big inline request");
    search_ = limit;
    return ParseStatus::NeedMore;
  }
  std::size_t line_end = nl;
  if (line_end > 0 && input[line_end - 1] == '\r') --line_end;
  if (!split_inline(input.substr(0, line_end))) {
    return fail("Protocol error: unbalanced quotes in request");
  }
  return finish(input, nl + 1, true);
}

// sdssplitargs: arguments separated by blanks; "double quotes" with \n \r \t \b \a \xHH and
// \<any> escapes; 'single quotes' with \' only; a closing quote must be followed by a blank or the
// end of the line. Unquoted arguments are views into the input; quoted ones are unescaped into
// inline_scratch_, which is reserved up front so that it never moves while views point into it.
bool RequestParser::split_inline(std::string_view line) {
  views_.clear();
  inline_scratch_.clear();
  if (inline_scratch_.capacity() < line.size()) inline_scratch_.reserve(line.size());
  const std::size_t n = line.size();
  std::size_t i = 0;
  while (true) {
    while (i < n && is_space(line[i])) ++i;
    if (i >= n) return true;
    const std::size_t token_start = i;
    while (i < n) {
      const char c = line[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'') break;
      ++i;
    }
    if (i >= n || (line[i] != '"' && line[i] != '\'')) {
      views_.push_back(line.substr(token_start, i - token_start));  // zero-copy
      continue;
    }
    // The token contains quotes: build it in the scratch buffer.
    const std::size_t scratch_start = inline_scratch_.size();
    inline_scratch_.append(line.data() + token_start, i - token_start);
    enum { kUnquoted, kDouble, kSingle } mode = kUnquoted;
    bool done = false;
    while (!done) {
      if (i >= n) {
        if (mode != kUnquoted) return false;  // unterminated quotes
        break;
      }
      const char c = line[i];
      if (mode == kDouble) {
        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && hex_value(line[i + 2]) >= 0 &&
            hex_value(line[i + 3]) >= 0) {
          inline_scratch_.push_back(
              static_cast<char>(hex_value(line[i + 2]) * 16 + hex_value(line[i + 3])));
          i += 4;
        } else if (c == '\\' && i + 1 < n) {
          char e = line[i + 1];
          switch (e) {
            case 'n':
              e = '\n';
              break;
            case 'r':
              e = '\r';
              break;
            case 't':
              e = '\t';
              break;
            case 'b':
              e = '\b';
              break;
            case 'a':
              e = '\a';
              break;
            default:
              break;
          }
          inline_scratch_.push_back(e);
          i += 2;
        } else if (c == '"') {
          if (i + 1 < n && !is_space(line[i + 1])) return false;
          ++i;
          done = true;
        } else {
          inline_scratch_.push_back(c);
          ++i;
        }
      } else if (mode == kSingle) {
        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
          inline_scratch_.push_back('\'');
          i += 2;
        } else if (c == '\'') {
          if (i + 1 < n && !is_space(line[i + 1])) return false;
          ++i;
          done = true;
        } else {
          inline_scratch_.push_back(c);
          ++i;
        }
      } else {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          ++i;
          done = true;
        } else if (c == '"') {
          mode = kDouble;
          ++i;
        } else if (c == '\'') {
          mode = kSingle;
          ++i;
        } else {
          inline_scratch_.push_back(c);
          ++i;
        }
      }
    }
    views_.emplace_back(inline_scratch_.data() + scratch_start,
                        inline_scratch_.size() - scratch_start);
  }
}

}  // namespace stdnet::resp
