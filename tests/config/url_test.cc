// parse_backend_url, parse_address, parse_size and Address::to_string.
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace stdnet::config {
namespace {

// Parses a URL that must be valid.
BackendUrl url(std::string_view text) {
  BackendUrl out;
  const std::string error = parse_backend_url(text, out);
  EXPECT_EQ(error, "") << text;
  return out;
}

// The error for a URL that must be invalid.
std::string url_error(std::string_view text) {
  BackendUrl out;
  out.db = 42;
  const std::string error = parse_backend_url(text, out);
  EXPECT_NE(error, "") << text;
  EXPECT_EQ(out.db, 42) << "output changed on error: " << text;
  return error;
}

Address address(std::string_view text) {
  Address out;
  const std::string error = parse_address(text, out);
  EXPECT_EQ(error, "") << text;
  return out;
}

std::string address_error(std::string_view text) {
  Address out;
  const std::string error = parse_address(text, out);
  EXPECT_NE(error, "") << text;
  return error;
}

TEST(BackendUrl, HostAndPort) {
  const BackendUrl u = url("redis://127.0.0.1:6379");
  EXPECT_EQ(u.address.host, "127.0.0.1");
  EXPECT_EQ(u.address.port, 6379);
  EXPECT_FALSE(u.address.is_unix());
  EXPECT_EQ(u.db, 0);
  EXPECT_EQ(u.user, "");
  EXPECT_EQ(u.password, "");
  EXPECT_EQ(u.timeout_seconds, 0);
  EXPECT_EQ(u.namespace_prefix, "");
}

TEST(BackendUrl, DefaultPortIs6379) {
  EXPECT_EQ(url("redis://localhost").address.port, 6379);
  EXPECT_EQ(url("redis://localhost?db=2").address.port, 6379);
  EXPECT_EQ(url("redis://localhost/").address.port, 6379);
}

TEST(BackendUrl, AllParameters) {
  const BackendUrl u = url(
      "redis://redis.internal:7000?db=3&password=s3cret&user=proxy&timeout=2.5&namespace=prod:");
  EXPECT_EQ(u.address.host, "redis.internal");
  EXPECT_EQ(u.address.port, 7000);
  EXPECT_EQ(u.db, 3);
  EXPECT_EQ(u.password, "s3cret");
  EXPECT_EQ(u.user, "proxy");
  EXPECT_DOUBLE_EQ(u.timeout_seconds, 2.5);
  EXPECT_EQ(u.namespace_prefix, "prod:");
}

TEST(BackendUrl, UserInfo) {
  const BackendUrl u = url("redis://proxy:pa%40ss%3Aw%25rd@10.0.0.1:6380/5");
  EXPECT_EQ(u.user, "proxy");
  EXPECT_EQ(u.password, "pa@ss:w%rd");
  EXPECT_EQ(u.address.host, "10.0.0.1");
  EXPECT_EQ(u.address.port, 6380);
  EXPECT_EQ(u.db, 5);
  // Password only (AUTH password).
  const BackendUrl p = url("redis://:secret@localhost");
  EXPECT_EQ(p.user, "");
  EXPECT_EQ(p.password, "secret");
  // A raw '@' in the password: the last '@' ends the user info.
  EXPECT_EQ(url("redis://:a@b@localhost").password, "a@b");
}

TEST(BackendUrl, PercentDecodingInQuery) {
  const BackendUrl u = url("redis://h:1?password=a%26b%3Dc%20d&user=u%2Fx");
  EXPECT_EQ(u.password, "a&b=c d");
  EXPECT_EQ(u.user, "u/x");
  // '+' is a literal plus, not a space.
  EXPECT_EQ(url("redis://h:1?password=a+b").password, "a+b");
  EXPECT_NE(url_error("redis://h:1?password=abc%").find("%-escape"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?password=abc%4").find("%-escape"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?password=%zz").find("%-escape"), std::string::npos);
  EXPECT_NE(url_error("redis://u:%g0@h:1").find("%-escape"), std::string::npos);
}

TEST(BackendUrl, Ipv6Host) {
  const BackendUrl u = url("redis://[::1]:6390?db=1");
  EXPECT_EQ(u.address.host, "::1");
  EXPECT_EQ(u.address.port, 6390);
  EXPECT_EQ(u.db, 1);
  EXPECT_EQ(url("redis://[fe80::1%eth0]").address.host, "fe80::1%eth0");
}

TEST(BackendUrl, UnixPaths) {
  const BackendUrl u = url("unix:/var/run/redis/redis.sock?db=2&password=x");
  EXPECT_TRUE(u.address.is_unix());
  EXPECT_EQ(u.address.unix_path, "/var/run/redis/redis.sock");
  EXPECT_EQ(u.db, 2);
  EXPECT_EQ(u.password, "x");
  EXPECT_EQ(url("unix:///tmp/r.sock").address.unix_path, "/tmp/r.sock");
  EXPECT_EQ(url("unix:relative.sock").address.unix_path, "relative.sock");
  EXPECT_NE(url_error("unix:").find("empty"), std::string::npos);
  EXPECT_NE(url_error("unix:?db=1").find("empty"), std::string::npos);
  EXPECT_NE(url_error("unix:/" + std::string(200, 'x')).find("at most 107"), std::string::npos);
}

TEST(BackendUrl, BadPorts) {
  EXPECT_NE(url_error("redis://h:0").find("out of range"), std::string::npos);
  EXPECT_NE(url_error("redis://h:65536").find("out of range"), std::string::npos);
  EXPECT_NE(url_error("redis://h:99999999999999999999999").find("port"), std::string::npos);
  EXPECT_NE(url_error("redis://h:abc").find("not a number"), std::string::npos);
  EXPECT_NE(url_error("redis://h:").find("not a number"), std::string::npos);
  EXPECT_NE(url_error("redis://h:-1").find("not a number"), std::string::npos);
  EXPECT_NE(url_error("redis://:6379").find("host is empty"), std::string::npos);
  EXPECT_NE(url_error("redis://").find("host is empty"), std::string::npos);
  EXPECT_NE(url_error("redis://::1:6379").find("brackets"), std::string::npos);
  EXPECT_NE(url_error("redis://[::1:6379").find("closing ']'"), std::string::npos);
  EXPECT_EQ(url("redis://h:65535").address.port, 65535);
  EXPECT_EQ(url("redis://h:1").address.port, 1);
}

TEST(BackendUrl, BadDatabase) {
  EXPECT_NE(url_error("redis://h:1?db=x").find("db=x is not a database number"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?db=-1").find("not a database number"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?db=").find("not a database number"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?db=1.5").find("not a database number"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?db=99999999999").find("not a database number"),
            std::string::npos);
  EXPECT_NE(url_error("redis://h:1/x").find("not a database number"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1/1?db=1").find("given twice"), std::string::npos);
  EXPECT_EQ(url("redis://h:1?db=15").db, 15);
}

TEST(BackendUrl, BadParameters) {
  EXPECT_EQ(url_error("redis://h:1?databse=1"),
            "unknown parameter \"databse\"; expected db, password, user, timeout or namespace");
  EXPECT_EQ(url_error("redis://h:1?pasword=1"),
            "unknown parameter \"pasword\"; did you mean \"password\"?");
  EXPECT_NE(url_error("redis://h:1?db=1&db=2").find("db is given twice"), std::string::npos);
  EXPECT_NE(url_error("redis://u:p@h:1?password=q").find("password is given twice"),
            std::string::npos);
  EXPECT_NE(url_error("redis://u:p@h:1?user=v").find("user is given twice"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?user=bob").find("without a password"), std::string::npos);
  EXPECT_NE(url_error("redis://bob@h:1").find("no password"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?timeout=abc").find("not a number of seconds"),
            std::string::npos);
  EXPECT_NE(url_error("redis://h:1?timeout=-1").find("not a number of seconds"), std::string::npos);
  EXPECT_NE(url_error("redis://h:1?timeout=inf").find("not a number of seconds"),
            std::string::npos);
  EXPECT_NE(url_error("redis://h:1?timeout=1e3").find("not a number of seconds"),
            std::string::npos);
  EXPECT_NE(url_error("redis://h:1?timeout=1000000001").find("not a number of seconds"),
            std::string::npos);
  EXPECT_DOUBLE_EQ(url("redis://h:1?timeout=1000000000").timeout_seconds, 1e9);
  EXPECT_EQ(url_error("redis://h:1?namespace=a*"),
            "namespace=\"a*\" contains '*'; a prefix may contain only letters, digits and _ . : -");
  // Empty items are ignored.
  EXPECT_EQ(url("redis://h:1?&db=4&").db, 4);
}

TEST(BackendUrl, BadSchemes) {
  EXPECT_NE(url_error("rediss://h:1").find("TLS"), std::string::npos);
  EXPECT_NE(url_error("http://h:1").find("expected redis://"), std::string::npos);
  EXPECT_NE(url_error("127.0.0.1:6379").find("expected redis://"), std::string::npos);
  EXPECT_NE(url_error("").find("expected redis://"), std::string::npos);
}

TEST(Address, TcpAndIpv6AndUnix) {
  Address a = address("127.0.0.1:6380");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 6380);
  EXPECT_EQ(a.to_string(), "127.0.0.1:6380");

  a = address("localhost:1");
  EXPECT_EQ(a.host, "localhost");
  EXPECT_EQ(a.to_string(), "localhost:1");

  a = address("[::1]:6380");
  EXPECT_EQ(a.host, "::1");
  EXPECT_EQ(a.port, 6380);
  EXPECT_EQ(a.to_string(), "[::1]:6380");

  a = address("[::]:7000");
  EXPECT_EQ(a.host, "::");
  EXPECT_EQ(a.to_string(), "[::]:7000");

  a = address("[::ffff:127.0.0.1]:7000");
  EXPECT_EQ(a.host, "::ffff:127.0.0.1");

  a = address("unix:/tmp/stdnet.sock");
  EXPECT_TRUE(a.is_unix());
  EXPECT_EQ(a.unix_path, "/tmp/stdnet.sock");
  EXPECT_EQ(a.host, "");
  EXPECT_EQ(a.to_string(), "unix:/tmp/stdnet.sock");
  EXPECT_EQ(address("unix:///tmp/x.sock").unix_path, "/tmp/x.sock");
}

TEST(Address, Errors) {
  EXPECT_EQ(address_error("127.0.0.1"),
            "the port is missing; expected host:port, [::1]:port or unix:/path");
  EXPECT_NE(address_error("127.0.0.1:0").find("out of range"), std::string::npos);
  EXPECT_NE(address_error("127.0.0.1:65536").find("out of range"), std::string::npos);
  EXPECT_NE(address_error("127.0.0.1:http").find("not a number"), std::string::npos);
  EXPECT_EQ(address_error("::1:6380"),
            "an IPv6 address must be written in brackets, e.g. [::1]:6380");
  EXPECT_NE(address_error("[::1]").find("port is missing"), std::string::npos);
  EXPECT_NE(address_error("[::1]6380").find("after ']'"), std::string::npos);
  EXPECT_NE(address_error("[]:6380").find("empty"), std::string::npos);
  EXPECT_NE(address_error("[localhost]:6380").find("not an IPv6 address"), std::string::npos);
  EXPECT_NE(address_error(":6380").find("host is empty"), std::string::npos);
  EXPECT_NE(address_error("").find("empty"), std::string::npos);
  EXPECT_NE(address_error("my host:1").find("a space"), std::string::npos);
  EXPECT_NE(address_error("redis://127.0.0.1:6379").find("not a URL"), std::string::npos);
  EXPECT_NE(address_error("unix:").find("empty"), std::string::npos);
  EXPECT_NE(address_error("unix:/" + std::string(107, 'a')).find("at most 107"), std::string::npos);
  EXPECT_EQ(address("unix:/" + std::string(106, 'a')).unix_path.size(), 107u);
}

TEST(Size, UnitsAsInRedis) {
  auto size = [](std::string_view text) {
    std::uint64_t out = 0;
    EXPECT_EQ(parse_size(text, out), "") << text;
    return out;
  };
  EXPECT_EQ(size("0"), 0u);
  EXPECT_EQ(size("1048576"), 1048576u);
  EXPECT_EQ(size("1b"), 1u);
  EXPECT_EQ(size("1k"), 1000u);
  EXPECT_EQ(size("1kb"), 1024u);
  EXPECT_EQ(size("2m"), 2000000u);
  EXPECT_EQ(size("256mb"), 256ull * 1024 * 1024);
  EXPECT_EQ(size("256MB"), 256ull * 1024 * 1024);
  EXPECT_EQ(size("3g"), 3000000000ull);
  EXPECT_EQ(size("1gb"), 1024ull * 1024 * 1024);
  EXPECT_EQ(size("4Gb"), 4ull * 1024 * 1024 * 1024);

  std::uint64_t out = 0;
  EXPECT_NE(parse_size("", out), "");
  EXPECT_NE(parse_size("mb", out), "");
  EXPECT_NE(parse_size("-1mb", out), "");
  EXPECT_NE(parse_size("1.5gb", out), "");
  EXPECT_EQ(size("1 gb"), 1024ull * 1024 * 1024);
  EXPECT_NE(parse_size("1 g b", out).find("unknown unit \"g b\""), std::string::npos);
  EXPECT_NE(parse_size(" 1gb", out), "");
  EXPECT_NE(parse_size("1tb", out).find("unknown unit \"tb\""), std::string::npos);
  EXPECT_NE(parse_size("99999999999999gb", out).find("too large"), std::string::npos);
}

}  // namespace
}  // namespace stdnet::config
