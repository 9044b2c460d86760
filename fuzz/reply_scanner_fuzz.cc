// libFuzzer target for ReplyScanner and parse_reply. The first byte seeds the split points; the
// rest is a backend's byte stream. Checks: each reply found by the scanner parses with parse_reply,
// whose nodes lie inside the reply and whose top-level value has the scanner's type; where the
// scanner stops (NeedMore or Error) parse_reply rejects the rest too; the same replies and final
// status whether the stream is fed whole or in random chunks.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "resp/reply.h"

namespace {

using stdnet::resp::ReplyNode;
using stdnet::resp::ReplyScanner;
using stdnet::resp::ScanStatus;

struct Run {
  std::vector<std::pair<std::size_t, char>> replies;
  ScanStatus last = ScanStatus::NeedMore;
  std::string error;
  bool operator==(const Run&) const = default;
};

void Check(bool condition) {
  if (!condition) std::abort();
}

bool Inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void ScanReplies(ReplyScanner& scanner, std::string_view& input, Run& run,
                 std::vector<ReplyNode>* nodes) {
  ScanStatus status;
  while ((status = scanner.scan(input)) == ScanStatus::Ok) {
    const std::size_t length = scanner.length();
    Check(length > 0 && length <= input.size());
    run.replies.emplace_back(length, scanner.type());
    if (nodes != nullptr) {
      const std::string_view reply = input.substr(0, length);
      Check(stdnet::resp::parse_reply(reply, *nodes));
      Check(!nodes->empty());
      Check(nodes->front().raw.data() == reply.data());
      // The top-level value is the first node (in pre-order) that ends where the reply ends;
      // attributes before it end earlier.
      const ReplyNode* value = nullptr;
      for (const ReplyNode& node : *nodes) {
        Check(Inside(node.raw, reply));
        Check(node.data.empty() || Inside(node.data, node.raw));
        if (value == nullptr && node.raw.data() + node.raw.size() == reply.data() + length) {
          value = &node;
        }
      }
      Check(value != nullptr && value->type == scanner.type() && value->type != '|');
    }
    input.remove_prefix(length);
  }
  run.last = status;
  if (status == ScanStatus::Error) {
    Check(!scanner.error().empty());
    run.error = std::string(scanner.error());
  }
  if (nodes != nullptr) Check(!stdnet::resp::parse_reply(input, *nodes));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::uint32_t seed = data[0] | 1u;
  const std::string stream(reinterpret_cast<const char*>(data + 1), size - 1);

  std::vector<ReplyNode> nodes;
  Run whole;
  {
    std::unique_ptr<char[]> copy(new char[stream.size()]);
    if (!stream.empty()) std::memcpy(copy.get(), stream.data(), stream.size());
    ReplyScanner scanner;
    std::string_view input(copy.get(), stream.size());
    ScanReplies(scanner, input, whole, &nodes);
  }

  Run chunked;
  {
    ReplyScanner scanner;
    std::string buffer;
    std::size_t offset = 0;
    while (offset < stream.size() && chunked.last != ScanStatus::Error) {
      seed = seed * 1103515245u + 12345u;
      const std::size_t chunk = 1 + (seed >> 16) % 13;
      buffer.append(stream, offset, chunk);
      offset += chunk;
      std::string_view input = buffer;
      Run part;
      ScanReplies(scanner, input, part, nullptr);
      chunked.replies.insert(chunked.replies.end(), part.replies.begin(), part.replies.end());
      chunked.last = part.last;
      chunked.error = part.error;
      buffer.erase(0, buffer.size() - input.size());
    }
    if (stream.empty()) {
      std::string_view input;
      ScanReplies(scanner, input, chunked, nullptr);
    }
  }
  Check(whole == chunked);
  return 0;
}
