#include "proxy/client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "lua/scripts.h"
#include "odm/call.h"
#include "proxy/backend.h"
#include "proxy/namespacer.h"
#include "proxy/scan_job.h"
#include "proxy/script_call.h"
#include "proxy/script_commands.h"
#include "proxy/worker.h"
#include "resp/encode.h"

namespace stdnet::proxy {

using cmd::iequals;
namespace {

// Stop reading from a client whose replies pile up (slow reader) or that has too many requests in
// flight (deep pipeline): memory stays bounded, and the client simply waits.
constexpr std::uint64_t kMaxInFlight = 8192;
constexpr std::size_t kMaxQueuedOutput = 8 * 1024 * 1024;
constexpr std::size_t kMinReadSize = 16 * 1024;
constexpr std::uint64_t kStuckOutputMs = 30 * 1000;

// Error texts quote the client's arguments: CR and LF become spaces (as Redis does), so the
// reply stays one line.
void append_printable(std::string& out, std::string_view text) {
  for (char c : text) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
}

}  // namespace

ClientSession::ClientSession(Worker& worker, StreamHandle* stream, const ListenerInfo& listener)
    : worker_(worker),
      id_(worker.next_client_id()),
      stream_(stream),
      listener_(listener),
      parser_(resp::Limits{}),
      config_(worker.config()) {
  stream_->set_owner(this);
}

bool ClientSession::set_namespace(const config::Namespace* ns) {
  if (ns != nullptr && (ns_ == nullptr || ns_->name != ns->name)) {
    if (!worker_.limits().try_enter(ns->name, ns->maxclients)) return false;
  }
  if (ns_ != nullptr && (ns == nullptr || ns_->name != ns->name)) worker_.limits().leave(ns_->name);
  if (ns_ != nullptr) worker_.metrics().namespace_left(ns_slot_);
  ns_slot_ = ns != nullptr ? worker_.metrics().namespace_slot(ns->name) : Metrics::kNoNamespace;
  if (ns != nullptr) worker_.metrics().namespace_joined(ns_slot_);
  ns_ = ns;
  prefix_.clear();
  if (ns_ != nullptr) {
    prefix_ = config_->backend.url.namespace_prefix + ns_->prefix;
    db_ = ns_->database.value_or(config_->backend.url.db);
  }
  parser_.set_authenticated(ns_ != nullptr);
  return true;
}

void ClientSession::start() {
  worker_.client_opened(this);
  last_activity_ms_ = uv_now(worker_.loop());
  if (!listener_.default_namespace.empty() &&
      !set_namespace(config_->find_namespace(listener_.default_namespace))) {
    worker_.metrics().add(Counter::ConnectionsRejected);
    reply_error("ERR max number of clients reached for namespace '" + listener_.default_namespace +
                "'");
    close_after_reply();
    return;
  }
  resume_reading();
}

void ClientSession::client_log(spdlog::level::level_enum level, const std::string& message) {
  std::uint64_t suppressed = 0;
  if (!worker_.client_log_limiter().allow(uv_now(worker_.loop()), suppressed)) return;
  if (suppressed > 0) {
    worker_.log().log(level, "client {}: {} ({} similar client message(s) suppressed)", id_,
                      message, suppressed);
  } else {
    worker_.log().log(level, "client {}: {}", id_, message);
  }
}

void ClientSession::config_changed(const std::shared_ptr<const config::Config>& config) {
  if (closing_) return;
  shared_ = {};  // its user pointer points into the old config
  if (ns_ == nullptr) {
    config_ = config;
    return;
  }
  const config::Namespace* ns = config->find_namespace(ns_->name);
  if (ns == nullptr) {
    worker_.log().info("client {}: namespace '{}' was removed by the reload; closing", id_,
                       ns_->name);
    worker_.limits().leave(ns_->name);
    worker_.metrics().namespace_left(ns_slot_);
    ns_ = nullptr;
    close();
    return;
  }
  config_ = config;
  ns_ = ns;
  prefix_ = config_->backend.url.namespace_prefix + ns_->prefix;
}

void ClientSession::sweep(std::uint64_t now_ms) {
  if (closing_) return;
  const config::ServerConfig& server = config_->server;
  // A client whose replies pile up (it does not read) is disconnected after a grace period.
  if (writer_.queued() >= kMaxQueuedOutput) {
    if (output_stuck_since_ms_ == 0) {
      output_stuck_since_ms_ = now_ms;
    } else if (now_ms - output_stuck_since_ms_ > kStuckOutputMs) {
      client_log(spdlog::level::warn, "disconnected: " + std::to_string(writer_.queued()) +
                                          " bytes of replies unread for " +
                                          std::to_string(kStuckOutputMs / 1000) + " s");
      close();
      return;
    }
  } else {
    output_stuck_since_ms_ = 0;
  }
  // Idle timeout, as Redis's `timeout`: not for blocked or subscribed clients.
  if (server.timeout_seconds > 0 && blocking_ == 0 && !pubsub_active() && backend_refs_ == 0 &&
      now_ms - last_activity_ms_ > static_cast<std::uint64_t>(server.timeout_seconds * 1000)) {
    worker_.log().debug("client {}: idle timeout", id_);
    close();
  }
}

void ClientSession::resume_reading() {
  if (reading_ || closing_) return;
  reading_ = true;
  paused_ = false;
  uv_read_start(
      stream_->get(),
      [](uv_handle_t* h, std::size_t suggested, uv_buf_t* buf) {
        auto* self = static_cast<ClientSession*>(h->data);
        if (self->input_.empty()) {
          *buf = uv_buf_init(self->worker_.scratch_read_buffer(), Worker::kScratchSize);
        } else {
          std::size_t want = std::max(suggested, kMinReadSize);
          char* tail = self->input_.reserve_tail(want);
          *buf = uv_buf_init(tail, static_cast<unsigned>(self->input_.tail_room()));
        }
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
        static_cast<ClientSession*>(s->data)->on_read(nread, buf);
      });
}

void ClientSession::pause_reading() {
  if (!reading_) return;
  uv_read_stop(stream_->get());
  reading_ = false;
  paused_ = true;
}

void ClientSession::on_read(ssize_t nread, const uv_buf_t* buf) {
  if (nread == 0) return;
  if (nread < 0) {
    if (nread != UV_EOF) worker_.log().debug("client {}: read error: {}", id_, uv_strerror(nread));
    // The client is gone: replies still in flight are dropped as they arrive.
    close();
    return;
  }
  worker_.refresh_clock();
  worker_.metrics().add(Counter::NetInputBytes, static_cast<std::uint64_t>(nread));
  last_activity_ms_ = uv_now(worker_.loop());
  if (buf->base == worker_.scratch_read_buffer()) {
    std::string_view data(buf->base, static_cast<std::size_t>(nread));
    std::size_t used = process(data);
    if (used < data.size() && !closing_) input_.append(data.substr(used));
  } else {
    input_.commit(static_cast<std::size_t>(nread));
    input_.consume(process(input_.view()));
  }
  const std::uint64_t query_limit = config_->server.client_query_buffer_limit;
  if (query_limit != 0 && input_.size() > query_limit && !closing_) {
    client_log(spdlog::level::warn, "query buffer over client_query_buffer_limit (" +
                                        std::to_string(query_limit) + " bytes); closing");
    reply_error("ERR stdnet: request larger than client_query_buffer_limit; closing");
    close_after_reply();
    input_.release();
  }
  if (closing_) input_.release();
}

std::size_t ClientSession::process(std::string_view input) {
  std::size_t offset = 0;
  while (offset < input.size() && !closing_ && !close_when_done_) {
    if (backpressured()) {
      pause_reading();
      break;
    }
    resp::ParseStatus status = parser_.parse(input.substr(offset));
    if (status == resp::ParseStatus::NeedMore) break;
    if (status == resp::ParseStatus::Error) {
      worker_.metrics().add(Counter::ProtocolErrors);
      current_slot_ = Metrics::kUnknownCommand;
      request_start_ = worker_.clock_ns();
      client_log(spdlog::level::info, std::string(parser_.error()) + "; closing the connection");
      reply_error(std::string("ERR ") + std::string(parser_.error()));
      close_after_reply();
      return input.size();
    }
    if (!handle_request(parser_.request())) {
      // The request changes which backend connection serves this client: it waits (unparsed)
      // until every reply in flight has come, so the client's requests keep their order.
      parser_.reset();
      waiting_for_drain_ = true;
      pause_reading();
      break;
    }
    offset += parser_.consumed();
  }
  return offset;
}

bool ClientSession::backpressured() const {
  return job_running_ || waiting_for_drain_ || next_seq_ - next_deliver_ >= kMaxInFlight ||
         writer_.queued() >= kMaxQueuedOutput;
}

void ClientSession::job_started() {
  job_running_ = true;
  ++backend_refs_;
}

void ClientSession::job_finished(std::uint64_t seq, std::string_view reply) {
  job_running_ = false;
  --backend_refs_;
  if (handle_closed_ || closing_) {
    maybe_destroy();
    return;
  }
  deliver(seq, reply);
  maybe_unpin();
}

bool ClientSession::handle_request(const resp::Request& request) {
  if (request.args.empty()) return true;  // blank inline line, *0, *-1
  // Operator-defined script commands first, then the generated table.
  const ScriptCommands::Entry* op = worker_.script_commands().find(request.args[0]);
  const cmd::Command* command = op != nullptr ? &op->row : cmd::lookup(request.args);
  current_slot_ = worker_.metrics().command_slot(command);
  request_start_ = worker_.clock_ns();
  if (command == nullptr) {
    std::string message = "ERR unknown command '";
    append_printable(message, request.args[0].substr(0, 128));
    message.append("', with args beginning with: ");
    for (std::size_t i = 1; i < request.args.size() && message.size() < 512; ++i) {
      message.append("'");
      append_printable(message, request.args[i].substr(0, 128));
      message.append("' ");
    }
    refuse(message);
    return true;
  }
  if (!cmd::arity_ok(*command, request.args.size())) {
    refuse("ERR wrong number of arguments for '" + std::string(command->name) + "' command");
    return true;
  }
  if (cmd::is_container(*command) && command->name != "command" && request.args.size() > 1) {
    std::string container(command->name);
    for (char& c : container) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string message = "ERR unknown subcommand '";
    append_printable(message, request.args[1].substr(0, 128));
    refuse(message + "'. Try " + container + " HELP.");
    return true;
  }
  if (ns_ == nullptr && command->policy != cmd::Policy::Local) {
    refuse("NOAUTH Authentication required.");
    return true;
  }
  const std::string_view name = command->name;
  switch (command->policy) {
    case cmd::Policy::Local:
      // In a transaction or in RESP2 subscribed mode, PING and ECHO are the backend's to answer,
      // in order with the rest.
      if (pinned_ != nullptr && (in_multi_ || pubsub_active()) &&
          (name == "ping" || name == "echo")) {
        forward(*command, request);
        return true;
      }
      if (in_multi_ && name != "quit" && name != "reset") {
        refuse("ERR stdnet: '" + std::string(name) + "' cannot be queued in a transaction");
        return true;
      }
      return handle_local(*command, request.args);
    case cmd::Policy::Forward:
      if (!database_allowed(*command, request.args)) return true;
      if (!command->script.empty() && wants_script(*command, request.args)) {
        forward_script(*command, request);
      } else {
        forward(*command, request);
      }
      return true;
    case cmd::Policy::Script:
      forward_script(*command, request);
      return true;
    case cmd::Policy::Trusted:
    case cmd::Policy::RawScript:
      if (ns_->trusted || (command->policy == cmd::Policy::RawScript && ns_->backend_user)) {
        forward(*command, request);
      } else {
        refuse("ERR stdnet: '" + std::string(name) + "' is not allowed for namespace '" +
               ns_->name +
               "' (it could reach other tenants' data); mark the namespace trusted = true "
               "in the config to allow it" +
               std::string(command->policy == cmd::Policy::RawScript
                               ? ", or give it a backend_user (a Redis ACL user limited to its "
                                 "keys; see stdnetd --print-acl)"
                               : ""));
      }
      return true;
    case cmd::Policy::Emulate:
      if (name == "scan") {  // one step: the namespacer confines it with MATCH <prefix>*
        forward(*command, request);
        return true;
      }
      if (in_multi_) {
        refuse("ERR stdnet: '" + std::string(name) +
               "' walks the keyspace in steps and cannot run inside a transaction");
        return true;
      }
      // With a backend ACL user, the scan runs on a privileged connection: the client's requests
      // in flight on its own connections finish first.
      if (ns_->backend_user && (backend_refs_ > 0 || job_running_)) return false;
      handle_emulated(*command, request);
      return true;
    case cmd::Policy::Stateful:
      return handle_stateful(*command, request);
    case cmd::Policy::Refuse:
      refuse("ERR stdnet: '" + std::string(name) + "' is refused: it would cross tenants");
      return true;
  }
  return true;
}

// A refusal made by the proxy. Inside MULTI the transaction must then fail at EXEC, as it does
// when Redis itself refuses a command at queue time: a command with a wrong arity is queued on
// the backend in its place (its own error is not shown).
void ClientSession::refuse(std::string_view message) {
  if (in_multi_ && pinned_ != nullptr && pinned_->accepting()) {
    resp::append_command(pinned_->out(), {"GET"});
    pinned_->expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, &discard_reply_});
  }
  reply_error(message);
}

