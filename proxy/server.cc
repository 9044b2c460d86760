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
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < count; ++i) {
    workers.push_back(std::make_unique<Worker>(config_, log_, i));
    std::string error = workers.back()->listen();
    if (!error.empty()) {
      log_->error("{}", error);
      return 1;
    }
  }
  // The first worker runs on this thread and owns the signal handlers.
  workers[0]->watch_signals([&workers] {
    for (auto& worker : workers) worker->request_drain();
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < count; ++i) {
    threads.emplace_back([worker = workers[i].get()] { worker->run(); });
  }
  log_->info("stdnetd ready: {} worker(s), backend {}", count,
             config_->backend.url.address.to_string());
  workers[0]->run();
  for (auto& thread : threads) thread.join();
  log_->info("stdnetd stopped");
  return 0;
}

}  // namespace stdnet::proxy
