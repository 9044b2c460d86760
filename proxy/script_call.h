// A custom command run as a preloaded script: EVALSHA on the client's backend connection. When the
// backend answers NOSCRIPT (its script cache was flushed, or it restarted behind us), the script is
// loaded again and the same EVALSHA retried once, transparently; the client sees only the result.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "proxy/backend.h"

namespace stdnet::proxy {

class ClientSession;

class ScriptCall final : public ReplyHandler {
 public:
  // `request`: the EVALSHA request as sent. `source`: the script, for SCRIPT LOAD on NOSCRIPT.
  // `keepalive` owns `source` when it is not static (an operator script of a config snapshot).
  static void send(ClientSession& client, BackendConnection& backend, std::uint64_t seq,
                   cmd::ReplyRule rule, std::string_view request, std::string_view source,
                   std::shared_ptr<const void> keepalive = nullptr);

  void on_reply(std::string_view reply, char type) override;
  void on_failure(std::string_view message) override;

 private:
  ScriptCall(ClientSession& client, BackendConnection& backend, std::uint64_t seq,
             cmd::ReplyRule rule, std::string_view request, std::string_view source,
             std::shared_ptr<const void> keepalive)
      : client_(client), backend_(backend), seq_(seq), rule_(rule), request_(request),
        source_(source), keepalive_(std::move(keepalive)) {}

  ClientSession& client_;
  BackendConnection& backend_;
  const std::uint64_t seq_;
  const cmd::ReplyRule rule_;
  const std::string request_;
  const std::string_view source_;  // static storage (embedded) or kept by keepalive_
  const std::shared_ptr<const void> keepalive_;
  std::string load_error_;         // the SCRIPT LOAD of a retry failed (does not compile)
  int awaiting_ = 1;               // replies still expected (2 while SCRIPT LOAD + retry run)
  bool retried_ = false;
};

// Appends SCRIPT LOAD <source> to `out`.
void append_script_load(std::string& out, std::string_view source);

}  // namespace stdnet::proxy
