// ReplyScanner and parse_reply: every RESP2/RESP3 type, nesting, attributes, push, pipelined
// replies, input split at every point, malformed input.
#include "resp/reply.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace stdnet::resp {
namespace {

using namespace std::string_literals;

class HeapBuffer {
 public:
  explicit HeapBuffer(std::string_view s) : data_(new char[s.size()]), size_(s.size()) {
    if (!s.empty()) std::memcpy(data_.get(), s.data(), s.size());
  }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

struct Scan {
  ScanStatus status = ScanStatus::NeedMore;
  std::size_t length = 0;
  char type = 0;
  std::string error;
  bool operator==(const Scan&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Scan& s) {
  return os << "{status=" << static_cast<int>(s.status) << " length=" << s.length << " type='"
            << s.type << "' error='" << s.error << "'}";
}

Scan Snapshot(const ReplyScanner& scanner, ScanStatus status) {
  Scan s;
  s.status = status;
  if (status == ScanStatus::Ok) {
    s.length = scanner.length();
    s.type = scanner.type();
  } else if (status == ScanStatus::Error) {
    s.error = std::string(scanner.error());
  }
  return s;
}

Scan ScanWhole(std::string_view input) {
  ReplyScanner scanner;
  HeapBuffer buffer(input);
  return Snapshot(scanner, scanner.scan(buffer.view()));
}

Scan ScanSplit(std::string_view input, std::size_t split) {
  ReplyScanner scanner;
  {
    HeapBuffer first(input.substr(0, split));
    const ScanStatus status = scanner.scan(first.view());
    if (status != ScanStatus::NeedMore) return Snapshot(scanner, status);
  }
  HeapBuffer whole(input);
  return Snapshot(scanner, scanner.scan(whole.view()));
}

Scan ScanByteByByte(std::string_view input) {
  ReplyScanner scanner;
  ScanStatus status = ScanStatus::NeedMore;
  for (std::size_t n = 0; n <= input.size() && status == ScanStatus::NeedMore; ++n) {
    HeapBuffer buffer(input.substr(0, n));
    status = scanner.scan(buffer.view());
  }
  return Snapshot(scanner, status);
}

// Whole, every split and byte by byte must agree; parse_reply must agree with the scanner.
Scan Check(std::string_view input) {
  const Scan whole = ScanWhole(input);
  for (std::size_t split = 0; split <= input.size(); ++split) {
    EXPECT_EQ(ScanSplit(input, split), whole) << "split at " << split;
  }
  EXPECT_EQ(ScanByteByByte(input), whole) << "byte by byte";
  std::vector<ReplyNode> nodes;
  if (whole.status == ScanStatus::Ok) {
    HeapBuffer reply(input.substr(0, whole.length));
    EXPECT_TRUE(parse_reply(reply.view(), nodes)) << "parse_reply disagrees";
    EXPECT_EQ(parse_reply(input, nodes), whole.length == input.size());
  } else {
    EXPECT_FALSE(parse_reply(input, nodes)) << "parse_reply accepts what the scanner does not";
  }
  return whole;
}

Scan Ok(std::size_t length, char type) {
  return Scan{ScanStatus::Ok, length, type, {}};
}
Scan Ok(std::string_view reply) {
  return Ok(reply.size(), reply[0]);
}
Scan Err(std::string error) {
  return Scan{ScanStatus::Error, 0, 0, std::move(error)};
}
Scan NeedMore() {
  return Scan{};
}

const std::string kBadType = "Protocol error: invalid reply type byte";
const std::string kBadLength = "Protocol error: invalid length or count in reply";
const std::string kBadLine = "Protocol error: invalid line in reply";
const std::string kBadCrlf = "Protocol error: expected CRLF after bulk data in reply";
const std::string kTooDeep = "Protocol error: reply nested more than 1024 levels deep";

// --- Scanner: every type
// --------------------------------------------------------------------------

TEST(ReplyScanner, Resp2Types) {
  for (std::string reply : {"+OK\r\n"s, "+\r\n"s, "-ERR unknown command 'x'\r\n"s, ":0\r\n"s,
                            ":-9223372036854775808\r\n"s, ":9223372036854775807\r\n"s,
                            "$5\r\nhello\r\n"s, "$0\r\n\r\n"s, "$-1\r\n"s, "$4\r\n\r\n\r\n\r\n"s,
                            "*0\r\n"s, "*-1\r\n"s, "*2\r\n$1\r\na\r\n:1\r\n"s}) {
    EXPECT_EQ(Check(reply), Ok(reply)) << reply;
  }
}

TEST(ReplyScanner, Resp3Types) {
  for (std::string reply : {
           "_\r\n"s,
           ",3.14\r\n"s,
           ",-1.5e+300\r\n"s,
           ",10\r\n"s,
           ",inf\r\n"s,
           ",-inf\r\n"s,
           ",nan\r\n"s,
           "#t\r\n"s,
           "#f\r\n"s,
           "(3492890328409238509324850943850943825024385\r\n"s,
           "(-1\r\n"s,
           "!21\r\nSYNTAX invalid syntax\r\n"s,
           "=15\r\ntxt:Some string\r\n"s,
           "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n"s,
           "%0\r\n"s,
           "~3\r\n+a\r\n+b\r\n+c\r\n"s,
           "~0\r\n"s,
           ">3\r\n$7\r\nmessage\r\n$7\r\nchannel\r\n$5\r\nhello\r\n"s,
           "%-1\r\n"s,
       }) {
    EXPECT_EQ(Check(reply), Ok(reply)) << reply;
  }
}

TEST(ReplyScanner, Nested) {
  const std::string reply =
      "*3\r\n*2\r\n:1\r\n*0\r\n%1\r\n+k\r\n~2\r\n$1\r\na\r\n*1\r\n*1\r\n_\r\n$-1\r\n";
  EXPECT_EQ(Check(reply), Ok(reply));
}

TEST(ReplyScanner, AttributeBeforeTopLevelValue) {
  // From the RESP3 specification.
  const std::string reply =
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n"
      "*2\r\n:2039123\r\n:9543892\r\n";
  EXPECT_EQ(Check(reply), Ok(reply.size(), '*'));
  EXPECT_EQ(Check("|1\r\n+a\r\n+b\r\n+OK\r\n"), Ok(17, '+'));
  EXPECT_EQ(Check("|0\r\n:1\r\n"), Ok(8, ':'));
  EXPECT_EQ(Check("|1\r\n+a\r\n+b\r\n|1\r\n+c\r\n+d\r\n$-1\r\n"), Ok(29, '$'));
}

TEST(ReplyScanner, AttributeInsideAggregate) {
  // The attribute does not count as one of the array's elements.
  const std::string reply = "*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n";
  EXPECT_EQ(Check(reply), Ok(reply));
  EXPECT_EQ(Check("*1\r\n|1\r\n+a\r\n+b\r\n"), NeedMore());
  // Attributes on attribute values.
  const std::string deep = "|1\r\n|1\r\n+x\r\n+y\r\n+a\r\n|1\r\n+z\r\n+w\r\n+b\r\n+OK\r\n";
  EXPECT_EQ(Check(deep), Ok(deep.size(), '+'));
}

TEST(ReplyScanner, Push) {
  const std::string push = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n";
  EXPECT_EQ(Check(push), Ok(push.size(), '>'));
}

TEST(ReplyScanner, DeepNestingUpToTheLimit) {
  std::string ok;
  for (int i = 0; i < 1024; ++i) ok += "*1\r\n";
  ok += ":1\r\n";
  EXPECT_EQ(ScanWhole(ok), Ok(ok));
  std::vector<ReplyNode> nodes;
  EXPECT_TRUE(parse_reply(ok, nodes));
  EXPECT_EQ(nodes.size(), 1025u);
  EXPECT_EQ(ScanWhole("*1\r\n" + ok), Err(kTooDeep));
  EXPECT_FALSE(parse_reply("*1\r\n" + ok, nodes));
  // Empty aggregates and nulls do not open a level.
  std::string flat = ok.substr(0, 1023 * 4) + "*2\r\n*0\r\n*-1\r\n";
  EXPECT_EQ(ScanWhole(flat), Ok(flat));
}

TEST(ReplyScanner, PipelinedReplies) {
  const std::string input = "+OK\r\n$3\r\nfoo\r\n*2\r\n:1\r\n:2\r\n>1\r\n+x\r\n_\r\n:4";
  const std::vector<std::pair<std::size_t, char>> want = {
      {5, '+'}, {9, '$'}, {12, '*'}, {8, '>'}, {3, '_'}};
  ReplyScanner scanner;
  std::string_view rest = input;
  std::vector<std::pair<std::size_t, char>> got;
  ScanStatus status;
  while ((status = scanner.scan(rest)) == ScanStatus::Ok) {
    got.emplace_back(scanner.length(), scanner.type());
    rest.remove_prefix(scanner.length());
  }
  EXPECT_EQ(status, ScanStatus::NeedMore);
  EXPECT_EQ(got, want);
  EXPECT_EQ(rest, ":4");
  EXPECT_EQ(Check("+OK\r\n+NEXT\r\n"), Ok(5, '+'));
}

TEST(ReplyScanner, StreamOfRepliesInEveryChunkSize) {
  const std::string input =
      "*2\r\n$3\r\nfoo\r\n%1\r\n+a\r\n#t\r\n|1\r\n+k\r\n+v\r\n:7\r\n-ERR x\r\n$-1\r\n"
      ">2\r\n+message\r\n=8\r\ntxt:abcd\r\n";
  std::vector<std::pair<std::size_t, char>> want;
  {
    ReplyScanner scanner;
    std::string_view rest = input;
    while (scanner.scan(rest) == ScanStatus::Ok) {
      want.emplace_back(scanner.length(), scanner.type());
      rest.remove_prefix(scanner.length());
    }
    ASSERT_TRUE(rest.empty());
    ASSERT_EQ(want.size(), 5u);
  }
  for (std::size_t chunk = 1; chunk <= input.size(); ++chunk) {
    ReplyScanner scanner;
    std::string pending;
    std::vector<std::pair<std::size_t, char>> got;
    for (std::size_t off = 0; off < input.size(); off += chunk) {
      pending.append(input.substr(off, chunk));
      std::string_view rest = pending;
      while (scanner.scan(rest) == ScanStatus::Ok) {
        got.emplace_back(scanner.length(), scanner.type());
        rest.remove_prefix(scanner.length());
      }
      pending.erase(0, pending.size() - rest.size());
    }
    EXPECT_EQ(got, want) << "chunk " << chunk;
  }
}

TEST(ReplyScanner, BigBulkInChunks) {
  const std::size_t size = 10 * 1024 * 1024;
  std::string reply =
      "*2\r\n$" + std::to_string(size) + "\r\n" + std::string(size, 'x') + "\r\n+tail\r\n";
  ReplyScanner scanner;
  std::string buffer;
  ScanStatus status = ScanStatus::NeedMore;
  for (std::size_t off = 0; off < reply.size(); off += 100000) {
    buffer.append(reply, off, 100000);
    status = scanner.scan(buffer);
    if (buffer.size() < reply.size()) {
      ASSERT_EQ(status, ScanStatus::NeedMore);
    }
  }
  ASSERT_EQ(status, ScanStatus::Ok);
  EXPECT_EQ(scanner.length(), reply.size());
  EXPECT_EQ(scanner.type(), '*');
}

TEST(ReplyScanner, LongSimpleStringInChunks) {
  std::string reply = "+" + std::string(1 << 20, 's') + "\r\n";
  ReplyScanner scanner;
  std::string buffer;
  ScanStatus status = ScanStatus::NeedMore;
  for (std::size_t off = 0; off < reply.size(); off += 4096) {
    buffer.append(reply, off, 4096);
    status = scanner.scan(buffer);
  }
  ASSERT_EQ(status, ScanStatus::Ok);
  EXPECT_EQ(scanner.length(), reply.size());
}

TEST(ReplyScanner, IncompleteNeedsMore) {
  for (std::string prefix :
       {""s, "+OK"s, "+OK\r"s, "$5\r\nhel"s, "$5\r\nhello\r"s, "*2\r\n:1\r\n"s, "%1\r\n+a\r\n"s,
        "|1\r\n+a\r\n+b\r\n"s, ":12"s, "$"s, "-"s, "*"s, ":-"s}) {
    EXPECT_EQ(Check(prefix), NeedMore()) << prefix;
  }
}

TEST(ReplyScanner, ResetAndStickyError) {
  ReplyScanner scanner;
  EXPECT_EQ(scanner.scan("?\r\n"), ScanStatus::Error);
  EXPECT_EQ(scanner.scan("+OK\r\n"), ScanStatus::Error);
  scanner.reset();
  EXPECT_EQ(scanner.scan("+OK\r\n"), ScanStatus::Ok);
  EXPECT_EQ(scanner.scan("*2\r\n:1\r\n"), ScanStatus::NeedMore);
  scanner.reset();
  EXPECT_EQ(scanner.scan(":1\r\n"), ScanStatus::Ok);
  EXPECT_EQ(scanner.type(), ':');
}

// --- Scanner: malformed input
// ---------------------------------------------------------------------

TEST(ReplyScannerErrors, BadTypeByte) {
  EXPECT_EQ(Check("?x\r\n"), Err(kBadType));
  EXPECT_EQ(Check("OK\r\n"), Err(kBadType));
  EXPECT_EQ(Check("*1\r\n\r\n"), Err(kBadType));
}

TEST(ReplyScannerErrors, BadLengths) {
  for (std::string reply :
       {"$abc\r\n"s, "$\r\n"s, "$-2\r\n"s, "=-1\r\n"s, "!-1\r\n"s, "*-2\r\n"s, ">-1\r\n"s,
        "|-1\r\n"s, "*1x\r\n"s, "$1\rx"s, "*99999999999999999999\r\n"s, "*2305843009213693953\r\n"s,
        "$ 1\r\n"s}) {
    EXPECT_EQ(Check(reply), Err(kBadLength)) << reply;
  }
}

TEST(ReplyScannerErrors, MissingCrlfAfterBulk) {
  EXPECT_EQ(Check("$5\r\nhelloXY"), Err(kBadCrlf));
  EXPECT_EQ(Check("*2\r\n$1\r\nab\r\n"), Err(kBadCrlf));
}

TEST(ReplyScannerErrors, BadLines) {
  for (std::string reply : {":12a\r\n"s, ":\r\n"s, ":99999999999999999999\r\n"s, "+OK\rX"s,
                            "-ERR\rX"s, "#x\r\n"s, "#\r\n"s, "#tt\r\n"s, "_x\r\n"s, ",\r\n"s,
                            ",abc\r\n"s, ",1.5x\r\n"s, "(\r\n"s, "(12a\r\n"s, "(-\r\n"s}) {
    EXPECT_EQ(Check(reply), Err(kBadLine)) << reply;
  }
}

// --- parse_reply
// ----------------------------------------------------------------------------------

struct Node {
  char type;
  std::int64_t count;
  std::string data;
  std::string raw;
  bool operator==(const Node&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Node& n) {
  return os << "{'" << n.type << "' " << n.count << " data='" << n.data << "' raw='" << n.raw
            << "'}";
}

std::vector<Node> Tree(std::string_view reply) {
  HeapBuffer buffer(reply);
  std::vector<ReplyNode> nodes;
  EXPECT_TRUE(parse_reply(buffer.view(), nodes)) << reply;
  std::vector<Node> out;
  for (const ReplyNode& n : nodes) {
    EXPECT_GE(n.raw.data(), buffer.view().data());
    EXPECT_LE(n.raw.data() + n.raw.size(), buffer.view().data() + reply.size());
    out.push_back(Node{n.type, n.count, std::string(n.data), std::string(n.raw)});
  }
  return out;
}

TEST(ParseReply, Scalars) {
  EXPECT_EQ(Tree("+OK\r\n"), (std::vector<Node>{{'+', 0, "OK", "+OK\r\n"}}));
  EXPECT_EQ(Tree("-ERR x\r\n"), (std::vector<Node>{{'-', 0, "ERR x", "-ERR x\r\n"}}));
  EXPECT_EQ(Tree(":-42\r\n"), (std::vector<Node>{{':', -42, "-42", ":-42\r\n"}}));
  EXPECT_EQ(Tree("$5\r\nhe\r\no\r\n"),
            (std::vector<Node>{{'$', 5, "he\r\no", "$5\r\nhe\r\no\r\n"}}));
  EXPECT_EQ(Tree("$0\r\n\r\n"), (std::vector<Node>{{'$', 0, "", "$0\r\n\r\n"}}));
  EXPECT_EQ(Tree("$-1\r\n"), (std::vector<Node>{{'$', -1, "", "$-1\r\n"}}));
  EXPECT_EQ(Tree("*-1\r\n"), (std::vector<Node>{{'*', -1, "", "*-1\r\n"}}));
  EXPECT_EQ(Tree("_\r\n"), (std::vector<Node>{{'_', 0, "", "_\r\n"}}));
  EXPECT_EQ(Tree(",1.5\r\n"), (std::vector<Node>{{',', 0, "1.5", ",1.5\r\n"}}));
  EXPECT_EQ(Tree("#f\r\n"), (std::vector<Node>{{'#', 0, "f", "#f\r\n"}}));
  EXPECT_EQ(Tree("(123\r\n"), (std::vector<Node>{{'(', 0, "123", "(123\r\n"}}));
  EXPECT_EQ(Tree("!3\r\nERR\r\n"), (std::vector<Node>{{'!', 3, "ERR", "!3\r\nERR\r\n"}}));
  EXPECT_EQ(Tree("=8\r\ntxt:abcd\r\n"),
            (std::vector<Node>{{'=', 8, "txt:abcd", "=8\r\ntxt:abcd\r\n"}}));
}

TEST(ParseReply, NestedMapWithAttribute) {
  const std::string reply = "%2\r\n+a\r\n*2\r\n:1\r\n|1\r\n+ttl\r\n:5\r\n$1\r\nx\r\n+b\r\n~0\r\n";
  const std::vector<Node> want = {
      {'%', 4, "", reply},
      {'+', 0, "a", "+a\r\n"},
      {'*', 2, "", "*2\r\n:1\r\n|1\r\n+ttl\r\n:5\r\n$1\r\nx\r\n"},
      {':', 1, "1", ":1\r\n"},
      {'|', 2, "", "|1\r\n+ttl\r\n:5\r\n"},
      {'+', 0, "ttl", "+ttl\r\n"},
      {':', 5, "5", ":5\r\n"},
      {'$', 1, "x", "$1\r\nx\r\n"},
      {'+', 0, "b", "+b\r\n"},
      {'~', 0, "", "~0\r\n"},
  };
  EXPECT_EQ(Tree(reply), want);
}

TEST(ParseReply, TopLevelAttributeAndPush) {
  EXPECT_EQ(Tree("|1\r\n+k\r\n+v\r\n>1\r\n+m\r\n"), (std::vector<Node>{
                                                        {'|', 2, "", "|1\r\n+k\r\n+v\r\n"},
                                                        {'+', 0, "k", "+k\r\n"},
                                                        {'+', 0, "v", "+v\r\n"},
                                                        {'>', 1, "", ">1\r\n+m\r\n"},
                                                        {'+', 0, "m", "+m\r\n"},
                                                    }));
}

TEST(ParseReply, RejectsIncompleteTrailingAndMalformed) {
  std::vector<ReplyNode> nodes;
  EXPECT_FALSE(parse_reply("", nodes));
  EXPECT_FALSE(parse_reply("*2\r\n:1\r\n", nodes));
  EXPECT_FALSE(parse_reply("+OK\r\n+OK\r\n", nodes));
  EXPECT_FALSE(parse_reply("$3\r\nabcd\r\n", nodes));
  EXPECT_FALSE(parse_reply("|1\r\n+a\r\n+b\r\n", nodes));
  EXPECT_FALSE(parse_reply("#x\r\n", nodes));
  EXPECT_TRUE(parse_reply("+OK\r\n", nodes));
  EXPECT_EQ(nodes.size(), 1u);
  EXPECT_TRUE(parse_reply("*0\r\n", nodes));  // out is cleared first
  EXPECT_EQ(nodes.size(), 1u);
}

}  // namespace
}  // namespace stdnet::resp
