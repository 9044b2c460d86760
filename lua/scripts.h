// The built-in Lua scripts (lua/scripts/*.lua), embedded into the binary at build time.
// The proxy loads each one with SCRIPT LOAD on every backend connection and runs it with
// EVALSHA sha1 numkeys keys... args...; the header comment of each script defines its KEYS/ARGV
// layout, its reply and its errors.
#pragma once
#include <span>
#include <string_view>

namespace stdnet::lua {

struct Script {
  std::string_view name;    // the file name without ".lua", e.g. "zpopbyrank"
  std::string_view source;  // the file's bytes, exactly
  std::string_view sha1;    // 40 lower-case hex digits: the SHA that SCRIPT LOAD returns for source
};

// Every built-in script, sorted by name. Static storage: the views never dangle.
std::span<const Script> builtin_scripts();

// The built-in script with this exact (case-sensitive) name, or nullptr.
const Script* find_script(std::string_view name);

}  // namespace stdnet::lua
