#include "proxy/acl.h"

#include "proxy/namespacer.h"

namespace stdnet::proxy {
namespace {

// redis-cli argument quoting: double quotes with backslash escapes.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::string acl_setuser_lines(const config::Config& config) {
  std::string out;
  for (const config::Namespace& ns : config.namespaces) {
    if (!ns.backend_user) continue;
    std::string pattern;
    append_glob_escaped(pattern, config.backend.url.namespace_prefix + ns.prefix);
    pattern.push_back('*');
    // SORT is @dangerous only because it can read any key; ACL key patterns confine it here.
    out += "ACL SETUSER " + quoted(ns.backend_user->name) + " reset on " +
           quoted(">" + ns.backend_user->password) + " " + quoted("~" + pattern) + " " +
           quoted("&" + pattern) + " +@all -@admin -@dangerous +sort +sort_ro\n";
  }
  return out;
}

}  // namespace stdnet::proxy
