// The Redis ACL users that namespaces with a `backend_user` need (stdnetd --print-acl): each may
// touch only its namespace's keys and channels, and no admin or dangerous command.
#pragma once
#include <string>

#include "config/config.h"

namespace stdnet::proxy {

// One `ACL SETUSER …` line per namespace with a backend_user (redis-cli syntax), or "" when none.
std::string acl_setuser_lines(const config::Config& config);

}  // namespace stdnet::proxy
