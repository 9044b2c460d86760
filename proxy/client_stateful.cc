// Stateful clients (SPEC §3): MULTI/EXEC/WATCH, blocking commands, pub/sub, client tracking get a
// backend connection of their own (pinned) for as long as they need it, from the worker's pool;
// it goes back (RESET) when the state ends, or is closed when it cannot be cleaned.
#include <algorithm>
#include <cctype>

#include "proxy/backend.h"
#include "proxy/client.h"
#include "proxy/worker.h"
#include "resp/encode.h"
#include "resp/reply.h"

namespace stdnet::proxy {

using cmd::iequals;
namespace {


bool is_subscribe_kind(std::string_view kind) {
  return kind == "subscribe" || kind == "psubscribe" || kind == "ssubscribe" ||
         kind == "unsubscribe" || kind == "punsubscribe" || kind == "sunsubscribe";
}

bool is_message_kind(std::string_view kind) {
  return kind == "message" || kind == "pmessage" || kind == "smessage";
}

// XREAD/XREADGROUP block only with BLOCK (an option before STREAMS).
bool has_block_option(std::span<const std::string_view> args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (iequals(args[i], "STREAMS")) return false;
    if (iequals(args[i], "BLOCK")) return true;
  }
  return false;
}

}  // namespace

bool ClientSession::needs_pin() const {
  return in_multi_ || watching_ || blocking_ > 0 || pubsub_active() || tracking_;
}

bool ClientSession::pubsub_active() const {
  return pubsub_expected_ > 0 || subscriptions_ > 0 || shard_subscriptions_ > 0;
}

bool ClientSession::handle_stateful(const cmd::Command& command, const resp::Request& request) {
  const std::string_view name = command.name;
  const auto args = request.args;
  if (name == "client|reply") {
    handle_client_reply(args);
    return true;
  }
  const bool blocking = (command.flags & cmd::kBlocking) != 0 || name == "wait";
  if ((name == "xread" || name == "xreadgroup") && !has_block_option(args)) {
    forward(command, request);
    return true;
  }
  if (pinned_ == nullptr) {
    if (name == "exec" || name == "discard" || name == "unwatch") {
      forward(command, request);  // nothing to end: the backend answers as Redis does
      return true;
    }
    if (backend_refs_ > 0 || job_running_) return false;  // wait: keep the client's order
    pinned_ = worker_.acquire_pinned(this, protocol_, db_, acl_user());
  }
  Expect expect = blocking && !in_multi_ ? Expect::Blocking : Expect::Reply;
  if (name == "multi") {
    forward(command, request);
    in_multi_ = true;
    return true;
  }
  if (name == "exec" || name == "discard") {
    in_multi_ = false;
    watching_ = false;
    if (name == "exec") {
      exec_rules_.push_back(std::move(multi_rules_));
    }
    multi_rules_.clear();
    forward(command, request);
    return true;
  }
  if (name == "watch") {
    if (!in_multi_) watching_ = true;
  } else if (name == "unwatch") {
    watching_ = false;
  } else if (name == "client|tracking") {
    // REDIRECT names a client by the id the proxy gave it: the backend needs the Redis id of that
    // client's own (pinned) connection, which must be of the same namespace.
    for (std::size_t i = 3; i + 1 < args.size(); ++i) {
      if (!iequals(args[i], "REDIRECT")) continue;
      std::int64_t target_id = 0;
      ClientSession* target = resp::parse_int64(args[i + 1], target_id) && target_id > 0
                                  ? worker_.find_client(static_cast<std::uint64_t>(target_id))
                                  : nullptr;
      if (target == nullptr || target->ns_ != ns_ || target->pinned_ == nullptr ||
          target->pinned_->redis_client_id() == 0) {
        reply_error("ERR The client ID you want redirect to does not exist");
        return true;
      }
      std::vector<std::string_view> rewritten(args.begin(), args.end());
      const std::string redis_id = std::to_string(target->pinned_->redis_client_id());
      rewritten[i + 1] = redis_id;
      resp::Request copy;
      copy.args = rewritten;
      copy.is_inline = true;  // re-encoded from args
      tracking_ = args.size() > 2 && iequals(args[2], "ON");
      forward(command, copy, expect);
      return true;
    }
    tracking_ = args.size() > 2 && iequals(args[2], "ON");
  } else if (command.reply_rule == cmd::ReplyRule::PubSub && !in_multi_) {
    // The confirmations arrive as pushes (one per channel; one when there is none to leave).
    const bool leave = name.find("unsubscribe") != std::string_view::npos;
    std::size_t count = args.size() - 1;
    if (leave && count == 0) {
      count = std::max<std::size_t>(1, name == "sunsubscribe"
                                           ? shard_subscriptions_
                                           : subscriptions_);
    }
    pubsub_expected_ += count;
    forward(command, request, Expect::None);
    return true;
  }
  forward(command, request, expect);
  if (expect == Expect::Blocking) ++blocking_;
  return true;
}

