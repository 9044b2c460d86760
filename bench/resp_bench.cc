// RESP codec micro-benchmarks: the request parser (pipelined GET/SET, MSET with 10 keys, a 1 MB
// value, inline commands), the reply scanner (status, bulk, arrays of 10 bulks, a nested RESP3
// map), parse_reply and the encoder. Each reports bytes/s and items (requests or replies)/s.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "resp/encode.h"
#include "resp/parser.h"
#include "resp/reply.h"

namespace {

using namespace stdnet::resp;

// --- Request parser
// -------------------------------------------------------------------------------

// Parses every frame in `input` once per iteration; `frames` is how many there are.
void ParseAll(benchmark::State& state, const std::string& input, std::size_t frames) {
  RequestParser parser;
  parser.set_authenticated(true);
  for (auto _ : state) {
    std::string_view rest = input;
    std::size_t parsed = 0;
    while (parser.parse(rest) == ParseStatus::Ok) {
      benchmark::DoNotOptimize(parser.request().args.data());
      rest.remove_prefix(parser.consumed());
      ++parsed;
    }
    if (parsed != frames || !rest.empty()) state.SkipWithError("parse failed");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames));
}

std::string Key(int i) {
  return "key:" + std::to_string(100000 + i);
}

void BM_ParseGetSetPipelined(benchmark::State& state) {
  const int frames = 100;  // redis-benchmark -P 16 sends batches like this, smaller
  std::string input;
  for (int i = 0; i < frames; ++i) {
    if (i % 2 == 0) {
      append_command(input, {"SET", Key(i), "xxx"});
    } else {
      append_command(input, {"GET", Key(i)});
    }
  }
  ParseAll(state, input, frames);
}
BENCHMARK(BM_ParseGetSetPipelined);

void BM_ParseMset10(benchmark::State& state) {
  const int frames = 16;
  std::string input;
  for (int f = 0; f < frames; ++f) {
    append_array_header(input, 21);
    append_bulk(input, "MSET");
    for (int i = 0; i < 10; ++i) {
      append_bulk(input, Key(i));
      append_bulk(input, "xxx");
    }
  }
  ParseAll(state, input, frames);
}
BENCHMARK(BM_ParseMset10);

std::string BigSet() {
  std::string input;
  append_command(input, {"SET", "big", std::string(1 << 20, 'v')});
  return input;
}

void BM_ParseBigValue(benchmark::State& state) {
  ParseAll(state, BigSet(), 1);
}
BENCHMARK(BM_ParseBigValue);

// The 1 MB value arriving in 16 KiB reads: the parser is called once per read and must not
// rescan what it has seen.
void BM_ParseBigValueIn16KiBReads(benchmark::State& state) {
  const std::string input = BigSet();
  RequestParser parser;
  parser.set_authenticated(true);
  std::size_t calls = 0;
  for (auto _ : state) {
    ParseStatus status = ParseStatus::NeedMore;
    for (std::size_t n = 16384; status == ParseStatus::NeedMore; n += 16384) {
      status = parser.parse(std::string_view(input).substr(0, n));
      ++calls;
    }
    if (status != ParseStatus::Ok) state.SkipWithError("parse failed");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["calls"] = static_cast<double>(calls) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ParseBigValueIn16KiBReads);

void BM_ParseInlinePipelined(benchmark::State& state) {
  const int frames = 100;
  std::string input;
  for (int i = 0; i < frames; ++i) input += i % 2 ? "GET " + Key(i) + "\r\n" : "PING\r\n";
  ParseAll(state, input, frames);
}
BENCHMARK(BM_ParseInlinePipelined);

// --- Reply scanner
// --------------------------------------------------------------------------------

void ScanAll(benchmark::State& state, const std::string& input, std::size_t replies) {
  ReplyScanner scanner;
  for (auto _ : state) {
    std::string_view rest = input;
    std::size_t scanned = 0;
    while (scanner.scan(rest) == ScanStatus::Ok) {
      rest.remove_prefix(scanner.length());
      ++scanned;
    }
    if (scanned != replies || !rest.empty()) state.SkipWithError("scan failed");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * replies));
}

template <typename Append>
std::string Repeat(int n, Append append) {
  std::string out;
  for (int i = 0; i < n; ++i) append(out, i);
  return out;
}

void BM_ScanStatus(benchmark::State& state) {
  ScanAll(state, Repeat(100, [](std::string& out, int) { append_simple(out, "OK"); }), 100);
}
BENCHMARK(BM_ScanStatus);

void BM_ScanBulk(benchmark::State& state) {
  ScanAll(state, Repeat(100, [](std::string& out, int) { append_bulk(out, "some value"); }), 100);
}
BENCHMARK(BM_ScanBulk);

std::string ArrayOf10Bulks() {
  std::string out;
  append_array_header(out, 10);
  for (int i = 0; i < 10; ++i) append_bulk(out, "value:" + std::to_string(i));
  return out;
}

void BM_ScanArrayOf10Bulks(benchmark::State& state) {
  ScanAll(state, Repeat(16, [](std::string& out, int) { out += ArrayOf10Bulks(); }), 16);
}
BENCHMARK(BM_ScanArrayOf10Bulks);

// A HELLO-like RESP3 map with nested aggregates and scalars of several types.
std::string NestedMap() {
  std::string out;
  append_header(out, '%', 5);
  append_bulk(out, "server");
  append_bulk(out, "redis");
  append_bulk(out, "proto");
  append_integer(out, 3);
  append_bulk(out, "modules");
  append_header(out, '*', 2);
  for (int i = 0; i < 2; ++i) {
    append_header(out, '%', 2);
    append_bulk(out, "name");
    append_bulk(out, "mod" + std::to_string(i));
    append_bulk(out, "ver");
    append_double(out, 1.5, 3);
  }
  append_bulk(out, "flags");
  append_header(out, '~', 3);
  append_simple(out, "a");
  append_simple(out, "b");
  out += "#t\r\n";
  append_bulk(out, "empty");
  append_null(out, 3);
  return out;
}

void BM_ScanNestedResp3Map(benchmark::State& state) {
  ScanAll(state, Repeat(16, [](std::string& out, int) { out += NestedMap(); }), 16);
}
BENCHMARK(BM_ScanNestedResp3Map);

void BM_ParseReplyArrayOf10Bulks(benchmark::State& state) {
  const std::string input = ArrayOf10Bulks();
  std::vector<ReplyNode> nodes;
  for (auto _ : state) {
    if (!parse_reply(input, nodes)) state.SkipWithError("parse_reply failed");
    benchmark::DoNotOptimize(nodes.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseReplyArrayOf10Bulks);

// --- Encoder
// --------------------------------------------------------------------------------------

void BM_EncodeSetCommand(benchmark::State& state) {
  Buffer out;
  const std::string key = Key(1);
  for (auto _ : state) {
    out.clear();
    append_array_header(out, 3);
    append_bulk(out, "SET");
    append_bulk(out, "prefix:", key);
    append_bulk(out, "xxx");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EncodeSetCommand);

void BM_EncodeIntegers(benchmark::State& state) {
  Buffer out;
  for (auto _ : state) {
    out.clear();
    for (std::int64_t i = 0; i < 100; ++i) append_integer(out, i * 7919 - 300000);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 100));
}
BENCHMARK(BM_EncodeIntegers);

}  // namespace

BENCHMARK_MAIN();
