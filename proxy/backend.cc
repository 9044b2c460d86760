#include "proxy/backend.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "lua/scripts.h"
#include "proxy/client.h"
#include "proxy/script_call.h"
#include "proxy/sentinel.h"
#include "proxy/worker.h"
#include "resp/encode.h"

namespace stdnet::proxy {

BackendConnection::BackendConnection(Worker& worker, int protocol, int db, int id,
                                     std::optional<config::BackendUser> user)
    : worker_(worker), protocol_(protocol), db_(db), id_(id), user_(std::move(user)) {
  uv_timer_init(worker_.loop(), &timer_);
  timer_.data = this;
}

BackendConnection::~BackendConnection() = default;

void BackendConnection::connect() {
  if (state_ != State::Idle && state_ != State::Down) return;
  if (Sentinel* sentinel = worker_.sentinel()) {
    if (const config::Address* primary = sentinel->primary()) {
      connect_to(*primary);
    } else {
      // Requests are queued meanwhile, as while connecting; one sentinel query serves every
      // connection that waits.
      state_ = State::Resolving;
      uv_timer_stop(&timer_);
      waiting_primary_ = true;
      sentinel->wait_for_primary(this);
    }
    return;
  }
  connect_to(worker_.config()->backend.url.address);
}

void BackendConnection::on_primary(const config::Address& address) {
  if (!waiting_primary_) return;
  waiting_primary_ = false;
  connect_to(address);
}

void BackendConnection::on_primary_unknown(std::string_view error) {
  if (!waiting_primary_) return;
  fail(error);  // waiting_primary_ still set: the requests get "backend unavailable (…)"
}

bool BackendConnection::uses_other_primary(const config::Address& primary) const {
  if (waiting_primary_) return false;
  if (state_ != State::Resolving && state_ != State::Connecting && state_ != State::Ready) {
    return false;
  }
  return target_ != primary;
}

void BackendConnection::connect_to(const config::Address& target) {
  target_ = target;
  const config::Address& address = target_;
  state_ = State::Connecting;
  uv_timer_stop(&timer_);
  double timeout = worker_.config()->backend.connect_timeout_seconds;
  if (timeout > 0) {
    uv_timer_start(
        &timer_,
        [](uv_timer_t* t) {
          auto* self = static_cast<BackendConnection*>(t->data);
          self->fail("connect timeout");
        },
        static_cast<std::uint64_t>(timeout * 1000), 0);
  }
  if (address.is_unix()) {
    stream_ = new StreamHandle();
    stream_->is_pipe = true;
    uv_pipe_init(worker_.loop(), &stream_->pipe, 0);
    stream_->set_owner(this);
    connect_req_.data = this;
    uv_pipe_connect(&connect_req_, &stream_->pipe, address.unix_path.c_str(),
                    [](uv_connect_t* req, int status) {
                      auto* self = static_cast<BackendConnection*>(req->data);
                      if (self == nullptr) return;
                      if (status < 0) {
                        self->fail(std::string("connect: ") + uv_strerror(status));
                      } else {
                        self->on_connected();
                      }
                    });
    return;
  }
  state_ = State::Resolving;
  auto* req = new uv_getaddrinfo_t();
  req->data = this;
  resolving_ = req;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  std::string port = std::to_string(address.port);
  int rc = uv_getaddrinfo(
      worker_.loop(), req,
      [](uv_getaddrinfo_t* r, int status, addrinfo* res) {
        auto* self = static_cast<BackendConnection*>(r->data);
        const bool current = self->resolving_ == r;
        if (current) self->resolving_ = nullptr;
        delete r;
        if (current) {
          if (status < 0 || res == nullptr) {
            self->fail(std::string("resolve: ") + uv_strerror(status));
          } else {
            self->start_connect(res->ai_addr);
          }
        }
        if (res != nullptr) uv_freeaddrinfo(res);
      },
      address.host.c_str(), port.c_str(), &hints);
  if (rc < 0) {
    resolving_ = nullptr;
    delete req;
    fail(std::string("resolve: ") + uv_strerror(rc));
  }
}

void BackendConnection::start_connect(const sockaddr* addr) {
  state_ = State::Connecting;
  stream_ = new StreamHandle();
  uv_tcp_init(worker_.loop(), &stream_->tcp);
  uv_tcp_nodelay(&stream_->tcp, 1);
  stream_->set_owner(this);
  connect_req_.data = this;
  int rc = uv_tcp_connect(&connect_req_, &stream_->tcp, addr, [](uv_connect_t* req, int status) {
    auto* self = static_cast<BackendConnection*>(req->data);
    if (self == nullptr || status == UV_ECANCELED) return;
    if (status < 0) {
      self->fail(std::string("connect: ") + uv_strerror(status));
    } else {
      self->on_connected();
    }
  });
  if (rc < 0) fail(std::string("connect: ") + uv_strerror(rc));
}

void BackendConnection::on_connected() {
  uv_timer_stop(&timer_);
  // The setup goes before any request queued while connecting.
  std::string handshake;
  std::vector<PendingReply> expected;
  append_setup(handshake, expected, true);
  pending_.insert(pending_.begin(), expected.begin(), expected.end());
  writer_.pending().insert(0, handshake);
  state_ = State::Ready;
  worker_.update_backend_up();
  backoff_ = 0;
  if (worker_.sentinel() != nullptr) {
    // Found through the sentinels: make sure it is the primary before anything else runs.
    std::string& out = writer_.pending();
    std::string role;
    resp::append_command(role, {"ROLE"});
    out.insert(handshake.size(), role);
    const PendingReply check{nullptr, 0, cmd::ReplyRule::Raw, nullptr,
                             PendingReply::Internal::Role};
    pending_.insert(pending_.begin() + static_cast<std::ptrdiff_t>(expected.size()), check);
  }
  worker_.log().info("backend {}: connected to {} (RESP{})", id_, target_.to_string(), protocol_);
  uv_read_start(
      stream_->get(),
      [](uv_handle_t* h, std::size_t suggested, uv_buf_t* buf) {
        auto* self = static_cast<BackendConnection*>(h->data);
        std::size_t want = std::max<std::size_t>(suggested, 64 * 1024);
        char* tail = self->input_.reserve_tail(want);
        *buf = uv_buf_init(tail, static_cast<unsigned>(self->input_.tail_room()));
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
        static_cast<BackendConnection*>(s->data)->on_read(nread);
      });
  mark_dirty();
}

namespace {

// Logs an operator script that the backend refuses (does not compile): the config names a script
// command that cannot work. Deletes itself after its one reply.
class ScriptLoadCheck final : public ReplyHandler {
 public:
  ScriptLoadCheck(spdlog::logger& log, std::string command, std::string file)
      : log_(log), command_(std::move(command)), file_(std::move(file)) {}
  void on_reply(std::string_view reply, char type) override {
    if (type == '-') {
      log_.error(
          "[[command]] {}: the backend refuses script {}: {}; the command replies this "
          "error until the script is fixed (then reload with SIGHUP)",
          command_, file_, reply.substr(1, reply.size() - 3));
    }
    delete this;
  }
  void on_failure(std::string_view) override { delete this; }

