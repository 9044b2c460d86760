// The command table (lookup, arity, rows) and the key finder (find_keys).
// Expected key positions were checked against a real redis-server 7.0 (COMMAND GETKEYS, and the
// command itself where GETKEYS and execution disagree, e.g. EVAL with numkeys "01").
#include "resp/commands.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace stdnet::cmd {
namespace {

using Args = std::vector<std::string_view>;

const Command& row(std::string_view name) {
  const Command* c = lookup_name(name);
  EXPECT_NE(c, nullptr) << name;
  static const Command kMissing{};
  return c != nullptr ? *c : kMissing;
}

const Command& row_for(const Args& args) {
  const Command* c = lookup(args);
  EXPECT_NE(c, nullptr) << args[0];
  static const Command kMissing{};
  return c != nullptr ? *c : kMissing;
}

// find_keys on a request; fails the test when it reports an error.
KeyRefs keys_of(const Args& args) {
  KeyRefs refs;
  EXPECT_TRUE(find_keys(row_for(args), args, refs)) << args[0] << ": " << refs.error;
  return refs;
}

std::vector<std::size_t> positions(const Args& args) {
  return keys_of(args).positions();
}

std::string error_of(const Args& args) {
  KeyRefs refs;
  EXPECT_FALSE(find_keys(row_for(args), args, refs)) << args[0] << " should fail";
  return refs.error;
}

using P = std::vector<std::size_t>;

// ---- the table

TEST(CommandTable, SortedUniqueLowerCase) {
  const auto all = all_commands();
  ASSERT_GT(all.size(), 200u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Command& c = all[i];
    EXPECT_EQ(c.name.find('|'), std::string_view::npos) << c.name;
    for (char ch : c.name) {
      EXPECT_FALSE(ch >= 'A' && ch <= 'Z') << c.name;
    }
    if (i > 0) {
      EXPECT_LT(all[i - 1].name, c.name);
    }
    for (std::size_t j = 0; j < c.subcommands.size(); ++j) {
      const Command& sub = c.subcommands[j];
      EXPECT_TRUE(sub.name.starts_with(std::string(c.name) + "|")) << sub.name;
      EXPECT_TRUE(sub.subcommands.empty()) << sub.name;
      if (j > 0) {
        EXPECT_LT(c.subcommands[j - 1].name, sub.name);
      }
    }
  }
}

TEST(CommandTable, EveryRowIsConsistent) {
  auto check = [](const Command& c) {
    EXPECT_NE(c.arity, 0) << c.name;
    if (c.policy == Policy::Script) {
      EXPECT_FALSE(c.script.empty()) << c.name;
    }
    if (c.key_rule == KeyRule::KeySpecs || c.key_rule == KeyRule::Numkeys) {
      EXPECT_FALSE(c.key_specs.empty()) << c.name;
      for (const KeySpec& s : c.key_specs) {
        EXPECT_NE(s.begin, KeySpec::Begin::Unknown) << c.name;
        EXPECT_NE(s.find, KeySpec::Find::Unknown) << c.name;
        EXPECT_EQ(s.flags & kKsIncomplete, 0u) << c.name;
      }
    }
    // Anything Redis flags admin or @dangerous is not plainly forwarded, except the few whose
    // danger the proxy handles (SORT's patterns, RESTORE of one key, MOVE/COPY's DB argument).
    if (((c.flags & kAdmin) || (c.acl_categories & kAclDangerous)) && c.policy == Policy::Forward) {
      EXPECT_TRUE(c.name == "sort" || c.name == "sort_ro" || c.name == "restore") << c.name;
    }
    if ((c.flags & kPubsub) && c.name != "pubsub|numpat") {  // NUMPAT names no channel
      EXPECT_NE(c.key_rule, KeyRule::None) << c.name;
    }
  };
  for (const Command& c : all_commands()) {
    check(c);
    for (const Command& sub : c.subcommands) check(sub);
  }
}

TEST(CommandTable, LookupIsCaseInsensitive) {
  for (std::string_view name : {"get", "GET", "gEt"}) {
    const Command* c = lookup(Args{name, "k"});
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->name, "get");
  }
  EXPECT_EQ(lookup(Args{"nosuchcommand"}), nullptr);
  EXPECT_EQ(lookup(Args{}), nullptr);
  EXPECT_EQ(lookup(Args{std::string_view("get\0", 4)}), nullptr);
  const std::string longname(200, 'a');
  EXPECT_EQ(lookup(Args{longname}), nullptr);
  EXPECT_EQ(lookup_name("CLIENT|SetName")->name, "client|setname");
  EXPECT_EQ(lookup_name("client|nosuch"), nullptr);
}