BackendConnection* ClientSession::route(bool privileged) {
  // The proxy's own scans never run as the tenant's ACL user (unless the client is pinned).
  const config::BackendUser* user = privileged ? nullptr : acl_user();
  BackendConnection* backend = pinned_;
  if (backend == nullptr) {
    // The worker's shared pools live as long as it does: remember the last one looked up.
    if (shared_.backend == nullptr || shared_.protocol != protocol_ || shared_.db != db_ ||
        shared_.user != user) {
      shared_ = {&worker_.backend_for(id_, protocol_, db_, user), protocol_, db_, user};
    }
    backend = shared_.backend;
  }
  if (!backend->accepting()) {
    reply_error(backend->unavailable_error());
    return nullptr;
  }
  return backend;
}

std::uint64_t ClientSession::take_seq() {
  observe_.emplace_back(current_slot_, request_start_);
  std::uint64_t seq = next_seq_++;
  if (reply_off_ || skip_next_reply_) {
    silenced_.insert(seq);
    skip_next_reply_ = false;
  }
  return seq;
}

void ClientSession::forward(const cmd::Command& command, const resp::Request& request,
                            Expect expect) {
  BackendConnection* backend = route();
  if (backend == nullptr) return;
  std::string& out = backend->out();
  const std::size_t mark = out.size();
  if (prefix_.empty() && !request.is_inline) {
    out.append(request.raw);
  } else {
    std::string error = rewrite_request(command, request, prefix_, out, key_refs_);
    if (!error.empty()) {
      out.resize(mark);
      refuse(error);
      return;
    }
  }
  if (expect == Expect::None) {  // (un)subscribe: the confirmations come as pushes
    backend->mark_dirty();
    return;
  }
  PendingReply pending{this, take_seq(), command.reply_rule};
  pending.blocking = expect == Expect::Blocking;
  if (in_multi_ && command.name != "exec" && command.name != "discard" && command.name != "multi") {
    pending.queued = true;
    multi_rules_.push_back({pending.seq, pending.rule});
    pending.rule = cmd::ReplyRule::Raw;  // +QUEUED
  }
  backend->expect(pending);
  ++backend_refs_;
}