 private:
  spdlog::logger& log_;
  std::string command_;
  std::string file_;
};

PendingReply setup_reply() {
  return PendingReply{nullptr, 0, cmd::ReplyRule::Raw, nullptr, PendingReply::Internal::Handshake};
}

}  // namespace

void BackendConnection::append_setup(std::string& out, std::vector<PendingReply>& expected,
                                     bool load_scripts) {
  const config::BackendUrl& url = worker_.config()->backend.url;
  // A namespace's own ACL user, else the URL's credentials.
  const std::string& name = user_ ? user_->name : url.user;
  const std::string& password = user_ ? user_->password : url.password;
  if (protocol_ == 3) {
    if (!password.empty()) {
      resp::append_command(out, {"HELLO", "3", "AUTH", name.empty() ? "default" : name, password});
    } else {
      resp::append_command(out, {"HELLO", "3"});
    }
    expected.push_back(setup_reply());
  } else if (!password.empty()) {
    if (name.empty()) {
      resp::append_command(out, {"AUTH", password});
    } else {
      resp::append_command(out, {"AUTH", name, password});
    }
    expected.push_back(setup_reply());
  }
  if (db_ != 0) {
    std::string db = std::to_string(db_);
    resp::append_command(out, {"SELECT", db});
    expected.push_back(setup_reply());
  }
  if (load_scripts) {
    // Every script is loaded up front, so EVALSHA finds it (NOSCRIPT is still recovered).
    for (const lua::Script& script : lua::builtin_scripts()) {
      append_script_load(out, script.source);
      expected.push_back(setup_reply());
    }
    for (const auto& entry : worker_.script_commands().entries()) {
      append_script_load(out, entry->source);
      expected.push_back(
          PendingReply{nullptr, 0, cmd::ReplyRule::Raw,
                       new ScriptLoadCheck(worker_.log(), entry->name, entry->file)});
    }
  }
}

void BackendConnection::reset_for_reuse() {
  owner_ = nullptr;
  if (!accepting()) return;  // reconnecting sets it up anyway
  std::string& out = writer_.pending();
  resp::append_command(out, {"RESET"});
  std::vector<PendingReply> expected{setup_reply()};
  append_setup(out, expected, false);
  for (const PendingReply& pending : expected) expect(pending);
  mark_dirty();
}

void BackendConnection::learn_client_id() {
  if (asked_client_id_ || !accepting()) return;
  asked_client_id_ = true;
  class Learn final : public ReplyHandler {
   public:
    explicit Learn(BackendConnection& backend) : backend_(backend) {}
    void on_reply(std::string_view reply, char type) override {
      if (type == ':')
        resp::parse_int64(reply.substr(1, reply.size() - 3), backend_.redis_client_id_);
      delete this;
    }
    void on_failure(std::string_view) override {
      backend_.asked_client_id_ = false;
      delete this;
    }

   private:
    BackendConnection& backend_;
  };
  resp::append_command(writer_.pending(), {"CLIENT", "ID"});
  expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, new Learn(*this)});
}