TEST(CommandTable, Subcommands) {
  const Command* c = lookup(Args{"client", "SETNAME", "x"});
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->name, "client|setname");
  EXPECT_EQ(c->arity, 3);
  EXPECT_EQ(c->policy, Policy::Local);
  // Unknown or missing subcommand: the container row.
  c = lookup(Args{"CLIENT", "nosuch"});
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->name, "client");
  EXPECT_TRUE(is_container(*c));
  EXPECT_EQ(c->policy, Policy::Refuse);
  EXPECT_EQ(lookup(Args{"client"})->name, "client");
  // COMMAND alone is a valid call: its container row is answered locally.
  EXPECT_EQ(lookup(Args{"command"})->policy, Policy::Local);
  EXPECT_EQ(lookup(Args{"command", "docs"})->name, "command|docs");
  EXPECT_EQ(lookup(Args{"object", "encoding", "k"})->name, "object|encoding");
  EXPECT_FALSE(is_container(row("get")));
}

TEST(CommandTable, Arity) {
  EXPECT_TRUE(arity_ok(row("get"), 2));
  EXPECT_FALSE(arity_ok(row("get"), 1));
  EXPECT_FALSE(arity_ok(row("get"), 3));
  EXPECT_TRUE(arity_ok(row("mset"), 3));
  EXPECT_TRUE(arity_ok(row("mset"), 99));
  EXPECT_FALSE(arity_ok(row("mset"), 2));
  EXPECT_EQ(row("client|setinfo").arity, 4);
}

TEST(CommandTable, Policies) {
  EXPECT_EQ(row("get").policy, Policy::Forward);
  EXPECT_EQ(row("get").key_rule, KeyRule::KeySpecs);
  EXPECT_EQ(row("ping").policy, Policy::Local);
  EXPECT_EQ(row("hello").policy, Policy::Local);
  EXPECT_EQ(row("client|no-touch").policy, Policy::Local);
  EXPECT_EQ(row("flushdb").policy, Policy::Emulate);
  EXPECT_EQ(row("keys").reply_rule, ReplyRule::KeyList);
  EXPECT_EQ(row("scan").key_rule, KeyRule::Scan);
  EXPECT_EQ(row("multi").policy, Policy::Stateful);
  EXPECT_EQ(row("exec").reply_rule, ReplyRule::Exec);
  EXPECT_EQ(row("blpop").reply_rule, ReplyRule::KeyFirst);
  EXPECT_EQ(row("xreadgroup").reply_rule, ReplyRule::Xread);
  EXPECT_EQ(row("subscribe").reply_rule, ReplyRule::PubSub);
  EXPECT_EQ(row("config|set").policy, Policy::Trusted);
  EXPECT_EQ(row("memory|usage").policy, Policy::Forward);
  EXPECT_EQ(row("memory|stats").policy, Policy::Trusted);
  EXPECT_EQ(row("eval").policy, Policy::RawScript);
  EXPECT_EQ(row("fcall").numkeys_errors, NumkeysErrors::Function);
  EXPECT_EQ(row("swapdb").policy, Policy::Refuse);
  EXPECT_EQ(row("migrate").policy, Policy::Refuse);
  EXPECT_EQ(row("move").policy, Policy::Forward);
  EXPECT_EQ(row("xpending").reply_rule, ReplyRule::KeyError);
}

TEST(CommandTable, CustomCommands) {
  for (std::string_view name : {"zpopbyrank", "zpopbyscore", "odm.commit", "odm.query", "odm.load",
                                "odm.delete", "odm.aggregate", "odm.move2set"}) {
    const Command& c = row(name);
    EXPECT_TRUE(c.custom) << name;
    EXPECT_EQ(c.policy, Policy::Script) << name;
    EXPECT_FALSE(c.key_specs.empty()) << name;
  }
  for (std::string_view name : {"countpattern", "delpattern", "keyinfo"}) {
    EXPECT_TRUE(row(name).custom);
    EXPECT_EQ(row(name).policy, Policy::Emulate);
  }
  EXPECT_EQ(row("odm.query").key_rule, KeyRule::Custom);
  EXPECT_EQ(row("odm.commit").script, "odm_commit");
  EXPECT_EQ(row("zpopbyrank").arity, -3);
  EXPECT_EQ(row("zpopbyrank").first_key, 1);
  // ZDIFFSTORE stays Redis's row; the WITHSCORES form is a script.
  EXPECT_FALSE(row("zdiffstore").custom);
  EXPECT_EQ(row("zdiffstore").script, "zdiffstore");
  EXPECT_EQ(lookup(Args{"ODM.Commit", "m", "{}", "0"})->name, "odm.commit");
}

