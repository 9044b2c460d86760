// COMMAND replies (proxy/command_replies.h) against the bytes redis-server 7.0.15 sends for the
// same requests, and the stdnet additions (custom commands, sorted subcommands).
#include "proxy/command_replies.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "resp/commands.h"

namespace stdnet::proxy {
namespace {

std::string reply(std::vector<std::string_view> args, int protocol = 2) {
  return command_reply(args, protocol);
}

// The elements of a flat array of bulk strings ("*2\r\n$1\r\na\r\n$1\r\nb\r\n" -> {a, b}).
std::vector<std::string> bulk_list(std::string_view r) {
  std::vector<std::string> out;
  EXPECT_FALSE(r.empty());
  if (r.empty() || r[0] != '*') return out;
  std::size_t at = r.find("\r\n") + 2;
  while (at < r.size()) {
    EXPECT_EQ(r[at], '$');
    const std::size_t eol = r.find("\r\n", at);
    const std::size_t len = std::stoul(std::string(r.substr(at + 1, eol - at - 1)));
    out.emplace_back(r.substr(eol + 2, len));
    at = eol + 2 + len + 2;
  }
  return out;
}

std::size_t count_rows() {
  std::size_t n = 0;
  for (const cmd::Command& c : cmd::all_commands()) n += 1 + c.subcommands.size();
  return n;
}

// Captured from redis-server 7.0.15 (raw socket; RESP3 after HELLO 3). Container commands list
// their subcommands sorted by name here, where Redis uses its hash-table order. COMMAND DOCS
// entries are Redis's without "arguments" and "history", which the table does not have.
struct Golden {
  int protocol;
  std::vector<std::string_view> args;
  std::string_view expected;
};

// clang-format off
const Golden kGolden[] = {
    {2, {"COMMAND", "INFO", "get"},
        "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@re"
        "ad\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12"
        "\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r"
        "\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\n"
        "lastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "get"},
        "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@re"
        "ad\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12"
        "\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r"
        "\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\n"
        "lastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "set"},
        "*1\r\n*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@w"
        "rite\r\n+@string\r\n+@slow\r\n*0\r\n*1\r\n*8\r\n$5\r\nnotes\r\n$48\r\nRW and ACCESS due "
        "to the optional `GET` argument\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access\r\n+update\r\n+var"
        "iable_flags\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*"
        "2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nsp"
        "ec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "set"},
        "*1\r\n*10\r\n$3\r\nset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@w"
        "rite\r\n+@string\r\n+@slow\r\n~0\r\n~1\r\n%4\r\n$5\r\nnotes\r\n$48\r\nRW and ACCESS due "
        "to the optional `GET` argument\r\n$5\r\nflags\r\n~4\r\n+RW\r\n+access\r\n+update\r\n+var"
        "iable_flags\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%"
        "1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nsp"
        "ec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "sort"},
        "*1\r\n*10\r\n$4\r\nsort\r\n:-2\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r\n:1\r"
        "\n:1\r\n*6\r\n+@write\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@slow\r\n+@dangerous\r\n*0\r"
        "\n*3\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\n"
        "type\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r"
        "\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep"
        "\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*8\r\n$5\r\nnotes\r\n$120\r\nFor the optional BY/GET keyw"
        "ord. It is marked 'unknown' because the key names derive from the content of the key we "
        "sort\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r"
        "\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$7\r\nunkn"
        "own\r\n$4\r\nspec\r\n*0\r\n*8\r\n$5\r\nnotes\r\n$116\r\nFor the optional STORE keyword. "
        "It is marked 'unknown' because the keyword can appear anywhere in the argument array\r\n"
        "$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\n"
        "unknown\r\n$4\r\nspec\r\n*0\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$"
        "4\r\nspec\r\n*0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "sort"},
        "*1\r\n*10\r\n$4\r\nsort\r\n:-2\r\n~3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r\n:1\r"
        "\n:1\r\n~6\r\n+@write\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@slow\r\n+@dangerous\r\n~0\r"
        "\n~3\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\n"
        "type\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r"
        "\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep"
        "\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%4\r\n$5\r\nnotes\r\n$120\r\nFor the optional BY/GET keyw"
        "ord. It is marked 'unknown' because the key names derive from the content of the key we "
        "sort\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r"
        "\n$7\r\nunknown\r\n$4\r\nspec\r\n%0\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$7\r\nunkn"
        "own\r\n$4\r\nspec\r\n%0\r\n%4\r\n$5\r\nnotes\r\n$116\r\nFor the optional STORE keyword. "
        "It is marked 'unknown' because the keyword can appear anywhere in the argument array\r\n"
        "$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7\r\n"
        "unknown\r\n$4\r\nspec\r\n%0\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$"
        "4\r\nspec\r\n%0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "sort_ro"},
        "*1\r\n*10\r\n$7\r\nsort_ro\r\n:-2\r\n*2\r\n+readonly\r\n+movablekeys\r\n:1\r\n:1\r\n:1\r"
        "\n*6\r\n+@read\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@slow\r\n+@dangerous\r\n*0\r\n*2\r"
        "\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r"
        "\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r"
        "\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1"
        "\r\n$5\r\nlimit\r\n:0\r\n*8\r\n$5\r\nnotes\r\n$120\r\nFor the optional BY/GET keyword. I"
        "t is marked 'unknown' because the key names derive from the content of the key we sort\r"
        "\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r"
        "\nunknown\r\n$4\r\nspec\r\n*0\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r"
        "\n$4\r\nspec\r\n*0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "sort_ro"},
        "*1\r\n*10\r\n$7\r\nsort_ro\r\n:-2\r\n~2\r\n+readonly\r\n+movablekeys\r\n:1\r\n:1\r\n:1\r"
        "\n~6\r\n+@read\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@slow\r\n+@dangerous\r\n~0\r\n~2\r"
        "\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r"
        "\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r"
        "\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1"
        "\r\n$5\r\nlimit\r\n:0\r\n%4\r\n$5\r\nnotes\r\n$120\r\nFor the optional BY/GET keyword. I"
        "t is marked 'unknown' because the key names derive from the content of the key we sort\r"
        "\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7\r"
        "\nunknown\r\n$4\r\nspec\r\n%0\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$7\r\nunknown\r"
        "\n$4\r\nspec\r\n%0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "migrate"},
        "*1\r\n*10\r\n$7\r\nmigrate\r\n:-6\r\n*2\r\n+write\r\n+movablekeys\r\n:3\r\n:3\r\n:1\r\n*"
        "4\r\n+@keyspace\r\n+@write\r\n+@slow\r\n+@dangerous\r\n*1\r\n$23\r\nnondeterministic_out"
        "put\r\n*2\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search"
        "\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:3\r\n$9\r\nfi"
        "nd_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r"
        "\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access"
        "\r\n+delete\r\n+incomplete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nkeyword\r"
        "\n$4\r\nspec\r\n*4\r\n$7\r\nkeyword\r\n$4\r\nKEYS\r\n$9\r\nstartfrom\r\n:-2\r\n$9\r\nfin"
        "d_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r"
        "\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "migrate"},
        "*1\r\n*10\r\n$7\r\nmigrate\r\n:-6\r\n~2\r\n+write\r\n+movablekeys\r\n:3\r\n:3\r\n:1\r\n~"
        "4\r\n+@keyspace\r\n+@write\r\n+@slow\r\n+@dangerous\r\n~1\r\n$23\r\nnondeterministic_out"
        "put\r\n~2\r\n%3\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search"
        "\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:3\r\n$9\r\nfi"
        "nd_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r"
        "\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r\nflags\r\n~4\r\n+RW\r\n+access"
        "\r\n+delete\r\n+incomplete\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7\r\nkeyword\r"
        "\n$4\r\nspec\r\n%2\r\n$7\r\nkeyword\r\n$4\r\nKEYS\r\n$9\r\nstartfrom\r\n:-2\r\n$9\r\nfin"
        "d_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:-1\r"
        "\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "zunion"},
        "*1\r\n*10\r\n$6\r\nzunion\r\n:-3\r\n*2\r\n+readonly\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r"
        "\n*3\r\n+@read\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r"
        "\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2"
        "\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nsp"
        "ec\r\n*6\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n*0\r"
        "\n"},
    {3, {"COMMAND", "INFO", "zunion"},
        "*1\r\n*10\r\n$6\r\nzunion\r\n:-3\r\n~2\r\n+readonly\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r"
        "\n~3\r\n+@read\r\n+@sortedset\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r"
        "\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1"
        "\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nsp"
        "ec\r\n%3\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n~0\r"
        "\n"},
    {2, {"COMMAND", "INFO", "zunionstore"},
        "*1\r\n*10\r\n$11\r\nzunionstore\r\n:-4\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1"
        "\r\n:1\r\n:1\r\n*3\r\n+@write\r\n+@sortedset\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags"
        "\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4"
        "\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrang"
        "e\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0"
        "\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype"
        "\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4"
        "\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n*6\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey"
        "\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "zunionstore"},
        "*1\r\n*10\r\n$11\r\nzunionstore\r\n:-4\r\n~3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1"
        "\r\n:1\r\n:1\r\n~3\r\n+@write\r\n+@sortedset\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\nflags"
        "\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4"
        "\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrang"
        "e\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0"
        "\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype"
        "\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4"
        "\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n%3\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey"
        "\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "georadius"},
        "*1\r\n*10\r\n$9\r\ngeoradius\r\n:-6\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r"
        "\n:1\r\n:1\r\n*3\r\n+@write\r\n+@geo\r\n+@slow\r\n*0\r\n*3\r\n*6\r\n$5\r\nflags\r\n*2\r"
        "\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec"
        "\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4"
        "\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6"
        "\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7"
        "\r\nkeyword\r\n$4\r\nspec\r\n*4\r\n$7\r\nkeyword\r\n$5\r\nSTORE\r\n$9\r\nstartfrom\r\n:6"
        "\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlast"
        "key\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW"
        "\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nkeyword\r\n$4\r\nspec\r"
        "\n*4\r\n$7\r\nkeyword\r\n$9\r\nSTOREDIST\r\n$9\r\nstartfrom\r\n:6\r\n$9\r\nfind_keys\r\n"
        "*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeys"
        "tep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "georadius"},
        "*1\r\n*10\r\n$9\r\ngeoradius\r\n:-6\r\n~3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r"
        "\n:1\r\n:1\r\n~3\r\n+@write\r\n+@geo\r\n+@slow\r\n~0\r\n~3\r\n%3\r\n$5\r\nflags\r\n~2\r"
        "\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec"
        "\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4"
        "\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3"
        "\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7"
        "\r\nkeyword\r\n$4\r\nspec\r\n%2\r\n$7\r\nkeyword\r\n$5\r\nSTORE\r\n$9\r\nstartfrom\r\n:6"
        "\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlast"
        "key\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW"
        "\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7\r\nkeyword\r\n$4\r\nspec\r"
        "\n%2\r\n$7\r\nkeyword\r\n$9\r\nSTOREDIST\r\n$9\r\nstartfrom\r\n:6\r\n$9\r\nfind_keys\r\n"
        "%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeys"
        "tep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "eval"},
        "*1\r\n*10\r\n$4\r\neval\r\n:-3\r\n*5\r\n+noscript\r\n+stale\r\n+skip_monitor\r\n+no_mand"
        "atory_keys\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@scripting\r\n*0\r\n*1"
        "\r\n*8\r\n$5\r\nnotes\r\n$78\r\nWe cannot tell how the keys will be used so we assume th"
        "e worst, RW and UPDATE\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+update\r\n$12\r\nbegin"
        "_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$"
        "9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n*6\r\n$9\r\nkeynumid"
        "x\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "eval"},
        "*1\r\n*10\r\n$4\r\neval\r\n:-3\r\n~5\r\n+noscript\r\n+stale\r\n+skip_monitor\r\n+no_mand"
        "atory_keys\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n+@scripting\r\n~0\r\n~1"
        "\r\n%4\r\n$5\r\nnotes\r\n$78\r\nWe cannot tell how the keys will be used so we assume th"
        "e worst, RW and UPDATE\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n+update\r\n$12\r\nbegin"
        "_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$"
        "9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n%3\r\n$9\r\nkeynumid"
        "x\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "xread"},
        "*1\r\n*10\r\n$5\r\nxread\r\n:-4\r\n*3\r\n+readonly\r\n+blocking\r\n+movablekeys\r\n:0\r"
        "\n:0\r\n:0\r\n*4\r\n+@read\r\n+@stream\r\n+@slow\r\n+@blocking\r\n*0\r\n*1\r\n*6\r\n$5\r"
        "\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nkeyw"
        "ord\r\n$4\r\nspec\r\n*4\r\n$7\r\nkeyword\r\n$7\r\nSTREAMS\r\n$9\r\nstartfrom\r\n:1\r\n$9"
        "\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r"
        "\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:2\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "xread"},
        "*1\r\n*10\r\n$5\r\nxread\r\n:-4\r\n~3\r\n+readonly\r\n+blocking\r\n+movablekeys\r\n:0\r"
        "\n:0\r\n:0\r\n~4\r\n+@read\r\n+@stream\r\n+@slow\r\n+@blocking\r\n~0\r\n~1\r\n%3\r\n$5\r"
        "\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7\r\nkeyw"
        "ord\r\n$4\r\nspec\r\n%2\r\n$7\r\nkeyword\r\n$7\r\nSTREAMS\r\n$9\r\nstartfrom\r\n:1\r\n$9"
        "\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r"
        "\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:2\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "spublish"},
        "*1\r\n*10\r\n$8\r\nspublish\r\n:3\r\n*4\r\n+pubsub\r\n+loading\r\n+stale\r\n+fast\r\n:1"
        "\r\n:1\r\n:1\r\n*2\r\n+@pubsub\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+not_"
        "key\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5"
        "\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
        "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "spublish"},
        "*1\r\n*10\r\n$8\r\nspublish\r\n:3\r\n~4\r\n+pubsub\r\n+loading\r\n+stale\r\n+fast\r\n:1"
        "\r\n:1\r\n:1\r\n~2\r\n+@pubsub\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~1\r\n+not_"
        "key\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5"
        "\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%"
        "3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "publish"},
        "*1\r\n*10\r\n$7\r\npublish\r\n:3\r\n*4\r\n+pubsub\r\n+loading\r\n+stale\r\n+fast\r\n:0\r"
        "\n:0\r\n:0\r\n*2\r\n+@pubsub\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "publish"},
        "*1\r\n*10\r\n$7\r\npublish\r\n:3\r\n~4\r\n+pubsub\r\n+loading\r\n+stale\r\n+fast\r\n:0\r"
        "\n:0\r\n:0\r\n~2\r\n+@pubsub\r\n+@fast\r\n~0\r\n~0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "keys"},
        "*1\r\n*10\r\n$4\r\nkeys\r\n:2\r\n*1\r\n+readonly\r\n:0\r\n:0\r\n:0\r\n*4\r\n+@keyspace\r"
        "\n+@read\r\n+@slow\r\n+@dangerous\r\n*2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\nno"
        "ndeterministic_output_order\r\n*0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "keys"},
        "*1\r\n*10\r\n$4\r\nkeys\r\n:2\r\n~1\r\n+readonly\r\n:0\r\n:0\r\n:0\r\n~4\r\n+@keyspace\r"
        "\n+@read\r\n+@slow\r\n+@dangerous\r\n~2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\nno"
        "ndeterministic_output_order\r\n~0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "client|setname"},
        "*1\r\n*10\r\n$14\r\nclient|setname\r\n:3\r\n*3\r\n+noscript\r\n+loading\r\n+stale\r\n:0"
        "\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "client|setname"},
        "*1\r\n*10\r\n$14\r\nclient|setname\r\n:3\r\n~3\r\n+noscript\r\n+loading\r\n+stale\r\n:0"
        "\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "xinfo|stream"},
        "*1\r\n*10\r\n$12\r\nxinfo|stream\r\n:-3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*3\r\n+@"
        "read\r\n+@stream\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$"
        "12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex"
        "\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r"
        "\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "xinfo|stream"},
        "*1\r\n*10\r\n$12\r\nxinfo|stream\r\n:-3\r\n~1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n~3\r\n+@"
        "read\r\n+@stream\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$"
        "12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex"
        "\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r"
        "\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "xinfo"},
        "*1\r\n*10\r\n$5\r\nxinfo\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*"
        "4\r\n*10\r\n$15\r\nxinfo|consumers\r\n:4\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*3\r\n+"
        "@read\r\n+@stream\r\n+@slow\r\n*1\r\n$23\r\nnondeterministic_output\r\n*1\r\n*6\r\n$5\r"
        "\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\ninde"
        "x\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5"
        "\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlim"
        "it\r\n:0\r\n*0\r\n*10\r\n$12\r\nxinfo|groups\r\n:3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1"
        "\r\n*3\r\n+@read\r\n+@stream\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n"
        "+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r"
        "\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec"
        "\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n*10\r"
        "\n$10\r\nxinfo|help\r\n:2\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@strea"
        "m\r\n+@slow\r\n*0\r\n*0\r\n*0\r\n*10\r\n$12\r\nxinfo|stream\r\n:-3\r\n*1\r\n+readonly\r"
        "\n:2\r\n:2\r\n:1\r\n*3\r\n+@read\r\n+@stream\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags"
        "\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4"
        "\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrang"
        "e\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0"
        "\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "xinfo"},
        "*1\r\n*10\r\n$5\r\nxinfo\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*"
        "4\r\n*10\r\n$15\r\nxinfo|consumers\r\n:4\r\n~1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n~3\r\n+"
        "@read\r\n+@stream\r\n+@slow\r\n~1\r\n$23\r\nnondeterministic_output\r\n~1\r\n%3\r\n$5\r"
        "\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\ninde"
        "x\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5"
        "\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlim"
        "it\r\n:0\r\n~0\r\n*10\r\n$12\r\nxinfo|groups\r\n:3\r\n~1\r\n+readonly\r\n:2\r\n:2\r\n:1"
        "\r\n~3\r\n+@read\r\n+@stream\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n"
        "+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r"
        "\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec"
        "\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n*10\r"
        "\n$10\r\nxinfo|help\r\n:2\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@strea"
        "m\r\n+@slow\r\n~0\r\n~0\r\n~0\r\n*10\r\n$12\r\nxinfo|stream\r\n:-3\r\n~1\r\n+readonly\r"
        "\n:2\r\n:2\r\n:1\r\n~3\r\n+@read\r\n+@stream\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags"
        "\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4"
        "\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrang"
        "e\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0"
        "\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "bitfield"},
        "*1\r\n*10\r\n$8\r\nbitfield\r\n:-2\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n*3\r"
        "\n+@write\r\n+@bitmap\r\n+@slow\r\n*0\r\n*1\r\n*8\r\n$5\r\nnotes\r\n$59\r\nThis command "
        "allows both access and modification of the key\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access\r"
        "\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r"
        "\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\n"
        "range\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r"
        "\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "bitfield"},
        "*1\r\n*10\r\n$8\r\nbitfield\r\n:-2\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n~3\r"
        "\n+@write\r\n+@bitmap\r\n+@slow\r\n~0\r\n~1\r\n%4\r\n$5\r\nnotes\r\n$59\r\nThis command "
        "allows both access and modification of the key\r\n$5\r\nflags\r\n~4\r\n+RW\r\n+access\r"
        "\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r"
        "\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\n"
        "range\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r"
        "\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "blmpop"},
        "*1\r\n*10\r\n$6\r\nblmpop\r\n:-5\r\n*3\r\n+write\r\n+blocking\r\n+movablekeys\r\n:0\r\n:"
        "0\r\n:0\r\n*4\r\n+@write\r\n+@list\r\n+@slow\r\n+@blocking\r\n*0\r\n*1\r\n*6\r\n$5\r\nfl"
        "ags\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5"
        "\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntyp"
        "e\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n*6\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r"
        "\n$7\r\nkeystep\r\n:1\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "blmpop"},
        "*1\r\n*10\r\n$6\r\nblmpop\r\n:-5\r\n~3\r\n+write\r\n+blocking\r\n+movablekeys\r\n:0\r\n:"
        "0\r\n:0\r\n~4\r\n+@write\r\n+@list\r\n+@slow\r\n+@blocking\r\n~0\r\n~1\r\n%3\r\n$5\r\nfl"
        "ags\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5"
        "\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntyp"
        "e\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n%3\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r"
        "\n$7\r\nkeystep\r\n:1\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "object|encoding"},
        "*1\r\n*10\r\n$15\r\nobject|encoding\r\n:3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*3\r\n"
        "+@keyspace\r\n+@read\r\n+@slow\r\n*1\r\n$23\r\nnondeterministic_output\r\n*1\r\n*6\r\n$5"
        "\r\nflags\r\n*1\r\n+RO\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r"
        "\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange"
        "\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0"
        "\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "object|encoding"},
        "*1\r\n*10\r\n$15\r\nobject|encoding\r\n:3\r\n~1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n~3\r\n"
        "+@keyspace\r\n+@read\r\n+@slow\r\n~1\r\n$23\r\nnondeterministic_output\r\n~1\r\n%3\r\n$5"
        "\r\nflags\r\n~1\r\n+RO\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r"
        "\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange"
        "\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0"
        "\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "memory|usage"},
        "*1\r\n*10\r\n$12\r\nmemory|usage\r\n:-3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*2\r\n+@"
        "read\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n$12\r\nbegin_search\r\n*"
        "4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_ke"
        "ys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r"
        "\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "memory|usage"},
        "*1\r\n*10\r\n$12\r\nmemory|usage\r\n:-3\r\n~1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n~2\r\n+@"
        "read\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~1\r\n+RO\r\n$12\r\nbegin_search\r\n%"
        "2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_ke"
        "ys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r"
        "\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "lmove"},
        "*1\r\n*10\r\n$5\r\nlmove\r\n:5\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n*3\r\n+@"
        "write\r\n+@list\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+d"
        "elete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
        "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
        "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\nfla"
        "gs\r\n*2\r\n+RW\r\n+insert\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
        "$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nra"
        "nge\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
        ":0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "lmove"},
        "*1\r\n*10\r\n$5\r\nlmove\r\n:5\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n~3\r\n+@"
        "write\r\n+@list\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n+d"
        "elete\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$"
        "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
        "%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r\nfla"
        "gs\r\n~2\r\n+RW\r\n+insert\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
        "$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nra"
        "nge\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
        ":0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "mset"},
        "*1\r\n*10\r\n$4\r\nmset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n*3\r\n+"
        "@write\r\n+@string\r\n+@slow\r\n*2\r\n$26\r\nrequest_policy:multi_shard\r\n$29\r\nrespon"
        "se_policy:all_succeeded\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbeg"
        "in_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r"
        "\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastke"
        "y\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "mset"},
        "*1\r\n*10\r\n$4\r\nmset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n~3\r\n+"
        "@write\r\n+@string\r\n+@slow\r\n~2\r\n$26\r\nrequest_policy:multi_shard\r\n$29\r\nrespon"
        "se_policy:all_succeeded\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbeg"
        "in_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r"
        "\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastke"
        "y\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "hello"},
        "*1\r\n*10\r\n$5\r\nhello\r\n:-1\r\n*6\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+no"
        "_auth\r\n+allow_busy\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0"
        "\r\n"},
    {3, {"COMMAND", "INFO", "hello"},
        "*1\r\n*10\r\n$5\r\nhello\r\n:-1\r\n~6\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+no"
        "_auth\r\n+allow_busy\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@fast\r\n+@connection\r\n~0\r\n~0\r\n~0"
        "\r\n"},
    {2, {"COMMAND", "INFO", "geosearchstore"},
        "*1\r\n*10\r\n$14\r\ngeosearchstore\r\n:-8\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1"
        "\r\n*3\r\n+@write\r\n+@geo\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+u"
        "pdate\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
        "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
        "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\nfla"
        "gs\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
        "$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nra"
        "nge\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
        ":0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "geosearchstore"},
        "*1\r\n*10\r\n$14\r\ngeosearchstore\r\n:-8\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1"
        "\r\n~3\r\n+@write\r\n+@geo\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+u"
        "pdate\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$"
        "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
        "%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r\nfla"
        "gs\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
        "$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nra"
        "nge\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
        ":0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "zrangestore"},
        "*1\r\n*10\r\n$11\r\nzrangestore\r\n:-5\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n"
        "*3\r\n+@write\r\n+@sortedset\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n"
        "+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r"
        "\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec"
        "\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r"
        "\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\ninde"
        "x\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5"
        "\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlim"
        "it\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "zrangestore"},
        "*1\r\n*10\r\n$11\r\nzrangestore\r\n:-5\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n"
        "~3\r\n+@write\r\n+@sortedset\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n"
        "+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r"
        "\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec"
        "\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r"
        "\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\ninde"
        "x\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5"
        "\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlim"
        "it\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "xgroup|create"},
        "*1\r\n*10\r\n$13\r\nxgroup|create\r\n:-5\r\n*2\r\n+write\r\n+denyoom\r\n:2\r\n:2\r\n:1\r"
        "\n*3\r\n+@write\r\n+@stream\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n+"
        "insert\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n"
        "$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r"
        "\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "xgroup|create"},
        "*1\r\n*10\r\n$13\r\nxgroup|create\r\n:-5\r\n~2\r\n+write\r\n+denyoom\r\n:2\r\n:2\r\n:1\r"
        "\n~3\r\n+@write\r\n+@stream\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RW\r\n+"
        "insert\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n"
        "$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r"
        "\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "brpoplpush"},
        "*1\r\n*10\r\n$10\r\nbrpoplpush\r\n:4\r\n*4\r\n+write\r\n+denyoom\r\n+noscript\r\n+blocki"
        "ng\r\n:1\r\n:2\r\n:1\r\n*4\r\n+@write\r\n+@list\r\n+@slow\r\n+@blocking\r\n*0\r\n*2\r\n*"
        "6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r"
        "\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4"
        "\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeyste"
        "p\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n+insert\r\n$12\r\nbegi"
        "n_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n"
        "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey"
        "\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "brpoplpush"},
        "*1\r\n*10\r\n$10\r\nbrpoplpush\r\n:4\r\n~4\r\n+write\r\n+denyoom\r\n+noscript\r\n+blocki"
        "ng\r\n:1\r\n:2\r\n:1\r\n~4\r\n+@write\r\n+@list\r\n+@slow\r\n+@blocking\r\n~0\r\n~2\r\n%"
        "3\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search\r\n%2\r\n$4\r"
        "\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2"
        "\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeyste"
        "p\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RW\r\n+insert\r\n$12\r\nbegi"
        "n_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n"
        "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey"
        "\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "config|get"},
        "*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale"
        "\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "config|get"},
        "*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale"
        "\r\n:0\r\n:0\r\n:0\r\n~3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n~0\r\n~0\r\n~0\r\n"},
    {2, {"COMMAND", "INFO", "copy"},
        "*1\r\n*10\r\n$4\r\ncopy\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n*3\r\n+@"
        "keyspace\r\n+@write\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r"
        "\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nin"
        "dex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$"
        "7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\nflags\r\n*"
        "2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\ns"
        "pec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
        "$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*"
        "0\r\n"},
    {3, {"COMMAND", "INFO", "copy"},
        "*1\r\n*10\r\n$4\r\ncopy\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n~3\r\n+@"
        "keyspace\r\n+@write\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r"
        "\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nin"
        "dex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$"
        "7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r\nflags\r\n~"
        "2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\ns"
        "pec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
        "$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~"
        "0\r\n"},
    {2, {"COMMAND", "GETKEYS", "set", "k", "v"},
        "*1\r\n$1\r\nk\r\n"},
    {3, {"COMMAND", "GETKEYS", "set", "k", "v"},
        "*1\r\n$1\r\nk\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"},
        "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"},
        "*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+OW\r\n+update\r\n"},
    {2, {"COMMAND", "GETKEYS", "set", "k", "v", "GET"},
        "*1\r\n$1\r\nk\r\n"},
    {3, {"COMMAND", "GETKEYS", "set", "k", "v", "GET"},
        "*1\r\n$1\r\nk\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "GET"},
        "*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "GET"},
        "*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n"},
    {2, {"COMMAND", "GETKEYS", "bitfield", "k", "GET", "u8", "0"},
        "*1\r\n$1\r\nk\r\n"},
    {3, {"COMMAND", "GETKEYS", "bitfield", "k", "GET", "u8", "0"},
        "*1\r\n$1\r\nk\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8", "0"},
        "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8", "0"},
        "*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n"},
    {2, {"COMMAND", "GETKEYS", "bitfield", "k", "GET", "u8", "0", "SET", "u8", "0", "1"},
        "*1\r\n$1\r\nk\r\n"},
    {3, {"COMMAND", "GETKEYS", "bitfield", "k", "GET", "u8", "0", "SET", "u8", "0", "1"},
        "*1\r\n$1\r\nk\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8", "0", "SET", "u8", "0", "1"},
        "*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8", "0", "SET", "u8", "0", "1"},
        "*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n"},
    {2, {"COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"},
        "*2\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"},
        "*2\r\n*2\r\n$1\r\na\r\n~2\r\n+OW\r\n+update\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+update\r\n"},
    {2, {"COMMAND", "GETKEYS", "lmove", "a", "b", "left", "right"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "lmove", "a", "b", "left", "right"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "lmove", "a", "b", "left", "right"},
        "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+RW\r\n"
        "+insert\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "lmove", "a", "b", "left", "right"},
        "*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~2\r\n+RW\r\n"
        "+insert\r\n"},
    {2, {"COMMAND", "GETKEYS", "zunionstore", "d", "2", "a", "b"},
        "*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "zunionstore", "d", "2", "a", "b"},
        "*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "2", "a", "b"},
        "*3\r\n*2\r\n$1\r\nd\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n"
        "*2\r\n$1\r\nb\r\n*2\r\n+RO\r\n+access\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "2", "a", "b"},
        "*3\r\n*2\r\n$1\r\nd\r\n~2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n"
        "*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n"},
    {2, {"COMMAND", "GETKEYS", "zunionstore", "d", "2x", "a", "b"},
        "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n"},
    {3, {"COMMAND", "GETKEYS", "zunionstore", "d", "2x", "a", "b"},
        "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "2x", "a", "b"},
        "*3\r\n*2\r\n$1\r\na\r\n*0\r\n*2\r\n$1\r\nb\r\n*0\r\n*2\r\n$1\r\nd\r\n*0\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "2x", "a", "b"},
        "*3\r\n*2\r\n$1\r\na\r\n~0\r\n*2\r\n$1\r\nb\r\n~0\r\n*2\r\n$1\r\nd\r\n~0\r\n"},
    {2, {"COMMAND", "GETKEYS", "zunionstore", "d", "0", "a", "b"},
        "-ERR Invalid arguments specified for command\r\n"},
    {3, {"COMMAND", "GETKEYS", "zunionstore", "d", "0", "a", "b"},
        "-ERR Invalid arguments specified for command\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "0", "a", "b"},
        "-ERR Invalid arguments specified for command\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "0", "a", "b"},
        "-ERR Invalid arguments specified for command\r\n"},
    {2, {"COMMAND", "GETKEYS", "zunion", "2", "a", "b", "withscores"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "zunion", "2", "a", "b", "withscores"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "zunion", "2", "a", "b", "withscores"},
        "*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n*2\r\n+RO\r\n+access\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "zunion", "2", "a", "b", "withscores"},
        "*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n"},
    {2, {"COMMAND", "GETKEYS", "eval", "s", "0"},
        "*0\r\n"},
    {3, {"COMMAND", "GETKEYS", "eval", "s", "0"},
        "*0\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "eval", "s", "0"},
        "*0\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "eval", "s", "0"},
        "*0\r\n"},
    {2, {"COMMAND", "GETKEYS", "eval", "s", "2", "a", "b", "c"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "eval", "s", "2", "a", "b", "c"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "eval", "s", "2", "a", "b", "c"},
        "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+update\r\n*2\r\n$1\r\nb\r\n*3\r\n+RW\r\n"
        "+access\r\n+update\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "eval", "s", "2", "a", "b", "c"},
        "*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+update\r\n*2\r\n$1\r\nb\r\n~3\r\n+RW\r\n"
        "+access\r\n+update\r\n"},
    {2, {"COMMAND", "GETKEYS", "eval", "s", "5", "a"},
        "*0\r\n"},
    {3, {"COMMAND", "GETKEYS", "eval", "s", "5", "a"},
        "*0\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "eval", "s", "5", "a"},
        "*0\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "eval", "s", "5", "a"},
        "*0\r\n"},
    {2, {"COMMAND", "GETKEYS", "blmpop", "0", "2", "a", "b", "left"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "blmpop", "0", "2", "a", "b", "left"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "blmpop", "0", "2", "a", "b", "left"},
        "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*3\r\n+RW\r\n"
        "+access\r\n+delete\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "blmpop", "0", "2", "a", "b", "left"},
        "*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~3\r\n+RW\r\n"
        "+access\r\n+delete\r\n"},
    {2, {"COMMAND", "GETKEYS", "sort", "a", "by", "x", "get", "y", "store", "b"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "sort", "a", "by", "x", "get", "y", "store", "b"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "sort", "a", "by", "x", "get", "y", "store", "b"},
        "*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "sort", "a", "by", "x", "get", "y", "store", "b"},
        "*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+update\r\n"},
    {2, {"COMMAND", "GETKEYS", "sort", "a", "store", "b", "by", "x", "store", "c"},
        "*2\r\n$1\r\na\r\n$1\r\nc\r\n"},
    {3, {"COMMAND", "GETKEYS", "sort", "a", "store", "b", "by", "x", "store", "c"},
        "*2\r\n$1\r\na\r\n$1\r\nc\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "sort", "a", "store", "b", "by", "x", "store", "c"},
        "*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nc\r\n*2\r\n+OW\r\n+update\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "sort", "a", "store", "b", "by", "x", "store", "c"},
        "*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nc\r\n~2\r\n+OW\r\n+update\r\n"},
    {2, {"COMMAND", "GETKEYS", "sort_ro", "a", "by", "x"},
        "*1\r\n$1\r\na\r\n"},
    {3, {"COMMAND", "GETKEYS", "sort_ro", "a", "by", "x"},
        "*1\r\n$1\r\na\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "sort_ro", "a", "by", "x"},
        "*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "sort_ro", "a", "by", "x"},
        "*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n"},
    {2, {"COMMAND", "GETKEYS", "migrate", "h", "p", "k", "0", "50"},
        "*1\r\n$1\r\nk\r\n"},
    {3, {"COMMAND", "GETKEYS", "migrate", "h", "p", "k", "0", "50"},
        "*1\r\n$1\r\nk\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "p", "k", "0", "50"},
        "*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "p", "k", "0", "50"},
        "*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n"},
    {2, {"COMMAND", "GETKEYS", "migrate", "h", "p", "", "0", "50", "keys", "a", "b"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "migrate", "h", "p", "", "0", "50", "keys", "a", "b"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "p", "", "0", "50", "keys", "a", "b"},
        "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*3\r\n+RW\r\n"
        "+access\r\n+delete\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "p", "", "0", "50", "keys", "a", "b"},
        "*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~3\r\n+RW\r\n"
        "+access\r\n+delete\r\n"},
    {2, {"COMMAND", "GETKEYS", "migrate", "h", "p", "k", "0", "50", "keys", "a", "b"},
        "-ERR Invalid arguments specified for command\r\n"},
    {3, {"COMMAND", "GETKEYS", "migrate", "h", "p", "k", "0", "50", "keys", "a", "b"},
        "-ERR Invalid arguments specified for command\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "p", "k", "0", "50", "keys", "a", "b"},
        "-ERR Invalid arguments specified for command\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "p", "k", "0", "50", "keys", "a", "b"},
        "-ERR Invalid arguments specified for command\r\n"},
    {2, {"COMMAND", "GETKEYS", "georadius", "k", "1", "2", "3", "m", "store", "d", "storedist",
         "e"},
        "*3\r\n$1\r\nk\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {3, {"COMMAND", "GETKEYS", "georadius", "k", "1", "2", "3", "m", "store", "d", "storedist",
         "e"},
        "*3\r\n$1\r\nk\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "georadius", "k", "1", "2", "3", "m", "store", "d",
         "storedist", "e"},
        "*3\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nd\r\n*2\r\n+OW\r\n+update\r\n"
        "*2\r\n$1\r\ne\r\n*2\r\n+OW\r\n+update\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "georadius", "k", "1", "2", "3", "m", "store", "d",
         "storedist", "e"},
        "*3\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nd\r\n~2\r\n+OW\r\n+update\r\n"
        "*2\r\n$1\r\ne\r\n~2\r\n+OW\r\n+update\r\n"},
    {2, {"COMMAND", "GETKEYS", "xread", "count", "1", "streams", "a", "b", "0", "0"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {3, {"COMMAND", "GETKEYS", "xread", "count", "1", "streams", "a", "b", "0", "0"},
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "xread", "count", "1", "streams", "a", "b", "0", "0"},
        "*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n*2\r\n+RO\r\n+access\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "xread", "count", "1", "streams", "a", "b", "0", "0"},
        "*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n"},
    {2, {"COMMAND", "GETKEYS", "xread", "streams", "a"},
        "-ERR Invalid number of arguments specified for command\r\n"},
    {3, {"COMMAND", "GETKEYS", "xread", "streams", "a"},
        "-ERR Invalid number of arguments specified for command\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "xread", "streams", "a"},
        "-ERR Invalid number of arguments specified for command\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "xread", "streams", "a"},
        "-ERR Invalid number of arguments specified for command\r\n"},
    {2, {"COMMAND", "GETKEYS", "xreadgroup", "group", "g", "c", "noack", "streams", "a", "0"},
        "*1\r\n$1\r\na\r\n"},
    {3, {"COMMAND", "GETKEYS", "xreadgroup", "group", "g", "c", "noack", "streams", "a", "0"},
        "*1\r\n$1\r\na\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "xreadgroup", "group", "g", "c", "noack", "streams", "a",
         "0"},
        "*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "xreadgroup", "group", "g", "c", "noack", "streams", "a",
         "0"},
        "*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n"},
    {2, {"COMMAND", "GETKEYS", "xinfo", "stream", "k", "full"},
        "*1\r\n$1\r\nk\r\n"},
    {3, {"COMMAND", "GETKEYS", "xinfo", "stream", "k", "full"},
        "*1\r\n$1\r\nk\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "xinfo", "stream", "k", "full"},
        "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "xinfo", "stream", "k", "full"},
        "*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n"},
    {2, {"COMMAND", "GETKEYS", "get", "a", "b"},
        "-ERR Invalid number of arguments specified for command\r\n"},
    {3, {"COMMAND", "GETKEYS", "get", "a", "b"},
        "-ERR Invalid number of arguments specified for command\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "get", "a", "b"},
        "-ERR Invalid number of arguments specified for command\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "get", "a", "b"},
        "-ERR Invalid number of arguments specified for command\r\n"},
    {2, {"COMMAND", "GETKEYS", "client", "setname", "x"},
        "-ERR The command has no key arguments\r\n"},
    {3, {"COMMAND", "GETKEYS", "client", "setname", "x"},
        "-ERR The command has no key arguments\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "client", "setname", "x"},
        "-ERR The command has no key arguments\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "client", "setname", "x"},
        "-ERR The command has no key arguments\r\n"},
    {2, {"COMMAND", "GETKEYS", "client", "nosuch", "x"},
        "-ERR Invalid command specified\r\n"},
    {3, {"COMMAND", "GETKEYS", "client", "nosuch", "x"},
        "-ERR Invalid command specified\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "client", "nosuch", "x"},
        "-ERR Invalid command specified\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "client", "nosuch", "x"},
        "-ERR Invalid command specified\r\n"},
    {2, {"COMMAND", "GETKEYS", "nosuch", "a"},
        "-ERR Invalid command specified\r\n"},
    {3, {"COMMAND", "GETKEYS", "nosuch", "a"},
        "-ERR Invalid command specified\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "nosuch", "a"},
        "-ERR Invalid command specified\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "nosuch", "a"},
        "-ERR Invalid command specified\r\n"},
    {2, {"COMMAND", "GETKEYS", "spublish", "ch", "m"},
        "-ERR The command has no key arguments\r\n"},
    {3, {"COMMAND", "GETKEYS", "spublish", "ch", "m"},
        "-ERR The command has no key arguments\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "spublish", "ch", "m"},
        "-ERR The command has no key arguments\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "spublish", "ch", "m"},
        "-ERR The command has no key arguments\r\n"},
    {2, {"COMMAND", "GETKEYS", "memory", "usage", "k"},
        "*1\r\n$1\r\nk\r\n"},
    {3, {"COMMAND", "GETKEYS", "memory", "usage", "k"},
        "*1\r\n$1\r\nk\r\n"},
    {2, {"COMMAND", "GETKEYSANDFLAGS", "memory", "usage", "k"},
        "*1\r\n*2\r\n$1\r\nk\r\n*1\r\n+RO\r\n"},
    {3, {"COMMAND", "GETKEYSANDFLAGS", "memory", "usage", "k"},
        "*1\r\n*2\r\n$1\r\nk\r\n~1\r\n+RO\r\n"},
    {2, {"COMMAND", "HELP"},
        "*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+(no subcomm"
        "and)\r\n+    Return details about all Redis commands.\r\n+COUNT\r\n+    Return the total"
        " number of commands in this Redis server.\r\n+LIST\r\n+    Return a list of all commands"
        " in this Redis server.\r\n+INFO [<command-name> ...]\r\n+    Return details about multip"
        "le Redis commands.\r\n+    If no command names are given, documentation details for all"
        "\r\n+    commands are returned.\r\n+DOCS [<command-name> ...]\r\n+    Return documentati"
        "on details about multiple Redis commands.\r\n+    If no command names are given, documen"
        "tation details for all\r\n+    commands are returned.\r\n+GETKEYS <full-command>\r\n+   "
        " Return the keys from a full Redis command.\r\n+GETKEYSANDFLAGS <full-command>\r\n+    R"
        "eturn the keys and the access flags from a full Redis command.\r\n+HELP\r\n+    Prints t"
        "his help.\r\n"},
    {3, {"COMMAND", "HELP"},
        "*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+(no subcomm"
        "and)\r\n+    Return details about all Redis commands.\r\n+COUNT\r\n+    Return the total"
        " number of commands in this Redis server.\r\n+LIST\r\n+    Return a list of all commands"
        " in this Redis server.\r\n+INFO [<command-name> ...]\r\n+    Return details about multip"
        "le Redis commands.\r\n+    If no command names are given, documentation details for all"
        "\r\n+    commands are returned.\r\n+DOCS [<command-name> ...]\r\n+    Return documentati"
        "on details about multiple Redis commands.\r\n+    If no command names are given, documen"
        "tation details for all\r\n+    commands are returned.\r\n+GETKEYS <full-command>\r\n+   "
        " Return the keys from a full Redis command.\r\n+GETKEYSANDFLAGS <full-command>\r\n+    R"
        "eturn the keys and the access flags from a full Redis command.\r\n+HELP\r\n+    Prints t"
        "his help.\r\n"},
    {2, {"command", "nosuch"},
        "-ERR unknown subcommand 'nosuch'. Try COMMAND HELP.\r\n"},
    {3, {"command", "nosuch"},
        "-ERR unknown subcommand 'nosuch'. Try COMMAND HELP.\r\n"},
    {2, {"COMMAND", "COUNT", "x"},
        "-ERR wrong number of arguments for 'command|count' command\r\n"},
    {3, {"COMMAND", "COUNT", "x"},
        "-ERR wrong number of arguments for 'command|count' command\r\n"},
    {2, {"COMMAND", "GETKEYS", "get"},
        "-ERR wrong number of arguments for 'command|getkeys' command\r\n"},
    {3, {"COMMAND", "GETKEYS", "get"},
        "-ERR wrong number of arguments for 'command|getkeys' command\r\n"},
    {2, {"COMMAND", "LIST", "FILTERBY", "PATTERN"},
        "-ERR syntax error\r\n"},
    {3, {"COMMAND", "LIST", "FILTERBY", "PATTERN"},
        "-ERR syntax error\r\n"},
    {2, {"COMMAND", "LIST", "FILTERBY", "nope", "x"},
        "-ERR syntax error\r\n"},
    {3, {"COMMAND", "LIST", "FILTERBY", "nope", "x"},
        "-ERR syntax error\r\n"},
    {2, {"COMMAND", "LIST", "FILTERBY", "MODULE", "x"},
        "*0\r\n"},
    {3, {"COMMAND", "LIST", "FILTERBY", "MODULE", "x"},
        "*0\r\n"},
    {2, {"COMMAND", "LIST", "FILTERBY", "PATTERN", "ZRANGES*"},
        "*1\r\n$11\r\nzrangestore\r\n"},
    {3, {"COMMAND", "LIST", "FILTERBY", "PATTERN", "ZRANGES*"},
        "*1\r\n$11\r\nzrangestore\r\n"},
    {2, {"COMMAND", "LIST", "FILTERBY", "ACLCAT", "@read"},
        "*0\r\n"},
    {3, {"COMMAND", "LIST", "FILTERBY", "ACLCAT", "@read"},
        "*0\r\n"},
    {2, {"COMMAND", "INFO", "nosuch", "GET"},
        "*2\r\n$-1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3"
        "\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+acces"
        "s\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r"
        "\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6"
        "\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"},
    {3, {"COMMAND", "INFO", "nosuch", "GET"},
        "*2\r\n_\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r"
        "\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access"
        "\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n"
        "index\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r"
        "\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"},
    {2, {"COMMAND", "GETKEYS", "eval", "s", "99999999999999999999", "a"},
        "*0\r\n"},
    {3, {"COMMAND", "GETKEYS", "eval", "s", "99999999999999999999", "a"},
        "*0\r\n"},
    {2, {"COMMAND", "DOCS", "nosuch"},
        "*0\r\n"},
    {3, {"COMMAND", "DOCS", "nosuch"},
        "%0\r\n"},
    {2, {"COMMAND", "DOCS", "get"},
        "*2\r\n$3\r\nget\r\n*8\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r"
        "\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"},
    {3, {"COMMAND", "DOCS", "get"},
        "%1\r\n$3\r\nget\r\n%4\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r"
        "\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"},
    {2, {"COMMAND", "DOCS", "georadius"},
        "*2\r\n$9\r\ngeoradius\r\n*14\r\n$7\r\nsummary\r\n$114\r\nQuery a sorted set representing"
        " a geospatial index to fetch members matching a given maximum distance from a point\r\n$"
        "5\r\nsince\r\n$5\r\n3.2.0\r\n$5\r\ngroup\r\n$3\r\ngeo\r\n$10\r\ncomplexity\r\n$168\r\nO("
        "N+log(M)) where N is the number of elements inside the bounding box of the circular area"
        " delimited by center and radius and M is the number of items inside the index.\r\n$9\r\n"
        "doc_flags\r\n*1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n$5\r\n6.2.0\r\n$11\r\nrepla"
        "ced_by\r\n$61\r\n`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument\r\n"},
    {3, {"COMMAND", "DOCS", "georadius"},
        "%1\r\n$9\r\ngeoradius\r\n%7\r\n$7\r\nsummary\r\n$114\r\nQuery a sorted set representing "
        "a geospatial index to fetch members matching a given maximum distance from a point\r\n$5"
        "\r\nsince\r\n$5\r\n3.2.0\r\n$5\r\ngroup\r\n$3\r\ngeo\r\n$10\r\ncomplexity\r\n$168\r\nO(N"
        "+log(M)) where N is the number of elements inside the bounding box of the circular area "
        "delimited by center and radius and M is the number of items inside the index.\r\n$9\r\nd"
        "oc_flags\r\n~1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n$5\r\n6.2.0\r\n$11\r\nreplac"
        "ed_by\r\n$61\r\n`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument\r\n"},
    {2, {"COMMAND", "DOCS", "client|kill"},
        "*2\r\n$11\r\nclient|kill\r\n*8\r\n$7\r\nsummary\r\n$31\r\nKill the connection of a clien"
        "t\r\n$5\r\nsince\r\n$5\r\n2.4.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n$10\r\ncomplexity"
        "\r\n$48\r\nO(N) where N is the number of client connections\r\n"},
    {3, {"COMMAND", "DOCS", "client|kill"},
        "%1\r\n$11\r\nclient|kill\r\n%4\r\n$7\r\nsummary\r\n$31\r\nKill the connection of a clien"
        "t\r\n$5\r\nsince\r\n$5\r\n2.4.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n$10\r\ncomplexity"
        "\r\n$48\r\nO(N) where N is the number of client connections\r\n"},
    {2, {"COMMAND", "DOCS", "psync"},
        "*2\r\n$5\r\npsync\r\n*6\r\n$7\r\nsummary\r\n$37\r\nInternal command used for replication"
        "\r\n$5\r\nsince\r\n$5\r\n2.8.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n"},
    {3, {"COMMAND", "DOCS", "psync"},
        "%1\r\n$5\r\npsync\r\n%3\r\n$7\r\nsummary\r\n$37\r\nInternal command used for replication"
        "\r\n$5\r\nsince\r\n$5\r\n2.8.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n"},
    {2, {"COMMAND", "DOCS", "xinfo"},
        "*2\r\n$5\r\nxinfo\r\n*10\r\n$7\r\nsummary\r\n$45\r\nA container for stream introspection"
        " commands\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstream\r\n$10\r\ncomplex"
        "ity\r\n$22\r\nDepends on subcommand.\r\n$11\r\nsubcommands\r\n*8\r\n$15\r\nxinfo|consume"
        "rs\r\n*8\r\n$7\r\nsummary\r\n$38\r\nList the consumers in a consumer group\r\n$5\r\nsinc"
        "e\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstream\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$1"
        "2\r\nxinfo|groups\r\n*8\r\n$7\r\nsummary\r\n$36\r\nList the consumer groups of a stream"
        "\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstream\r\n$10\r\ncomplexity\r\n$4"
        "\r\nO(1)\r\n$10\r\nxinfo|help\r\n*8\r\n$7\r\nsummary\r\n$49\r\nShow helpful text about t"
        "he different subcommands\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstream\r"
        "\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$12\r\nxinfo|stream\r\n*8\r\n$7\r\nsummary\r\n$30\r"
        "\nGet information about a stream\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\ns"
        "tream\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"},
    {3, {"COMMAND", "DOCS", "xinfo"},
        "%1\r\n$5\r\nxinfo\r\n%5\r\n$7\r\nsummary\r\n$45\r\nA container for stream introspection "
        "commands\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstream\r\n$10\r\ncomplexi"
        "ty\r\n$22\r\nDepends on subcommand.\r\n$11\r\nsubcommands\r\n%4\r\n$15\r\nxinfo|consumer"
        "s\r\n%4\r\n$7\r\nsummary\r\n$38\r\nList the consumers in a consumer group\r\n$5\r\nsince"
        "\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstream\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$12"
        "\r\nxinfo|groups\r\n%4\r\n$7\r\nsummary\r\n$36\r\nList the consumer groups of a stream\r"
        "\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstream\r\n$10\r\ncomplexity\r\n$4\r"
        "\nO(1)\r\n$10\r\nxinfo|help\r\n%4\r\n$7\r\nsummary\r\n$49\r\nShow helpful text about the"
        " different subcommands\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstream\r\n$"
        "10\r\ncomplexity\r\n$4\r\nO(1)\r\n$12\r\nxinfo|stream\r\n%4\r\n$7\r\nsummary\r\n$30\r\nG"
        "et information about a stream\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nstre"
        "am\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"},
};
// clang-format on

