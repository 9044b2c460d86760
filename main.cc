// stdnetd: reads the command line and the config, then runs the proxy until SIGTERM/SIGINT.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "config/config.h"
#include "proxy/acl.h"
#include "proxy/server.h"
#include "version.h"

namespace {

constexpr const char* kUsage =
    "Usage: stdnetd --config FILE        run the proxy\n"
    "       stdnetd --check-config FILE  validate FILE, report every error with file:line:column\n"
    "       stdnetd --print-acl FILE     print the ACL SETUSER commands for namespaces with a\n"
    "                                    backend_user (run them on the backend, e.g. redis-cli)\n"
    "       stdnetd --version\n"
    "       stdnetd --help\n"
    "\n"
    "stdnetd is a Redis-protocol proxy that gives every client a namespace: keys and channels are\n"
    "prefixed on the way in and stripped on the way out. See stdnet.example.toml for the config.\n";

int usage_error(const char* message) {
  std::fprintf(stderr, "stdnetd: %s\n\n%s", message, kUsage);
  return 2;
}

std::optional<stdnet::config::Config> load(const std::string& path) {
  stdnet::config::LoadResult result = stdnet::config::load_config_file(path);
  for (const auto& error : result.errors) std::fprintf(stderr, "%s\n", error.to_string().c_str());
  if (!result.errors.empty()) {
    std::fprintf(stderr, "stdnetd: %zu error(s) in %s\n", result.errors.size(), path.c_str());
  }
  return std::move(result.config);
}

std::shared_ptr<spdlog::logger> make_logger(const stdnet::config::ServerConfig& server) {
  auto log = std::make_shared<spdlog::logger>("stdnetd",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
  log->set_level(spdlog::level::from_str(server.log_level));
  if (server.log_format == "json") {
    log->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,"msg":"%v"})");
  } else {
    log->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
  }
  log->flush_on(spdlog::level::info);
  return log;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h"))) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (argc == 2 && !std::strcmp(argv[1], "--version")) {
    std::printf("stdnetd %s\n", STDNET_VERSION);
    return 0;
  }
  if (argc != 3) return usage_error("expected one option and a config file");
  const std::string option = argv[1];
  const std::string path = argv[2];
  if (option != "--config" && option != "--check-config" && option != "--print-acl") {
    return usage_error(("unknown option " + option).c_str());
  }
  std::optional<stdnet::config::Config> config = load(path);
  if (!config) return 1;
  if (option == "--print-acl") {
    std::fputs(stdnet::proxy::acl_setuser_lines(*config).c_str(), stdout);
    return 0;
  }
  if (option == "--check-config") {
    std::printf("%s: OK\n", path.c_str());
    return 0;
  }
  auto shared = std::make_shared<const stdnet::config::Config>(std::move(*config));
  stdnet::proxy::Server server(shared, make_logger(shared->server));
  return server.run();
}
