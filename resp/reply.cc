// Backend reply scanner and tree parser. Both read elements with the same helpers, so they accept
// and reject exactly the same inputs (the fuzz target checks this).
#include "resp/reply.h"

#include <cstring>
#include <limits>

namespace stdnet::resp {
namespace {

constexpr std::size_t kMaxDepth = 1024;  // nested aggregates (attributes included)
constexpr std::int64_t kMaxCount = std::int64_t{1} << 60;  // elements in one aggregate

enum State : std::uint8_t {
  kElement = 0,  // pos_ is the first byte of the next element
  kInBulk,       // pos_ is where the CRLF after a bulk payload must be
  kDone,         // returned Ok; the next scan() starts a new reply
  kFailed,       // returned Error; sticky until reset()
};

enum class Step : std::uint8_t { Ok, NeedMore, Error };

constexpr std::string_view kBadType = "Protocol error: invalid reply type byte";
constexpr std::string_view kBadLength = "Protocol error: invalid length or count in reply";
constexpr std::string_view kBadLine = "Protocol error: invalid line in reply";
constexpr std::string_view kBadCrlf = "Protocol error: expected CRLF after bulk data in reply";
constexpr std::string_view kTooDeep = "Protocol error: reply nested more than 1024 levels deep";

// Reads "<int64>\r\n" starting at `i`. Sets `next` to the byte after the '\n'.
inline Step read_number(std::string_view in, std::size_t i, std::int64_t& value,
                        std::size_t& next) {
  const std::size_t n = in.size();
  bool negative = false;
  if (i < n && in[i] == '-') {
    negative = true;
    ++i;
  }
  std::uint64_t v = 0;
  int digits = 0;
  while (i < n) {
    const unsigned d = static_cast<unsigned char>(in[i]) - static_cast<unsigned>('0');
    if (d > 9) break;
    if (++digits > 19) return Step::Error;
    v = v * 10 + d;
    ++i;
  }
  if (i >= n) return Step::NeedMore;
  if (in[i] != '\r' || digits == 0) return Step::Error;
  if (i + 1 >= n) return Step::NeedMore;
  if (in[i + 1] != '\n') return Step::Error;
  const std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (v > max + 1) return Step::Error;
    value = static_cast<std::int64_t>(0 - v);
  } else {
    if (v > max) return Step::Error;
    value = static_cast<std::int64_t>(v);
  }
  next = i + 2;
  return Step::Ok;
}

// Finds the "\r\n" ending a simple line whose content starts at `start`; resumes at `search`.
inline Step find_line(std::string_view in, std::size_t start, std::size_t& search,
                      std::size_t& cr) {
  const std::size_t n = in.size();
  const std::size_t from = search > start ? search : start;
  if (from < n) {
    const void* hit = std::memchr(in.data() + from, '\r', n - from);
    if (hit != nullptr) {
      cr = static_cast<std::size_t>(static_cast<const char*>(hit) - in.data());
      if (cr + 1 >= n) {
        search = cr;
        return Step::NeedMore;
      }
      return in[cr + 1] == '\n' ? Step::Ok : Step::Error;
    }
  }
  search = n;
  return Step::NeedMore;
}

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Content rules for the simple-line types other than + and - (which may hold any text).
inline bool valid_line(char type, std::string_view s) {
  switch (type) {
    case '_':
      return s.empty();
    case '#':
      return s == "t" || s == "f";
    case '(':
      if (!s.empty() && s[0] == '-') s.remove_prefix(1);
      return all_digits(s);
    case ',': {
      if (s == "inf" || s == "-inf" || s == "+inf" || s == "nan" || s == "-nan") return true;
      bool digit = false;
      for (char c : s) {
        if (c >= '0' && c <= '9') {
          digit = true;
        } else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') {
          return false;
        }
      }
      return digit;
    }
    default:
      return true;
  }
}

