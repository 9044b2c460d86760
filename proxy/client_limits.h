// Client counts shared by every worker: the global maxclients and the per-namespace limits.
// Owned by the Server; workers hold a reference (not a global).
#pragma once
#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace stdnet::proxy {

class ClientLimits {
 public:
  // A new connection; false when `max` connections are open already.
  bool try_open(std::size_t max) {
    std::size_t now = open_.load(std::memory_order_relaxed);
    do {
      if (now >= max) return false;
    } while (!open_.compare_exchange_weak(now, now + 1, std::memory_order_relaxed));
    return true;
  }
  void close() { open_.fetch_sub(1, std::memory_order_relaxed); }
  std::size_t open() const { return open_.load(std::memory_order_relaxed); }

  // A connection enters a namespace; false when it has `max` (0: no limit) already.
  bool try_enter(const std::string& ns, std::size_t max) {
    std::lock_guard lock(mutex_);
    std::size_t& n = per_namespace_[ns];
    if (max != 0 && n >= max) return false;
    ++n;
    return true;
  }
  void leave(const std::string& ns) {
    std::lock_guard lock(mutex_);
    auto it = per_namespace_.find(ns);
    if (it != per_namespace_.end() && it->second > 0) --it->second;
  }
  std::size_t in_namespace(const std::string& ns) {
    std::lock_guard lock(mutex_);
    auto it = per_namespace_.find(ns);
    return it == per_namespace_.end() ? 0 : it->second;
  }

 private:
  std::atomic<std::size_t> open_{0};
  std::mutex mutex_;
  std::map<std::string, std::size_t> per_namespace_;
};

}  // namespace stdnet::proxy
