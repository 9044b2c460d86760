// libFuzzer target for RequestParser. The first two bytes choose options (authenticated or not,
// small or default limits) and the seed of the split points; the rest is a client's byte stream.
// Checks: consumed <= input size; raw is the consumed prefix; multibulk arguments (and unquoted
// inline ones) lie inside the input; the same frames and final status whether the stream is fed
// whole or in random chunks; re-encoding a request as multibulk parses back to the same arguments.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "resp/encode.h"
#include "resp/parser.h"

namespace {

using stdnet::resp::Limits;
using stdnet::resp::ParseStatus;
using stdnet::resp::RequestParser;

struct Frame {
  std::vector<std::string> args;
  std::size_t consumed = 0;
  bool is_inline = false;
  bool operator==(const Frame&) const = default;
};

struct Run {
  std::vector<Frame> frames;
  ParseStatus last = ParseStatus::NeedMore;
  std::string error;
  bool operator==(const Run&) const = default;
};

void Check(bool condition) {
  if (!condition) std::abort();
}

bool Inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// Parses every complete frame at the start of `input`; checks the per-frame invariants.
void ParseFrames(RequestParser& parser, std::string_view& input, Run& run) {
  ParseStatus status;
  while ((status = parser.parse(input)) == ParseStatus::Ok) {
    const auto& request = parser.request();
    Check(parser.consumed() > 0 && parser.consumed() <= input.size());
    Check(request.raw.data() == input.data() && request.raw.size() == parser.consumed());
    Frame frame;
    frame.consumed = parser.consumed();
    frame.is_inline = request.is_inline;
    std::size_t total = 0;
    for (std::string_view arg : request.args) {
      if (!request.is_inline) Check(Inside(arg, request.raw));
      total += arg.size();
      frame.args.emplace_back(arg);
    }
    Check(total <= request.raw.size());
    run.frames.push_back(std::move(frame));
    input.remove_prefix(parser.consumed());
  }
  run.last = status;
  if (status == ParseStatus::Error) {
    Check(!parser.error().empty());
    run.error = std::string(parser.error());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t options = data[0];
  std::uint32_t seed = data[1] | 1u;
  const std::string stream(reinterpret_cast<const char*>(data + 2), size - 2);

  Limits limits;
  if (options & 2) {
    limits.max_bulk_len = 64;
    limits.max_multibulk_len = 8;
    limits.max_inline_len = 32;
    limits.unauth_max_multibulk_len = 3;
    limits.unauth_max_bulk_len = 16;
  }
  const bool authenticated = (options & 1) != 0;

  // Whole: an exactly sized heap copy, so that ASan catches reads past the end.
  Run whole;
  {
    std::unique_ptr<char[]> copy(new char[stream.size()]);
    if (!stream.empty()) std::memcpy(copy.get(), stream.data(), stream.size());
    RequestParser parser(limits);
    parser.set_authenticated(authenticated);
    std::string_view input(copy.get(), stream.size());
    ParseFrames(parser, input, whole);
  }

  // Random chunks appended to a buffer that grows (and moves), as a connection's buffer does.
  Run chunked;
  {
    RequestParser parser(limits);
    parser.set_authenticated(authenticated);
    std::string buffer;
    std::size_t offset = 0;
    while (offset < stream.size() && chunked.last != ParseStatus::Error) {
      seed = seed * 1103515245u + 12345u;
      const std::size_t chunk = 1 + (seed >> 16) % 17;
      buffer.append(stream, offset, chunk);
      offset += chunk;
      std::string_view input = buffer;
      Run part;
      ParseFrames(parser, input, part);
      for (Frame& f : part.frames) chunked.frames.push_back(std::move(f));
      chunked.last = part.last;
      chunked.error = part.error;
      buffer.erase(0, buffer.size() - input.size());
    }
    if (stream.empty()) {
      std::string_view input;
      ParseFrames(parser, input, chunked);
    }
  }
  Check(whole == chunked);

  // Re-encoding a parsed request as multibulk must parse back to the same arguments.
  RequestParser reparse;
  reparse.set_authenticated(true);
  for (const Frame& frame : whole.frames) {
    if (frame.args.empty()) continue;
    stdnet::resp::Buffer out;
    stdnet::resp::append_array_header(out, static_cast<std::int64_t>(frame.args.size()));
    for (const std::string& arg : frame.args) stdnet::resp::append_bulk(out, arg);
    Check(reparse.parse(out) == ParseStatus::Ok);
    Check(reparse.consumed() == out.size());
    Check(reparse.request().args.size() == frame.args.size());
    for (std::size_t i = 0; i < frame.args.size(); ++i) {
      Check(reparse.request().args[i] == frame.args[i]);
    }
  }
  return 0;
}
