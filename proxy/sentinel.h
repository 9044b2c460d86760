// Redis Sentinel (SPEC §5, [backend.sentinel]): each worker finds the primary by asking the
// sentinels `SENTINEL get-master-addr-by-name <master>`, in the configured order, and follows
// failovers through a `+switch-master` subscription on one of them.
//
// BackendConnections that need to connect ask Sentinel::primary(); when it is not known they wait
// (wait_for_primary) and one query in flight serves them all. A connection that finds its backend
// is not the primary (ROLE, -READONLY) or loses it calls forget(), so the next connection attempt
// asks the sentinels again. On +switch-master the worker fails every connection to the old primary
// ("the primary changed (failover to ip:port)"); they reconnect to the new one.
#pragma once
#include <uv.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "proxy/byte_buffer.h"
#include "resp/reply.h"

namespace stdnet::proxy {

class Worker;
class BackendConnection;
class SentinelLink;
struct StreamHandle;

// Receives what a SentinelLink reads. The owner may destroy the link inside either call.
class SentinelLinkOwner {
 public:
  virtual ~SentinelLinkOwner() = default;
  virtual void on_link_reply(SentinelLink* link, std::string_view reply, char type) = 0;
  // The link failed (resolve, connect, timeout, read, protocol); it is closed, no more calls.
  virtual void on_link_failure(SentinelLink* link, const std::string& error) = 0;
};

// One RESP2 connection to a sentinel: resolve, connect, write `commands`, then report each reply.
// Every libuv object it uses outlives it safely: destroying the link closes them without callbacks.
class SentinelLink {
 public:
  SentinelLink(uv_loop_t* loop, SentinelLinkOwner& owner, config::Address address);
  ~SentinelLink();
  SentinelLink(const SentinelLink&) = delete;
  SentinelLink& operator=(const SentinelLink&) = delete;

  // Starts; fails with "timeout" unless clear_deadline() is called within `timeout_ms` (0: none).
  void start(std::string commands, std::uint64_t timeout_ms);
  void clear_deadline();
  const config::Address& address() const { return address_; }

 private:
  struct Lookup;
  struct Connect;
  struct Write;
  void connect_to(const sockaddr* addr);
  void on_connected();
  void on_read(ssize_t nread);
  void fail(const std::string& error);
  void close_all();

  uv_loop_t* loop_;
  SentinelLinkOwner& owner_;
  const config::Address address_;
  std::string commands_;
  StreamHandle* stream_ = nullptr;
  uv_timer_t* timer_ = nullptr;
  Lookup* lookup_ = nullptr;
  Connect* connect_ = nullptr;
  Write* write_ = nullptr;
  ByteBuffer input_;
  resp::ReplyScanner scanner_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool failed_ = false;
};

class Sentinel final : public SentinelLinkOwner {
 public:
  Sentinel(Worker& worker, config::SentinelConfig config);
  ~Sentinel() override;
  Sentinel(const Sentinel&) = delete;
  Sentinel& operator=(const Sentinel&) = delete;

  // Starts following failovers (the +switch-master subscription).
  void start();
  // Closes every sentinel connection and timer for good (drain).
  void shutdown();

  // The primary's address when known, else nullptr.
  const config::Address* primary() const { return primary_ ? &*primary_ : nullptr; }
  // `waiter` gets on_primary(address) or on_primary_unknown(error) later, unless cancelled.
  void wait_for_primary(BackendConnection* waiter);
  void cancel_wait(BackendConnection* waiter);
  // Forgets the known primary if it is still `address` (it failed, or is not the primary any
  // more): the next connection attempt asks the sentinels again.
  void forget(const config::Address& address);
  const config::SentinelConfig& config() const { return config_; }

  void on_link_reply(SentinelLink* link, std::string_view reply, char type) override;
  void on_link_failure(SentinelLink* link, const std::string& error) override;

 private:
  std::string auth_command() const;
  std::uint64_t timeout_ms() const;
  std::string sentinel_list() const;
  // Discovery: asks addresses[query_index_]; on failure the next one; after the last, gives up.
  void query_next();
  void query_attempt_failed(const std::string& error);
  void on_query_reply(std::string_view reply, char type);
  // Stores a primary found by a query or announced by +switch-master and wakes the waiters.
  void set_primary(const config::Address& address, std::string_view source);
  // Subscription.
  void subscribe();
  void watch_failed(const std::string& error);
  void on_watch_reply(std::string_view reply, char type);
  void on_switch_master(std::string_view payload);

  Worker& worker_;
  const config::SentinelConfig config_;
  std::optional<config::Address> primary_;
  std::optional<config::Address> last_logged_;  // the primary last reported in the log
  std::vector<BackendConnection*> waiters_;
  std::unique_ptr<SentinelLink> query_;
  std::size_t query_index_ = 0;
  int query_stage_ = 0;  // 0: AUTH reply expected, 1: the get-master-addr-by-name reply
  std::string query_error_;
  std::string last_warning_;  // not repeated while the sentinels keep failing the same way
  std::unique_ptr<SentinelLink> watch_;
  std::size_t watch_index_ = 0;
  int watch_stage_ = 0;  // 0: AUTH, 1: get-master-addr-by-name, 2: SUBSCRIBE, 3: messages
  uv_timer_t* watch_timer_ = nullptr;
  double watch_backoff_ = 0;
  std::string watch_warning_;
  bool stopped_ = false;
  std::vector<resp::ReplyNode> nodes_;
};

}  // namespace stdnet::proxy