void ClientSession::handle_emulated(const cmd::Command& command, const resp::Request& request) {
  const std::string_view name = command.name;
  if (prefix_.empty() && ns_->trusted && name != "countpattern" && name != "delpattern" &&
      name != "keyinfo") {
    forward(command, request);  // plain pass-through: the backend's own command is right
    return;
  }
  std::string match;
  append_glob_escaped(match, prefix_);
  ScanJob::Kind kind;
  bool ok_reply = false;
  if (name == "keys" || name == "countpattern" || name == "delpattern") {
    match.append(request.args[1]);
    kind = name == "keys"           ? ScanJob::Kind::Keys
           : name == "countpattern" ? ScanJob::Kind::Count
                                    : ScanJob::Kind::Delete;
  } else if (name == "dbsize") {
    match.push_back('*');
    kind = ScanJob::Kind::Count;
  } else if (name == "randomkey") {
    match.push_back('*');
    kind = ScanJob::Kind::RandomKey;
  } else if (name == "keyinfo") {
    handle_keyinfo(request.args, std::move(match));
    return;
  } else if (name == "pubsub|numpat") {
    std::string out;
    resp::append_integer(out, static_cast<std::int64_t>(worker_.namespace_patterns(ns_->name)));
    reply(out);
    return;
  } else if (name == "flushdb" || name == "flushall") {
    if (request.args.size() > 2 ||
        (request.args.size() == 2 && !iequals(request.args[1], "ASYNC") &&
         !iequals(request.args[1], "SYNC"))) {
      refuse("ERR syntax error");
      return;
    }
    match.push_back('*');
    kind = ScanJob::Kind::Delete;
    ok_reply = true;
  } else {
    refuse("ERR stdnet: '" + std::string(name) + "' is not supported by this stdnetd");
    return;
  }
  BackendConnection* backend = route(/*privileged=*/true);
  if (backend == nullptr) return;
  ScanJob::start(*this, *backend, take_seq(), kind, std::move(match), prefix_.size(), protocol_,
                 ok_reply);
}

