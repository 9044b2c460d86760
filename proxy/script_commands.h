// Operator-defined script commands ([[command]] in the config): each becomes a command-table row
// (key-specs from its key positions, policy Script) with its source and SHA1, looked up before the
// generated table. Rebuilt from every (re)loaded config.
#pragma once
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "resp/commands.h"

namespace stdnet::proxy {

class ScriptCommands {
 public:
  struct Entry {
    std::string name;  // lower case
    std::string source;
    std::string sha1;  // of source: what SCRIPT LOAD returns
    std::string file;  // for messages
    cmd::KeySpec key_spec;
    cmd::Command row;
  };

  explicit ScriptCommands(const config::Config& config);
  // The entry for a request's command name (case-insensitive), or nullptr.
  const Entry* find(std::string_view name) const;
  std::span<const std::unique_ptr<Entry>> entries() const { return entries_; }

 private:
  std::vector<std::unique_ptr<Entry>> entries_;
};

// 40 lower-case hex digits.
std::string sha1_hex(std::string_view data);

}  // namespace stdnet::proxy