TEST(CommandTable, CommandInfoColumns) {
  const Command& get = row("get");
  EXPECT_EQ(get.first_key, 1);
  EXPECT_EQ(get.last_key, 1);
  EXPECT_EQ(get.key_step, 1);
  EXPECT_TRUE(get.flags & kReadonly);
  EXPECT_TRUE(get.acl_categories & kAclString);
  EXPECT_EQ(get.summary, "Get the value of a key");
  EXPECT_EQ(row("mset").key_step, 2);
  EXPECT_EQ(row("mset").last_key, -1);
  EXPECT_FALSE(row("keys").tips.empty());
  EXPECT_EQ(row("sort").key_specs[1].begin, KeySpec::Begin::Unknown);
  EXPECT_FALSE(row("sort").key_specs[1].notes.empty());
  EXPECT_EQ(flag_names()[0], "write");
  EXPECT_EQ(flag_names().size(), 23u);
  EXPECT_EQ(acl_category_names()[17], "@dangerous");
  EXPECT_EQ(key_spec_flag_names()[8], "not_key");
  EXPECT_EQ(to_string(Policy::RawScript), "RawScript");
  EXPECT_EQ(to_string(KeyRule::ClientTracking), "ClientTracking");
  EXPECT_EQ(to_string(ReplyRule::ChannelCounts), "ChannelCounts");
}

// ---- find_keys: the tricky ones

TEST(FindKeys, PositionNotTokenSearch) {
  EXPECT_EQ(positions({"ZUNIONSTORE", "d", "2", "WEIGHTS", "z", "WEIGHTS", "1", "1"}),
            (P{1, 3, 4}));
  EXPECT_EQ(positions({"LMPOP", "1", "LEFT", "LEFT"}), (P{2}));
  EXPECT_EQ(positions({"XREAD", "STREAMS", "STREAMS", "0"}), (P{2}));
  EXPECT_EQ(positions({"SET", "EX", "v", "EX", "10"}), (P{1}));
  EXPECT_EQ(positions({"GETEX", "PERSIST", "PERSIST"}), (P{1}));
  EXPECT_EQ(positions({"GEORADIUS", "k", "0", "0", "1", "km", "STOREDIST", "STORE"}), (P{1, 7}));
  EXPECT_EQ(positions({"MIGRATE", "h", "6379", "", "0", "5000", "COPY", "AUTH", "pw", "KEYS", "a",
                       "KEYS", "b"}),
            (P{10, 11, 12}));
}

TEST(FindKeys, KeySpecs) {
  EXPECT_EQ(positions({"GET", "k"}), (P{1}));
  EXPECT_EQ(positions({"MSET", "a", "1", "b", "2"}), (P{1, 3}));
  EXPECT_EQ(positions({"DEL", "a", "b", "c"}), (P{1, 2, 3}));
  EXPECT_EQ(positions({"BLPOP", "a", "b", "0"}), (P{1, 2}));
  EXPECT_EQ(positions({"BZPOPMIN", "a", "0"}), (P{1}));
  EXPECT_EQ(positions({"BLMOVE", "a", "b", "LEFT", "RIGHT", "0"}), (P{1, 2}));
  EXPECT_EQ(positions({"BITOP", "AND", "d", "a", "b"}), (P{2, 3, 4}));
  EXPECT_EQ(positions({"PFMERGE", "d"}), (P{1}));  // runs in Redis; GETKEYS calls it invalid
  EXPECT_EQ(positions({"LCS", "a", "b"}), (P{1, 2}));
  EXPECT_EQ(positions({"COPY", "a", "b", "DB", "1"}), (P{1, 2}));
  EXPECT_EQ(positions({"RENAME", "a", "b"}), (P{1, 2}));
  EXPECT_EQ(positions({"SMOVE", "a", "b", "m"}), (P{1, 2}));
  EXPECT_EQ(positions({"WATCH", "a", "b"}), (P{1, 2}));
  EXPECT_EQ(positions({"RESTORE", "k", "0", "x"}), (P{1}));
  EXPECT_EQ(positions({"GEOSEARCHSTORE", "d", "s", "FROMMEMBER", "m", "BYRADIUS", "1", "km"}),
            (P{1, 2}));
  EXPECT_EQ(positions({"GEORADIUS_RO", "k", "0", "0", "1", "km", "COUNT", "3"}), (P{1}));
  EXPECT_EQ(positions({"OBJECT", "ENCODING", "k"}), (P{2}));
  EXPECT_EQ(positions({"MEMORY", "USAGE", "k", "SAMPLES", "5"}), (P{2}));
  EXPECT_EQ(positions({"XINFO", "STREAM", "k", "FULL"}), (P{2}));
  EXPECT_EQ(positions({"XGROUP", "CREATE", "s", "g", "$"}), (P{2}));
  EXPECT_EQ(positions({"XADD", "s", "*", "f", "v"}), (P{1}));
  EXPECT_EQ(positions({"XCLAIM", "s", "g", "c", "0", "0-1"}), (P{1}));
  EXPECT_EQ(positions({"HSET", "h", "f", "v"}), (P{1}));
  EXPECT_EQ(positions({"SINTERSTORE", "d", "a", "b"}), (P{1, 2, 3}));
  EXPECT_EQ(positions({"TOUCH", "a"}), (P{1}));
  EXPECT_EQ(positions({"PING"}), (P{}));
  EXPECT_EQ(positions({"SPUBLISH", "ch", "m"}), (P{1}));  // its NOT_KEY spec is a channel
}

