#include "proxy/sentinel.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "proxy/backend.h"
#include "proxy/stream.h"
#include "proxy/worker.h"
#include "resp/encode.h"

namespace stdnet::proxy {
namespace {

// "-ERR message\r\n" -> "ERR message".
std::string error_text(std::string_view reply) {
  if (reply.size() >= 3) reply = reply.substr(1, reply.size() - 3);
  return std::string(reply);
}

// A heap timer that deletes itself once closed.
uv_timer_t* new_timer(uv_loop_t* loop, void* data) {
  auto* timer = new uv_timer_t();
  uv_timer_init(loop, timer);
  timer->data = data;
  return timer;
}

void close_timer(uv_timer_t*& timer) {
  if (timer == nullptr) return;
  uv_timer_stop(timer);
  uv_close(reinterpret_cast<uv_handle_t*>(timer),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  timer = nullptr;
}

// Parses "ip" and "port" into an address. Returns false when the port is not a port.
bool make_address(std::string_view host, std::string_view port, config::Address& out) {
  std::int64_t value = 0;
  if (host.empty() || !resp::parse_int64(port, value) || value < 1 || value > 65535) return false;
  out = config::Address{};
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

// ---- SentinelLink ---------------------------------------------------------------------------

struct SentinelLink::Lookup {
  uv_getaddrinfo_t req{};
  SentinelLink* owner = nullptr;
};

struct SentinelLink::Connect {
  uv_connect_t req{};
  SentinelLink* owner = nullptr;
};

struct SentinelLink::Write {
  uv_write_t req{};
  std::string data;
  SentinelLink* owner = nullptr;
};

SentinelLink::SentinelLink(uv_loop_t* loop, SentinelLinkOwner& owner, config::Address address)
    : loop_(loop), owner_(owner), address_(std::move(address)) {}

SentinelLink::~SentinelLink() {
  *alive_ = false;
  close_all();
}

void SentinelLink::close_all() {
  if (lookup_ != nullptr) lookup_->owner = nullptr;  // deleted by its callback
  lookup_ = nullptr;
  if (connect_ != nullptr) connect_->owner = nullptr;
  connect_ = nullptr;
  if (write_ != nullptr) write_->owner = nullptr;
  write_ = nullptr;
  if (stream_ != nullptr) {
    stream_->close(nullptr, nullptr);
    stream_ = nullptr;
  }
  close_timer(timer_);
}

void SentinelLink::start(std::string commands, std::uint64_t timeout_ms) {
  commands_ = std::move(commands);
  if (timeout_ms > 0) {
    timer_ = new_timer(loop_, this);
    uv_timer_start(
        timer_,
        [](uv_timer_t* t) {
          static_cast<SentinelLink*>(t->data)->fail("no answer within connect_timeout");
        },
        timeout_ms, 0);
  }
  lookup_ = new Lookup();
  lookup_->owner = this;
  lookup_->req.data = lookup_;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const std::string port = std::to_string(address_.port);
  const int rc = uv_getaddrinfo(
      loop_, &lookup_->req,
      [](uv_getaddrinfo_t* r, int status, addrinfo* res) {
        auto* lookup = static_cast<Lookup*>(r->data);
        SentinelLink* self = lookup->owner;
        delete lookup;
        if (self != nullptr) {
          self->lookup_ = nullptr;
          if (status < 0 || res == nullptr) {
            self->fail(std::string("resolve: ") + uv_strerror(status));
          } else {
            self->connect_to(res->ai_addr);
          }
        }
        if (res != nullptr) uv_freeaddrinfo(res);
      },
      address_.host.c_str(), port.c_str(), &hints);
  if (rc < 0) {
    delete lookup_;
    lookup_ = nullptr;
    fail(std::string("resolve: ") + uv_strerror(rc));  // may destroy this link
  }
}

void SentinelLink::connect_to(const sockaddr* addr) {
  stream_ = new StreamHandle();
  uv_tcp_init(loop_, &stream_->tcp);
  uv_tcp_nodelay(&stream_->tcp, 1);
  stream_->set_owner(this);
  connect_ = new Connect();
  connect_->owner = this;
  connect_->req.data = connect_;
  const int rc =
      uv_tcp_connect(&connect_->req, &stream_->tcp, addr, [](uv_connect_t* req, int status) {
        auto* connect = static_cast<Connect*>(req->data);
        SentinelLink* self = connect->owner;
        delete connect;
        if (self == nullptr) return;
        self->connect_ = nullptr;
        if (status < 0) {
          self->fail(std::string("connect: ") + uv_strerror(status));
        } else {
          self->on_connected();
        }
      });
  if (rc < 0) {
    delete connect_;
    connect_ = nullptr;
    fail(std::string("connect: ") + uv_strerror(rc));
  }
}

void SentinelLink::on_connected() {
  write_ = new Write();
  write_->owner = this;
  write_->data = std::move(commands_);
  write_->req.data = write_;
  uv_buf_t buf = uv_buf_init(write_->data.data(), static_cast<unsigned>(write_->data.size()));
  int rc = uv_write(&write_->req, stream_->get(), &buf, 1, [](uv_write_t* req, int status) {
    auto* write = static_cast<Write*>(req->data);
    SentinelLink* self = write->owner;
    delete write;
    if (self == nullptr) return;
    self->write_ = nullptr;
    if (status < 0) self->fail(std::string("write: ") + uv_strerror(status));
  });
  if (rc < 0) {
    delete write_;
    write_ = nullptr;
    fail(std::string("write: ") + uv_strerror(rc));
    return;
  }
  rc = uv_read_start(
      stream_->get(),
      [](uv_handle_t* h, std::size_t suggested, uv_buf_t* buf) {
        auto* self = static_cast<SentinelLink*>(h->data);
        char* tail = self->input_.reserve_tail(std::max<std::size_t>(suggested, 4096));
        *buf = uv_buf_init(tail, static_cast<unsigned>(self->input_.tail_room()));
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
        static_cast<SentinelLink*>(s->data)->on_read(nread);
      });
  if (rc < 0) fail(std::string("read: ") + uv_strerror(rc));
}

void SentinelLink::on_read(ssize_t nread) {
  if (nread == 0) return;
  if (nread < 0) {
    fail(nread == UV_EOF ? std::string("connection closed by the sentinel")
                         : std::string("read: ") + uv_strerror(static_cast<int>(nread)));
    return;
  }
  input_.commit(static_cast<std::size_t>(nread));
  const std::shared_ptr<bool> alive = alive_;
  while (!input_.empty()) {
    const std::string_view data = input_.view();
    const resp::ScanStatus status = scanner_.scan(data);
    if (status == resp::ScanStatus::NeedMore) break;
    if (status == resp::ScanStatus::Error) {
      fail("protocol error in a sentinel reply: " + std::string(scanner_.error()));
      return;
    }
    const std::size_t length = scanner_.length();
    const char type = scanner_.type();
    scanner_.reset();
    // Copied: the owner may destroy this link (and its buffer) while handling the reply.
    const std::string reply(data.substr(0, length));
    input_.consume(length);
    owner_.on_link_reply(this, reply, type);
    if (!*alive || failed_) return;
  }
}

void SentinelLink::clear_deadline() {
  close_timer(timer_);
}

void SentinelLink::fail(const std::string& error) {
  if (failed_) return;
  failed_ = true;
  close_all();
  owner_.on_link_failure(this, error);  // may destroy this link
}

// ---- Sentinel -------------------------------------------------------------------------------

Sentinel::Sentinel(Worker& worker, config::SentinelConfig config)
    : worker_(worker), config_(std::move(config)) {}

Sentinel::~Sentinel() {
  // Normally shut down already (drain); the waiters may be gone by now: they are not called.
  stopped_ = true;
  waiters_.clear();
  query_.reset();
  watch_.reset();
  close_timer(watch_timer_);
}

std::string Sentinel::auth_command() const {
  std::string out;
  if (config_.password.empty()) return out;
  if (config_.user.empty()) {
    resp::append_command(out, {"AUTH", config_.password});
  } else {
    resp::append_command(out, {"AUTH", config_.user, config_.password});
  }
  return out;
}

std::uint64_t Sentinel::timeout_ms() const {
  const double seconds = worker_.config()->backend.connect_timeout_seconds;
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(seconds * 1000));
}

std::string Sentinel::sentinel_list() const {
  std::string out = "[";
  for (std::size_t i = 0; i < config_.addresses.size(); ++i) {
    if (i > 0) out += ", ";
    out += config_.addresses[i].to_string();
  }
  return out + "]";
}

void Sentinel::shutdown() {
  stopped_ = true;
  query_.reset();
  watch_.reset();
  close_timer(watch_timer_);
  std::vector<BackendConnection*> waiters;
  waiters.swap(waiters_);
  for (BackendConnection* waiter : waiters) {
    waiter->on_primary_unknown("sentinel: stdnetd is shutting down");
  }
}

// ---- discovery ----

void Sentinel::wait_for_primary(BackendConnection* waiter) {
  if (std::find(waiters_.begin(), waiters_.end(), waiter) == waiters_.end()) {
    waiters_.push_back(waiter);
  }
  if (query_ != nullptr || stopped_) return;
  query_index_ = 0;
  query_error_.clear();
  query_next();
}

void Sentinel::cancel_wait(BackendConnection* waiter) {
  std::erase(waiters_, waiter);
}

void Sentinel::forget(const config::Address& address) {
  if (primary_ && *primary_ == address) {
    worker_.log().debug(
        "sentinel: forgetting the primary {} of '{}'; the next connection asks "
        "the sentinels again",
        address.to_string(), config_.master);
    primary_.reset();
  }
}

void Sentinel::query_next() {
  query_.reset();
  if (stopped_) return;
  if (query_index_ >= config_.addresses.size()) {
    const std::string error = "sentinel: no sentinel of " + sentinel_list() + " knows primary '" +
                              config_.master + "': " + query_error_;
    if (error != last_warning_) {
      worker_.log().warn("{}; connections fail until one answers (retried with backoff)", error);
      last_warning_ = error;
    }
    std::vector<BackendConnection*> waiters;
    waiters.swap(waiters_);
    for (BackendConnection* waiter : waiters) waiter->on_primary_unknown(error);
    return;
  }
  query_stage_ = config_.password.empty() ? 1 : 0;
  std::string commands = auth_command();
  resp::append_command(commands, {"SENTINEL", "get-master-addr-by-name", config_.master});
  query_ = std::make_unique<SentinelLink>(worker_.loop(), *this, config_.addresses[query_index_]);
  query_->start(std::move(commands), timeout_ms());
}

void Sentinel::query_attempt_failed(const std::string& error) {
  const std::string address = config_.addresses[query_index_].to_string();
  query_error_ = "sentinel " + address + ": " + error;
  worker_.log().debug("sentinel {}: {}", address, error);
  ++query_index_;
  query_next();  // destroys the failed link
}

void Sentinel::on_query_reply(std::string_view reply, char type) {
  if (query_stage_ == 0) {
    if (type == '-') {
      query_attempt_failed("AUTH failed: " + error_text(reply) +
                           "; check [backend.sentinel] user and password");
      return;
    }
    query_stage_ = 1;
    return;
  }
  if (type == '-') {
    query_attempt_failed(error_text(reply));
    return;
  }
  config::Address address;
  if (resp::parse_reply(reply, nodes_) && !nodes_.empty() && nodes_[0].type == '*' &&
      nodes_[0].count == 2 && nodes_.size() == 3 &&
      make_address(nodes_[1].data, nodes_[2].data, address)) {
    const std::string from = "sentinel " + config_.addresses[query_index_].to_string();
    query_.reset();
    last_warning_.clear();
    set_primary(address, from);
    return;
  }
  if ((type == '*' && reply.starts_with("*-1")) || type == '_') {
    query_attempt_failed("it does not know the master '" + config_.master +
                         "' (check [backend.sentinel] master)");
    return;
  }
  query_attempt_failed("unexpected reply to SENTINEL get-master-addr-by-name");
}

void Sentinel::set_primary(const config::Address& address, std::string_view source) {
  if (!last_logged_ || *last_logged_ != address) {
    if (last_logged_) {
      worker_.log().info("sentinel: the primary of '{}' is now {} (was {}; from {})",
                         config_.master, address.to_string(), last_logged_->to_string(), source);
    } else {
      worker_.log().info("sentinel: the primary of '{}' is {} (from {})", config_.master,
                         address.to_string(), source);
    }
    last_logged_ = address;
  }
  primary_ = address;
  query_.reset();  // a query still under way is answered by this
  std::vector<BackendConnection*> waiters;
  waiters.swap(waiters_);
  for (BackendConnection* waiter : waiters) waiter->on_primary(address);
}

// ---- subscription ----

void Sentinel::start() {
  if (stopped_ || watch_ != nullptr) return;
  subscribe();
}

void Sentinel::subscribe() {
  if (stopped_) return;
  watch_index_ %= config_.addresses.size();
  watch_stage_ = config_.password.empty() ? 1 : 0;
  std::string commands = auth_command();
  resp::append_command(commands, {"SENTINEL", "get-master-addr-by-name", config_.master});
  resp::append_command(commands, {"SUBSCRIBE", "+switch-master"});
  watch_ = std::make_unique<SentinelLink>(worker_.loop(), *this, config_.addresses[watch_index_]);
  watch_->start(std::move(commands), timeout_ms());
}

void Sentinel::watch_failed(const std::string& error) {
  const std::string address = config_.addresses[watch_index_].to_string();
  watch_.reset();
  if (stopped_) return;
  const std::string message = "sentinel " + address + ": " + error;
  if (message != watch_warning_) {
    worker_.log().warn(
        "{}; failovers are followed again once a sentinel accepts the "
        "subscription (trying the next one)",
        message);
    watch_warning_ = message;
  } else {
    worker_.log().debug("{}", message);
  }
  ++watch_index_;  // rotate
  const config::BackendConfig& backend = worker_.config()->backend;
  // Once every sentinel has been tried, back off (up to 5 s, at least reconnect_max).
  const double max = std::max(5.0, backend.reconnect_max_seconds);
  if (watch_index_ % config_.addresses.size() == 0) {
    watch_backoff_ =
        watch_backoff_ == 0 ? backend.reconnect_min_seconds : std::min(watch_backoff_ * 2, max);
  }
  if (watch_timer_ == nullptr) watch_timer_ = new_timer(worker_.loop(), this);
  uv_timer_start(
      watch_timer_, [](uv_timer_t* t) { static_cast<Sentinel*>(t->data)->subscribe(); },
      static_cast<std::uint64_t>(watch_backoff_ * 1000), 0);
}

void Sentinel::on_watch_reply(std::string_view reply, char type) {
  switch (watch_stage_) {
    case 0:
      if (type == '-') {
        watch_failed("AUTH failed: " + error_text(reply) +
                     "; check [backend.sentinel] user and password");
        return;
      }
      watch_stage_ = 1;
      return;
    case 1: {
      // The primary now: a failover may have happened while no subscription was active.
      config::Address address;
      if (type != '-' && resp::parse_reply(reply, nodes_) && nodes_.size() == 3 &&
          nodes_[0].type == '*' && make_address(nodes_[1].data, nodes_[2].data, address) &&
          primary_ && *primary_ != address) {
        const std::string message = "the primary changed (failover to " + address.to_string() + ")";
        set_primary(address, "sentinel " + watch_->address().to_string());
        worker_.primary_changed(address, message);
      }
      watch_stage_ = 2;
      return;
    }
    case 2:
      if (type == '-') {
        watch_failed("SUBSCRIBE +switch-master failed: " + error_text(reply));
        return;
      }
      watch_stage_ = 3;
      watch_->clear_deadline();
      watch_backoff_ = 0;
      if (!watch_warning_.empty()) {
        worker_.log().info("sentinel {}: following failovers again", watch_->address().to_string());
      } else {
        worker_.log().debug("sentinel {}: following failovers of '{}'",
                            watch_->address().to_string(), config_.master);
      }
      watch_warning_.clear();
      return;
    default:
      break;
  }
  // ["message", "+switch-master", "<master> <old-ip> <old-port> <new-ip> <new-port>"]
  if (type != '*' || !resp::parse_reply(reply, nodes_) || nodes_.size() != 4) return;
  if (nodes_[1].data != "message" || nodes_[2].data != "+switch-master") return;
  on_switch_master(nodes_[3].data);
}

void Sentinel::on_switch_master(std::string_view payload) {
  std::vector<std::string_view> words;
  while (!payload.empty()) {
    const std::size_t space = payload.find(' ');
    if (space != 0) words.push_back(payload.substr(0, space));
    if (space == std::string_view::npos) break;
    payload.remove_prefix(space + 1);
  }
  if (words.size() != 5 || words[0] != config_.master) return;
  config::Address address;
  if (!make_address(words[3], words[4], address)) {
    worker_.log().warn("sentinel: unreadable +switch-master message ignored");
    return;
  }
  worker_.log().info("sentinel: failover of '{}' from {}:{} to {}", config_.master, words[1],
                     words[2], address.to_string());
  const std::string message = "the primary changed (failover to " + address.to_string() + ")";
  set_primary(address, "+switch-master");
  worker_.primary_changed(address, message);
}

void Sentinel::on_link_reply(SentinelLink* link, std::string_view reply, char type) {
  if (link == query_.get()) {
    on_query_reply(reply, type);
  } else if (link == watch_.get()) {
    on_watch_reply(reply, type);
  }
}

void Sentinel::on_link_failure(SentinelLink* link, const std::string& error) {
  if (link == query_.get()) {
    query_attempt_failed(error);
  } else if (link == watch_.get()) {
    watch_failed(watch_stage_ == 3 ? "subscription lost: " + error : error);
  }
}

}  // namespace stdnet::proxy
