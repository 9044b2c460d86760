// odm::build_call: the exact EVALSHA of every ODM command (odm/PROTOCOL.md), with and without a
// prefix, and its argument-count errors.
#include "odm/call.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "lua/scripts.h"
#include "resp/commands.h"

namespace stdnet::odm {
namespace {

constexpr std::string_view kSha = "0123456789abcdef0123456789abcdef01234567";

// The expected multibulk of a list of arguments.
std::string multibulk(std::initializer_list<std::string_view> parts) {
  std::string out = "*" + std::to_string(parts.size()) + "\r\n";
  for (std::string_view p : parts) {
    out += "$" + std::to_string(p.size()) + "\r\n";
    out += p;
    out += "\r\n";
  }
  return out;
}

struct Built {
  std::string error;
  std::string out;
};

Built build(std::vector<std::string_view> args, std::string_view prefix,
            std::string_view sha = kSha) {
  Built b;
  b.error = build_call(args, prefix, sha, b.out);
  return b;
}

constexpr std::string_view kMeta = R"({"id_name":"id","id_type":1,"indices":{"name":false}})";

TEST(BuildCall, CommitWithPrefix) {
  Built b =
      build({"ODM.COMMIT", "app.book", kMeta, "1", "add", "", "", "", "2", "name", "x"}, "app1:");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "1", "app1:app.book", "app1:", kMeta, "1", "add", "",
                              "", "", "2", "name", "x"}));
}

TEST(BuildCall, CommitWithoutPrefixAndNoRecords) {
  Built b = build({"odm.commit", "m", kMeta, "0"}, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "1", "m", "", kMeta, "0"}));
  // Exactly these bytes, spelled out once.
  EXPECT_EQ(b.out.substr(0, 78),
            "*7\r\n$7\r\nEVALSHA\r\n$40\r\n0123456789abcdef0123456789abcdef01234567\r\n$1\r\n1\r\n"
            "$1\r\nm\r\n");
  EXPECT_EQ(b.out.substr(78, 6), "$0\r\n\r\n");
}

TEST(BuildCall, QuerySwapsDestAndModel) {
  Built b = build({"ODM.QUERY", "m:tmp:q1", "m", kMeta, "name", "value", "x"}, "app1:");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "2", "app1:m", "app1:m:tmp:q1", "app1:", kMeta,
                              "name", "value", "x"}));
}

TEST(BuildCall, QueryManyLookupsWithoutPrefix) {
  Built b =
      build({"Odm.Query", "d", "m", kMeta, "name", "value", "a", "set", "k", "gt", "[1]"}, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "2", "m", "d", "", kMeta, "name", "value", "a",
                              "set", "k", "gt", "[1]"}));
}

TEST(BuildCall, QueryLookupValuesAreNotPrefixed) {
  // The key of a `set` lookup is namespaced by the script (ARGV[1]), never by the proxy.
  Built b = build({"odm.query", "d", "m", kMeta, "id", "set", "other"}, "p:");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out,
            multibulk({"EVALSHA", kSha, "2", "p:m", "p:d", "p:", kMeta, "id", "set", "other"}));
}

TEST(BuildCall, Load) {
  const std::string_view options = R"({"ordering":"DESC","start":0,"stop":9})";
  Built b = build({"ODM.LOAD", "m:tmp:q1", "m", kMeta, options}, "app1:");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out,
            multibulk({"EVALSHA", kSha, "2", "app1:m", "app1:m:tmp:q1", "app1:", kMeta, options}));
  b = build({"odm.load", "m:id", "m", kMeta, "null"}, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "2", "m", "m:id", "", kMeta, "null"}));
}

TEST(BuildCall, Delete) {
  Built b = build({"ODM.DELETE", "ids", "m", kMeta}, "app2:");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "2", "app2:m", "app2:ids", "app2:", kMeta}));
  b = build({"odm.delete", "ids", "m", kMeta}, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "2", "m", "ids", "", kMeta}));
}

TEST(BuildCall, Aggregate) {
  Built b = build({"ODM.AGGREGATE", "ids", "m", kMeta, "parent"}, "app1:");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out,
            multibulk({"EVALSHA", kSha, "2", "app1:m", "app1:ids", "app1:", kMeta, "parent"}));
  b = build({"odm.aggregate", "ids", "m", kMeta, "parent"}, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "2", "m", "ids", "", kMeta, "parent"}));
}

TEST(BuildCall, Move2SetKeysThenPrefixAndKind) {
  Built b = build({"ODM.MOVE2SET", "z", "a", "b", "c"}, "app1:");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "3", "app1:a", "app1:b", "app1:c", "app1:", "z"}));
  b = build({"odm.move2set", "s", "a"}, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "1", "a", "", "s"}));
}

TEST(BuildCall, BinaryArgumentsPassUnchanged) {
  const std::string key("k\0\r\n*", 5);
  const std::string value("\xff\r\n$3\r\n", 8);
  Built b = build({"odm.load", key, "m", value, value}, "p:");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(b.out, multibulk({"EVALSHA", kSha, "2", "p:m", "p:" + key, "p:", value, value}));
}