TEST(CommandReplies, MatchRedis7Bytes) {
  for (const Golden& g : kGolden) {
    std::string what = "RESP" + std::to_string(g.protocol) + ":";
    for (std::string_view a : g.args) what.append(" ").append(a);
    SCOPED_TRACE(what);
    EXPECT_EQ(command_reply(g.args, g.protocol), g.expected);
  }
}

TEST(CommandReplies, CountIsTheNumberOfTopLevelCommandsWithTheCustomOnes) {
  const auto all = cmd::all_commands();
  EXPECT_EQ(reply({"COMMAND", "COUNT"}), ":" + std::to_string(all.size()) + "\r\n");
  const auto custom = std::count_if(all.begin(), all.end(), [](const auto& c) { return c.custom; });
  EXPECT_GE(custom, 6);
  EXPECT_GE(all.size(), 240u);  // Redis 7.0's 240 commands, plus stdnet's
}

TEST(CommandReplies, CommandAloneIsInfoOfEveryCommand) {
  for (int protocol : {2, 3}) {
    const std::string all = reply({"command"}, protocol);
    EXPECT_EQ(all, reply({"COMMAND", "INFO"}, protocol));
    EXPECT_EQ(all.rfind("*" + std::to_string(cmd::all_commands().size()) + "\r\n*10\r\n", 0), 0u);
    EXPECT_NE(all.find("$10\r\nzpopbyrank\r\n"), std::string::npos);
    EXPECT_NE(all.find("$11\r\nclient|kill\r\n"), std::string::npos);
  }
}

