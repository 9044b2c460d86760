// The ODM commands as script calls: argument layout of odm/PROTOCOL.md (pure, no I/O).
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace stdnet::odm {

// Builds the backend call of one ODM command (ODM.COMMIT, ODM.QUERY, ODM.LOAD, ODM.DELETE,
// ODM.AGGREGATE, ODM.MOVE2SET; the name in args[0] is case-insensitive):
//
//   EVALSHA <sha1> <numkeys> KEYS… ARGV…
//
// with KEYS[1] = prefix + M, then the command's other keys (dest / key) prefixed, and ARGV[1] =
// prefix followed by the command's remaining arguments in order (see odm/PROTOCOL.md, "Command
// table summary"). ODM.MOVE2SET has no model key: KEYS = prefix + each key, ARGV = prefix, s|z.
//
// On success appends the complete RESP multibulk to `out` and returns "". Otherwise returns the
// error to reply, with its code (e.g. "ERR wrong number of arguments for 'odm.query' command"),
// and leaves `out` unchanged. Only the argument counts are checked here; the scripts check the
// arguments themselves (meta, records, lookups, options) before writing anything.
std::string build_call(std::span<const std::string_view> args, std::string_view prefix,
                       std::string_view sha1, std::string& out);

}  // namespace stdnet::odm