TEST(FindKeys, Numkeys) {
  EXPECT_EQ(positions({"EVAL", "return 1", "2", "a", "b", "c"}), (P{3, 4}));
  EXPECT_EQ(positions({"EVAL", "return 1", "0"}), (P{}));
  EXPECT_EQ(positions({"EVALSHA_RO", "abc", "1", "k"}), (P{3}));
  EXPECT_EQ(positions({"FCALL", "f", "1", "k", "a"}), (P{3}));
  EXPECT_EQ(positions({"ZDIFFSTORE", "d", "2", "a", "b", "WITHSCORES"}), (P{1, 3, 4}));
  EXPECT_EQ(positions({"ZINTERCARD", "2", "a", "b", "LIMIT", "1"}), (P{2, 3}));
  EXPECT_EQ(positions({"SINTERCARD", "2", "a", "b"}), (P{2, 3}));
  EXPECT_EQ(positions({"ZMPOP", "1", "z", "MIN"}), (P{2}));
  EXPECT_EQ(positions({"BLMPOP", "0", "2", "a", "b", "LEFT"}), (P{3, 4}));
  EXPECT_EQ(positions({"BZMPOP", "1", "1", "z", "MIN", "COUNT", "2"}), (P{3}));
  EXPECT_EQ(positions({"ZUNION", "2", "a", "b", "WITHSCORES"}), (P{2, 3}));
}

