#include "proxy/script_call.h"

#include "proxy/client.h"
#include "resp/encode.h"

namespace stdnet::proxy {

void append_script_load(std::string& out, std::string_view source) {
  resp::append_command(out, {"SCRIPT", "LOAD", source});
}

void ScriptCall::send(ClientSession& client, BackendConnection& backend, std::uint64_t seq,
                      cmd::ReplyRule rule, std::string_view request, std::string_view source,
                      std::shared_ptr<const void> keepalive) {
  auto* call = new ScriptCall(client, backend, seq, rule, request, source, std::move(keepalive));
  backend.out().append(request);
  backend.expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, call});
}

void ScriptCall::on_reply(std::string_view reply, char type) {
  --awaiting_;
  if (type == '-' && !retried_ && reply.starts_with("-NOSCRIPT")) {
    // Reload and retry once. Both go after whatever is already queued on the connection.
    retried_ = true;
    if (!backend_.accepting()) {
      client_.on_backend_error(PendingReply{&client_, seq_, rule_},
                               backend_.unavailable_error());
      delete this;
      return;
    }
    append_script_load(backend_.out(), source_);
    backend_.expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, this});
    backend_.out().append(request_);
    backend_.expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, this});
    awaiting_ += 2;
    return;
  }
  if (retried_ && awaiting_ == 1) {
    // The SCRIPT LOAD reply: a script that does not compile is reported as such.
    if (type == '-') load_error_ = std::string(reply);
    return;
  }
  client_.on_backend_reply(PendingReply{&client_, seq_, rule_},
                           load_error_.empty() ? reply : std::string_view(load_error_));
  delete this;
}

void ScriptCall::on_failure(std::string_view message) {
  if (--awaiting_ > 0) return;  // the last of this call's entries reports
  client_.on_backend_error(PendingReply{&client_, seq_, rule_}, message);
  delete this;
}

}  // namespace stdnet::proxy