inline bool is_line_type(char t) {
  return t == '+' || t == '-' || t == '(' || t == ',' || t == '#' || t == '_';
}
inline bool is_bulk_type(char t) {
  return t == '$' || t == '=' || t == '!';
}
inline bool is_aggregate_type(char t) {
  return t == '*' || t == '%' || t == '~' || t == '>' || t == '|';
}
// Aggregates that may be null (-1): RESP2's *-1, and what hiredis accepts for maps and sets.
inline bool nullable_aggregate(char t) {
  return t == '*' || t == '%' || t == '~';
}

// A value just ended. Pops every aggregate it completes; true when the whole reply is complete.
inline bool complete_value(std::vector<std::int64_t>& pending) {
  while (!pending.empty()) {
    std::int64_t& top = pending.back();
    top -= 2;
    if (top >= 2) return false;
    const bool attribute = (top & 1) != 0;
    pending.pop_back();
    if (attribute) return false;  // an attribute ends; the value it annotates follows
  }
  return true;
}

}  // namespace

void ReplyScanner::reset() {
  pos_ = 0;
  search_ = 0;
  pending_.clear();
  length_ = 0;
  type_ = 0;
  state_ = kElement;
  error_ = {};
}

ScanStatus ReplyScanner::fail(std::string_view message) {
  state_ = kFailed;
  error_ = message;
  length_ = 0;
  return ScanStatus::Error;
}

ScanStatus ReplyScanner::scan(std::string_view input) {
  if (state_ == kFailed) return ScanStatus::Error;
  if (state_ == kDone) reset();
  const char* const p = input.data();
  const std::size_t n = input.size();
  std::size_t pos = pos_;

  if (state_ == kInBulk) {
    if (n < pos + 2) return ScanStatus::NeedMore;
    if (p[pos] != '\r' || p[pos + 1] != '\n') return fail(kBadCrlf);
    pos += 2;
    state_ = kElement;
    if (complete_value(pending_)) {
      state_ = kDone;
      pos_ = length_ = pos;
      return ScanStatus::Ok;
    }
  }

  while (true) {
    if (pos >= n) {
      pos_ = pos;
      return ScanStatus::NeedMore;
    }
    const char t = p[pos];
    if (pending_.empty() && t != '|') type_ = t;
    std::int64_t len = 0;
    std::size_t next = 0;
    if (is_bulk_type(t)) {
      const Step step = read_number(input, pos + 1, len, next);
      if (step != Step::Ok) {
        if (step == Step::Error) return fail(kBadLength);
        pos_ = pos;
        return ScanStatus::NeedMore;
      }
      if (len < 0) {
        if (len != -1 || t != '$') return fail(kBadLength);
        pos = next;  // $-1: null
      } else {
        const std::size_t end = next + static_cast<std::size_t>(len);
        if (n < end + 2) {
          pos_ = end;  // resume straight at the payload's end
          state_ = kInBulk;
          return ScanStatus::NeedMore;
        }
        if (p[end] != '\r' || p[end + 1] != '\n') return fail(kBadCrlf);
        pos = end + 2;
      }
    } else if (is_aggregate_type(t)) {
      const Step step = read_number(input, pos + 1, len, next);
      if (step != Step::Ok) {
        if (step == Step::Error) return fail(kBadLength);
        pos_ = pos;
        return ScanStatus::NeedMore;
      }
      pos = next;
      if (len < 0) {
        if (len != -1 || !nullable_aggregate(t)) return fail(kBadLength);
      } else {
        if (len > kMaxCount) return fail(kBadLength);
        const std::int64_t count = (t == '%' || t == '|') ? 2 * len : len;
        if (count > 0) {
          if (pending_.size() >= kMaxDepth) return fail(kTooDeep);
          pending_.push_back(2 * count + (t == '|' ? 1 : 0));
          continue;
        }
        if (t == '|') continue;  // empty attribute: the value follows
      }
    } else if (t == ':') {
      const Step step = read_number(input, pos + 1, len, next);
      if (step != Step::Ok) {
        if (step == Step::Error) return fail(kBadLine);
        pos_ = pos;
        return ScanStatus::NeedMore;
      }
      pos = next;
    } else if (is_line_type(t)) {
      std::size_t cr = 0;
      const Step step = find_line(input, pos + 1, search_, cr);
      if (step != Step::Ok) {
        if (step == Step::Error) return fail(kBadLine);
        pos_ = pos;
        return ScanStatus::NeedMore;
      }
      if (!valid_line(t, input.substr(pos + 1, cr - pos - 1))) return fail(kBadLine);
      pos = cr + 2;
    } else {
      return fail(kBadType);
    }
    if (complete_value(pending_)) {
      state_ = kDone;
      pos_ = length_ = pos;
      return ScanStatus::Ok;
    }
  }
}

