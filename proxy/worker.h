// A worker: one libuv loop with its listeners, client sessions and backend connections. All of a
// worker's objects live on its loop's thread; workers share nothing mutable.
#pragma once
#include <uv.h>

#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "config/config.h"
#include "proxy/admin_http.h"
#include "proxy/backend.h"
#include "proxy/client_limits.h"
#include "proxy/log_limiter.h"
#include "proxy/metrics.h"
#include "proxy/script_commands.h"
#include "proxy/sentinel.h"

namespace stdnet::proxy {

class ClientSession;
struct ListenerState;

class Worker {
 public:
  Worker(std::shared_ptr<const config::Config> config, std::shared_ptr<spdlog::logger> log,
         ClientLimits& limits, int index);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Binds the listeners. Returns an error message, or empty.
  std::string listen();
  // Runs the loop until drained and stopped.
  void run();
  // Thread-safe: stop accepting, finish in-flight requests, then exit run().
  void request_drain();
  // SIGTERM/SIGINT on this worker's loop call `on_stop` (which drains every worker); SIGHUP calls
  // `on_reload`.
  void watch_signals(std::function<void()> on_stop, std::function<void()> on_reload);
  // Thread-safe: use `config` from the next loop turn on (namespaces, credentials, policies,
  // limits). Connected clients follow their namespace by name; a removed namespace's clients close.
  void post_config(std::shared_ptr<const config::Config> config);

  uv_loop_t* loop() { return &loop_; }
  spdlog::logger& log() { return *log_; }
  LogLimiter& client_log_limiter() { return client_log_limiter_; }
  const std::shared_ptr<const config::Config>& config() const { return config_; }
  Metrics& metrics() { return metrics_; }
  std::vector<const Metrics*> all_metrics;  // every worker's (set by Server before run)
  std::uint64_t started_ns = 0;
  std::unique_ptr<AdminHttpServer> admin;  // worker 0 only
  void update_backend_up();
  const ScriptCommands& script_commands() const { return *script_commands_; }
  std::shared_ptr<const ScriptCommands> script_commands_ptr() const { return script_commands_; }
  ClientLimits& limits() { return limits_; }
  int index() const { return index_; }

  // The shared connection a client's requests go to (the same one while the client keeps its
  // protocol and database, so its requests run in order).
  // `user`: the namespace's backend ACL user (nullptr: the URL's credentials; the proxy's own
  // scans always use those).
  BackendConnection& backend_for(std::uint64_t client_id, int protocol, int db,
                                 const config::BackendUser* user = nullptr);
  // A connection of the client's own (MULTI, blocking commands, SUBSCRIBE, tracking), from the
  // idle pool or new. release_pinned: reusable → RESET and back to the pool; else closed.
  BackendConnection* acquire_pinned(ClientSession* owner, int protocol, int db,
                                    const config::BackendUser* user = nullptr);
  void release_pinned(BackendConnection* backend, bool reusable);
  // [backend.sentinel]: the primary's resolver and failover watcher (nullptr without sentinel).
  Sentinel* sentinel() { return sentinel_.get(); }
  // A failover to `address`: every shared and pinned connection to another address fails with
  // `why` (its requests in flight get -ERR replies) and reconnects to the new primary.
  void primary_changed(const config::Address& address, const std::string& why);

  // Per-loop-turn batching: marked objects are flushed once, after all reads of the turn.
  void mark_dirty(BackendConnection* backend);
  void mark_dirty(ClientSession* client);

  // The time the current callback started (uv_hrtime), read once per socket read rather than per
  // request: request latencies run from the read that brought the request to the one that brought
  // its reply.
  std::uint64_t clock_ns() const { return clock_ns_; }
  std::uint64_t refresh_clock() { return clock_ns_ = uv_hrtime(); }

  // Socket reads with no partial request pending go here, not to a per-client buffer.
  char* scratch_read_buffer() { return scratch_.get(); }
  static constexpr std::size_t kScratchSize = 64 * 1024;

  void client_opened(ClientSession* client);
  void client_closed(ClientSession* client);
  // Distinct patterns the namespace's clients of this worker are subscribed to (PUBSUB NUMPAT).
  std::size_t namespace_patterns(const std::string& ns) const;
  // A client of this worker by its id (CLIENT ID), or nullptr.
  ClientSession* find_client(std::uint64_t id) const;
  bool draining() const { return draining_; }
  std::uint64_t next_client_id() { return ++last_client_id_; }

 private:
  void flush_dirty();
  // Every 250 ms: backend requests past their timeout, idle clients, clients that stopped reading.
  void sweep();
  void begin_drain();
  void maybe_finish_drain();
  static void on_connection(uv_stream_t* server, int status);

  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<spdlog::logger> log_;
  const int index_;
  uv_loop_t loop_{};
  uv_check_t flush_check_{};
  uv_async_t drain_async_{};
  uv_timer_t drain_timer_{};
  uv_timer_t sweep_timer_{};
  ClientLimits& limits_;
  LogLimiter client_log_limiter_;
  std::shared_ptr<const ScriptCommands> script_commands_;  // from config_
  std::vector<std::unique_ptr<ListenerState>> listeners_;
  std::map<std::tuple<int, int, std::string>, std::vector<std::unique_ptr<BackendConnection>>>
      shared_;                                   // by (protocol, db, ACL user)
  std::vector<BackendConnection*> pinned_idle_;  // reset, ready for the next client
  std::vector<BackendConnection*> pinned_busy_;  // serving a client
  std::unique_ptr<Sentinel> sentinel_;
  int last_backend_id_ = 0;
  std::vector<BackendConnection*> dirty_backends_;
  std::vector<ClientSession*> dirty_clients_;
  std::unique_ptr<char[]> scratch_;
  std::vector<ClientSession*> all_clients_;
  std::vector<std::unique_ptr<uv_signal_t>> signals_;
  std::function<void()> on_stop_;
  std::function<void()> on_reload_;
  uv_async_t config_async_{};
  std::mutex config_mutex_;
  std::shared_ptr<const config::Config> posted_config_;  // guarded by config_mutex_
  void apply_posted_config();
  std::size_t clients_ = 0;
  bool finished_ = false;
  std::uint64_t last_client_id_ = 0;
  std::uint64_t clock_ns_ = 0;
  bool draining_ = false;
  Metrics metrics_;
  friend class ClientSession;
};

}  // namespace stdnet::proxy