// MOVE key db and COPY … DB db reach another database: only the namespace's own ones.
bool ClientSession::database_allowed(const cmd::Command& command,
                                     std::span<const std::string_view> args) {
  std::string_view db_arg;
  if (command.name == "move") {
    db_arg = args[2];
  } else if (command.name == "copy") {
    for (std::size_t i = 3; i + 1 < args.size(); ++i) {
      if (iequals(args[i], "DB")) db_arg = args[i + 1];
    }
  }
  if (db_arg.empty()) return true;
  std::int64_t db = 0;
  if (!resp::parse_int64(db_arg, db)) return true;  // Redis gives its own error
  if (std::find(ns_->databases.begin(), ns_->databases.end(), db) != ns_->databases.end()) {
    return true;
  }
  refuse("ERR stdnet: database " + std::to_string(db) + " is not one of namespace '" + ns_->name +
         "''s databases (add it to its `databases` in the config)");
  return false;
}

// KEYINFO KEYS key [key …]: one script call. KEYINFO pattern [start count]: a ScanJob that
// describes each SCAN batch with the same script.
void ClientSession::handle_keyinfo(std::span<const std::string_view> args, std::string match) {
  const lua::Script* script = lua::find_script("keyinfo");
  if (args.size() > 2 && iequals(args[1], "KEYS")) {
    BackendConnection* backend = route();
    if (backend == nullptr) return;
    std::string call;
    resp::append_array_header(call, static_cast<std::int64_t>(args.size() + 2));
    resp::append_bulk(call, "EVALSHA");
    resp::append_bulk(call, script->sha1);
    resp::append_bulk(call, std::to_string(args.size() - 2));
    for (std::size_t i = 2; i < args.size(); ++i) resp::append_bulk(call, prefix_, args[i]);
    resp::append_bulk(call, prefix_);
    ++backend_refs_;
    ScriptCall::send(*this, *backend, take_seq(), cmd::ReplyRule::Raw, call, script->source);
    return;
  }
  std::int64_t start = 0;
  std::int64_t count = -1;
  if (args.size() == 4) {
    if (!resp::parse_int64(args[2], start) || !resp::parse_int64(args[3], count) || start < 0) {
      refuse("ERR value is not an integer or out of range");
      return;
    }
  } else if (args.size() != 2) {
    refuse("ERR syntax error");
    return;
  }
  match.append(args[1]);
  BackendConnection* backend = route(/*privileged=*/true);
  if (backend == nullptr) return;
  ScanJob::start_keyinfo(*this, *backend, take_seq(), std::move(match), prefix_, protocol_, start,
                         count);
}

