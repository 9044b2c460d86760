#include "lua/scripts.h"

#include <algorithm>

namespace stdnet::lua {

// builtin_scripts() is defined in the generated builtin_scripts.cc (see embed_scripts.cmake).

const Script* find_script(std::string_view name) {
  const std::span<const Script> all = builtin_scripts();
  const auto it = std::lower_bound(all.begin(), all.end(), name,
                                   [](const Script& s, std::string_view n) { return s.name < n; });
  return it != all.end() && it->name == name ? &*it : nullptr;
}

}  // namespace stdnet::lua
