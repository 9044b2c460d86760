#include "proxy/script_commands.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace stdnet::proxy {

std::string sha1_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

ScriptCommands::ScriptCommands(const config::Config& config) {
  for (const config::ScriptCommand& command : config.commands) {
    auto entry = std::make_unique<Entry>();
    entry->name = command.name;
    std::transform(entry->name.begin(), entry->name.end(), entry->name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    entry->source = command.source;
    entry->sha1 = sha1_hex(command.source);
    entry->file = command.script_path;
    const config::KeyPositions& keys = command.keys;
    cmd::KeySpec& spec = entry->key_spec;
    int arity = command.arity;
    if (keys.numkeys_index > 0) {
      spec.begin = cmd::KeySpec::Begin::Index;
      spec.index = keys.numkeys_index;
      spec.find = cmd::KeySpec::Find::Keynum;
      spec.keynumidx = 0;
      spec.firstkey = 1;
      spec.keystep = 1;
      if (arity == 0) arity = -(keys.numkeys_index + 1);
    } else if (keys.first > 0) {
      spec.begin = cmd::KeySpec::Begin::Index;
      spec.index = keys.first;
      spec.find = cmd::KeySpec::Find::Range;
      spec.lastkey = keys.last < 0 ? keys.last : keys.last - keys.first;
      spec.keystep = std::max(1, keys.step);
      if (arity == 0) arity = -(keys.first + 1);
    } else if (arity == 0) {
      arity = -1;
    }
    spec.flags = command.write ? cmd::kKsRW : cmd::kKsRO;
    cmd::Command& row = entry->row;
    row.name = entry->name;
    row.arity = arity;
    row.flags = command.write ? cmd::kWrite : cmd::kReadonly;
    if (spec.begin != cmd::KeySpec::Begin::Unknown) row.key_specs = {&entry->key_spec, 1};
    row.key_rule = row.key_specs.empty() ? cmd::KeyRule::None : cmd::KeyRule::KeySpecs;
    row.policy = cmd::Policy::Script;
    row.script = entry->name;
    row.custom = true;
    entries_.push_back(std::move(entry));
  }
}

const ScriptCommands::Entry* ScriptCommands::find(std::string_view name) const {
  for (const auto& entry : entries_) {
    if (entry->name.size() == name.size() &&
        std::equal(name.begin(), name.end(), entry->name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      return entry.get();
    }
  }
  return nullptr;
}

}  // namespace stdnet::proxy