// A Redis command with a script form (ZDIFFSTORE … WITHSCORES): the script runs when the request
// has an argument after its keys that only the script understands.
bool ClientSession::wants_script(const cmd::Command& command,
                                 std::span<const std::string_view> args) {
  return command.name == "zdiffstore" && args.size() > 3 && iequals(args.back(), "WITHSCORES");
}

void ClientSession::forward_script(const cmd::Command& command, const resp::Request& request) {
  std::string_view sha1;
  std::string_view source;
  std::shared_ptr<const void> keepalive;
  if (command.policy == cmd::Policy::Script && command.custom &&
      worker_.script_commands().find(command.name) != nullptr) {
    const ScriptCommands::Entry* op = worker_.script_commands().find(command.name);
    sha1 = op->sha1;
    source = op->source;
    keepalive = worker_.script_commands_ptr();
  } else if (const lua::Script* script = lua::find_script(command.script)) {
    sha1 = script->sha1;
    source = script->source;
  } else {
    refuse("ERR stdnet: the script of '" + std::string(command.name) +
           "' is missing from this build");
    return;
  }
  std::string call;
  // The ODM commands have their own KEYS/ARGV layout (odm/PROTOCOL.md); the others take their
  // keys in argument order.
  std::string error =
      command.name.starts_with("odm.")
          ? odm::build_call(request.args, prefix_, sha1, call)
          : rewrite_script_request(command, request.args, prefix_, sha1, call, key_refs_);
  if (!error.empty()) {
    refuse(error);
    return;
  }
  BackendConnection* backend = route();
  if (backend == nullptr) return;
  if (in_multi_) {
    // Queued scripts run at EXEC, too late to recover a NOSCRIPT: send the source (EVAL), which
    // also caches it.
    std::string eval;
    to_eval(call, source, eval);
    backend->out().append(eval);
    PendingReply pending{this, take_seq(), cmd::ReplyRule::Raw};
    pending.queued = true;
    multi_rules_.push_back({pending.seq, command.reply_rule});
    backend->expect(pending);
    ++backend_refs_;
    return;
  }
  ++backend_refs_;
  ScriptCall::send(*this, *backend, take_seq(), command.reply_rule, call, source,
                   std::move(keepalive));
}

