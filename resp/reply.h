// Backend replies: find where each reply ends (scanner), or read one into a flat tree of views.
// RESP2 and every RESP3 type: + - : $ * _ , # ( ! = % ~ | >  (attributes are attached to the value
// that follows them and returned as one unit). Neither allocates per element once warmed up.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace stdnet::resp {

enum class ScanStatus : std::uint8_t { Ok, NeedMore, Error };

// Resumable: call scan() with a view starting at the first byte of the reply; on NeedMore, call again
// with a longer view (same start, buffer may move). On Ok, length() is the byte length of the reply
// (including any leading attribute) and type() is the first byte of the value ('>' for a push).
// After Ok the next scan() starts a new reply; after Error, scan() fails until reset().
class ReplyScanner {
 public:
  ScanStatus scan(std::string_view input);
  std::size_t length() const { return length_; }
  char type() const { return type_; }
  std::string_view error() const { return error_; }
  void reset();

 private:
  ScanStatus fail(std::string_view message);

  std::size_t pos_ = 0;     // next element's first byte, or (in a bulk) where its CRLF must be
  std::size_t search_ = 0;  // where the search for the end of a simple line resumes
  // Per open aggregate: 2 * elements still expected, plus 1 if the aggregate is an attribute.
  std::vector<std::int64_t> pending_;
  std::size_t length_ = 0;
  char type_ = 0;
  std::uint8_t state_ = 0;  // see reply.cc
  std::string_view error_;
};

// One node of a parsed reply, in pre-order. For strings/errors/numbers, `data` is the payload
// (without type byte, length and CRLF). For aggregates, `count` is the number of direct children
// (for maps and attributes: 2 * number of pairs) and `data` is empty. `raw` spans the node including
// its children. A RESP3 attribute is kept as a node of type '|' before the value it annotates.
// Attribute nodes are not counted in their parent's `count`. For ':' `count` is the integer's value.
struct ReplyNode {
  char type = 0;
  std::int64_t count = 0;  // aggregates: children; '$','!','=': payload length; -1 for RESP2 nulls
  std::string_view data;
  std::string_view raw;
};

// Parse exactly one complete reply (as delimited by ReplyScanner) into `out` (cleared first).
// Returns false on malformed input, an incomplete reply or trailing bytes.
bool parse_reply(std::string_view reply, std::vector<ReplyNode>& out);

}  // namespace stdnet::resp
