// RequestParser: multibulk and inline requests, fed whole, at every split point and one byte at a
// time (results must be identical), zero-copy, limits, and every protocol error Redis reports
// (tests/unit/protocol.tcl).
#include "resp/parser.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace stdnet::resp {
namespace {

using namespace std::string_literals;

// An exactly sized heap copy of the input, so that ASan reports any read past its end and any use
// of a buffer after the parser was handed a newer one.
class HeapBuffer {
 public:
  explicit HeapBuffer(std::string_view s) : data_(new char[s.size()]), size_(s.size()) {
    if (!s.empty()) std::memcpy(data_.get(), s.data(), s.size());
  }
  std::string_view view() const { return {data_.get(), size_}; }
  bool contains(std::string_view part) const {
    return part.data() >= data_.get() && part.data() + part.size() <= data_.get() + size_;
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

struct Outcome {
  ParseStatus status = ParseStatus::NeedMore;
  std::vector<std::string> args;
  std::string raw;
  std::size_t consumed = 0;
  std::string error;
  bool is_inline = false;
  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << "{status=" << static_cast<int>(o.status) << " consumed=" << o.consumed
     << " inline=" << o.is_inline << " error='" << o.error << "' args=[";
  for (const auto& a : o.args) os << '"' << a << "\" ";
  return os << "]}";
}

Outcome Snapshot(const RequestParser& parser, ParseStatus status) {
  Outcome o;
  o.status = status;
  if (status == ParseStatus::Ok) {
    for (std::string_view a : parser.request().args) o.args.emplace_back(a);
    o.raw = std::string(parser.request().raw);
    o.consumed = parser.consumed();
    o.is_inline = parser.request().is_inline;
  } else if (status == ParseStatus::Error) {
    o.error = std::string(parser.error());
  }
  return o;
}

Outcome NeedMore() {
  return Outcome{};
}

RequestParser MakeParser(const Limits& limits, bool authenticated) {
  RequestParser parser(limits);
  parser.set_authenticated(authenticated);
  return parser;
}

// Checks that every view of an Ok request lies inside `buffer` (or, for quoted inline arguments,
// nowhere near it, which we cannot check), and that raw is the frame's prefix.
void ExpectViewsInto(const RequestParser& parser, const HeapBuffer& buffer) {
  const Request& request = parser.request();
  EXPECT_TRUE(buffer.contains(request.raw));
  EXPECT_EQ(request.raw.data(), buffer.view().data());
  EXPECT_EQ(request.raw.size(), parser.consumed());
  if (!request.is_inline) {
    for (std::string_view arg : request.args) EXPECT_TRUE(buffer.contains(arg)) << arg;
  }
}

Outcome ParseWhole(std::string_view input, const Limits& limits = {}, bool authenticated = true) {
  RequestParser parser = MakeParser(limits, authenticated);
  HeapBuffer buffer(input);
  const ParseStatus status = parser.parse(buffer.view());
  if (status == ParseStatus::Ok) ExpectViewsInto(parser, buffer);
  return Snapshot(parser, status);
}

// Feeds the first `split` bytes, then (unless that already decided) the whole input from a new
// buffer; the old one is freed first, so any pointer kept across calls is caught by ASan.
Outcome ParseSplit(std::string_view input, std::size_t split, const Limits& limits,
                   bool authenticated) {
  RequestParser parser = MakeParser(limits, authenticated);
  ParseStatus status;
  {
    HeapBuffer first(input.substr(0, split));
    status = parser.parse(first.view());
    if (status != ParseStatus::NeedMore) return Snapshot(parser, status);
  }
  HeapBuffer whole(input);
  status = parser.parse(whole.view());
  if (status == ParseStatus::Ok) ExpectViewsInto(parser, whole);
  return Snapshot(parser, status);
}

Outcome ParseByteByByte(std::string_view input, const Limits& limits, bool authenticated) {
  RequestParser parser = MakeParser(limits, authenticated);
  for (std::size_t n = 0; n <= input.size(); ++n) {
    HeapBuffer buffer(input.substr(0, n));
    const ParseStatus status = parser.parse(buffer.view());
    if (status != ParseStatus::NeedMore) {
      if (status == ParseStatus::Ok) ExpectViewsInto(parser, buffer);
      return Snapshot(parser, status);  // while the views are still valid
    }
  }
  return NeedMore();
}

// Parses `input` whole, at every split and byte by byte; all must agree. Returns the outcome.
Outcome Check(std::string_view input, const Limits& limits = {}, bool authenticated = true) {
  const Outcome whole = ParseWhole(input, limits, authenticated);
  for (std::size_t split = 0; split <= input.size(); ++split) {
    EXPECT_EQ(ParseSplit(input, split, limits, authenticated), whole) << "split at " << split;
  }
  EXPECT_EQ(ParseByteByByte(input, limits, authenticated), whole) << "byte by byte";
  return whole;
}

Outcome Ok(std::vector<std::string> args, std::string raw, bool is_inline = false) {
  Outcome o;
  o.status = ParseStatus::Ok;
  o.args = std::move(args);
  o.consumed = raw.size();
  o.raw = std::move(raw);
  o.is_inline = is_inline;
  return o;
}

Outcome Err(std::string error) {
  Outcome o;
  o.status = ParseStatus::Error;
  o.error = std::move(error);
  return o;
}

// --- Multibulk
// ------------------------------------------------------------------------------------

TEST(RequestParser, SimpleMultibulk) {
  const std::string frame = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  EXPECT_EQ(Check(frame), Ok({"SET", "key", "value"}, frame));
}

TEST(RequestParser, EmptyAndBinaryBulks) {
  const std::string frame = "*3\r\n$0\r\n\r\n$4\r\n\r\n\0\n\r\n$1\r\n*\r\n"s;
  EXPECT_EQ(Check(frame), Ok({"", "\r\n\0\n"s, "*"}, frame));
}

TEST(RequestParser, ZeroAndNegativeCountsAreEmptyRequests) {
  EXPECT_EQ(Check("*0\r\n"), Ok({}, "*0\r\n"));
  EXPECT_EQ(Check("*-1\r\n"), Ok({}, "*-1\r\n"));
  EXPECT_EQ(Check("*-10\r\n"), Ok({}, "*-10\r\n"));  // protocol.tcl: Negative multibulk length
}

TEST(RequestParser, IncompleteFramesNeedMore) {
  const std::string frame = "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n";
  for (std::size_t n = 0; n < frame.size(); ++n) {
    EXPECT_EQ(ParseWhole(frame.substr(0, n)), NeedMore()) << n;
  }
}

TEST(RequestParser, ConsumedStopsAtFrameEnd) {
  const std::string frame = "*1\r\n$4\r\nPING\r\n";
  const Outcome o = ParseWhole(frame + "*1\r\n$4\r\nPI");
  EXPECT_EQ(o, Ok({"PING"}, frame));
}

TEST(RequestParser, ArgsPointIntoInput) {
  const std::string frame = "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n";
  HeapBuffer buffer(frame);
  RequestParser parser;
  ASSERT_EQ(parser.parse(buffer.view()), ParseStatus::Ok);
  ASSERT_EQ(parser.request().args.size(), 2u);
  EXPECT_EQ(parser.request().args[0].data(), buffer.view().data() + 8);
  EXPECT_EQ(parser.request().args[1].data(), buffer.view().data() + 17);
  EXPECT_FALSE(parser.request().is_inline);
}

TEST(RequestParser, PipelinedFramesInOneBuffer) {
  const std::string input =
      "*1\r\n$4\r\nPING\r\n"
      "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n"
      "PING inline\r\n"
      "*0\r\n"
      "\r\n"
      "*2\r\n$3\r\nGET\r\n$1\r\na\r\n"
      "ECHO \"x y\"\n"
      "*1\r\n$4\r\nQU";  // incomplete
  HeapBuffer buffer(input);
  std::string_view rest = buffer.view();
  RequestParser parser;
  std::vector<std::vector<std::string>> got;
  ParseStatus status;
  while ((status = parser.parse(rest)) == ParseStatus::Ok) {
    std::vector<std::string> args;
    for (std::string_view a : parser.request().args) args.emplace_back(a);
    got.push_back(args);
    EXPECT_EQ(parser.request().raw.data(), rest.data());
    rest.remove_prefix(parser.consumed());
  }
  EXPECT_EQ(status, ParseStatus::NeedMore);
  EXPECT_EQ(rest, "*1\r\n$4\r\nQU");
  const std::vector<std::vector<std::string>> want = {
      {"PING"}, {"SET", "a", "b"}, {"PING", "inline"}, {}, {}, {"GET", "a"}, {"ECHO", "x y"}};
  EXPECT_EQ(got, want);
}

TEST(RequestParser, PipelineSplitEverywhereMatchesWhole) {
  const std::string input =
      "*2\r\n$3\r\nGET\r\n$1\r\na\r\nSET 'k' \"v\\x41\"\r\n*-1\r\n\n*1\r\n$4\r\nPING\r\n";
  // Reference: whole buffer.
  std::vector<Outcome> want;
  {
    RequestParser parser;
    std::string_view rest = input;
    while (parser.parse(rest) == ParseStatus::Ok) {
      want.push_back(Snapshot(parser, ParseStatus::Ok));
      rest.remove_prefix(parser.consumed());
    }
    ASSERT_TRUE(rest.empty());
  }
  // Feed the stream in chunks of every size, like a socket would.
  for (std::size_t chunk = 1; chunk <= input.size(); ++chunk) {
    RequestParser parser;
    std::vector<Outcome> got;
    std::string pending;
    for (std::size_t off = 0; off < input.size(); off += chunk) {
      pending.append(input.substr(off, chunk));
      std::string_view rest = pending;
      while (parser.parse(rest) == ParseStatus::Ok) {
        got.push_back(Snapshot(parser, ParseStatus::Ok));
        rest.remove_prefix(parser.consumed());
      }
      pending.erase(0, pending.size() - rest.size());
    }
    EXPECT_EQ(got, want) << "chunk " << chunk;
    EXPECT_TRUE(pending.empty());
  }
}

TEST(RequestParser, BigBulkInChunks) {
  const std::size_t size = 10 * 1024 * 1024;
  std::string value(size, 'v');
  for (std::size_t i = 0; i < size; i += 4096) value[i] = static_cast<char>('a' + (i / 4096) % 26);
  std::string frame = "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + std::to_string(size) + "\r\n";
  frame += value;
  frame += "\r\n";
  RequestParser parser;
  parser.set_authenticated(true);
  std::string buffer;  // grows and moves, as a connection's input buffer does
  const std::size_t chunk = 64 * 1024 + 7;
  ParseStatus status = ParseStatus::NeedMore;
  for (std::size_t off = 0; off < frame.size(); off += chunk) {
    buffer.append(frame, off, chunk);
    status = parser.parse(buffer);
    if (buffer.size() < frame.size()) {
      ASSERT_EQ(status, ParseStatus::NeedMore) << off;
    }
  }
  ASSERT_EQ(status, ParseStatus::Ok);
  EXPECT_EQ(parser.consumed(), frame.size());
  ASSERT_EQ(parser.request().args.size(), 3u);
  EXPECT_EQ(parser.request().args[2].size(), size);
  EXPECT_EQ(parser.request().args[2].data(), buffer.data() + frame.size() - size - 2);
  EXPECT_TRUE(parser.request().args[2] == value);
}

TEST(RequestParser, NoReallocationOnceWarm) {
  RequestParser parser;
  std::string warm = "*10\r\n";
  for (int i = 0; i < 10; ++i) warm += "$1\r\nx\r\n";
  ASSERT_EQ(parser.parse(warm), ParseStatus::Ok);
  const std::string_view* args = parser.request().args.data();
  const std::string frames[] = {"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", "*10\r\n" + warm.substr(5),
                                "PING a b c\r\n", "*1\r\n$4\r\nPING\r\n"};
  for (int round = 0; round < 100; ++round) {
    for (const std::string& f : frames) {
      ASSERT_EQ(parser.parse(f), ParseStatus::Ok);
      EXPECT_EQ(parser.request().args.data(), args);
    }
  }
}

// --- Multibulk errors (one per kind, as in Redis's tests/unit/protocol.tcl)
// ------------------------

TEST(RequestParserErrors, OutOfRangeMultibulkLength) {
  EXPECT_EQ(Check("*3000000000\r\n"), Err("Protocol error: invalid multibulk length"));
}

TEST(RequestParserErrors, NonNumberMultibulkLength) {
  EXPECT_EQ(Check("*abc\r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*\r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*+1\r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*01\r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("* 1\r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*1 \r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*99999999999999999999\r\n"), Err("Protocol error: invalid multibulk length"));
}

TEST(RequestParserErrors, MultibulkCountLineWithoutLf) {
  EXPECT_EQ(Check("*1\rX$4\r\nPING\r\n"), Err("Protocol error: invalid multibulk length"));
}

TEST(RequestParserErrors, WrongMultibulkPayloadHeader) {
  EXPECT_EQ(Check("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"),
            Err("Protocol error: expected '$', got 'f'"));
}

TEST(RequestParserErrors, MultibulkNotFollowedByBulk) {
  EXPECT_EQ(Check("*1\r\nfoo\r\n"), Err("Protocol error: expected '$', got 'f'"));
}

TEST(RequestParserErrors, EmptyLineInsteadOfBulkHeader) {
  // The reported byte is '\r'; like Redis, newlines in an error become spaces.
  EXPECT_EQ(Check("*1\r\n\r\n"), Err("Protocol error: expected '$', got ' '"));
}

TEST(RequestParserErrors, NegativeBulkLength) {
  EXPECT_EQ(Check("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n"),
            Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$-1\r\n"), Err("Protocol error: invalid bulk length"));
}

TEST(RequestParserErrors, OutOfRangeBulkLength) {
  EXPECT_EQ(Check("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n"),
            Err("Protocol error: invalid bulk length"));
}

TEST(RequestParserErrors, NonNumberBulkLength) {
  EXPECT_EQ(Check("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n"),
            Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$01\r\nx\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$1\rxx\r\n"), Err("Protocol error: invalid bulk length"));
}

TEST(RequestParserErrors, MissingCrlfAfterBulk) {
  EXPECT_EQ(Check("*1\r\n$3\r\nfooXY"), Err("Protocol error: expected CRLF after bulk data"));
  EXPECT_EQ(Check("*2\r\n$3\r\nfoo\r$3\r\nbar\r\n"),
            Err("Protocol error: expected CRLF after bulk data"));
}

TEST(RequestParserErrors, TooBigMultibulkCountString) {
  // protocol.tcl "Protocol desync regression test": a count line that never ends.
  EXPECT_EQ(ParseWhole("*" + std::string(70000, '1')),
            Err("Protocol error: too big mbulk count string"));
  Limits small;
  small.max_inline_len = 8;
  EXPECT_EQ(Check("*000000001", small), Err("Protocol error: too big mbulk count string"));
  EXPECT_EQ(Check("*0000001", small), NeedMore());  // an 8-byte line is not too long yet
}

TEST(RequestParserErrors, TooBigBulkCountString) {
  EXPECT_EQ(ParseWhole("*1\r\n$" + std::string(70000, '1')),
            Err("Protocol error: too big bulk count string"));
  Limits small;
  small.max_inline_len = 8;
  EXPECT_EQ(Check("*1\r\n$000000001", small), Err("Protocol error: too big bulk count string"));
  // Canonical lengths (the parser's fast path) obey the same limit.
  EXPECT_EQ(Check("*1\r\n$12345678\r\n", small), Err("Protocol error: too big bulk count string"));
  EXPECT_EQ(Check("*12345678\r\n", small), Err("Protocol error: too big mbulk count string"));
  small.max_bulk_len = 1 << 30;
  EXPECT_EQ(Check("*1\r\n$1234567\r\n", small), NeedMore());
}

TEST(RequestParserErrors, LengthLinesInEveryForm) {
  // Lengths with 18+ digits, signs or leading zeros take the general path; results are the same.
  EXPECT_EQ(Check("*1\r\n$00\r\n\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$0\r\n\r\n"), Ok({""}, "*1\r\n$0\r\n\r\n"));
  EXPECT_EQ(Check("*1\r\n$-0\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$+1\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$0000000000000000001\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$100000000000000000\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$9223372036854775807\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*1\r\n$9223372036854775808\r\n"), Err("Protocol error: invalid bulk length"));
  EXPECT_EQ(Check("*-0\r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*00\r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*100000000000000000\r\n"), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*-9223372036854775808\r\n"), Ok({}, "*-9223372036854775808\r\n"));
}

TEST(RequestParserErrors, ErrorIsStickyUntilReset) {
  RequestParser parser;
  EXPECT_EQ(parser.parse("*x\r\n"), ParseStatus::Error);
  EXPECT_EQ(parser.parse("*1\r\n$4\r\nPING\r\n"), ParseStatus::Error);
  EXPECT_EQ(parser.error(), "Protocol error: invalid multibulk length");
  EXPECT_EQ(parser.consumed(), 0u);
  parser.reset();
  EXPECT_EQ(parser.parse("*1\r\n$4\r\nPING\r\n"), ParseStatus::Ok);
  EXPECT_EQ(parser.request().args[0], "PING");
}

TEST(RequestParser, ResetForgetsPartialFrame) {
  RequestParser parser;
  EXPECT_EQ(parser.parse("*2\r\n$3\r\nGET\r\n"), ParseStatus::NeedMore);
  parser.reset();
  EXPECT_EQ(parser.parse("PING\r\n"), ParseStatus::Ok);
  EXPECT_TRUE(parser.request().is_inline);
}

// --- Limits
// ---------------------------------------------------------------------------------------

TEST(RequestParserLimits, AuthenticatedLimits) {
  Limits limits;
  limits.max_multibulk_len = 3;
  limits.max_bulk_len = 5;
  EXPECT_EQ(Check("*3\r\n$1\r\na\r\n$1\r\nb\r\n$5\r\nccccc\r\n", limits),
            Ok({"a", "b", "ccccc"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$5\r\nccccc\r\n"));
  EXPECT_EQ(Check("*4\r\n", limits), Err("Protocol error: invalid multibulk length"));
  EXPECT_EQ(Check("*1\r\n$6\r\n", limits), Err("Protocol error: invalid bulk length"));
}

TEST(RequestParserLimits, DefaultMaxBulkLen) {
  EXPECT_EQ(Check("*1\r\n$536870912\r\n"), NeedMore());  // 512 MiB: allowed
  EXPECT_EQ(Check("*1\r\n$536870913\r\n"), Err("Protocol error: invalid bulk length"));
}

TEST(RequestParserLimits, UnauthenticatedMultibulkLength) {
  std::string ten = "*10\r\n";
  for (int i = 0; i < 10; ++i) ten += "$1\r\nx\r\n";
  EXPECT_EQ(Check(ten, {}, false).status, ParseStatus::Ok);
  EXPECT_EQ(Check("*11\r\n", {}, false), Err("Protocol error: unauthenticated multibulk length"));
  EXPECT_EQ(Check("*11\r\n", {}, true), NeedMore());
  // The hard limit is checked first, as in Redis.
  EXPECT_EQ(Check("*3000000000\r\n", {}, false), Err("Protocol error: invalid multibulk length"));
}

TEST(RequestParserLimits, UnauthenticatedBulkLength) {
  EXPECT_EQ(Check("*1\r\n$16384\r\n", {}, false), NeedMore());
  EXPECT_EQ(Check("*1\r\n$16385\r\n", {}, false),
            Err("Protocol error: unauthenticated bulk length"));
  EXPECT_EQ(Check("*1\r\n$16385\r\n", {}, true), NeedMore());
}

TEST(RequestParserLimits, AuthenticationTakesEffectForTheNextFrame) {
  RequestParser parser;
  EXPECT_EQ(parser.parse("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n"), ParseStatus::Ok);
  parser.set_authenticated(true);
  std::string big = "*1\r\n$20000\r\n" + std::string(20000, 'x') + "\r\n";
  EXPECT_EQ(parser.parse(big), ParseStatus::Ok);
  parser.set_authenticated(false);
  EXPECT_EQ(parser.parse(big), ParseStatus::Error);
  EXPECT_EQ(parser.error(), "Protocol error: unauthenticated bulk length");
}

TEST(RequestParserLimits, InlineLength) {
  Limits limits;
  limits.max_inline_len = 10;
  EXPECT_EQ(Check("0123456789\n", limits), Ok({"0123456789"}, "0123456789\n", true));
  EXPECT_EQ(Check("012345678\r\n", limits), Ok({"012345678"}, "012345678\r\n", true));
  EXPECT_EQ(Check("0123456789\r\n", limits), Err("Protocol error: too big inline request"));
  EXPECT_EQ(Check("0123456789A", limits), Err("Protocol error: too big inline request"));
  EXPECT_EQ(Check("0123456789", limits), NeedMore());
}

TEST(RequestParserLimits, DefaultInlineLimitIs64KiB) {
  EXPECT_EQ(ParseWhole(std::string(64 * 1024, 'a')), NeedMore());
  EXPECT_EQ(ParseWhole(std::string(64 * 1024 + 1, 'a')),
            Err("Protocol error: too big inline request"));
}

TEST(RequestParserLimits, SetLimits) {
  RequestParser parser;
  Limits limits;
  limits.max_multibulk_len = 1;
  parser.set_limits(limits);
  parser.set_authenticated(true);
  EXPECT_EQ(parser.parse("*2\r\n"), ParseStatus::Error);
  EXPECT_EQ(parser.error(), "Protocol error: invalid multibulk length");
}

// --- Inline
// ---------------------------------------------------------------------------------------

TEST(RequestParserInline, Simple) {
  EXPECT_EQ(Check("PING\r\n"), Ok({"PING"}, "PING\r\n", true));
  EXPECT_EQ(Check("PING\n"), Ok({"PING"}, "PING\n", true));
  EXPECT_EQ(Check("set  key\tvalue   \r\n"),
            Ok({"set", "key", "value"}, "set  key\tvalue   \r\n", true));
}

TEST(RequestParserInline, EmptyLines) {
  EXPECT_EQ(Check("\r\n"), Ok({}, "\r\n", true));  // protocol.tcl: Handle an empty query
  EXPECT_EQ(Check("\n"), Ok({}, "\n", true));
  EXPECT_EQ(Check("  \t \r\n"), Ok({}, "  \t \r\n", true));
}

TEST(RequestParserInline, UnquotedArgsPointIntoInput) {
  HeapBuffer buffer("GET key\r\n");
  RequestParser parser;
  ASSERT_EQ(parser.parse(buffer.view()), ParseStatus::Ok);
  ASSERT_EQ(parser.request().args.size(), 2u);
  EXPECT_EQ(parser.request().args[0].data(), buffer.view().data());
  EXPECT_EQ(parser.request().args[1].data(), buffer.view().data() + 4);
  EXPECT_TRUE(parser.request().is_inline);
}

TEST(RequestParserInline, DoubleQuotes) {
  EXPECT_EQ(Check("set \"foo bar\" baz\r\n").args,
            (std::vector<std::string>{"set", "foo bar", "baz"}));
  EXPECT_EQ(Check("\"\\x41\\x4a\\x4A\\x00z\"\r\n").args, (std::vector<std::string>{"AJJ\0z"s}));
  EXPECT_EQ(Check("\"\\n\\r\\t\\b\\a\\\\\\\"\\q\"\r\n").args,
            (std::vector<std::string>{"\n\r\t\b\a\\\"q"}));
  // \x without two hex digits is just an escaped 'x'.
  EXPECT_EQ(Check("\"\\x4\" \"\\xZZ\"\r\n").args, (std::vector<std::string>{"x4", "xZZ"}));
  EXPECT_EQ(Check("\"\"\r\n").args, (std::vector<std::string>{""}));
  EXPECT_EQ(Check("a \"\" b\r\n").args, (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Check("\"it's\"\r\n").args, (std::vector<std::string>{"it's"}));
}

TEST(RequestParserInline, SingleQuotes) {
  EXPECT_EQ(Check("'it\\'s' 'a\\nb' ''\r\n").args, (std::vector<std::string>{"it's", "a\\nb", ""}));
  EXPECT_EQ(Check("'say \"hi\"'\r\n").args, (std::vector<std::string>{"say \"hi\""}));
}

TEST(RequestParserInline, QuoteInsideUnquotedToken) {
  // sdssplitargs: a quote inside an unquoted token opens a quoted section of the same token.
  EXPECT_EQ(Check("foo\"bar baz\" x\r\n").args, (std::vector<std::string>{"foobar baz", "x"}));
  EXPECT_EQ(Check("a'b c'\r\n").args, (std::vector<std::string>{"ab c"}));
}

TEST(RequestParserInline, ClosingQuoteFollowedByBlank) {
  EXPECT_EQ(Check("\"a\"\tb\r\n").args, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Check("\"a\"\v\r\n").args, (std::vector<std::string>{"a"}));
  EXPECT_EQ(Check("\"a\"\r\r\n").args, (std::vector<std::string>{"a"}));
}

TEST(RequestParserInline, OtherBlanks) {
  // Leading \v and \f are skipped (isspace) but inside a token they are ordinary bytes.
  EXPECT_EQ(Check("\v\fa\vb c\r\n").args, (std::vector<std::string>{"a\vb", "c"}));
  // A lone \r inside the line ends a token.
  EXPECT_EQ(Check("a\rb\r\n").args, (std::vector<std::string>{"a", "b"}));
  // NUL is an ordinary byte.
  EXPECT_EQ(Check("GET a\0b\r\n"s).args, (std::vector<std::string>{"GET", "a\0b"s}));
}

TEST(RequestParserInline, QuotedArgsSurviveBufferMove) {
  // Quoted arguments live in the parser's scratch buffer; many of them must not move it.
  std::string line;
  std::vector<std::string> want;
  for (int i = 0; i < 200; ++i) {
    line += "\"a\\x" + std::string(i % 2 ? "41" : "42") + std::to_string(i) + "\" ";
    want.push_back(std::string(i % 2 ? "aA" : "aB") + std::to_string(i));
  }
  line += "\r\n";
  EXPECT_EQ(ParseWhole(line).args, want);
}

TEST(RequestParserErrors, UnbalancedQuotes) {
  // protocol.tcl: Unbalanced number of quotes.
  const Outcome unbalanced = Err("Protocol error: unbalanced quotes in request");
  EXPECT_EQ(Check("set \"\"\"test-key\"\"\" test-value\r\n"), unbalanced);
  EXPECT_EQ(Check("ping \"\"\"\r\n"), unbalanced);
  EXPECT_EQ(Check("\"abc\r\n"), unbalanced);
  EXPECT_EQ(Check("'abc\r\n"), unbalanced);
  EXPECT_EQ(Check("\"a\"b\r\n"), unbalanced);
  EXPECT_EQ(Check("'a'b\r\n"), unbalanced);
  EXPECT_EQ(Check("\"a\\\"\r\n"), unbalanced);
  EXPECT_EQ(Check("\"a\\\r\n"), unbalanced);
  EXPECT_EQ(Check("x 'it\\'\r\n"), unbalanced);
}

}  // namespace
}  // namespace stdnet::resp
