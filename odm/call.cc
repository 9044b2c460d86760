// The ODM commands as script calls (odm/PROTOCOL.md).
#include "odm/call.h"

#include <charconv>
#include <cstddef>
#include <cstdint>

#include "resp/encode.h"

namespace stdnet::odm {
namespace {

enum class Layout {
  Model,     // ODM.COMMIT M …:               KEYS = P.M;          ARGV = P, args[2…]
  KeyModel,  // ODM.QUERY/LOAD/DELETE/AGGREGATE key M …: KEYS = P.M, P.key; ARGV = P, args[3…]
  Keys,      // ODM.MOVE2SET s|z key…:         KEYS = P.key…;       ARGV = P, s|z
};

struct Spec {
  std::string_view name;  // lower case, as in the command table
  Layout layout;
  std::size_t min_args;  // including the command name
  bool exact;            // exactly min_args arguments
  bool pairs;            // the arguments after min_args - 2 come in pairs (ODM.QUERY's lookups)
};

constexpr Spec kSpecs[] = {
    {"odm.commit", Layout::Model, 4, false, false},
    {"odm.query", Layout::KeyModel, 7, false, true},
    {"odm.load", Layout::KeyModel, 5, true, false},
    {"odm.delete", Layout::KeyModel, 4, true, false},
    {"odm.aggregate", Layout::KeyModel, 5, true, false},
    {"odm.move2set", Layout::Keys, 3, false, false},
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

const Spec* find_spec(std::string_view name) {
  for (const Spec& spec : kSpecs) {
    if (iequals(name, spec.name)) return &spec;
  }
  return nullptr;
}

bool count_ok(const Spec& spec, std::size_t argc) {
  if (argc < spec.min_args) return false;
  if (spec.exact) return argc == spec.min_args;
  // ODM.QUERY: dest M meta field, then lookup/value pairs.
  if (spec.pairs) return (argc - (spec.min_args - 2)) % 2 == 0;
  return true;
}

void append_count(std::string& out, std::size_t n) {
  char buf[24];
  char* end = std::to_chars(buf, buf + sizeof(buf), static_cast<std::uint64_t>(n)).ptr;
  resp::append_bulk(out, std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

}  // namespace

std::string build_call(std::span<const std::string_view> args, std::string_view prefix,
                       std::string_view sha1, std::string& out) {
  if (args.empty()) return "ERR stdnet: empty ODM command";
  const Spec* spec = find_spec(args[0]);
  if (spec == nullptr) {
    return "ERR stdnet: '" + std::string(args[0].substr(0, 128)) +
           "' is not an ODM command (ODM.COMMIT, ODM.QUERY, ODM.LOAD, ODM.DELETE, ODM.AGGREGATE, "
           "ODM.MOVE2SET)";
  }
  const std::size_t argc = args.size();
  if (!count_ok(*spec, argc)) {
    return "ERR wrong number of arguments for '" + std::string(spec->name) + "' command";
  }
  // Every layout has 3 + (argc - 1) + 1 elements: EVALSHA sha numkeys, the arguments (command
  // name dropped), the prefix as ARGV[1].
  resp::append_array_header(out, static_cast<std::int64_t>(argc + 3));
  resp::append_bulk(out, "EVALSHA");
  resp::append_bulk(out, sha1);
  switch (spec->layout) {
    case Layout::Model:
      append_count(out, 1);
      resp::append_bulk(out, prefix, args[1]);
      resp::append_bulk(out, prefix);
      for (std::size_t i = 2; i < argc; ++i) resp::append_bulk(out, args[i]);
      break;
    case Layout::KeyModel:
      append_count(out, 2);
      resp::append_bulk(out, prefix, args[2]);  // B = P.M first
      resp::append_bulk(out, prefix, args[1]);  // then dest / key
      resp::append_bulk(out, prefix);
      for (std::size_t i = 3; i < argc; ++i) resp::append_bulk(out, args[i]);
      break;
    case Layout::Keys:
      append_count(out, argc - 2);
      for (std::size_t i = 2; i < argc; ++i) resp::append_bulk(out, prefix, args[i]);
      resp::append_bulk(out, prefix);
      resp::append_bulk(out, args[1]);
      break;
  }
  return {};
}

}  // namespace stdnet::odm
