// Incremental, zero-copy parser for client requests (RESP multibulk and inline commands).
//
// Usage: keep the unconsumed input contiguous; call parse() with a view that starts at the first
// unconsumed byte. NeedMore: append bytes (the buffer may move) and call again with the longer view;
// the parser resumes where it stopped and never rescans. Ok: request() holds views into the input,
// valid until the input changes; consumed() bytes form the frame. Error: error() is the text Redis
// would send after "-ERR " ("Protocol error: ..."); the connection should be closed after replying.
// After Ok the next parse() starts a new frame; after Error, parse() fails until reset().
// "*0", "*-1" and blank inline lines are Ok with no arguments: the caller skips them.
// No exceptions; no allocation per argument once the internal vectors have grown.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resp/limits.h"

namespace stdnet::resp {

enum class ParseStatus : std::uint8_t { Ok, NeedMore, Error };

struct Request {
  std::span<const std::string_view> args;  // args[0] is the command name; may be empty (blank line)
  std::string_view raw;                    // the whole frame as received
  bool is_inline = false;
};

class RequestParser {
 public:
  explicit RequestParser(Limits limits = {});

  ParseStatus parse(std::string_view input);
  const Request& request() const { return request_; }
  std::size_t consumed() const { return consumed_; }
  std::string_view error() const { return error_; }

  void set_authenticated(bool authenticated) { authenticated_ = authenticated; }
  void set_limits(const Limits& limits) { limits_ = limits; }
  // Forget a partially parsed request (e.g. after an error).
  void reset();

 private:
  // Implementation state lives here; see parser.cc.
  struct ArgPos {
    std::size_t offset;
    std::size_t length;
  };
  ParseStatus parse_multibulk(std::string_view input);
  ParseStatus parse_inline(std::string_view input);
  ParseStatus fail(std::string_view message);
  ParseStatus finish(std::string_view input, std::size_t frame_len, bool is_inline);
  void begin_frame();
  bool split_inline(std::string_view line);

  Limits limits_;
  bool authenticated_ = false;
  // Resumable state (offsets relative to the start of the current frame).
  int state_ = 0;
  std::size_t pos_ = 0;     // start of the next unparsed line / bulk payload
  std::size_t search_ = 0;  // where the search for the current line's end resumes
  std::int64_t multibulk_len_ = -1;
  std::int64_t bulk_len_ = -1;
  std::vector<ArgPos> positions_;
  std::vector<std::string_view> views_;
  std::string inline_scratch_;  // unescaped inline arguments (inline commands only)
  Request request_;
  std::size_t consumed_ = 0;
  std::string_view error_;
  std::string error_text_;  // storage for formatted error messages
};

}  // namespace stdnet::resp
