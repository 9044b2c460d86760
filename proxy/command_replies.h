// The proxy's own replies to COMMAND and its subcommands (COUNT, INFO, DOCS, LIST, GETKEYS,
// GETKEYSANDFLAGS, HELP), generated from the command table (resp/commands.h). Pure: no I/O, no
// libuv; uses only stdnet_resp.
//
// The replies have Redis 7.0.15's shape byte for byte where the table holds the same data:
//   - COMMAND / COMMAND INFO: one 10-element array per command (name, arity, flags, first key,
//     last key, step, ACL categories, tips, key specs, subcommands). Flags and categories are
//     status replies, tips/flags/categories/key specs are sets in RESP3, key specs and their
//     begin_search/find_keys parts are maps (flat arrays in RESP2). Container commands list their
//     subcommands (field 10) sorted by name, where Redis uses its hash-table order.
//   - COMMAND DOCS: summary, since, group, complexity, doc_flags (deprecated), deprecated_since,
//     replaced_by and subcommands. The table has no argument lists or history, so those fields
//     are left out.
//   - The stdnet custom commands (ZPOPBYRANK, KEYINFO, ODM.*, …) are listed like built-ins, with
//     their key specs.
//   - COMMAND GETKEYS / GETKEYSANDFLAGS find the keys as Redis 7.0 does: key specs first, then,
//     where Redis falls back to the command's own key finder, the same rules (numkeys family read
//     with atoi, SET/BITFIELD flags, SORT's last STORE, MIGRATE … KEYS). The custom commands' keys
//     come from cmd::find_keys, with the flags of their key specs. Keys are printed as the client
//     wrote them: no backend round trip, no namespace prefix.
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace stdnet::proxy {

// The complete RESP reply (bytes, errors included) to a COMMAND request. args[0] is "COMMAND" as
// the client sent it, args[1] the subcommand if any; `protocol` is 2 or 3 (anything else: 2).
// Errors are Redis's: unknown subcommand, wrong number of arguments for 'command|…', syntax
// error (LIST), and GETKEYS's "Invalid command specified", "The command has no key arguments",
// "Invalid number of arguments specified for command", "Invalid arguments specified for command".
std::string command_reply(std::span<const std::string_view> args, int protocol);

}  // namespace stdnet::proxy