void BackendConnection::retire() {
  owner_ = nullptr;
  retired_ = true;
  fail("released", false);
  state_ = State::Closed;
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_),
           [](uv_handle_t* h) { delete static_cast<BackendConnection*>(h->data); });
}

bool BackendConnection::overdue(std::uint64_t now_ms, std::uint64_t limit_ms) const {
  if (state_ != State::Ready || pending_.empty()) return false;
  for (const PendingReply& p : pending_) {
    if (p.blocking) return false;  // BLPOP 0 may rightly wait forever
  }
  const PendingReply& oldest = pending_.front();
  return oldest.sent_ms != 0 && now_ms - oldest.sent_ms > limit_ms;
}

void BackendConnection::expect(const PendingReply& pending) {
  pending_.push_back(pending);
  pending_.back().sent_ms = uv_now(worker_.loop());
  mark_dirty();
}

void BackendConnection::mark_dirty() {
  if (state_ == State::Ready) worker_.mark_dirty(this);
}

void BackendConnection::flush() {
  if (state_ != State::Ready || stream_ == nullptr) return;
  int rc = writer_.flush(stream_->get(), this);
  if (rc < 0) fail(std::string("write: ") + uv_strerror(rc));
}

void BackendConnection::on_write_done(int status) {
  if (status < 0) {
    if (status != UV_ECANCELED) fail(std::string("write: ") + uv_strerror(status));
    return;
  }
  if (!writer_.pending().empty()) mark_dirty();
}

void BackendConnection::on_read(ssize_t nread) {
  if (nread == 0) return;
  if (nread < 0) {
    fail(nread == UV_EOF ? std::string("connection closed by the backend")
                         : std::string("read: ") + uv_strerror(static_cast<int>(nread)));
    return;
  }
  worker_.refresh_clock();
  input_.commit(static_cast<std::size_t>(nread));
  while (!input_.empty()) {
    std::string_view data = input_.view();
    resp::ScanStatus status = scanner_.scan(data);
    if (status == resp::ScanStatus::NeedMore) break;
    if (status == resp::ScanStatus::Error) {
      fail(std::string("protocol error in a backend reply: ") + std::string(scanner_.error()));
      return;
    }
    std::size_t length = scanner_.length();
    char type = scanner_.type();
    scanner_.reset();
    handle_reply(data.substr(0, length), type);
    if (state_ != State::Ready) return;  // failed while handling
    input_.consume(length);
  }
}

void BackendConnection::handle_reply(std::string_view reply, char type) {
  if (owner_ != nullptr && owner_->take_push(reply, type)) return;
  if (type == '>') {
    // Pushes only come to connections in tracking or subscribed mode, which are not shared.
    worker_.log().warn("backend {}: unexpected push message dropped", id_);
    return;
  }
  if (pending_.empty()) {
    fail("a reply arrived with no request waiting for it");
    return;
  }
  PendingReply pending = pending_.front();
  pending_.pop_front();
  if (pending.internal == PendingReply::Internal::Role) {
    check_role(reply, type);
    return;
  }
  if (pending.internal == PendingReply::Internal::Handshake) {
    if (type == '-' || type == '!') {
      worker_.log().error("backend {}: setup command failed: {}; check [backend] url in the config",
                          id_, reply.substr(0, reply.size() - 2));
      fail("backend setup failed: " + std::string(reply.substr(1, reply.size() - 3)));
    }
    return;
  }
  const bool readonly = type == '-' && reply.starts_with("-READONLY") && worker_.sentinel();
  if (pending.handler != nullptr) {
    pending.handler->on_reply(reply, type);
  } else if (pending.client != nullptr) {
    pending.client->on_backend_reply(pending, reply);
  }
  if (readonly) {
    // The reply went to its client as it is; the backend is a replica now (a failover we have not
    // heard of yet): ask the sentinels again. fail() ignores a connection released meanwhile.
    const std::string why = target_.to_string() +
                            " answered -READONLY: it is not the primary any more; asking the "
                            "sentinels again";
    if (state_ != State::Closed) worker_.log().warn("backend {}: {}", id_, why);
    worker_.sentinel()->forget(target_);
    fail(why);
  }
}

