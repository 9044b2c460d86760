// Namespacer micro-benchmarks: rewrite_request (SET, GET, MSET with 10 keys; namespaced and with
// the empty prefix; from the argument list, and from the parsed frame as the proxy calls it,
// against copying the frame unchanged as pass-through does) and rewrite_reply (KEYS with 100 keys,
// a plain bulk passed through, RANDOMKEY). Each reports items (requests or replies)/s and bytes/s
// of output.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "proxy/namespacer.h"
#include "resp/commands.h"
#include "resp/encode.h"
#include "resp/parser.h"

namespace {

using stdnet::cmd::KeyRefs;
using stdnet::cmd::ReplyRule;
using stdnet::proxy::ReplyNodes;

constexpr std::string_view kPrefix = "tenant-42:";

void RewriteRequest(benchmark::State& state, std::vector<std::string_view> args,
                    std::string_view prefix) {
  const stdnet::cmd::Command* command = stdnet::cmd::lookup(args);
  if (command == nullptr) {
    state.SkipWithError("unknown command");
    return;
  }
  KeyRefs refs;
  std::string out;
  std::size_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    const std::string error = stdnet::proxy::rewrite_request(*command, args, prefix, out, refs);
    if (!error.empty()) state.SkipWithError(error.c_str());
    benchmark::DoNotOptimize(out.data());
    bytes += out.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_RewriteRequest_Set(benchmark::State& state) {
  RewriteRequest(state, {"SET", "user:1000:name", "some value of moderate size"}, kPrefix);
}
BENCHMARK(BM_RewriteRequest_Set);

void BM_RewriteRequest_Get(benchmark::State& state) {
  RewriteRequest(state, {"GET", "user:1000:name"}, kPrefix);
}
BENCHMARK(BM_RewriteRequest_Get);

std::vector<std::string> MsetArgs() {
  std::vector<std::string> args{"MSET"};
  for (int i = 0; i < 10; ++i) {
    args.push_back("key:" + std::to_string(100000 + i));
    args.push_back("value-" + std::to_string(i));
  }
  return args;
}

void BM_RewriteRequest_Mset10(benchmark::State& state) {
  static const std::vector<std::string> owned = MsetArgs();
  RewriteRequest(state, std::vector<std::string_view>(owned.begin(), owned.end()), kPrefix);
}
BENCHMARK(BM_RewriteRequest_Mset10);

void BM_RewriteRequest_Mset10_EmptyPrefix(benchmark::State& state) {
  static const std::vector<std::string> owned = MsetArgs();
  RewriteRequest(state, std::vector<std::string_view>(owned.begin(), owned.end()), "");
}
BENCHMARK(BM_RewriteRequest_Mset10_EmptyPrefix);

// From the parsed frame (the proxy's path); prefix "" measures pass-through's copy of the frame.
void RewriteFrame(benchmark::State& state, const std::vector<std::string>& args,
                  std::string_view prefix) {
  std::string frame;
  stdnet::resp::append_array_header(frame, static_cast<std::int64_t>(args.size()));
  for (const std::string& a : args) stdnet::resp::append_bulk(frame, a);
  stdnet::resp::RequestParser parser;
  parser.set_authenticated(true);
  if (parser.parse(frame) != stdnet::resp::ParseStatus::Ok) {
    state.SkipWithError("parse");
    return;
  }
  const stdnet::resp::Request& request = parser.request();
  const stdnet::cmd::Command* command = stdnet::cmd::lookup(request.args);
  KeyRefs refs;
  std::string out;
  for (auto _ : state) {
    out.clear();
    if (prefix.empty()) {
      out.append(request.raw);
    } else {
      const std::string error =
          stdnet::proxy::rewrite_request(*command, request, prefix, out, refs);
      if (!error.empty()) state.SkipWithError(error.c_str());
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_RewriteFrame_Get(benchmark::State& state) {
  RewriteFrame(state, {"GET", "user:1000:name"}, kPrefix);
}
BENCHMARK(BM_RewriteFrame_Get);

void BM_RewriteFrame_Get_Passthrough(benchmark::State& state) {
  RewriteFrame(state, {"GET", "user:1000:name"}, "");
}
BENCHMARK(BM_RewriteFrame_Get_Passthrough);

void BM_RewriteFrame_Mset10(benchmark::State& state) {
  RewriteFrame(state, MsetArgs(), kPrefix);
}
BENCHMARK(BM_RewriteFrame_Mset10);

void BM_RewriteFrame_Mset10_Passthrough(benchmark::State& state) {
  RewriteFrame(state, MsetArgs(), "");
}
BENCHMARK(BM_RewriteFrame_Mset10_Passthrough);

void RewriteReply(benchmark::State& state, ReplyRule rule, const std::string& reply) {
  ReplyNodes nodes;
  std::string out;
  for (auto _ : state) {
    out.clear();
    stdnet::proxy::rewrite_reply(rule, reply, kPrefix, 2, out, nodes);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * reply.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_RewriteReply_Keys100(benchmark::State& state) {
  std::string reply;
  stdnet::resp::append_array_header(reply, 100);
  for (int i = 0; i < 100; ++i) {
    stdnet::resp::append_bulk(reply, kPrefix, "key:" + std::to_string(100000 + i));
  }
  RewriteReply(state, ReplyRule::KeyList, reply);
}
BENCHMARK(BM_RewriteReply_Keys100);

void BM_RewriteReply_BulkPassthrough(benchmark::State& state) {
  std::string reply;
  stdnet::resp::append_bulk(reply, std::string(100, 'v'));
  RewriteReply(state, ReplyRule::Raw, reply);
}
BENCHMARK(BM_RewriteReply_BulkPassthrough);

void BM_RewriteReply_RandomKey(benchmark::State& state) {
  std::string reply;
  stdnet::resp::append_bulk(reply, kPrefix, "user:1000:name");
  RewriteReply(state, ReplyRule::Key, reply);
}
BENCHMARK(BM_RewriteReply_RandomKey);

}  // namespace

BENCHMARK_MAIN();