void ClientSession::on_backend_reply(const PendingReply& pending, std::string_view reply) {
  --backend_refs_;
  if (pending.blocking && blocking_ > 0) --blocking_;
  if (handle_closed_ || closing_) {
    maybe_destroy();
    return;
  }
  if (pending.queued && !reply.empty() && reply[0] == '-') {
    // A queue-time error: this command will not be part of EXEC's reply.
    forget_queued(pending.seq);
  }
  if (pending.rule == cmd::ReplyRule::Exec) {
    std::vector<cmd::ReplyRule> rules;
    if (!exec_rules_.empty()) {
      for (const auto& [seq, rule] : exec_rules_.front()) rules.push_back(rule);
      exec_rules_.pop_front();
    }
    reply_scratch_.clear();
    rewrite_exec_reply(rules, reply, prefix_, protocol_, reply_scratch_, reply_nodes_);
    deliver(pending.seq, reply_scratch_);
    if (reply_scratch_.capacity() > kMaxScratch) std::string().swap(reply_scratch_);
  } else if (pending.rule == cmd::ReplyRule::Raw || prefix_.empty()) {
    deliver(pending.seq, reply);
  } else {
    // A reply the client must not see still takes its place in the sequence (as nothing).
    reply_scratch_.clear();
    if (!rewrite_reply(pending.rule, reply, prefix_, protocol_, reply_scratch_, reply_nodes_)) {
      reply_scratch_.clear();
    }
    deliver(pending.seq, reply_scratch_);  // (deliver copies the bytes)
    if (reply_scratch_.capacity() > kMaxScratch) std::string().swap(reply_scratch_);
  }
  maybe_unpin();
}