void BackendConnection::check_role(std::string_view reply, char type) {
  if (type == '-' || type == '!') {
    // E.g. NOPERM for an ACL user without @admin: the role cannot be checked; -READONLY replies
    // still reveal a replica.
    worker_.log().debug("backend {}: ROLE refused ({}); the role of {} is not checked", id_,
                        reply.substr(0, reply.size() - 2), target_.to_string());
    return;
  }
  std::vector<resp::ReplyNode> nodes;
  std::string_view role = "unknown";
  if (resp::parse_reply(reply, nodes) && nodes.size() >= 2 &&
      (nodes[0].type == '*' || nodes[0].type == '~') &&
      (nodes[1].type == '$' || nodes[1].type == '+')) {
    role = nodes[1].data;
  }
  if (role == "master") return;
  const std::string why = target_.to_string() + " is not the primary (role " + std::string(role) +
                          "); asking the sentinels again";
  worker_.log().warn("backend {}: {}", id_, why);
  worker_.sentinel()->forget(target_);
  fail(why);
}

void BackendConnection::fail(std::string_view why, bool reconnect) {
  if (state_ == State::Closed) return;
  worker_.refresh_clock();  // (from a timer, too) the errors it delivers end their requests now
  last_error_ = std::string(why);
  // Requests queued while the sentinels were asked never reached a backend.
  const bool never_sent = waiting_primary_;
  if (Sentinel* sentinel = worker_.sentinel()) {
    if (waiting_primary_) {
      sentinel->cancel_wait(this);
      waiting_primary_ = false;
    } else if (reconnect && !retired_ && !target_.host.empty() &&
               (state_ == State::Resolving || state_ == State::Connecting ||
                state_ == State::Ready)) {
      // The primary failed us: the next attempt asks the sentinels where it is now.
      sentinel->forget(target_);
    }
  }
  worker_.metrics().add(Counter::BackendErrors);
  if (!pending_.empty() || (state_ == State::Ready && !retired_)) {
    worker_.log().warn("backend {}: {}; failing {} request(s) in flight", id_, why,
                       pending_.size());
  } else {
    worker_.log().debug("backend {}: {}", id_, why);
  }
  resolving_ = nullptr;  // a resolution still under way is ignored when it completes
  connect_req_.data = nullptr;
  if (stream_ != nullptr) {
    stream_->close(nullptr, nullptr);
    stream_ = nullptr;
  }
  uv_timer_stop(&timer_);
  input_.release();
  scanner_.reset();
  writer_.pending().clear();
  std::deque<PendingReply> failed;
  failed.swap(pending_);
  state_ = State::Down;
  worker_.update_backend_up();
  std::string message = never_sent ? unavailable_error()
                                   : "ERR stdnet: backend connection lost (" + last_error_ + ")";
  for (const PendingReply& pending : failed) {
    if (pending.handler != nullptr) {
      pending.handler->on_failure(message);
    } else if (pending.client != nullptr) {
      pending.client->on_backend_error(pending, message);
    }
  }
  if (owner_ != nullptr) {
    ClientSession* owner = owner_;
    owner_ = nullptr;
    owner->pinned_lost(this);
  }
  if (reconnect && !retired_) schedule_reconnect();
}

void BackendConnection::schedule_reconnect() {
  const config::BackendConfig& cfg = worker_.config()->backend;
  backoff_ =
      backoff_ == 0 ? cfg.reconnect_min_seconds : std::min(backoff_ * 2, cfg.reconnect_max_seconds);
  worker_.metrics().add(Counter::BackendReconnects);
  uv_timer_start(
      &timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<BackendConnection*>(t->data);
        self->connect();
      },
      static_cast<std::uint64_t>(backoff_ * 1000), 0);
}

void BackendConnection::shutdown() {
  fail("stdnetd is shutting down", false);
  state_ = State::Closed;
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), nullptr);
}

}  // namespace stdnet::proxy