TEST(BuildCall, LargeMove2SetCount) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("k" + std::to_string(i));
  std::vector<std::string_view> args = {"odm.move2set", "s"};
  for (const std::string& k : keys) args.push_back(k);
  std::string out;
  ASSERT_EQ(build_call(args, "p:", kSha, out), "");
  EXPECT_TRUE(out.starts_with("*1005\r\n$7\r\nEVALSHA\r\n$40\r\n"));
  EXPECT_NE(out.find("\r\n$4\r\n1000\r\n$4\r\np:k0\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("$6\r\np:k999\r\n$2\r\np:\r\n$1\r\ns\r\n"));
}

TEST(BuildCall, AppendsToExistingOutput) {
  std::string out = "before";
  std::vector<std::string_view> args = {"odm.delete", "ids", "m", kMeta};
  ASSERT_EQ(build_call(args, "p:", kSha, out), "");
  EXPECT_EQ(out, "before" + multibulk({"EVALSHA", kSha, "2", "p:m", "p:ids", "p:", kMeta}));
}

TEST(BuildCall, WrongArgumentCounts) {
  struct Case {
    std::vector<std::string_view> args;
    std::string_view name;
  };
  const std::vector<Case> cases = {
      {{"ODM.COMMIT", "m", kMeta}, "odm.commit"},
      {{"odm.commit"}, "odm.commit"},
      {{"ODM.QUERY", "d", "m", kMeta, "name", "value"}, "odm.query"},
      {{"ODM.QUERY", "d", "m", kMeta, "name", "value", "a", "set"}, "odm.query"},  // odd pairs
      {{"ODM.LOAD", "k", "m", kMeta}, "odm.load"},
      {{"ODM.LOAD", "k", "m", kMeta, "{}", "extra"}, "odm.load"},
      {{"ODM.DELETE", "k", "m"}, "odm.delete"},
      {{"ODM.DELETE", "k", "m", kMeta, "extra"}, "odm.delete"},
      {{"ODM.AGGREGATE", "k", "m", kMeta}, "odm.aggregate"},
      {{"ODM.AGGREGATE", "k", "m", kMeta, "fk", "extra"}, "odm.aggregate"},
      {{"ODM.MOVE2SET", "s"}, "odm.move2set"},
  };
  for (const Case& c : cases) {
    std::string out = "unchanged";
    EXPECT_EQ(build_call(c.args, "p:", kSha, out),
              "ERR wrong number of arguments for '" + std::string(c.name) + "' command")
        << c.args[0] << " with " << c.args.size() << " arguments";
    EXPECT_EQ(out, "unchanged");
  }
}

TEST(BuildCall, NotAnOdmCommand) {
  std::string out;
  std::vector<std::string_view> args = {"odm.unknown", "a", "b"};
  EXPECT_EQ(build_call(args, "p:", kSha, out),
            "ERR stdnet: 'odm.unknown' is not an ODM command (ODM.COMMIT, ODM.QUERY, ODM.LOAD, "
            "ODM.DELETE, ODM.AGGREGATE, ODM.MOVE2SET)");
  args = {"odm.committ", "m", "meta", "0"};
  EXPECT_NE(build_call(args, "p:", kSha, out), "");
  args = {};
  EXPECT_EQ(build_call(args, "p:", kSha, out), "ERR stdnet: empty ODM command");
  EXPECT_EQ(out, "");
}

// Every odm.* row of the command table is a Script row naming an embedded script, and
// build_call accepts exactly the argument counts the row's arity accepts (up to ODM.QUERY's
// pairing, which the row cannot express).
TEST(BuildCall, AgreesWithCommandTableAndScripts) {
  int rows = 0;
  for (const cmd::Command& c : cmd::all_commands()) {
    if (!c.name.starts_with("odm.")) continue;
    ++rows;
    EXPECT_EQ(c.policy, cmd::Policy::Script) << c.name;
    const lua::Script* script = lua::find_script(c.script);
    ASSERT_NE(script, nullptr) << c.name << " names script '" << c.script << "'";
    EXPECT_EQ("odm." + std::string(script->name.substr(4)), c.name);
    for (std::size_t argc = 1; argc < 12; ++argc) {
      std::vector<std::string_view> args(argc, "x");
      args[0] = c.name;
      std::string out;
      const bool built = build_call(args, "p:", script->sha1, out).empty();
      const bool pairs_ok = c.name != "odm.query" || argc % 2 == 1;
      EXPECT_EQ(built, cmd::arity_ok(c, argc) && pairs_ok) << c.name << " argc " << argc;
      if (built) {
        EXPECT_TRUE(out.starts_with("*" + std::to_string(argc + 3) +
                                    "\r\n$7\r\nEVALSHA\r\n$40\r\n" + std::string(script->sha1) +
                                    "\r\n"));
      }
    }
  }
  EXPECT_EQ(rows, 6);
}

}  // namespace
}  // namespace stdnet::odm