void ClientSession::on_backend_error(const PendingReply& pending, std::string_view message) {
  const std::uint64_t seq = pending.seq;
  --backend_refs_;
  if (pending.blocking && blocking_ > 0) --blocking_;
  if (handle_closed_ || closing_) {
    maybe_destroy();
    return;
  }
  std::string bytes;
  resp::append_error(bytes, message);
  deliver(seq, bytes);
  maybe_unpin();
}

void ClientSession::reply_error(std::string_view message) {
  std::string bytes;
  resp::append_error(bytes, message);
  reply(bytes);
}

void ClientSession::deliver(std::uint64_t seq, std::string_view bytes) {
  if (!silenced_.empty() && silenced_.erase(seq) > 0) bytes = {};  // CLIENT REPLY OFF / SKIP
  if (seq != next_deliver_) {
    parked_.emplace(seq, std::string(bytes));
    return;
  }
  const std::uint64_t output_limit = config_->server.client_output_buffer_limit;
  if (output_limit != 0 && writer_.queued() + bytes.size() > output_limit) {
    client_log(spdlog::level::warn,
               std::to_string(writer_.queued() + bytes.size()) +
                   " bytes of replies unread, over client_output_buffer_limit; closing");
    close();
    return;
  }
  auto observe = [this](std::string_view reply) {
    if (observe_.empty()) return;
    const auto [slot, start] = observe_.front();
    observe_.pop_front();
    const bool error = !reply.empty() && (reply[0] == '-' || reply[0] == '!');
    const std::uint64_t now = worker_.clock_ns();
    worker_.metrics().observe(ns_slot_, slot, now > start ? now - start : 0, error);
  };
  observe(bytes);
  writer_.pending().append(bytes);
  ++next_deliver_;
  while (!parked_.empty() && parked_.begin()->first == next_deliver_) {
    observe(parked_.begin()->second);
    writer_.pending().append(parked_.begin()->second);
    parked_.erase(parked_.begin());
    ++next_deliver_;
  }
  worker_.mark_dirty(this);
}

void ClientSession::flush() {
  if (handle_closed_) return;
  if (!writer_.pending().empty()) {
    worker_.metrics().add(Counter::NetOutputBytes, writer_.pending().size());
    int rc = writer_.flush(stream_->get(), this);
    if (rc < 0) {
      worker_.log().debug("client {}: write error: {}", id_, uv_strerror(rc));
      close();
      return;
    }
  }
  after_delivery();
}

void ClientSession::after_delivery() {
  if (close_when_done_) {
    if (next_deliver_ == next_seq_ && writer_.queued() == 0) close();
    return;
  }
  if (closing_) return;
  if (paused_ && !backpressured()) {
    // Requests left in the input buffer first, then the socket again.
    input_.consume(process(input_.view()));
    if (!backpressured() && !closing_) resume_reading();
  }
}

void ClientSession::on_write_done(int status) {
  if (status < 0) {
    if (status != UV_ECANCELED) close();
    return;
  }
  if (!writer_.pending().empty()) {
    worker_.mark_dirty(this);
  } else {
    after_delivery();
  }
}

void ClientSession::drain() {
  if (closing_) return;
  close_after_reply();
}

void ClientSession::close_after_reply() {
  if (reading_) uv_read_stop(stream_->get());
  reading_ = false;
  close_when_done_ = true;
  worker_.mark_dirty(this);
}

void ClientSession::close() {
  if (closing_ && handle_closed_) return;
  bool first = !closing_;
  closing_ = true;
  close_when_done_ = false;
  if (reading_) uv_read_stop(stream_->get());
  reading_ = false;
  parked_.clear();
  if (first) {
    release_pinned_for_close();
    stream_->close(
        [](void* owner) {
          auto* self = static_cast<ClientSession*>(owner);
          self->handle_closed_ = true;
          self->maybe_destroy();
        },
        this);
  }
}

void ClientSession::maybe_destroy() {
  if (!handle_closed_ || backend_refs_ > 0) return;
  if (ns_ != nullptr) worker_.metrics().namespace_left(ns_slot_);
  worker_.client_closed(this);
  delete this;
}

}  // namespace stdnet::proxy