TEST(FindKeys, NumkeysErrorsAreRedis) {
  // Redis's string2ll refuses "01", "+1", " 1"; each family words its errors its own way.
  EXPECT_EQ(error_of({"EVAL", "return 1", "01", "k"}),
            "ERR value is not an integer or out of range");
  EXPECT_EQ(error_of({"EVAL", "return 1", "+1", "k"}),
            "ERR value is not an integer or out of range");
  EXPECT_EQ(error_of({"EVAL", "return 1", " 1", "k"}),
            "ERR value is not an integer or out of range");
  EXPECT_EQ(error_of({"EVAL", "return 1", "2", "k"}),
            "ERR Number of keys can't be greater than number of args");
  EXPECT_EQ(error_of({"EVAL", "return 1", "-1", "k"}), "ERR Number of keys can't be negative");
  EXPECT_EQ(error_of({"FCALL", "f", "x", "k"}), "ERR Bad number of keys provided");
  EXPECT_EQ(error_of({"FCALL", "f", "01", "k"}), "ERR Bad number of keys provided");
  EXPECT_EQ(error_of({"FCALL_RO", "f", "5", "k"}),
            "ERR Number of keys can't be greater than number of args");
  EXPECT_EQ(error_of({"ZUNIONSTORE", "d", "0", "a"}),
            "ERR at least 1 input key is needed for 'zunionstore' command");
  EXPECT_EQ(error_of({"ZUNIONSTORE", "d", "-1", "a"}),
            "ERR at least 1 input key is needed for 'zunionstore' command");
  EXPECT_EQ(error_of({"ZUNIONSTORE", "d", "3", "a"}), "ERR syntax error");
  EXPECT_EQ(error_of({"ZUNIONSTORE", "d", "x", "a"}),
            "ERR value is not an integer or out of range");
  EXPECT_EQ(error_of({"ZUNION", "0", "a"}),
            "ERR at least 1 input key is needed for 'zunion' command");
  EXPECT_EQ(error_of({"ZINTERCARD", "0", "a"}),
            "ERR at least 1 input key is needed for 'zintercard' command");
  EXPECT_EQ(error_of({"ZINTERCARD", "3", "a"}), "ERR syntax error");
  EXPECT_EQ(error_of({"SINTERCARD", "0", "a"}), "ERR numkeys should be greater than 0");
  EXPECT_EQ(error_of({"SINTERCARD", "x", "a"}), "ERR numkeys should be greater than 0");
  EXPECT_EQ(error_of({"SINTERCARD", "3", "a"}),
            "ERR Number of keys can't be greater than number of args");
  EXPECT_EQ(error_of({"LMPOP", "0", "a", "LEFT"}), "ERR numkeys should be greater than 0");
  EXPECT_EQ(error_of({"LMPOP", "x", "a", "LEFT"}), "ERR numkeys should be greater than 0");
  EXPECT_EQ(error_of({"LMPOP", "2", "a", "b"}), "ERR syntax error");
  EXPECT_EQ(error_of({"LMPOP", "3", "a", "LEFT"}), "ERR syntax error");
  EXPECT_EQ(error_of({"BZMPOP", "0", "3", "a", "MIN"}), "ERR syntax error");
  EXPECT_EQ(error_of({"BLMPOP", "0", "0", "a", "LEFT"}), "ERR numkeys should be greater than 0");
  EXPECT_EQ(error_of({"EVAL", "s", "99999999999999999999", "k"}),
            "ERR value is not an integer or out of range");
}

