// Counters of one worker, and their two renderings: INFO sections and Prometheus text (SPEC §6).
//
// Threading: each worker thread writes only its own Metrics (one writer); INFO and the admin
// endpoint read every worker's Metrics from their own thread. Every value is a
// std::atomic<std::uint64_t> that its writer updates with a relaxed load and store (no locked
// instruction on the data path) and readers load relaxed, so a reading is exact once traffic has
// stopped and never torn. Per-namespace and per-command blocks are allocated by the writer on first
// use, published with a release store and found by readers with an acquire load; they are freed
// only by ~Metrics, which must run after every reader has stopped.
//
// Namespaces are slots handed out by name (namespace_slot), not positions in the config, so that a
// SIGHUP reload that adds, removes or reorders namespaces keeps every series where it was.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "resp/commands.h"

namespace stdnet::proxy {

// Worker-wide counters (only ever increase). Each has one row in metrics.cc: its Prometheus name,
// help text, and INFO section and key.
enum class Counter : std::uint8_t {
  ConnectionsReceived,  // client connections accepted (not the rejected ones)
  ConnectionsRejected,  // refused: maxclients (global or per namespace), draining
  NetInputBytes,        // bytes read from client sockets
  NetOutputBytes,       // bytes written to client sockets
  ProtocolErrors,       // requests that got "-ERR Protocol error: …" (the connection closed)
  BackendReconnects,    // backend connection attempts after a failure
  BackendErrors,        // backend connections lost or failed to connect
  RequestsTimedOut,     // requests answered with a timeout error (backend too slow)
  Count_,
};

// Worker-wide gauges (go up and down).
enum class Gauge : std::uint8_t {
  ConnectedClients,  // client connections open now
  BackendUp,         // shared backend connections in state Ready now
  Count_,
};

inline constexpr std::size_t kCounterCount = static_cast<std::size_t>(Counter::Count_);
inline constexpr std::size_t kGaugeCount = static_cast<std::size_t>(Gauge::Count_);

// Latency histogram buckets (upper bounds, inclusive), in nanoseconds; the last bucket is +Inf.
inline constexpr std::array<std::uint64_t, 15> kLatencyBoundsNs = {
    50'000,      100'000,     250'000,     500'000,       1'000'000,
    2'500'000,   5'000'000,   10'000'000,  25'000'000,    50'000'000,
    100'000'000, 250'000'000, 500'000'000, 1'000'000'000, 2'500'000'000};
inline constexpr std::size_t kLatencyBuckets = kLatencyBoundsNs.size() + 1;
// The bucket of a latency: the first bound >= latency_ns, or the +Inf bucket.
std::size_t latency_bucket(std::uint64_t latency_ns);

class Metrics {
 public:
  // Command slot of requests whose command is not in the table (also for nullptr).
  static constexpr std::uint32_t kUnknownCommand = 0xffffffffu;
  // Namespace slot of requests from connections that have no namespace yet (before AUTH); its
  // series are labelled namespace="(none)" (a name the config cannot hold).
  static constexpr std::uint32_t kNoNamespace = 0;
  // At most this many namespace slots; the last one, "(other)", takes every name beyond it.
  static constexpr std::uint32_t kMaxNamespaces = 1024;
  static constexpr std::string_view kNoNamespaceName = "(none)";
  static constexpr std::string_view kOtherNamespaceName = "(other)";

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // ---- The command slots. Rows of cmd::all_commands() and their subcommands have fixed slots (the
  // same in every worker); other rows (operator-defined [[command]]s, rebuilt on reload) get a slot
  // by name in each worker, up to kMaxExtraCommands, then count as "unknown".
  static constexpr std::uint32_t kMaxExtraCommands = 256;
  // Writer side: the slot of a request's row; kUnknownCommand for nullptr.
  std::uint32_t command_slot(const cmd::Command* command);
  // The fixed slot of a row of the generated table, or kUnknownCommand (thread-safe, no
  // allocation).
  static std::uint32_t table_slot(const cmd::Command* command);
  // Number of slots: table rows, then "unknown", then the extra ones.
  static std::uint32_t command_slots();
  // The metric label of a slot: the row's name ("get", "client|setname"), or "unknown". Any thread.
  std::string_view command_name(std::uint32_t slot) const;

