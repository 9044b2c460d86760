// Encoder and parse_int64; encoded output read back by the request parser and the reply scanner.
#include "resp/encode.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "resp/parser.h"
#include "resp/reply.h"

namespace stdnet::resp {
namespace {

using namespace std::string_literals;

TEST(Encode, Headers) {
  Buffer out;
  append_array_header(out, 3);
  append_array_header(out, 0);
  append_array_header(out, -1);
  append_header(out, '%', 2);
  append_header(out, '>', 12345678901234);
  EXPECT_EQ(out, "*3\r\n*0\r\n*-1\r\n%2\r\n>12345678901234\r\n");
}

TEST(Encode, Bulk) {
  Buffer out = "x";
  append_bulk(out, "hello");
  append_bulk(out, "");
  append_bulk(out, "a\r\n\0b"s);
  append_bulk(out, "ns:", "key");
  append_bulk(out, "", "");
  EXPECT_EQ(out, "x$5\r\nhello\r\n$0\r\n\r\n$5\r\na\r\n\0b\r\n$6\r\nns:key\r\n$0\r\n\r\n"s);
}

TEST(Encode, SimpleErrorInteger) {
  Buffer out;
  append_simple(out, "OK");
  append_error(out, "ERR unknown command");
  append_integer(out, 0);
  append_integer(out, -1);
  append_integer(out, std::numeric_limits<std::int64_t>::min());
  append_integer(out, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(out,
            "+OK\r\n-ERR unknown command\r\n:0\r\n:-1\r\n:-9223372036854775808\r\n"
            ":9223372036854775807\r\n");
}

TEST(Encode, Nulls) {
  Buffer out;
  append_null(out, 2);
  append_null_array(out, 2);
  append_null(out, 3);
  append_null_array(out, 3);
  EXPECT_EQ(out, "$-1\r\n*-1\r\n_\r\n_\r\n");
}

TEST(Encode, MapAndSetHeaders) {
  Buffer out;
  append_map_header(out, 2, 2);
  append_map_header(out, 2, 3);
  append_set_header(out, 5, 2);
  append_set_header(out, 5, 3);
  EXPECT_EQ(out, "*4\r\n%2\r\n*5\r\n~5\r\n");
}

TEST(Encode, Command) {
  Buffer out;
  append_command(out, {"SET", "key", "va\r\nlue"});
  EXPECT_EQ(out, "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$7\r\nva\r\nlue\r\n");
  RequestParser parser;
  parser.set_authenticated(true);
  ASSERT_EQ(parser.parse(out), ParseStatus::Ok);
  EXPECT_EQ(parser.consumed(), out.size());
  ASSERT_EQ(parser.request().args.size(), 3u);
  EXPECT_EQ(parser.request().args[2], "va\r\nlue");
}

std::string Printf17g(double d) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", d);
  return buf;
}

TEST(Encode, DoubleResp2MatchesRedisFormat) {
  for (double d : {0.0, -0.0, 1.0, 1.5, -2.25, 0.1, 1.0 / 3, 1e100, 1e-300, 123456789012345678.0,
                   3.0e-320, std::numeric_limits<double>::max(), 5e-324}) {
    Buffer out;
    append_double(out, d, 2);
    const std::string text = Printf17g(d);
    EXPECT_EQ(out, "$" + std::to_string(text.size()) + "\r\n" + text + "\r\n") << text;
  }
  Buffer out;
  append_double(out, 0.1, 2);
  EXPECT_EQ(out, "$19\r\n0.10000000000000001\r\n");
}

TEST(Encode, DoubleSpecialValues) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Buffer out;
  append_double(out, inf, 2);
  append_double(out, -inf, 2);
  append_double(out, inf, 3);
  append_double(out, -inf, 3);
  append_double(out, nan, 3);
  append_double(out, 2.5, 3);
  EXPECT_EQ(out, "$3\r\ninf\r\n$4\r\n-inf\r\n,inf\r\n,-inf\r\n,nan\r\n,2.5\r\n");
}

TEST(Encode, OutputIsReadableByTheScanner) {
  Buffer out;
  append_map_header(out, 2, 3);
  append_bulk(out, "a");
  append_double(out, 1.25, 3);
  append_simple(out, "b");
  append_set_header(out, 2, 3);
  append_null(out, 3);
  append_integer(out, 7);
  std::vector<ReplyNode> nodes;
  ASSERT_TRUE(parse_reply(out, nodes));
  ASSERT_EQ(nodes.size(), 7u);
  EXPECT_EQ(nodes[2].type, ',');
  EXPECT_EQ(nodes[2].data, "1.25");
  ReplyScanner scanner;
  ASSERT_EQ(scanner.scan(out), ScanStatus::Ok);
  EXPECT_EQ(scanner.length(), out.size());
}

TEST(ParseInt64, AcceptsLikeRedisString2ll) {
  const std::vector<std::pair<std::string, std::int64_t>> ok = {
      {"0", 0},
      {"1", 1},
      {"-1", -1},
      {"1234567890", 1234567890},
      {"9223372036854775807", std::numeric_limits<std::int64_t>::max()},
      {"-9223372036854775808", std::numeric_limits<std::int64_t>::min()},
  };
  for (const auto& [text, want] : ok) {
    std::int64_t v = 42;
    EXPECT_TRUE(parse_int64(text, v)) << text;
    EXPECT_EQ(v, want) << text;
  }
}

TEST(ParseInt64, RejectsLikeRedisString2ll) {
  for (std::string text : {""s, "-"s, "+1"s, "01"s, "-0"s, "00"s, " 1"s, "1 "s, "1a"s, "a"s,
                           "9223372036854775808"s, "-9223372036854775809"s, "99999999999999999999"s,
                           "18446744073709551616"s, "1.0"s, "0x10"s, "1\0"s, "--1"s}) {
    std::int64_t v = 42;
    EXPECT_FALSE(parse_int64(text, v)) << text;
  }
}

}  // namespace
}  // namespace stdnet::resp
