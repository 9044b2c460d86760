// The proxy as a whole: N workers (event-loop threads), each with its own listeners (SO_REUSEPORT)
// and backend connections. run() returns when a SIGTERM/SIGINT drain has finished.
#pragma once
#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "proxy/client_limits.h"

namespace stdnet::proxy {

class Worker;

class Server {
 public:
  Server(std::shared_ptr<const config::Config> config, std::shared_ptr<spdlog::logger> log);
  // Reloads the config file (SIGHUP). An invalid file, or one that changes what needs a restart
  // (listeners, backend, workers), is refused with its errors logged; the old config stays.
  void reload();
  ~Server();
  // Binds every listener of every worker, runs until drained. Returns the process exit code.
  int run();

 private:
  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<Worker>> workers_;
  ClientLimits limits_;
};

}  // namespace stdnet::proxy