TEST(FindKeys, Arity) {
  EXPECT_EQ(error_of({"GET"}), "ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(error_of({"GET", "a", "b"}), "ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(error_of({"CLIENT", "SETNAME"}),
            "ERR wrong number of arguments for 'client|setname' command");
  EXPECT_EQ(error_of({"LMPOP", "1", "a"}), "ERR wrong number of arguments for 'lmpop' command");
}

TEST(FindKeys, Sort) {
  KeyRefs refs = keys_of({"SORT", "k", "BY", "w_*", "GET", "#", "GET", "o_*->f", "STORE", "dst"});
  EXPECT_EQ(refs.positions(), (P{1, 3, 7, 9}));
  EXPECT_EQ(*refs.kind_of(1), NameKind::Key);
  EXPECT_EQ(*refs.kind_of(3), NameKind::SortPattern);
  EXPECT_EQ(refs.kind_of(5), nullptr);  // '#'
  EXPECT_EQ(*refs.kind_of(7), NameKind::SortPattern);
  EXPECT_EQ(*refs.kind_of(9), NameKind::Key);
  EXPECT_EQ(refs.key_positions(), (P{1, 9}));
  EXPECT_EQ(positions({"SORT", "k", "BY", "nosort", "LIMIT", "0", "10", "DESC", "ALPHA"}), (P{1}));
  EXPECT_EQ(positions({"sort", "store", "store", "STORE"}), (P{1, 3}));  // key "store"
  EXPECT_EQ(positions({"SORT_RO", "k", "BY", "w_*", "GET", "o_*"}), (P{1, 3, 5}));
  EXPECT_EQ(error_of({"SORT_RO", "k", "STORE", "d"}), "ERR syntax error");
  EXPECT_EQ(error_of({"SORT", "k", "LIMIT", "0"}), "ERR syntax error");
  EXPECT_EQ(error_of({"SORT", "k", "LIMIT", "x", "1"}),
            "ERR value is not an integer or out of range");
  EXPECT_EQ(error_of({"SORT", "k", "GET"}), "ERR syntax error");
}

TEST(FindKeys, Xread) {
  KeyRefs refs = keys_of({"XREAD", "COUNT", "10", "BLOCK", "0", "STREAMS", "a", "b", "0", "0"});
  EXPECT_EQ(refs.positions(), (P{6, 7}));
  EXPECT_TRUE(refs.block);
  refs = keys_of({"XREAD", "STREAMS", "a", "0"});
  EXPECT_FALSE(refs.block);
  EXPECT_EQ(positions({"XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "s", ">"}), (P{6}));
  EXPECT_EQ(positions({"XREADGROUP", "GROUP", "STREAMS", "STREAMS", "STREAMS", "s", ">"}), (P{5}));
  EXPECT_EQ(error_of({"XREAD", "STREAMS", "a", "b", "c"}),
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
  EXPECT_EQ(error_of({"XREAD", "COUNT", "STREAMS", "a", "0"}),
            "ERR value is not an integer or out of range");
  EXPECT_EQ(error_of({"XREAD", "COUNT", "1", "BLOCK", "STREAMS", "a", "0"}),
            "ERR timeout is not an integer or out of range");
  EXPECT_EQ(error_of({"XREAD", "BLOCK", "-1", "STREAMS", "a", "0"}), "ERR timeout is negative");
  EXPECT_EQ(error_of({"XREAD", "FOO", "STREAMS", "a", "0"}), "ERR syntax error");
  EXPECT_EQ(error_of({"XREAD", "COUNT", "5", "STREAMS"}), "ERR syntax error");
  EXPECT_EQ(error_of({"XREAD", "GROUP", "g", "c", "STREAMS", "a", "0"}),
            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
  EXPECT_EQ(error_of({"XREAD", "NOACK", "STREAMS", "a", "0"}),
            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
  EXPECT_EQ(error_of({"XREADGROUP", "COUNT", "1", "STREAMS", "a", "b", "0", "0"}),
            "ERR Missing GROUP option for XREADGROUP");
}

TEST(FindKeys, Georadius) {
  EXPECT_EQ(positions({"GEORADIUS", "k", "0", "0", "10", "km", "STORE", "x", "STOREDIST", "y"}),
            (P{1, 7, 9}));
  EXPECT_EQ(positions({"GEORADIUSBYMEMBER", "k", "m", "1", "km", "COUNT", "5", "STORE", "d"}),
            (P{1, 8}));
  EXPECT_EQ(
      positions({"GEORADIUS", "k", "0", "0", "1", "km", "WITHDIST", "ASC", "COUNT", "3", "ANY"}),
      (P{1}));
  EXPECT_EQ(error_of({"GEORADIUS", "k", "0", "0", "1", "km", "STORE"}), "ERR syntax error");
  EXPECT_EQ(error_of({"GEORADIUS", "k", "0", "0", "1", "km", "COUNT", "0"}),
            "ERR COUNT must be > 0");
  // GEORADIUS_RO has complete key-specs (the key only): Redis itself rejects STORE there.
  EXPECT_EQ(positions({"GEORADIUS_RO", "k", "0", "0", "1", "km", "STORE", "x"}), (P{1}));
}

TEST(FindKeys, Scan) {
  KeyRefs refs = keys_of({"SCAN", "0", "TYPE", "MATCH"});
  EXPECT_EQ(refs.positions(), (P{}));
  EXPECT_EQ(refs.append, Append::MatchAll);
  refs = keys_of({"SCAN", "0", "MATCH", "a*", "COUNT", "10"});
  EXPECT_EQ(refs.positions(), (P{3}));
  EXPECT_EQ(*refs.kind_of(3), NameKind::Pattern);
  EXPECT_EQ(refs.append, Append::None);
  refs = keys_of({"SCAN", "0", "MATCH", "a*", "MATCH", "b*"});
  EXPECT_EQ(refs.positions(), (P{3, 5}));
  EXPECT_EQ(keys_of({"SCAN", "0"}).append, Append::MatchAll);
  EXPECT_EQ(error_of({"SCAN", "0", "MATCH"}), "ERR syntax error");
  EXPECT_EQ(error_of({"SCAN", "0", "COUNT", "0"}), "ERR syntax error");
  EXPECT_EQ(error_of({"SCAN", "0", "FOO", "x"}), "ERR syntax error");
}

TEST(FindKeys, PatternsAndChannels) {
  KeyRefs refs = keys_of({"KEYS", "*"});
  EXPECT_EQ(*refs.kind_of(1), NameKind::Pattern);
  EXPECT_EQ(*keys_of({"COUNTPATTERN", "a*"}).kind_of(1), NameKind::Pattern);
  EXPECT_EQ(*keys_of({"DELPATTERN", "a*"}).kind_of(1), NameKind::Pattern);
  refs = keys_of({"SUBSCRIBE", "a", "b"});
  EXPECT_EQ(refs.positions(), (P{1, 2}));
  EXPECT_EQ(*refs.kind_of(2), NameKind::SubChannel);
  EXPECT_EQ(*keys_of({"UNSUBSCRIBE", "a"}).kind_of(1), NameKind::SubChannel);
  EXPECT_EQ(keys_of({"UNSUBSCRIBE"}).positions(), (P{}));
  EXPECT_EQ(*keys_of({"PSUBSCRIBE", "a*"}).kind_of(1), NameKind::SubPattern);
  EXPECT_EQ(*keys_of({"SSUBSCRIBE", "a"}).kind_of(1), NameKind::Channel);
  refs = keys_of({"PUBLISH", "ch", "ch"});
  EXPECT_EQ(refs.positions(), (P{1}));
  EXPECT_EQ(*refs.kind_of(1), NameKind::Channel);
  refs = keys_of({"PUBSUB", "CHANNELS"});
  EXPECT_EQ(refs.append, Append::PatternAll);
  refs = keys_of({"PUBSUB", "SHARDCHANNELS", "a*"});
  EXPECT_EQ(*refs.kind_of(2), NameKind::Pattern);
  EXPECT_EQ(refs.append, Append::None);
  EXPECT_EQ(error_of({"PUBSUB", "channels", "a", "b"}),
            "ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.");
  EXPECT_EQ(positions({"PUBSUB", "NUMSUB", "a", "b"}), (P{2, 3}));
  EXPECT_EQ(positions({"PUBSUB", "NUMPAT"}), (P{}));
}

TEST(FindKeys, ClientTracking) {
  KeyRefs refs = keys_of({"CLIENT", "TRACKING", "on", "PREFIX", "a", "PREFIX", "b", "BCAST"});
  EXPECT_EQ(refs.positions(), (P{4, 6}));
  EXPECT_EQ(*refs.kind_of(4), NameKind::TrackingPrefix);
  EXPECT_EQ(refs.append, Append::None);
  EXPECT_EQ(keys_of({"CLIENT", "TRACKING", "ON", "BCAST"}).append, Append::TrackingPrefix);
  EXPECT_EQ(keys_of({"CLIENT", "TRACKING", "off", "BCAST"}).append, Append::None);
  refs = keys_of({"CLIENT", "TRACKING", "on", "REDIRECT", "5", "OPTIN", "NOLOOP"});
  EXPECT_EQ(refs.positions(), (P{}));
  EXPECT_EQ(refs.append, Append::None);
  EXPECT_EQ(positions({"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "PREFIX"}), (P{5}));
  EXPECT_EQ(error_of({"CLIENT", "TRACKING", "on", "foo"}), "ERR syntax error");
}

TEST(FindKeys, Migrate) {
  EXPECT_EQ(positions({"MIGRATE", "h", "6379", "k", "0", "5000"}), (P{3}));
  EXPECT_EQ(positions({"MIGRATE", "h", "6379", "k", "0", "5000", "REPLACE", "AUTH2", "u", "p"}),
            (P{3}));
  EXPECT_EQ(positions({"MIGRATE", "h", "6379", "", "0", "5000", "KEYS"}), (P{}));
  EXPECT_EQ(error_of({"MIGRATE", "h", "6379", "k", "0", "5000", "KEYS", "a"}),
            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
  EXPECT_EQ(error_of({"MIGRATE", "h", "6379", "k", "0", "5000", "AUTH"}), "ERR syntax error");
}

TEST(FindKeys, CustomCommands) {
  EXPECT_EQ(positions({"ZPOPBYRANK", "k", "0", "1", "WITHSCORES"}), (P{1}));
  EXPECT_EQ(positions({"ZPOPBYSCORE", "k", "-inf", "+inf", "LIMIT", "0", "1"}), (P{1}));
  EXPECT_EQ(positions({"KEYINFO", "KEYS", "a", "b"}), (P{2, 3}));
  KeyRefs refs = keys_of({"KEYINFO", "a*", "0", "10"});
  EXPECT_EQ(refs.positions(), (P{1}));
  EXPECT_EQ(*refs.kind_of(1), NameKind::Pattern);
  EXPECT_EQ(*keys_of({"KEYINFO", "KEYS"}).kind_of(1), NameKind::Pattern);  // the pattern "KEYS"
  EXPECT_EQ(positions({"ODM.COMMIT", "app.item", "{}", "0"}), (P{1}));
  EXPECT_EQ(positions({"ODM.QUERY", "dest", "app.item", "{}", "f", "value", "v"}), (P{1, 2}));
  EXPECT_EQ(positions({"ODM.LOAD", "ids", "app.item", "{}", "{}"}), (P{1, 2}));
  EXPECT_EQ(positions({"ODM.DELETE", "ids", "app.item", "{}"}), (P{1, 2}));
  EXPECT_EQ(positions({"ODM.AGGREGATE", "ids", "app.item", "{}", "parent"}), (P{1, 2}));
  EXPECT_EQ(positions({"ODM.MOVE2SET", "s", "a", "b"}), (P{2, 3}));
}

TEST(FindKeys, ManyRangesSpillOver) {
  Args args{"SORT", "k"};
  std::vector<std::string> owned;
  for (int i = 0; i < 40; ++i) owned.push_back("p" + std::to_string(i) + "_*");
  for (const std::string& p : owned) {
    args.push_back("GET");
    args.push_back(p);
  }
  KeyRefs refs = keys_of(args);
  EXPECT_EQ(refs.ranges().size(), 41u);
  EXPECT_EQ(refs.positions().size(), 41u);
  EXPECT_EQ(*refs.kind_of(81), NameKind::SortPattern);
  // Reuse: clear() forgets everything.
  EXPECT_TRUE(find_keys(row("get"), Args{"GET", "x"}, refs));
  EXPECT_EQ(refs.positions(), (P{1}));
}

TEST(FindKeys, StrictInt) {
  std::int64_t v = 0;
  EXPECT_TRUE(parse_strict_int64("0", v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(parse_strict_int64("-12", v));
  EXPECT_EQ(v, -12);
  EXPECT_TRUE(parse_strict_int64("9223372036854775807", v));
  EXPECT_TRUE(parse_strict_int64("-9223372036854775808", v));
  EXPECT_EQ(v, std::numeric_limits<std::int64_t>::min());
  for (std::string_view bad : {"", "-", "01", "-0", "+1", " 1", "1 ", "1x", "9223372036854775808",
                               "-9223372036854775809", "99999999999999999999"}) {
    EXPECT_FALSE(parse_strict_int64(bad, v)) << bad;
  }
}

// ---- broad sample: every row, many argument shapes; never out of bounds (ASan), positions valid,
// and the legacy first key (COMMAND INFO) is found for every plain key-spec command.

TEST(FindKeys, EveryCommandAnyShape) {
  const std::vector<std::string_view> tokens = {"1",     "k",    "STREAMS", "0",
                                                "STORE", "KEYS", "-1",      "#"};
  std::size_t checked = 0;
  auto sweep = [&](const Command& c) {
    const std::size_t min_args = static_cast<std::size_t>(c.arity < 0 ? -c.arity : c.arity);
    for (std::size_t extra = 0; extra < 6; ++extra) {
      for (std::string_view token : tokens) {
        Args args;
        const std::size_t bar = c.name.find('|');
        args.push_back(c.name.substr(0, bar));
        if (bar != std::string_view::npos) args.push_back(c.name.substr(bar + 1));
        while (args.size() < min_args + extra) args.push_back(token);
        KeyRefs refs;
        if (find_keys(c, args, refs)) {
          for (std::size_t p : refs.positions()) {
            EXPECT_LT(p, args.size()) << c.name;
          }
          EXPECT_TRUE(refs.error.empty());
        } else {
          EXPECT_FALSE(refs.error.empty()) << c.name;
          EXPECT_TRUE(refs.error.starts_with("ERR ")) << c.name << ": " << refs.error;
        }
        ++checked;
        if (c.arity >= 0) break;
      }
      if (c.arity >= 0) break;
    }
    if (c.key_rule == KeyRule::KeySpecs && c.first_key > 0) {
      Args args;
      const std::size_t bar = c.name.find('|');
      args.push_back(c.name.substr(0, bar));
      if (bar != std::string_view::npos) args.push_back(c.name.substr(bar + 1));
      while (args.size() < min_args) args.push_back("1");
      KeyRefs refs;
      ASSERT_TRUE(find_keys(c, args, refs)) << c.name << ": " << refs.error;
      const auto pos = refs.positions();
      EXPECT_TRUE(std::find(pos.begin(), pos.end(), static_cast<std::size_t>(c.first_key)) !=
                  pos.end())
          << c.name;
    }
  };
  for (const Command& c : all_commands()) {
    sweep(c);
    for (const Command& sub : c.subcommands) sweep(sub);
  }
  EXPECT_GT(checked, 1000u);
}

}  // namespace
}  // namespace stdnet::cmd
