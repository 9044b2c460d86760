// The namespacer: requests and replies, exact bytes, RESP2 and RESP3 shapes.
#include "proxy/namespacer.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "resp/commands.h"
#include "resp/parser.h"

namespace stdnet::proxy {
namespace {

using Args = std::vector<std::string_view>;
constexpr std::string_view kPrefix = "app1:";

// The multibulk encoding of `args`.
std::string multibulk(std::initializer_list<std::string_view> args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (std::string_view a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out.append(a);
    out += "\r\n";
  }
  return out;
}

// The frame overload of rewrite_request (what the proxy uses) on the multibulk of `args`, as the
// parser delivers it; must give the same result as the args overload, byte for byte.
std::string rewrite_frame(const cmd::Command& c, const Args& args, std::string_view prefix,
                          std::string& out) {
  std::string frame = "*" + std::to_string(args.size()) + "\r\n";
  for (std::string_view a : args) {
    frame += "$" + std::to_string(a.size()) + "\r\n";
    frame.append(a);
    frame += "\r\n";
  }
  resp::RequestParser parser;
  parser.set_authenticated(true);
  EXPECT_EQ(parser.parse(frame), resp::ParseStatus::Ok);
  cmd::KeyRefs refs;
  return rewrite_request(c, parser.request(), prefix, out, refs);
}

std::string rewrite(const Args& args, std::string_view prefix = kPrefix) {
  const cmd::Command* c = cmd::lookup(args);
  EXPECT_NE(c, nullptr) << args[0];
  if (c == nullptr) return {};
  std::string out = "<";  // rewrite_request appends
  const std::string error = rewrite_request(*c, args, prefix, out);
  EXPECT_EQ(error, "") << args[0];
  EXPECT_EQ(out.substr(0, 1), "<");
  std::string from_frame = "<";
  EXPECT_EQ(rewrite_frame(*c, args, prefix, from_frame), "") << args[0];
  EXPECT_EQ(from_frame, out) << "the frame overload differs for " << args[0];
  return out.substr(1);
}

std::string rewrite_error(const Args& args, std::string_view prefix = kPrefix) {
  const cmd::Command* c = cmd::lookup(args);
  EXPECT_NE(c, nullptr) << args[0];
  if (c == nullptr) return {};
  std::string out = "<";
  const std::string error = rewrite_request(*c, args, prefix, out);
  EXPECT_EQ(out, "<") << "out must be left as it was";
  std::string from_frame = "<";
  EXPECT_EQ(rewrite_frame(*c, args, prefix, from_frame), error) << args[0];
  EXPECT_EQ(from_frame, "<") << "out must be left as it was (frame overload)";
  return error;
}

// ---- requests

TEST(RewriteRequest, Keys) {
  EXPECT_EQ(rewrite({"SET", "k", "v"}), multibulk({"SET", "app1:k", "v"}));
  EXPECT_EQ(rewrite({"get", "app1:k"}), multibulk({"get", "app1:app1:k"}));
  EXPECT_EQ(rewrite({"MSET", "a", "1", "b", "2"}),
            multibulk({"MSET", "app1:a", "1", "app1:b", "2"}));
  EXPECT_EQ(rewrite({"LMPOP", "1", "LEFT", "LEFT"}),
            multibulk({"LMPOP", "1", "app1:LEFT", "LEFT"}));
  EXPECT_EQ(
      rewrite({"ZUNIONSTORE", "d", "2", "WEIGHTS", "z", "WEIGHTS", "1", "1"}),
      multibulk({"ZUNIONSTORE", "app1:d", "2", "app1:WEIGHTS", "app1:z", "WEIGHTS", "1", "1"}));
  EXPECT_EQ(rewrite({"XREAD", "STREAMS", "STREAMS", "0"}),
            multibulk({"XREAD", "STREAMS", "app1:STREAMS", "0"}));
  EXPECT_EQ(rewrite({"EVAL", "return redis.call('get', KEYS[1])", "1", "k", "app1:x"}),
            multibulk({"EVAL", "return redis.call('get', KEYS[1])", "1", "app1:k", "app1:x"}));
  EXPECT_EQ(rewrite({"OBJECT", "ENCODING", "k"}), multibulk({"OBJECT", "ENCODING", "app1:k"}));
  EXPECT_EQ(rewrite({"GEORADIUS", "k", "0", "0", "1", "km", "STORE", "x", "STOREDIST", "y"}),
            multibulk({"GEORADIUS", "app1:k", "0", "0", "1", "km", "STORE", "app1:x", "STOREDIST",
                       "app1:y"}));
  // Binary-safe: keys and values with CRLF and NUL.
  const std::string odd("a\r\n\0b", 5);
  EXPECT_EQ(rewrite({"SET", odd, odd}), multibulk({"SET", "app1:" + odd, odd}));
}

// The frame overload copies what lies between names and re-encodes only the names; rewrite()
// checks it against the argument-list overload for every case in this file. These cases stress
// its paths: many ranges (more than it walks without allocating), many keys, binary names with
// CRLF inside, empty names, and names next to each other.
TEST(RewriteRequest, FrameCopiesAllButNames) {
  EXPECT_EQ(
      rewrite({"SORT", "k", "BY",  "w_*", "GET", "a", "GET", "b", "GET", "c", "GET",   "d",
               "GET",  "e", "GET", "f",   "GET", "g", "GET", "h", "GET", "i", "STORE", "dst"}),
      multibulk({"SORT", "app1:k", "BY",  "app1:w_*", "GET", "app1:a", "GET",   "app1:b",
                 "GET",  "app1:c", "GET", "app1:d",   "GET", "app1:e", "GET",   "app1:f",
                 "GET",  "app1:g", "GET", "app1:h",   "GET", "app1:i", "STORE", "app1:dst"}));
  std::vector<std::string> owned{"MSET"};
  for (int i = 0; i < 1000; ++i) {
    owned.push_back("k" + std::to_string(i));
    owned.push_back(std::string(static_cast<std::size_t>(i % 13), 'v'));
  }
  const Args many(owned.begin(), owned.end());
  EXPECT_NE(rewrite(many), "");
  EXPECT_EQ(rewrite({"DEL", "a\r\nb", "", "c"}),
            multibulk({"DEL", "app1:a\r\nb", "app1:", "app1:c"}));
  EXPECT_EQ(rewrite({"RENAME", "src", "dst"}), multibulk({"RENAME", "app1:src", "app1:dst"}));
  EXPECT_EQ(rewrite({"SSCAN", "s", "0", "MATCH", "*"}),
            multibulk({"SSCAN", "app1:s", "0", "MATCH", "*"}));
  EXPECT_EQ(rewrite({"SCAN", "0", "COUNT", "10"}),
            multibulk({"SCAN", "0", "COUNT", "10", "MATCH", "app1:*"}));
  // A key of 5 bytes gets a 2-digit length with the prefix: the frame grows by more than the
  // prefix.
  EXPECT_EQ(rewrite({"GET", "12345"}), multibulk({"GET", "app1:12345"}));
}

TEST(RewriteRequest, EmptyPrefixPassesThrough) {
  EXPECT_EQ(rewrite({"SET", "k", "v"}, ""), multibulk({"SET", "k", "v"}));
  EXPECT_EQ(rewrite({"SCAN", "0"}, ""), multibulk({"SCAN", "0"}));
  EXPECT_EQ(rewrite({"CLIENT", "TRACKING", "on", "BCAST"}, ""),
            multibulk({"CLIENT", "TRACKING", "on", "BCAST"}));
  EXPECT_EQ(rewrite({"PUBSUB", "CHANNELS"}, ""), multibulk({"PUBSUB", "CHANNELS"}));
  EXPECT_EQ(rewrite_error({"EVAL", "s", "01", "k"}, ""),
            "ERR value is not an integer or out of range");
}

TEST(RewriteRequest, Patterns) {
  EXPECT_EQ(rewrite({"KEYS", "*"}), multibulk({"KEYS", "app1:*"}));
  EXPECT_EQ(rewrite({"SCAN", "0"}), multibulk({"SCAN", "0", "MATCH", "app1:*"}));
  EXPECT_EQ(rewrite({"SCAN", "0", "TYPE", "MATCH"}),
            multibulk({"SCAN", "0", "TYPE", "MATCH", "MATCH", "app1:*"}));
  EXPECT_EQ(rewrite({"SCAN", "5", "MATCH", "u:*", "COUNT", "100"}),
            multibulk({"SCAN", "5", "MATCH", "app1:u:*", "COUNT", "100"}));
  EXPECT_EQ(rewrite({"PUBSUB", "CHANNELS"}), multibulk({"PUBSUB", "CHANNELS", "app1:*"}));
  EXPECT_EQ(rewrite({"PUBSUB", "CHANNELS", "n*"}), multibulk({"PUBSUB", "CHANNELS", "app1:n*"}));
  EXPECT_EQ(rewrite({"PSUBSCRIBE", "a*", "b?"}), multibulk({"PSUBSCRIBE", "app1:a*", "app1:b?"}));
  // A prefix with glob characters (an outer namespace may have them) is escaped in patterns only.
  EXPECT_EQ(rewrite({"KEYS", "x*"}, "o[1]*?\\:"), multibulk({"KEYS", "o\\[1\\]\\*\\?\\\\:x*"}));
  EXPECT_EQ(rewrite({"SCAN", "0"}, "a*:"), multibulk({"SCAN", "0", "MATCH", "a\\*:*"}));
  EXPECT_EQ(rewrite({"GET", "k"}, "a*:"), multibulk({"GET", "a*:k"}));
}

TEST(RewriteRequest, Sort) {
  EXPECT_EQ(rewrite({"SORT", "k", "BY", "w_*", "GET", "#", "GET", "o_*->f", "STORE", "dst"}),
            multibulk({"SORT", "app1:k", "BY", "app1:w_*", "GET", "#", "GET", "app1:o_*->f",
                       "STORE", "app1:dst"}));
  EXPECT_EQ(rewrite({"SORT", "k", "BY", "nosort"}), multibulk({"SORT", "app1:k", "BY", "nosort"}));
  EXPECT_EQ(rewrite({"SORT", "k", "LIMIT", "0", "5", "ALPHA", "DESC"}, "a*:"),
            multibulk({"SORT", "a*:k", "LIMIT", "0", "5", "ALPHA", "DESC"}));
  EXPECT_EQ(rewrite_error({"SORT", "k", "GET", "o_*"}, "a*:"),
            "ERR stdnet: SORT BY/GET patterns cannot be used in a namespace whose prefix contains "
            "'*'");
}

TEST(RewriteRequest, Channels) {
  EXPECT_EQ(rewrite({"PUBLISH", "news", "app1:payload"}),
            multibulk({"PUBLISH", "app1:news", "app1:payload"}));
  EXPECT_EQ(rewrite({"SUBSCRIBE", "news", "__keyspace@0__:foo", "__keyevent@0__:del",
                     "__redis__:invalidate"}),
            multibulk({"SUBSCRIBE", "app1:news", "__keyspace@0__:app1:foo", "__keyevent@0__:del",
                       "__redis__:invalidate"}));
  EXPECT_EQ(
      rewrite({"PSUBSCRIBE", "__keyspace@*__:*", "__keyevent@*__:*", "__redis__:*"}, "a*:"),
      multibulk({"PSUBSCRIBE", "__keyspace@*__:a\\*:*", "__keyevent@*__:*", "a\\*:__redis__:*"}));
  EXPECT_EQ(rewrite({"UNSUBSCRIBE", "__keyspace@0__:foo"}),
            multibulk({"UNSUBSCRIBE", "__keyspace@0__:app1:foo"}));
  // Publishing never reaches the notification channels: those names are prefixed like any other.
  EXPECT_EQ(rewrite({"PUBLISH", "__redis__:invalidate", "x"}),
            multibulk({"PUBLISH", "app1:__redis__:invalidate", "x"}));
  EXPECT_EQ(rewrite({"PUBLISH", "__keyevent@0__:del", "app2:k"}),
            multibulk({"PUBLISH", "app1:__keyevent@0__:del", "app2:k"}));
  EXPECT_EQ(rewrite({"SSUBSCRIBE", "__keyspace@0__:foo"}),
            multibulk({"SSUBSCRIBE", "app1:__keyspace@0__:foo"}));
  EXPECT_EQ(rewrite({"PUBSUB", "NUMSUB", "a", "b"}),
            multibulk({"PUBSUB", "NUMSUB", "app1:a", "app1:b"}));
}

TEST(RewriteRequest, ClientTracking) {
  EXPECT_EQ(
      rewrite({"CLIENT", "TRACKING", "on", "PREFIX", "a", "PREFIX", "b", "BCAST"}),
      multibulk({"CLIENT", "TRACKING", "on", "PREFIX", "app1:a", "PREFIX", "app1:b", "BCAST"}));
  EXPECT_EQ(rewrite({"CLIENT", "TRACKING", "on", "BCAST"}),
            multibulk({"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "app1:"}));
  EXPECT_EQ(rewrite({"CLIENT", "TRACKING", "on"}), multibulk({"CLIENT", "TRACKING", "on"}));
  // Tracking prefixes are literal, not globs: never escaped.
  EXPECT_EQ(rewrite({"CLIENT", "TRACKING", "on", "BCAST"}, "a*:"),
            multibulk({"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a*:"}));
}

TEST(RewriteRequest, Errors) {
  EXPECT_EQ(rewrite_error({"EVAL", "s", "01", "k"}), "ERR value is not an integer or out of range");
  EXPECT_EQ(rewrite_error({"EVAL", "s", "3", "k"}),
            "ERR Number of keys can't be greater than number of args");
  EXPECT_EQ(rewrite_error({"ZINTERSTORE", "d", "0", "a"}),
            "ERR at least 1 input key is needed for 'zinterstore' command");
  EXPECT_EQ(rewrite_error({"XREAD", "STREAMS", "a", "b", "0"}),
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
  EXPECT_EQ(rewrite_error({"GET"}), "ERR wrong number of arguments for 'get' command");
}

TEST(RewriteRequest, ScratchIsReusable) {
  cmd::KeyRefs refs;
  std::string out;
  const Args first{"MGET", "a", "b"};
  const Args second{"GET", "c"};
  EXPECT_EQ(rewrite_request(*cmd::lookup(first), first, kPrefix, out, refs), "");
  EXPECT_EQ(rewrite_request(*cmd::lookup(second), second, kPrefix, out, refs), "");
  EXPECT_EQ(out, multibulk({"MGET", "app1:a", "app1:b"}) + multibulk({"GET", "app1:c"}));
}

TEST(RewriteScriptRequest, KeysThenArgs) {
  cmd::KeyRefs refs;
  std::string out;
  const Args pop{"ZPOPBYRANK", "k", "0", "1", "WITHSCORES"};
  EXPECT_EQ(rewrite_script_request(*cmd::lookup(pop), pop, kPrefix, "sha", out, refs), "");
  EXPECT_EQ(out, multibulk({"EVALSHA", "sha", "1", "app1:k", "0", "1", "WITHSCORES"}));
  out.clear();
  const Args diff{"ZDIFFSTORE", "d", "2", "a", "b", "WITHSCORES"};
  EXPECT_EQ(rewrite_script_request(*cmd::lookup(diff), diff, kPrefix, "sha", out, refs), "");
  EXPECT_EQ(out, multibulk({"EVALSHA", "sha", "3", "app1:d", "app1:a", "app1:b", "WITHSCORES"}));
  out.clear();
  const Args move{"ODM.MOVE2SET", "z", "a", "b"};
  EXPECT_EQ(rewrite_script_request(*cmd::lookup(move), move, "", "sha", out, refs), "");
  EXPECT_EQ(out, multibulk({"EVALSHA", "sha", "2", "a", "b", "z"}));
  out.clear();
  const Args bad{"ZDIFFSTORE", "d", "0", "a"};
  EXPECT_EQ(rewrite_script_request(*cmd::lookup(bad), bad, kPrefix, "sha", out, refs),
            "ERR at least 1 input key is needed for 'zdiffstore' command");
  EXPECT_EQ(out, "");
}

TEST(GlobEscape, EscapesSpecials) {
  std::string out;
  append_glob_escaped(out, "a*b?c[d]e\\f");
  EXPECT_EQ(out, "a\\*b\\?c\\[d\\]e\\\\f");
  EXPECT_EQ(strip_prefix("app1:k", kPrefix), "k");
  EXPECT_EQ(strip_prefix("app2:k", kPrefix), "app2:k");
}

// ---- replies

std::string reply(cmd::ReplyRule rule, std::string_view in, std::string_view prefix = kPrefix) {
  std::string out = "<";
  ReplyNodes nodes;
  EXPECT_TRUE(rewrite_reply(rule, in, prefix, 2, out, nodes)) << in;
  return out.substr(1);
}

bool dropped(cmd::ReplyRule rule, std::string_view in) {
  std::string out = "<";
  const bool keep = rewrite_reply(rule, in, kPrefix, 3, out);
  EXPECT_EQ(out, keep ? out : "<");
  return !keep;
}

using R = cmd::ReplyRule;

TEST(RewriteReply, KeysScanRandomkey) {
  EXPECT_EQ(reply(R::KeyList, "*3\r\n$6\r\napp1:a\r\n$7\r\napp1:bc\r\n$6\r\napp2:x\r\n"),
            "*3\r\n$1\r\na\r\n$2\r\nbc\r\n$6\r\napp2:x\r\n");
  EXPECT_EQ(reply(R::KeyList, "*0\r\n"), "*0\r\n");
  EXPECT_EQ(reply(R::Scan, "*2\r\n$2\r\n17\r\n*2\r\n$6\r\napp1:a\r\n$5\r\napp1:\r\n"),
            "*2\r\n$2\r\n17\r\n*2\r\n$1\r\na\r\n$0\r\n\r\n");
  EXPECT_EQ(reply(R::Key, "$6\r\napp1:k\r\n"), "$1\r\nk\r\n");
  EXPECT_EQ(reply(R::Key, "$-1\r\n"), "$-1\r\n");
  EXPECT_EQ(reply(R::Key, "_\r\n"), "_\r\n");
  // Empty prefix, Raw: byte for byte.
  EXPECT_EQ(reply(R::KeyList, "*1\r\n$6\r\napp1:a\r\n", ""), "*1\r\n$6\r\napp1:a\r\n");
  EXPECT_EQ(reply(R::Raw, "$6\r\napp1:k\r\n"), "$6\r\napp1:k\r\n");
}

TEST(RewriteReply, BlockingPops) {
  // The value is never touched, even when it looks like a key.
  EXPECT_EQ(reply(R::KeyFirst, "*2\r\n$6\r\napp1:l\r\n$6\r\napp1:v\r\n"),
            "*2\r\n$1\r\nl\r\n$6\r\napp1:v\r\n");
  EXPECT_EQ(reply(R::KeyFirst, "*-1\r\n"), "*-1\r\n");
  EXPECT_EQ(reply(R::KeyFirst, "*3\r\n$6\r\napp1:z\r\n$1\r\nm\r\n,1.5\r\n"),
            "*3\r\n$1\r\nz\r\n$1\r\nm\r\n,1.5\r\n");
  EXPECT_EQ(reply(R::MPop, "*2\r\n$6\r\napp1:l\r\n*2\r\n$6\r\napp1:x\r\n$1\r\ny\r\n"),
            "*2\r\n$1\r\nl\r\n*2\r\n$6\r\napp1:x\r\n$1\r\ny\r\n");
  EXPECT_EQ(reply(R::MPop, "*2\r\n$6\r\napp1:z\r\n*1\r\n*2\r\n$1\r\nm\r\n,2\r\n"),
            "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nm\r\n,2\r\n");
  EXPECT_EQ(reply(R::MPop, "_\r\n"), "_\r\n");
}

TEST(RewriteReply, Xread) {
  const std::string entries = "*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$6\r\napp1:f\r\n$1\r\nv\r\n";
  EXPECT_EQ(reply(R::Xread, "*1\r\n*2\r\n$6\r\napp1:s\r\n" + entries),
            "*1\r\n*2\r\n$1\r\ns\r\n" + entries);
  EXPECT_EQ(reply(R::Xread, "%2\r\n$6\r\napp1:s\r\n" + entries + "$6\r\napp1:t\r\n*0\r\n"),
            "%2\r\n$1\r\ns\r\n" + entries + "$1\r\nt\r\n*0\r\n");
  EXPECT_EQ(reply(R::Xread, "*-1\r\n"), "*-1\r\n");
  EXPECT_EQ(reply(R::Xread,
                  "-NOGROUP No such key 'app1:s' or consumer group 'app1:g' in XREADGROUP with "
                  "GROUP option\r\n"),
            "-NOGROUP No such key 's' or consumer group 'app1:g' in XREADGROUP with GROUP "
            "option\r\n");
}

TEST(RewriteReply, KeyErrors) {
  EXPECT_EQ(reply(R::KeyError, "-NOGROUP No such consumer group 'g' for key name 'app1:s'\r\n"),
            "-NOGROUP No such consumer group 'g' for key name 's'\r\n");
  EXPECT_EQ(reply(R::KeyError,
                  "-ERR Prefix 'app1:a' overlaps with another provided prefix 'app1:ab'. Prefixes "
                  "for a single client must not overlap.\r\n"),
            "-ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single "
            "client must not overlap.\r\n");
  EXPECT_EQ(reply(R::KeyError, "!33\r\nNOGROUP No such key 'app1:s' or x\r\n"),
            "!28\r\nNOGROUP No such key 's' or x\r\n");
  EXPECT_EQ(reply(R::KeyError, "-ERR no such key\r\n"), "-ERR no such key\r\n");
  EXPECT_EQ(reply(R::KeyError, ":1\r\n"), ":1\r\n");
  // Other rules leave errors alone.
  EXPECT_EQ(reply(R::KeyList, "-ERR key 'app1:x'\r\n"), "-ERR key 'app1:x'\r\n");
}

TEST(RewriteReply, Exec) {
  const std::vector<R> rules = {R::Raw, R::KeyList, R::KeyFirst, R::Key};
  std::string out;
  ReplyNodes nodes;
  rewrite_exec_reply(rules,
                     "*4\r\n$6\r\napp1:v\r\n*1\r\n$6\r\napp1:a\r\n*2\r\n$6\r\napp1:l\r\n$1\r\nx\r\n"
                     "-ERR boom\r\n",
                     kPrefix, 2, out, nodes);
  EXPECT_EQ(out,
            "*4\r\n$6\r\napp1:v\r\n*1\r\n$1\r\na\r\n*2\r\n$1\r\nl\r\n$1\r\nx\r\n-ERR boom\r\n");
  out.clear();
  rewrite_exec_reply(rules, "*-1\r\n", kPrefix, 2, out, nodes);
  EXPECT_EQ(out, "*-1\r\n");
  out.clear();
  rewrite_exec_reply(rules, "-EXECABORT Transaction discarded\r\n", kPrefix, 2, out, nodes);
  EXPECT_EQ(out, "-EXECABORT Transaction discarded\r\n");
  out.clear();
  rewrite_exec_reply(rules, "*1\r\n$6\r\napp1:a\r\n", kPrefix, 2, out, nodes);  // count mismatch
  EXPECT_EQ(out, "*1\r\n$6\r\napp1:a\r\n");
}

TEST(RewriteReply, PubSubResp2) {
  EXPECT_EQ(reply(R::PubSub, "*3\r\n$9\r\nsubscribe\r\n$9\r\napp1:news\r\n:1\r\n"),
            "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
  EXPECT_EQ(reply(R::PubSub, "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"),
            "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
  EXPECT_EQ(reply(R::PubSub, "*3\r\n$7\r\nmessage\r\n$9\r\napp1:news\r\n$9\r\napp1:body\r\n"),
            "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$9\r\napp1:body\r\n");
  EXPECT_EQ(
      reply(R::PubSub, "*4\r\n$8\r\npmessage\r\n$7\r\napp1:n*\r\n$9\r\napp1:news\r\n$1\r\nx\r\n"),
      "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$1\r\nx\r\n");
  EXPECT_EQ(reply(R::PubSub, "*3\r\n$10\r\npsubscribe\r\n$7\r\napp1:n*\r\n:2\r\n"),
            "*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:2\r\n");
  EXPECT_EQ(reply(R::PubSub, "*3\r\n$8\r\nsmessage\r\n$6\r\napp1:s\r\n$1\r\nx\r\n"),
            "*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nx\r\n");
  EXPECT_EQ(reply(R::PubSub, "*2\r\n$4\r\npong\r\n$0\r\n\r\n"), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  // Patterns carry the escaped prefix.
  EXPECT_EQ(reply(R::PubSub, "*3\r\n$10\r\npsubscribe\r\n$6\r\na\\*:n*\r\n:1\r\n", "a*:"),
            "*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:1\r\n");
  // RESP2 tracking redirect: the payload lists keys.
  EXPECT_EQ(reply(R::PubSub,
                  "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$6\r\napp1:k\r\n"),
            "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n");
}

TEST(RewriteReply, PubSubResp3Push) {
  EXPECT_EQ(reply(R::PubSub, ">3\r\n$7\r\nmessage\r\n$9\r\napp1:news\r\n$2\r\nhi\r\n"),
            ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
  EXPECT_EQ(reply(R::PubSub, ">3\r\n$9\r\nsubscribe\r\n$9\r\napp1:news\r\n:1\r\n"),
            ">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
  EXPECT_EQ(reply(R::PubSub, ">2\r\n$10\r\ninvalidate\r\n*2\r\n$6\r\napp1:a\r\n$6\r\napp1:b\r\n"),
            ">2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(reply(R::PubSub, ">2\r\n$10\r\ninvalidate\r\n_\r\n"),
            ">2\r\n$10\r\ninvalidate\r\n_\r\n");
}

TEST(RewriteReply, KeyspaceNotifications) {
  // __keyspace@<db>__:<key>: the prefix sits before the key.
  EXPECT_EQ(
      reply(R::PubSub, "*3\r\n$7\r\nmessage\r\n$21\r\n__keyspace@0__:app1:k\r\n$3\r\nset\r\n"),
      "*3\r\n$7\r\nmessage\r\n$16\r\n__keyspace@0__:k\r\n$3\r\nset\r\n");
  EXPECT_EQ(reply(R::PubSub,
                  "*4\r\n$8\r\npmessage\r\n$21\r\n__keyspace@*__:app1:*\r\n$21\r\n__keyspace@0__:"
                  "app1:k\r\n$3\r\nset\r\n"),
            "*4\r\n$8\r\npmessage\r\n$16\r\n__keyspace@*__:*\r\n$16\r\n__keyspace@0__:k\r\n$3\r\n"
            "set\r\n");
  EXPECT_EQ(reply(R::PubSub, "*3\r\n$9\r\nsubscribe\r\n$21\r\n__keyspace@0__:app1:k\r\n:1\r\n"),
            "*3\r\n$9\r\nsubscribe\r\n$16\r\n__keyspace@0__:k\r\n:1\r\n");
  // __keyevent@<db>__:<event>: the payload is the key; other namespaces' events are dropped.
  EXPECT_EQ(
      reply(R::PubSub, "*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$6\r\napp1:k\r\n"),
      "*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nk\r\n");
  EXPECT_TRUE(
      dropped(R::PubSub, "*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$6\r\napp2:k\r\n"));
  EXPECT_TRUE(dropped(R::PubSub,
                      ">4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@*__:*\r\n$18\r\n__keyevent@0__:del"
                      "\r\n$1\r\nk\r\n"));
  EXPECT_FALSE(dropped(R::PubSub,
                       ">4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@*__:*\r\n$18\r\n__keyevent@0__:"
                       "del\r\n$6\r\napp1:k\r\n"));
  EXPECT_EQ(reply(R::PubSub, "*3\r\n$9\r\nsubscribe\r\n$18\r\n__keyevent@0__:del\r\n:1\r\n"),
            "*3\r\n$9\r\nsubscribe\r\n$18\r\n__keyevent@0__:del\r\n:1\r\n");
}

TEST(RewriteReply, PubsubIntrospection) {
  EXPECT_EQ(reply(R::ChannelList, "*2\r\n$6\r\napp1:a\r\n$6\r\napp1:b\r\n"),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(reply(R::ChannelCounts, "*4\r\n$6\r\napp1:a\r\n:1\r\n$6\r\napp1:b\r\n:0\r\n"),
            "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:0\r\n");
  EXPECT_EQ(reply(R::ChannelCounts, "%1\r\n$6\r\napp1:a\r\n:1\r\n"), "%1\r\n$1\r\na\r\n:1\r\n");
}

TEST(RewriteReply, TrackingInfo) {
  const std::string head =
      "$5\r\nflags\r\n*2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n";
  EXPECT_EQ(reply(R::TrackingInfo,
                  "*6\r\n" + head + "$8\r\nprefixes\r\n*2\r\n$6\r\napp1:a\r\n$5\r\napp1:\r\n"),
            "*6\r\n" + head + "$8\r\nprefixes\r\n*2\r\n$1\r\na\r\n$0\r\n\r\n");
  EXPECT_EQ(reply(R::TrackingInfo, "%3\r\n" + head + "$8\r\nprefixes\r\n*1\r\n$6\r\napp1:a\r\n"),
            "%3\r\n" + head + "$8\r\nprefixes\r\n*1\r\n$1\r\na\r\n");
}

TEST(RewriteReply, AttributesAndOddInput) {
  // A RESP3 attribute before the value is kept as it is.
  EXPECT_EQ(reply(R::Key, "|1\r\n+a\r\n+b\r\n$6\r\napp1:k\r\n"), "|1\r\n+a\r\n+b\r\n$1\r\nk\r\n");
  EXPECT_EQ(reply(R::KeyList, "*2\r\n|1\r\n+a\r\n+b\r\n$6\r\napp1:k\r\n+app1:s\r\n"),
            "*2\r\n|1\r\n+a\r\n+b\r\n$1\r\nk\r\n+s\r\n");
  // A set (RESP3) of keys.
  EXPECT_EQ(reply(R::KeyList, "~1\r\n$6\r\napp1:k\r\n"), "~1\r\n$1\r\nk\r\n");
  // Unparseable or unexpected shapes pass unchanged.
  EXPECT_EQ(reply(R::KeyList, "*2\r\n$6\r\napp1:k\r\n"), "*2\r\n$6\r\napp1:k\r\n");
  EXPECT_EQ(reply(R::Scan, ":3\r\n"), ":3\r\n");
  EXPECT_EQ(reply(R::KeyFirst, "*0\r\n"), "*0\r\n");
  EXPECT_EQ(reply(R::PubSub, "*1\r\n:1\r\n"), "*1\r\n:1\r\n");
}

}  // namespace
}  // namespace stdnet::proxy