TEST(CommandReplies, ListHasEveryCommandAndSubcommandIncludingCustomOnes) {
  const std::vector<std::string> names = bulk_list(reply({"COMMAND", "LIST"}));
  EXPECT_EQ(names.size(), count_rows());
  const std::set<std::string> set(names.begin(), names.end());
  for (const char* name : {"get", "client", "client|setname", "xinfo|stream", "zpopbyrank",
                           "zpopbyscore", "countpattern", "delpattern", "keyinfo", "odm.commit"}) {
    EXPECT_TRUE(set.count(name)) << name;
  }
}

TEST(CommandReplies, ListFilters) {
  EXPECT_EQ(bulk_list(reply({"COMMAND", "LIST", "FILTERBY", "PATTERN", "zpopby*"})),
            (std::vector<std::string>{"zpopbyrank", "zpopbyscore"}));
  EXPECT_EQ(bulk_list(reply({"COMMAND", "LIST", "filterby", "pattern", "XINFO|[c-h]*"})),
            (std::vector<std::string>{"xinfo|consumers", "xinfo|groups", "xinfo|help"}));
  EXPECT_EQ(bulk_list(reply({"COMMAND", "LIST", "FILTERBY", "PATTERN", "x[^a-h]nfo"})),
            (std::vector<std::string>{"xinfo"}));
  EXPECT_EQ(bulk_list(reply({"COMMAND", "LIST", "FILTERBY", "PATTERN", "odm\\.*"})).size(), 6u);
  EXPECT_EQ(bulk_list(reply({"COMMAND", "LIST", "FILTERBY", "PATTERN", "*"})).size(), count_rows());
  // Many stars on a non-matching name stay fast (Redis's "skip longer matches").
  EXPECT_EQ(reply({"COMMAND", "LIST", "FILTERBY", "PATTERN", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*z"}),
            "*0\r\n");
  const std::vector<std::string> hll =
      bulk_list(reply({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "HyperLogLog"}));
  EXPECT_EQ(std::set<std::string>(hll.begin(), hll.end()),
            (std::set<std::string>{"pfadd", "pfcount", "pfdebug", "pfmerge", "pfselftest"}));
  const std::vector<std::string> scripting =
      bulk_list(reply({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "scripting"}));
  EXPECT_NE(std::find(scripting.begin(), scripting.end(), "odm.query"), scripting.end());
  EXPECT_NE(std::find(scripting.begin(), scripting.end(), "script|flush"), scripting.end());
  EXPECT_EQ(reply({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"}), "*0\r\n");
}

TEST(CommandReplies, CustomCommandsHaveInfoWithKeySpecs) {
  const std::string zpop = reply({"COMMAND", "INFO", "ZPOPBYRANK"}, 3);
  EXPECT_EQ(
      zpop.rfind("*1\r\n*10\r\n$10\r\nzpopbyrank\r\n:-3\r\n~1\r\n+write\r\n:1\r\n:1\r\n:1\r\n", 0),
      0u);
  EXPECT_NE(zpop.find("~3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype"
                      "\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n"),
            std::string::npos);
  const std::string keyinfo = reply({"COMMAND", "INFO", "keyinfo"});
  EXPECT_NE(keyinfo.find("+movablekeys\r\n"), std::string::npos);
  EXPECT_NE(keyinfo.find("$7\r\nkeyword\r\n$4\r\nKEYS\r\n"), std::string::npos);
  const std::string docs = reply({"COMMAND", "DOCS", "odm.commit"}, 3);
  EXPECT_EQ(docs.rfind("%1\r\n$10\r\nodm.commit\r\n%4\r\n$7\r\nsummary\r\n", 0), 0u);
  EXPECT_NE(docs.find("$5\r\nsince\r\n$6\r\nstdnet\r\n$5\r\ngroup\r\n$3\r\nodm\r\n"),
            std::string::npos);
}

TEST(CommandReplies, GetkeysOfCustomCommandsPrintsTheClientsNames) {
  EXPECT_EQ(reply({"COMMAND", "GETKEYS", "zpopbyrank", "board", "0", "1"}),
            "*1\r\n$5\r\nboard\r\n");
  EXPECT_EQ(reply({"COMMAND", "GETKEYS", "KEYINFO", "KEYS", "a", "b"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(reply({"COMMAND", "GETKEYSANDFLAGS", "zpopbyscore", "z", "0", "1"}, 3),
            "*1\r\n*2\r\n$1\r\nz\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n");
  EXPECT_EQ(reply({"COMMAND", "GETKEYS", "countpattern", "a*"}),
            "-ERR The command has no key arguments\r\n");
}

TEST(CommandReplies, DocsOfEverything) {
  const std::size_t n = cmd::all_commands().size();
  const std::string docs3 = reply({"COMMAND", "DOCS"}, 3);
  EXPECT_EQ(docs3.rfind("%" + std::to_string(n) + "\r\n", 0), 0u);
  const std::string docs2 = reply({"COMMAND", "DOCS"}, 2);
  EXPECT_EQ(docs2.rfind("*" + std::to_string(2 * n) + "\r\n", 0), 0u);
  // A deprecated command says so.
  EXPECT_NE(docs2.find("$9\r\ndoc_flags\r\n*1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n"),
            std::string::npos);
}

TEST(CommandReplies, ErrorsAreSafeOnOneLine) {
  const std::string r = reply({"Command", "a\r\nb"});
  EXPECT_EQ(r, "-ERR unknown subcommand 'a  b'. Try COMMAND HELP.\r\n");
  const std::string long_name(200, 'x');  // Redis quotes at most 128 characters
  EXPECT_EQ(reply({"COMMAND", long_name}),
            "-ERR unknown subcommand '" + std::string(128, 'x') + "'. Try COMMAND HELP.\r\n");
  EXPECT_EQ(reply({"command", std::string_view("x\0y", 3)}),
            "-ERR unknown subcommand 'x'. Try COMMAND HELP.\r\n");
  // GETKEYS on odd numkeys values never reads outside the request.
  for (std::string_view n : {"-1", "0", "2", "99", "9223372036854775807", "-9223372036854775808",
                             " 1", "+1", "1x", ""}) {
    SCOPED_TRACE(n);
    const std::string keys = reply({"COMMAND", "GETKEYS", "zunionstore", "d", n, "a"});
    EXPECT_TRUE(keys == "*2\r\n$1\r\na\r\n$1\r\nd\r\n" ||
                keys == "-ERR Invalid arguments specified for command\r\n")
        << keys;
    const std::string eval = reply({"COMMAND", "GETKEYS", "EVAL", "s", n, "a"});
    EXPECT_TRUE(eval == "*1\r\n$1\r\na\r\n" || eval == "*0\r\n") << eval;
  }
}

TEST(CommandReplies, ProtocolOtherThanThreeIsTwo) {
  EXPECT_EQ(reply({"COMMAND", "INFO", "get"}, 0), reply({"COMMAND", "INFO", "get"}, 2));
  EXPECT_EQ(reply({"COMMAND", "INFO", "nosuch"}, 3), "*1\r\n_\r\n");
}

}  // namespace
}  // namespace stdnet::proxy