  // ---- Writer side: only the worker thread that owns this Metrics calls these.
  // The slot of a namespace, by name (allocates the namespace's block the first time). Call it when
  // a connection enters a namespace, keep the slot, pass it to observe/namespace_joined.
  std::uint32_t namespace_slot(std::string_view name);
  // One reply delivered to a client: `error` when the reply is an error ('-' or RESP3 '!').
  void observe(std::uint32_t ns_slot, std::uint32_t command_slot, std::uint64_t latency_ns,
               bool error);
  void add(Counter counter, std::uint64_t n = 1) { bump(counters_[index(counter)], n); }
  void set(Gauge gauge, std::uint64_t value) {
    gauges_[index(gauge)].store(value, std::memory_order_relaxed);
  }
  // A connection accepted (ConnectionsReceived + 1, ConnectedClients + 1) / closed (- 1).
  void client_connected();
  void client_disconnected();
  // A connection enters / leaves a namespace (per-namespace connected clients).
  void namespace_joined(std::uint32_t ns_slot);
  void namespace_left(std::uint32_t ns_slot);

  // ---- Reader side: any thread.
  std::uint64_t get(Counter counter) const {
    return counters_[index(counter)].load(std::memory_order_relaxed);
  }
  std::uint64_t get(Gauge gauge) const {
    return gauges_[index(gauge)].load(std::memory_order_relaxed);
  }

 private:
  struct CommandStats;
  struct NamespaceBlock;
  friend struct MetricsTotals;

  static std::size_t index(Counter c) { return static_cast<std::size_t>(c); }
  static std::size_t index(Gauge g) { return static_cast<std::size_t>(g); }
  // Single-writer increment: a plain load and store, no locked read-modify-write.
  static void bump(std::atomic<std::uint64_t>& value, std::uint64_t n) {
    value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  NamespaceBlock& block(std::uint32_t ns_slot);  // writer: the slot's block (created if needed)

  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::array<std::atomic<std::uint64_t>, kCounterCount> counters_{};
  std::array<std::atomic<std::uint64_t>, kGaugeCount> gauges_{};
  std::array<std::atomic<NamespaceBlock*>, kMaxNamespaces> namespaces_{};
  std::unordered_map<std::string, std::uint32_t> slot_by_name_;  // writer only
  // Names of the extra command slots (published like the blocks), and the writer's index of them.
  std::array<std::atomic<const std::string*>, kMaxExtraCommands> extra_names_{};
  std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>> extra_by_name_;
};

// Every worker's Metrics summed (namespaces matched by name). What both renderings read.
struct MetricsTotals {
  struct Command {
    std::uint64_t calls = 0;  // = the sum of buckets
    std::uint64_t errors = 0;
    std::uint64_t sum_ns = 0;
    std::array<std::uint64_t, kLatencyBuckets> buckets{};  // not cumulative
  };
  struct Namespace {
    std::uint64_t connected = 0;
    std::map<std::string, Command> commands;  // by command name (sorted)
  };
  std::array<std::uint64_t, kCounterCount> counters{};
  std::array<std::uint64_t, kGaugeCount> gauges{};
  std::map<std::string, Namespace> namespaces;  // by name (sorted), only those with a block

  std::uint64_t get(Counter c) const { return counters[static_cast<std::size_t>(c)]; }
  std::uint64_t get(Gauge g) const { return gauges[static_cast<std::size_t>(g)]; }
  static MetricsTotals collect(std::span<const Metrics* const> workers);
};

// Sum of one gauge over every worker (e.g. Gauge::BackendUp for /healthz).
std::uint64_t total(std::span<const Metrics* const> workers, Gauge gauge);

// Prometheus text exposition format 0.0.4 of every worker's Metrics summed. `config` (may be
// nullptr) lists the namespaces whose connection gauge is shown even at 0. Only (namespace,
// command) pairs with calls > 0 have series.
std::string render_prometheus(std::span<const Metrics* const> workers,
                              const config::Config* config);

// What INFO shows besides the counters.
struct InfoContext {
  const config::Config* config = nullptr;  // listeners, namespaces, backend (must be set)
  std::uint64_t uptime_seconds = 0;
  std::int64_t process_id = 0;
  // Non-empty: the namespace and commandstats sections show only this namespace (INFO from an
  // untrusted tenant must not see the others).
  std::string_view only_namespace;
  // With [backend.sentinel]: the primary this worker uses now ("" : not known yet).
  std::string sentinel_primary;
};

// The reply text of INFO [section …] (args: the arguments after INFO, any case): sections in
// Redis's format ("# Server\r\nkey:value\r\n", sections separated by "\r\n"). No argument or
// "default": server clients stats namespace backend; "all" / "everything": those and
// commandstats. Sections always come in that order; unknown names add nothing (INFO nosuch → "").
std::string render_info(std::span<const std::string_view> args,
                        std::span<const Metrics* const> workers, const InfoContext& context);

// Label value escaping of the Prometheus text format (backslash, double quote, newline).
std::string escape_label_value(std::string_view value);

}  // namespace stdnet::proxy
