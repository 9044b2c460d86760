// libFuzzer target for the namespacer's request rewriting. The first byte picks a prefix (plain,
// with glob characters, or empty); the rest is a client's byte stream. For every request the parser
// delivers whose command the table knows, both rewrite_request overloads run: the one from the
// parsed frame (what the proxy uses: copies all but the names) must give exactly the bytes and the
// error of the one from the argument list, and its output must parse back as one multibulk frame.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "proxy/namespacer.h"
#include "resp/commands.h"
#include "resp/parser.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

constexpr std::string_view kPrefixes[] = {"app1:", "t*[x]:", "", "tenant-with-a-long-name:"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view prefix = kPrefixes[data[0] % std::size(kPrefixes)];
  // An exactly sized heap copy, so that ASan catches reads past the end.
  std::unique_ptr<char[]> copy(new char[size - 1]);
  if (size > 1) std::memcpy(copy.get(), data + 1, size - 1);
  std::string_view input(copy.get(), size - 1);

  stdnet::resp::RequestParser parser;
  parser.set_authenticated(true);
  stdnet::cmd::KeyRefs refs_frame;
  stdnet::cmd::KeyRefs refs_args;
  stdnet::resp::RequestParser reparse;
  reparse.set_authenticated(true);
  while (parser.parse(input) == stdnet::resp::ParseStatus::Ok) {
    const stdnet::resp::Request& request = parser.request();
    const stdnet::cmd::Command* command =
        request.args.empty() ? nullptr : stdnet::cmd::lookup(request.args);
    if (command != nullptr && stdnet::cmd::arity_ok(*command, request.args.size())) {
      std::string from_frame = "<";
      std::string from_args = "<";
      const std::string e1 =
          stdnet::proxy::rewrite_request(*command, request, prefix, from_frame, refs_frame);
      const std::string e2 =
          stdnet::proxy::rewrite_request(*command, request.args, prefix, from_args, refs_args);
      Check(e1 == e2);
      Check(from_frame == from_args);
      if (e1.empty()) {
        const std::string_view out = std::string_view(from_frame).substr(1);
        Check(reparse.parse(out) == stdnet::resp::ParseStatus::Ok);
        Check(reparse.consumed() == out.size());
        Check(!reparse.request().is_inline);
      } else {
        Check(from_frame == "<");
      }
    }
    input.remove_prefix(parser.consumed());
  }
  return 0;
}
