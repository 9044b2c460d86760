// The proxy as a whole: N workers (event-loop threads), each with its own listeners (SO_REUSEPORT)
// and backend connections. run() returns when a SIGTERM/SIGINT drain has finished.
#pragma once
#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "config/config.h"

namespace stdnet::proxy {

class Server {
 public:
  Server(std::shared_ptr<const config::Config> config, std::shared_ptr<spdlog::logger> log);
  ~Server();
  // Binds every listener of every worker, runs until drained. Returns the process exit code.
  int run();

 private:
  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace stdnet::proxy