namespace {

class TreeParser {
 public:
  TreeParser(std::string_view in, std::vector<ReplyNode>& out) : in_(in), out_(out) {}

  bool parse() { return element(0) && pos_ == in_.size(); }

 private:
  // One value, preceded by any attributes annotating it. `depth`: enclosing aggregates.
  bool element(std::size_t depth) {
    while (true) {
      if (pos_ >= in_.size()) return false;
      const std::size_t start = pos_;
      const char t = in_[pos_];
      std::int64_t len = 0;
      std::size_t next = 0;
      if (is_bulk_type(t)) {
        if (read_number(in_, pos_ + 1, len, next) != Step::Ok) return false;
        if (len < 0) {
          if (len != -1 || t != '$') return false;
          pos_ = next;
          out_.push_back(ReplyNode{t, -1, {}, in_.substr(start, pos_ - start)});
          return true;
        }
        const std::size_t end = next + static_cast<std::size_t>(len);
        if (in_.size() < end + 2 || in_[end] != '\r' || in_[end + 1] != '\n') return false;
        pos_ = end + 2;
        out_.push_back(ReplyNode{t, len, in_.substr(next, static_cast<std::size_t>(len)),
                                 in_.substr(start, pos_ - start)});
        return true;
      }
      if (is_aggregate_type(t)) {
        if (read_number(in_, pos_ + 1, len, next) != Step::Ok) return false;
        pos_ = next;
        if (len < 0) {
          if (len != -1 || !nullable_aggregate(t)) return false;
          out_.push_back(ReplyNode{t, -1, {}, in_.substr(start, pos_ - start)});
          return true;
        }
        if (len > kMaxCount) return false;
        const std::int64_t count = (t == '%' || t == '|') ? 2 * len : len;
        const std::size_t index = out_.size();
        out_.push_back(ReplyNode{t, count, {}, {}});
        if (count > 0) {
          if (depth >= kMaxDepth) return false;
          for (std::int64_t i = 0; i < count; ++i) {
            if (!element(depth + 1)) return false;
          }
        }
        out_[index].raw = in_.substr(start, pos_ - start);
        if (t == '|') continue;  // the annotated value follows
        return true;
      }
      if (t == ':') {
        if (read_number(in_, pos_ + 1, len, next) != Step::Ok) return false;
        pos_ = next;
        out_.push_back(ReplyNode{t, len, in_.substr(start + 1, next - start - 3),
                                 in_.substr(start, pos_ - start)});
        return true;
      }
      if (is_line_type(t)) {
        std::size_t search = 0;
        std::size_t cr = 0;
        if (find_line(in_, pos_ + 1, search, cr) != Step::Ok) return false;
        const std::string_view data = in_.substr(start + 1, cr - start - 1);
        if (!valid_line(t, data)) return false;
        pos_ = cr + 2;
        out_.push_back(ReplyNode{t, 0, data, in_.substr(start, pos_ - start)});
        return true;
      }
      return false;
    }
  }

  std::string_view in_;
  std::vector<ReplyNode>& out_;
  std::size_t pos_ = 0;
};

}  // namespace

bool parse_reply(std::string_view reply, std::vector<ReplyNode>& out) {
  out.clear();
  return TreeParser(reply, out).parse();
}

}  // namespace stdnet::resp