// Pushes on the pinned connection: RESP3 '>' frames, and in RESP2 the subscribed-mode arrays
// (messages and (un)subscribe confirmations). They bypass the request order, as with Redis.
bool ClientSession::take_push(std::string_view reply, char type) {
  bool push = type == '>';
  if (!push && type == '*' && pubsub_active()) {
    if (resp::parse_reply(reply, reply_nodes_) && reply_nodes_.size() > 1 &&
        (reply_nodes_[1].type == '$' || reply_nodes_[1].type == '+')) {
      std::string_view kind = reply_nodes_[1].data;
      push = is_subscribe_kind(kind) || is_message_kind(kind);
    }
  }
  if (!push) return false;
  if (resp::parse_reply(reply, reply_nodes_) && reply_nodes_.size() >= 4 &&
      (reply_nodes_[1].type == '$' || reply_nodes_[1].type == '+')) {
    std::string_view kind = reply_nodes_[1].data;
    if (is_subscribe_kind(kind)) {
      std::int64_t count = 0;
      const resp::ReplyNode& last = reply_nodes_.back();
      if (last.type == ':') resp::parse_int64(last.data, count);
      if (kind == "psubscribe" || kind == "punsubscribe") {
        const resp::ReplyNode& pattern = reply_nodes_[2];
        if (pattern.type == '$') {
          std::string stripped(strip_prefix(pattern.data, prefix_));
          if (kind == "psubscribe") {
            patterns_.insert(std::move(stripped));
          } else {
            patterns_.erase(stripped);
          }
        }
      }
      if (kind[0] == 's' || kind.starts_with("sun")) {
        shard_subscriptions_ = static_cast<std::size_t>(std::max<std::int64_t>(0, count));
      } else {
        subscriptions_ = static_cast<std::size_t>(std::max<std::int64_t>(0, count));
      }
      if (pubsub_expected_ > 0) --pubsub_expected_;
    }
  }
  if (closing_ || handle_closed_) return true;
  std::string out;
  if (rewrite_reply(cmd::ReplyRule::PubSub, reply, prefix_, protocol_, out, reply_nodes_)) {
    writer_.pending().append(out);
    worker_.mark_dirty(this);
  }
  maybe_unpin();
  return true;
}

// After every reply: leave the pinned connection when the state is over, and let a request that
// waits for the replies in flight go on.
void ClientSession::maybe_unpin() {
  if (backend_refs_ > 0 || job_running_) return;
  if (pinned_ != nullptr && !needs_pin()) {
    worker_.release_pinned(pinned_, pinned_->idle());
    pinned_ = nullptr;
  }
  if (waiting_for_drain_) {
    waiting_for_drain_ = false;
    worker_.mark_dirty(this);
  }
}

void ClientSession::release_pinned_for_close() {
  if (pinned_ == nullptr) return;
  BackendConnection* pinned = pinned_;
  pinned_ = nullptr;
  const bool clean = pinned->idle() && !pubsub_active() && !tracking_ && blocking_ == 0;
  worker_.release_pinned(pinned, clean);
}

// The pinned connection failed: its state (transaction, subscriptions, tracking) is gone. A
// client that relied on pushes is disconnected, as Redis itself would have dropped it.
void ClientSession::pinned_lost(BackendConnection* backend) {
  if (pinned_ != backend) return;
  const bool had_pushes = pubsub_active() || tracking_;
  pinned_ = nullptr;
  in_multi_ = watching_ = tracking_ = false;
  blocking_ = 0;
  pubsub_expected_ = subscriptions_ = shard_subscriptions_ = 0;
  patterns_.clear();
  multi_rules_.clear();
  exec_rules_.clear();
  worker_.release_pinned(backend, false);
  if (had_pushes && !closing_) close_after_reply();
}

void ClientSession::forget_queued(std::uint64_t seq) {
  auto drop = [seq](std::vector<std::pair<std::uint64_t, cmd::ReplyRule>>& rules) {
    std::erase_if(rules, [seq](const auto& entry) { return entry.first == seq; });
  };
  drop(multi_rules_);
  for (auto& rules : exec_rules_) drop(rules);
}

// CLIENT REPLY ON|OFF|SKIP, done by the proxy: the replies are still read from the backend (so
// the connection stays in step) and dropped before the client.
void ClientSession::handle_client_reply(std::span<const std::string_view> args) {
  if (iequals(args[2], "ON")) {
    reply_off_ = false;
    skip_next_reply_ = false;
    std::string out;
    resp::append_simple(out, "OK");
    reply(out);
  } else if (iequals(args[2], "OFF")) {
    reply_off_ = true;
  } else if (iequals(args[2], "SKIP")) {
    if (!reply_off_) skip_next_reply_ = true;
    return;
  } else {
    reply_error("ERR syntax error");
  }
}

// EVALSHA <sha> … → EVAL <source> …, for scripts queued inside MULTI.
void ClientSession::to_eval(std::string_view evalsha, std::string_view source, std::string& out) {
  // evalsha: *N\r\n$7\r\nEVALSHA\r\n$40\r\n<40 hex>\r\n<rest>
  const std::size_t header_end = evalsha.find("\r\n") + 2;
  const std::size_t sha_end = header_end + 13 /*$7 EVALSHA*/ + 5 /*$40\r\n*/ + 40 + 2;
  out.append(evalsha.substr(0, header_end));
  resp::append_bulk(out, "EVAL");
  resp::append_bulk(out, source);
  out.append(evalsha.substr(sha_end));
}

}  // namespace stdnet::proxy
