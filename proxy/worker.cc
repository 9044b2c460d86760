#include "proxy/worker.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <set>

#include "proxy/client.h"

namespace stdnet::proxy {

struct ListenerState {
  Worker* worker = nullptr;
  ListenerInfo info;
  std::size_t config_index = 0;  // position in config->listeners
  StreamHandle* handle = nullptr;
};

Worker::Worker(std::shared_ptr<const config::Config> config, std::shared_ptr<spdlog::logger> log,
               ClientLimits& limits, int index)
    : config_(std::move(config)),
      log_(std::move(log)),
      index_(index),
      limits_(limits),
      script_commands_(std::make_shared<const ScriptCommands>(*config_)),
      scratch_(std::make_unique<char[]>(kScratchSize)) {
  uv_loop_init(&loop_);
  loop_.data = this;
  uv_check_init(&loop_, &flush_check_);
  flush_check_.data = this;
  uv_check_start(&flush_check_, [](uv_check_t* h) { static_cast<Worker*>(h->data)->flush_dirty(); });
  uv_async_init(&loop_, &drain_async_,
                [](uv_async_t* h) { static_cast<Worker*>(h->data)->begin_drain(); });
  drain_async_.data = this;
  uv_timer_init(&loop_, &drain_timer_);
  drain_timer_.data = this;
  uv_async_init(&loop_, &config_async_,
                [](uv_async_t* h) { static_cast<Worker*>(h->data)->apply_posted_config(); });
  config_async_.data = this;
  uv_timer_init(&loop_, &sweep_timer_);
  sweep_timer_.data = this;
  uv_timer_start(
      &sweep_timer_, [](uv_timer_t* t) { static_cast<Worker*>(t->data)->sweep(); }, 250, 250);
  if (config_->backend.sentinel) {
    sentinel_ = std::make_unique<Sentinel>(*this, *config_->backend.sentinel);
  }
}

Worker::~Worker() {
  // run() has returned: every handle is closed; the loop can go.
  uv_loop_close(&loop_);
}

std::string Worker::listen() {
  for (std::size_t li = 0; li < config_->listeners.size(); ++li) {
    const config::Listener& listener = config_->listeners[li];
    if (listener.address.is_unix() && index_ > 0) continue;  // served by the first worker
    auto state = std::make_unique<ListenerState>();
    state->config_index = li;
    state->worker = this;
    state->info.address = listener.address.to_string();
    state->info.default_namespace = listener.namespace_name;
    auto* handle = new StreamHandle();
    int rc = 0;
    if (listener.address.is_unix()) {
      handle->is_pipe = true;
      uv_pipe_init(&loop_, &handle->pipe, 0);
      ::unlink(listener.address.unix_path.c_str());
      rc = uv_pipe_bind(&handle->pipe, listener.address.unix_path.c_str());
    } else {
      sockaddr_storage addr{};
      const std::string& host = listener.address.host == "localhost" ? std::string("127.0.0.1")
                                                                      : listener.address.host;
      if (uv_ip4_addr(host.c_str(), listener.address.port,
                      reinterpret_cast<sockaddr_in*>(&addr)) != 0 &&
          uv_ip6_addr(host.c_str(), listener.address.port,
                      reinterpret_cast<sockaddr_in6*>(&addr)) != 0) {
        uv_tcp_init(&loop_, &handle->tcp);
        rc = UV_EINVAL;
      } else {
        uv_tcp_init_ex(&loop_, &handle->tcp, addr.ss_family);
        // Every worker binds the same address; the kernel spreads connections among them.
        uv_os_fd_t fd;
        int one = 1;
        if (config_->server.workers > 1 && uv_fileno(&handle->handle, &fd) == 0) {
          ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
        }
        rc = uv_tcp_bind(&handle->tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
      }
    }
    if (rc == 0) {
      handle->set_owner(state.get());
      rc = uv_listen(handle->get(), 511, &Worker::on_connection);
    }
    if (rc != 0) {
      handle->close(nullptr, nullptr);
      return "cannot listen on " + state->info.address + ": " + uv_strerror(rc) +
             (rc == UV_EADDRINUSE ? " (another process uses it; choose another address)" : "");
    }
    state->handle = handle;
    log_->info("listening on {}{}", state->info.address,
               listener.namespace_name.empty() ? " (AUTH required)"
                                               : " (namespace " + listener.namespace_name + ")");
    listeners_.push_back(std::move(state));
  }
  if (sentinel_) sentinel_->start();
  // Connect the shared backend connections now: the first client finds them ready, and /healthz
  // tells the truth from the start.
  backend_for(0, 2, config_->backend.url.db);
  return {};
}

void Worker::on_connection(uv_stream_t* server, int status) {
  auto* listener = static_cast<ListenerState*>(server->data);
  Worker& self = *listener->worker;
  if (status < 0) {
    self.log_->warn("accept on {} failed: {}", listener->info.address, uv_strerror(status));
    return;
  }
  auto* handle = new StreamHandle();
  if (listener->handle->is_pipe) {
    handle->is_pipe = true;
    uv_pipe_init(&self.loop_, &handle->pipe, 0);
  } else {
    uv_tcp_init(&self.loop_, &handle->tcp);
  }
  if (uv_accept(server, handle->get()) != 0) {
    handle->close(nullptr, nullptr);
    return;
  }
  if (self.draining_ || !self.limits_.try_open(self.config_->server.maxclients)) {
    self.metrics_.add(Counter::ConnectionsRejected);
    static const char kFull[] = "-ERR max number of clients reached\r\n";
    uv_buf_t buf = uv_buf_init(const_cast<char*>(kFull), sizeof(kFull) - 1);
    uv_try_write(handle->get(), &buf, 1);
    handle->close(nullptr, nullptr);
    return;
  }
  if (!handle->is_pipe) uv_tcp_nodelay(&handle->tcp, 1);
  auto* client = new ClientSession(self, handle, listener->info);
  client->start();
}

BackendConnection& Worker::backend_for(std::uint64_t client_id, int protocol, int db,
                                       const config::BackendUser* user) {
  auto& pool = shared_[{protocol, db, user ? user->name : std::string()}];
  if (pool.empty()) {
    int count = std::max(1, config_->backend.connections);
    for (int i = 0; i < count; ++i) {
      pool.push_back(std::make_unique<BackendConnection>(
          *this, protocol, db, ++last_backend_id_,
          user ? std::optional<config::BackendUser>(*user) : std::nullopt));
      pool.back()->connect();
    }
  }
  return *pool[client_id % pool.size()];
}

BackendConnection* Worker::acquire_pinned(ClientSession* owner, int protocol, int db,
                                          const config::BackendUser* user) {
  BackendConnection* backend = nullptr;
  const std::string& name = user ? user->name : std::string();
  for (auto it = pinned_idle_.begin(); it != pinned_idle_.end(); ++it) {
    if ((*it)->protocol() == protocol && (*it)->db() == db && (*it)->user() == name) {
      backend = *it;
      pinned_idle_.erase(it);
      break;
    }
  }
  if (backend == nullptr) {
    backend = new BackendConnection(*this, protocol, db, ++last_backend_id_,
                                    user ? std::optional<config::BackendUser>(*user)
                                         : std::nullopt);
    backend->connect();
  }
  backend->set_owner(owner);
  backend->learn_client_id();
  pinned_busy_.push_back(backend);
  return backend;
}

void Worker::release_pinned(BackendConnection* backend, bool reusable) {
  std::erase(pinned_busy_, backend);
  const auto limit = static_cast<std::size_t>(std::max(0, config_->backend.pool_size));
  if (reusable && !draining_ && pinned_idle_.size() < limit && backend->accepting()) {
    backend->reset_for_reuse();
    pinned_idle_.push_back(backend);
  } else {
    backend->retire();
  }
}

void Worker::primary_changed(const config::Address& address, const std::string& why) {
  std::vector<BackendConnection*> all;
  for (auto& [key, pool] : shared_) {
    for (auto& b : pool) all.push_back(b.get());
  }
  all.insert(all.end(), pinned_busy_.begin(), pinned_busy_.end());
  all.insert(all.end(), pinned_idle_.begin(), pinned_idle_.end());
  // Failing a pinned connection can release (retire) it: its memory stays until the next loop
  // turn, and fail() ignores a closed connection.
  for (BackendConnection* b : all) {
    if (b->uses_other_primary(address)) b->fail(why);
  }
}

void Worker::mark_dirty(BackendConnection* backend) {
  if (backend->dirty_) return;
  backend->dirty_ = true;
  dirty_backends_.push_back(backend);
}

void Worker::mark_dirty(ClientSession* client) {
  if (client->dirty_) return;
  client->dirty_ = true;
  dirty_clients_.push_back(client);
}

void Worker::flush_dirty() {
  // Backends first (the requests of this turn go out in one write each), then clients. Flushing a
  // client can resume its input, which marks more objects: loop until nothing is left.
  while (!dirty_backends_.empty() || !dirty_clients_.empty()) {
    std::vector<BackendConnection*> backends;
    backends.swap(dirty_backends_);
    for (BackendConnection* backend : backends) {
      backend->dirty_ = false;
      backend->flush();
    }
    std::vector<ClientSession*> clients;
    clients.swap(dirty_clients_);
    for (ClientSession* client : clients) {
      if (client == nullptr) continue;
      client->dirty_ = false;
      client->flush();
    }
  }
  if (draining_) maybe_finish_drain();
}

void Worker::update_backend_up() {
  std::uint64_t up = 0;
  for (auto& [key, pool] : shared_) {
    for (auto& b : pool) up += b->state() == BackendConnection::State::Ready ? 1 : 0;
  }
  metrics_.set(Gauge::BackendUp, up);
}

void Worker::client_opened(ClientSession* client) {
  metrics_.client_connected();
  ++clients_;
  all_clients_.push_back(client);
}

void Worker::client_closed(ClientSession* client) {
  metrics_.client_disconnected();
  --clients_;
  limits_.close();
  if (client->dirty_) {
    std::replace(dirty_clients_.begin(), dirty_clients_.end(), client,
                 static_cast<ClientSession*>(nullptr));
  }
  auto it = std::find(all_clients_.begin(), all_clients_.end(), client);
  if (it != all_clients_.end()) {
    *it = all_clients_.back();
    all_clients_.pop_back();
  }
  if (draining_) maybe_finish_drain();
}

ClientSession* Worker::find_client(std::uint64_t id) const {
  for (ClientSession* client : all_clients_) {
    if (client->id() == id) return client;
  }
  return nullptr;
}

std::size_t Worker::namespace_patterns(const std::string& ns) const {
  std::set<std::string> patterns;
  for (const ClientSession* client : all_clients_) {
    if (client->ns_ != nullptr && client->ns_->name == ns) {
      patterns.insert(client->patterns_.begin(), client->patterns_.end());
    }
  }
  return patterns.size();
}

void Worker::request_drain() { uv_async_send(&drain_async_); }

void Worker::begin_drain() {
  if (draining_) return;
  draining_ = true;
  log_->info("draining: no new connections; finishing {} client(s)", clients_);
  for (auto& listener : listeners_) {
    listener->handle->close(nullptr, nullptr);
  }
  listeners_.clear();
  if (admin) admin->close();
  for (ClientSession* client : std::vector<ClientSession*>(all_clients_)) client->drain();
  // Clients that keep the connection busy for too long are closed.
  uv_timer_start(
      &drain_timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<Worker*>(t->data);
        self->log_->warn("drain timeout: closing {} client(s)", self->clients_);
        for (ClientSession* client : std::vector<ClientSession*>(self->all_clients_)) {
          client->close();
        }
      },
      10000, 0);
  maybe_finish_drain();
}

void Worker::maybe_finish_drain() {
  if (!draining_ || clients_ > 0 || finished_) return;
  finished_ = true;
  for (auto& [key, pool] : shared_) {
    for (auto& backend : pool) backend->shutdown();
  }
  for (BackendConnection* backend : pinned_idle_) backend->retire();
  for (BackendConnection* backend : pinned_busy_) backend->retire();
  pinned_idle_.clear();
  pinned_busy_.clear();
  if (sentinel_) sentinel_->shutdown();
  uv_close(reinterpret_cast<uv_handle_t*>(&flush_check_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&drain_async_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&drain_timer_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sweep_timer_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&config_async_), nullptr);
  for (auto& signal : signals_) uv_close(reinterpret_cast<uv_handle_t*>(signal.get()), nullptr);
}

void Worker::run() { uv_run(&loop_, UV_RUN_DEFAULT); }

void Worker::sweep() {
  const std::uint64_t now = uv_now(&loop_);
  const config::BackendConfig& backend = config_->backend;
  const double timeout = backend.request_timeout_seconds > 0 ? backend.request_timeout_seconds
                                                             : backend.url.timeout_seconds;
  if (timeout > 0) {
    const auto limit = static_cast<std::uint64_t>(timeout * 1000);
    auto check = [&](BackendConnection* b) {
      if (b->overdue(now, limit)) {
        metrics_.add(Counter::RequestsTimedOut);
        b->fail("no reply within " + std::to_string(timeout) +
                " s (request_timeout); the backend may be hung");
      }
    };
    for (auto& [key, pool] : shared_) {
      for (auto& b : pool) check(b.get());
    }
    for (BackendConnection* b : std::vector<BackendConnection*>(pinned_busy_)) check(b);
  }
  for (ClientSession* client : std::vector<ClientSession*>(all_clients_)) client->sweep(now);
}

void Worker::post_config(std::shared_ptr<const config::Config> config) {
  {
    std::lock_guard lock(config_mutex_);
    posted_config_ = std::move(config);
  }
  uv_async_send(&config_async_);
}

void Worker::apply_posted_config() {
  std::shared_ptr<const config::Config> config;
  {
    std::lock_guard lock(config_mutex_);
    config.swap(posted_config_);
  }
  if (!config || finished_) return;
  config_ = std::move(config);
  script_commands_ = std::make_shared<const ScriptCommands>(*config_);
  for (auto& listener : listeners_) {
    listener->info.default_namespace = config_->listeners[listener->config_index].namespace_name;
  }
  for (ClientSession* client : std::vector<ClientSession*>(all_clients_)) {
    client->config_changed(config_);
  }
}

void Worker::watch_signals(std::function<void()> on_stop, std::function<void()> on_reload) {
  on_stop_ = std::move(on_stop);
  on_reload_ = std::move(on_reload);
  auto hup = std::make_unique<uv_signal_t>();
  uv_signal_init(&loop_, hup.get());
  hup->data = this;
  uv_signal_start(
      hup.get(),
      [](uv_signal_t* h, int) {
        auto* self = static_cast<Worker*>(h->data);
        if (self->on_reload_) self->on_reload_();
      },
      SIGHUP);
  signals_.push_back(std::move(hup));
  for (int signum : {SIGTERM, SIGINT}) {
    auto signal = std::make_unique<uv_signal_t>();
    uv_signal_init(&loop_, signal.get());
    signal->data = this;
    uv_signal_start(
        signal.get(),
        [](uv_signal_t* h, int sig) {
          auto* self = static_cast<Worker*>(h->data);
          self->log_->info("received {}: draining", sig == SIGTERM ? "SIGTERM" : "SIGINT");
          if (self->on_stop_) self->on_stop_();
        },
        signum);
    signals_.push_back(std::move(signal));
  }
}

}  // namespace stdnet::proxy
