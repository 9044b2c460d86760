// libFuzzer target for the configuration loader: any text must give either a config or a list of
// errors, never a crash, a hang or an exception.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const stdnet::config::LoadResult result = stdnet::config::load_config_string(text, "fuzz.toml");
  // Exactly one of: a validated config, or at least one error that says something.
  if (result.config.has_value() != result.errors.empty()) std::abort();
  for (const auto& error : result.errors) {
    if (error.message.empty() || error.to_string().empty()) std::abort();
  }
  return 0;
}
