#include "proxy/server.h"

#include <csignal>
#include <thread>
#include <vector>

#include "proxy/worker.h"

namespace stdnet::proxy {

Server::Server(std::shared_ptr<const config::Config> config, std::shared_ptr<spdlog::logger> log)
    : config_(std::move(config)), log_(std::move(log)) {}

Server::~Server() = default;

int Server::run() {
  std::signal(SIGPIPE, SIG_IGN);
  const int count = std::max(1, config_->server.workers);
  for (int i = 0; i < count; ++i) {
    workers_.push_back(std::make_unique<Worker>(config_, log_, limits_, i));
  }
  // The first worker runs on this thread and owns the signal handlers, installed before anything
  // listens: a SIGHUP or SIGTERM that comes as soon as the port answers is handled, not fatal.
  workers_[0]->watch_signals(
      [this] {
        for (auto& worker : workers_) worker->request_drain();
      },
      [this] { reload(); });
  for (auto& worker : workers_) {
    std::string error = worker->listen();
    if (!error.empty()) {
      log_->error("{}", error);
      return 1;
    }
  }
  std::vector<const Metrics*> all;
  for (auto& worker : workers_) all.push_back(&worker->metrics());
  for (auto& worker : workers_) {
    worker->all_metrics = all;
    worker->started_ns = uv_hrtime();
  }
  if (config_->server.admin) {
    // Served on worker 0's loop, the thread that also reloads config_.
    workers_[0]->admin = std::make_unique<AdminHttpServer>(
        workers_[0]->loop(), *config_->server.admin,
        [this, all] { return render_prometheus(all, config_.get()); },
        [all] { return total(all, Gauge::BackendUp) > 0; });
    std::string error = workers_[0]->admin->start();
    if (!error.empty()) {
      log_->error("{}", error);
      return 1;
    }
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < count; ++i) {
    threads.emplace_back([worker = workers_[i].get()] { worker->run(); });
  }
  if (const auto& sentinel = config_->backend.sentinel) {
    log_->info("stdnetd ready: {} worker(s), backend: the primary '{}' of Redis Sentinel", count,
               sentinel->master);
  } else {
    log_->info("stdnetd ready: {} worker(s), backend {}", count,
               config_->backend.url.address.to_string());
  }
  workers_[0]->run();
  for (auto& thread : threads) thread.join();
  log_->info("stdnetd stopped");
  return 0;
}

namespace {

// What a reload cannot change without a restart.
std::string needs_restart(const config::Config& old, const config::Config& fresh) {
  if (old.server.workers != fresh.server.workers) return "[server] workers";
  if (old.listeners.size() != fresh.listeners.size()) return "[[listener]]";
  for (std::size_t i = 0; i < old.listeners.size(); ++i) {
    if (old.listeners[i].address != fresh.listeners[i].address) return "[[listener]]";
  }
  const config::BackendUrl& a = old.backend.url;
  const config::BackendUrl& b = fresh.backend.url;
  if (a.address != b.address || a.db != b.db || a.user != b.user || a.password != b.password ||
      a.namespace_prefix != b.namespace_prefix) {
    return "[backend] url";
  }
  if (old.backend.connections != fresh.backend.connections) return "[backend] connections";
  if (old.backend.sentinel != fresh.backend.sentinel) return "[backend.sentinel]";
  return {};
}

}  // namespace

void Server::reload() {
  log_->info("SIGHUP: reloading {}", config_->path);
  config::LoadResult result = config::load_config_file(config_->path);
  if (!result.errors.empty()) {
    for (const auto& error : result.errors) log_->error("{}", error.to_string());
    log_->error("reload refused: {} error(s); the previous config stays in force",
                result.errors.size());
    return;
  }
  std::string changed = needs_restart(*config_, *result.config);
  if (!changed.empty()) {
    log_->error(
        "reload refused: {} changed, which needs a restart; the previous config stays in "
        "force",
        changed);
    return;
  }
  // Listener default namespaces may change; a listener's address may not.
  config_ = std::make_shared<const config::Config>(std::move(*result.config));
  for (auto& worker : workers_) worker->post_config(config_);
  log_->info("reloaded: {} namespace(s), {} script command(s)", config_->namespaces.size(),
             config_->commands.size());
}

}  // namespace stdnet::proxy
