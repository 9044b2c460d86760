#include "proxy/metrics.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <functional>

#include "version.h"

namespace stdnet::proxy {
namespace {

// ---- The rows: every worker-wide counter and gauge described once.

struct Row {
  std::size_t id;               // the Counter / Gauge value (checked below)
  std::string_view prometheus;  // metric name
  std::string_view help;        // # HELP text
  std::string_view section;     // INFO section
  std::string_view info_key;    // INFO key
};

constexpr std::array<Row, kCounterCount> kCounterRows = {{
    {static_cast<std::size_t>(Counter::ConnectionsReceived), "stdnet_connections_received_total",
     "Client connections accepted.", "stats", "total_connections_received"},
    {static_cast<std::size_t>(Counter::ConnectionsRejected), "stdnet_connections_rejected_total",
     "Client connections refused (maxclients, draining).", "stats", "rejected_connections"},
    {static_cast<std::size_t>(Counter::NetInputBytes), "stdnet_net_input_bytes_total",
     "Bytes read from client connections.", "stats", "total_net_input_bytes"},
    {static_cast<std::size_t>(Counter::NetOutputBytes), "stdnet_net_output_bytes_total",
     "Bytes written to client connections.", "stats", "total_net_output_bytes"},
    {static_cast<std::size_t>(Counter::ProtocolErrors), "stdnet_protocol_errors_total",
     "Client connections closed after a protocol error.", "stats", "total_protocol_errors"},
    {static_cast<std::size_t>(Counter::BackendReconnects), "stdnet_backend_reconnects_total",
     "Backend connection attempts after a failure.", "backend", "backend_reconnects"},
    {static_cast<std::size_t>(Counter::BackendErrors), "stdnet_backend_errors_total",
     "Backend connections lost or failed to connect.", "backend", "backend_errors"},
    {static_cast<std::size_t>(Counter::RequestsTimedOut), "stdnet_requests_timed_out_total",
     "Requests answered with a timeout error because the backend was too slow.", "backend",
     "requests_timed_out"},
}};

constexpr std::array<Row, kGaugeCount> kGaugeRows = {{
    {static_cast<std::size_t>(Gauge::ConnectedClients), "stdnet_connected_clients",
     "Client connections open.", "clients", "connected_clients"},
    {static_cast<std::size_t>(Gauge::BackendUp), "stdnet_backend_up",
     "Shared backend connections ready (summed over workers; 0: the backend is unreachable).",
     "backend", "backend_up"},
}};

template <std::size_t N>
constexpr bool rows_in_order(const std::array<Row, N>& rows) {
  for (std::size_t i = 0; i < N; ++i) {
    if (rows[i].id != i) return false;
  }
  return true;
}
static_assert(rows_in_order(kCounterRows), "kCounterRows must follow the order of enum Counter");
static_assert(rows_in_order(kGaugeRows), "kGaugeRows must follow the order of enum Gauge");

// The `le` label of each histogram bucket (kLatencyBoundsNs in seconds, then +Inf).
constexpr std::array<std::string_view, kLatencyBuckets> kBucketLabels = {
    "0.00005", "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01",
    "0.025",   "0.05",   "0.1",     "0.25",   "0.5",   "1",      "2.5",   "+Inf"};

constexpr std::string_view kUnknownCommandName = "unknown";

// ---- The command slots: top-level rows first (in table order), then every container's
// subcommands. Immutable once built (thread-safe static initialization).

struct CommandIndex {
  std::span<const cmd::Command> top;
  std::vector<const cmd::Command*> rows;  // slot → row
  std::unordered_map<const cmd::Command*, std::uint32_t> subcommand_slots;

  CommandIndex() : top(cmd::all_commands()) {
    for (const cmd::Command& c : top) rows.push_back(&c);
    for (const cmd::Command& c : top) {
      for (const cmd::Command& sub : c.subcommands) {
        subcommand_slots.emplace(&sub, static_cast<std::uint32_t>(rows.size()));
        rows.push_back(&sub);
      }
    }
  }
};

const CommandIndex& command_index() {
  static const CommandIndex index;
  return index;
}

// ---- Text helpers.

void append_uint(std::string& out, std::uint64_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

// Shortest text that reads back as the same double ("0.000123", "1.5e-05", "2").
void append_double(std::string& out, double value) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void append_seconds(std::string& out, std::uint64_t ns) {
  append_double(out, static_cast<double>(ns) / 1e9);
}

// An INFO key made of a name: characters other than letters, digits, '_', '.', '-' become '_' (a
// ':' would end the key for every INFO parser).
std::string info_key(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') c = '_';
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;  // our own texts: no backslash or newline to escape
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  append_uint(out, value);
  out += '\n';
}

void kv(std::string& out, std::string_view key, std::uint64_t value) {
  out += key;
  out += ':';
  append_uint(out, value);
  out += "\r\n";
}

void kv(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  out += ':';
  out += value;
  out += "\r\n";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Metrics

struct Metrics::CommandStats {
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> sum_ns{0};
  std::array<std::atomic<std::uint64_t>, kLatencyBuckets> buckets{};
};

struct Metrics::NamespaceBlock {
  explicit NamespaceBlock(std::string_view n)
      : name(n), commands(new std::atomic<CommandStats*>[command_slots()]()) {}
  ~NamespaceBlock() {
    for (std::uint32_t i = 0; i < command_slots(); ++i) delete commands[i].load();
  }
  NamespaceBlock(const NamespaceBlock&) = delete;
  NamespaceBlock& operator=(const NamespaceBlock&) = delete;

  const std::string name;
  std::atomic<std::uint64_t> connected{0};
  const std::unique_ptr<std::atomic<CommandStats*>[]> commands;  // by command slot
};

std::size_t latency_bucket(std::uint64_t latency_ns) {
  const auto it = std::lower_bound(kLatencyBoundsNs.begin(), kLatencyBoundsNs.end(), latency_ns);
  return static_cast<std::size_t>(it - kLatencyBoundsNs.begin());
}

Metrics::Metrics() = default;

Metrics::~Metrics() {
  for (auto& slot : namespaces_) delete slot.load();
  for (auto& name : extra_names_) delete name.load();
}

std::uint32_t Metrics::table_slot(const cmd::Command* command) {
  if (command == nullptr) return kUnknownCommand;
  const CommandIndex& index = command_index();
  const std::less<const cmd::Command*> before{};
  if (!index.top.empty() && !before(command, index.top.data()) &&
      before(command, index.top.data() + index.top.size())) {
    return static_cast<std::uint32_t>(command - index.top.data());
  }
  const auto it = index.subcommand_slots.find(command);
  return it == index.subcommand_slots.end() ? kUnknownCommand : it->second;
}

std::uint32_t Metrics::command_slot(const cmd::Command* command) {
  const std::uint32_t slot = table_slot(command);
  if (slot != kUnknownCommand || command == nullptr) return slot;
  // A row of its own (an operator-defined command): a slot by name.
  if (const auto it = extra_by_name_.find(command->name); it != extra_by_name_.end()) {
    return it->second;
  }
  const std::size_t extra = extra_by_name_.size();
  if (extra >= kMaxExtraCommands) return kUnknownCommand;
  extra_names_[extra].store(new std::string(command->name), std::memory_order_release);
  const auto first_extra = static_cast<std::uint32_t>(command_index().rows.size()) + 1;
  const std::uint32_t new_slot = first_extra + static_cast<std::uint32_t>(extra);
  extra_by_name_.emplace(std::string(command->name), new_slot);
  return new_slot;
}

std::uint32_t Metrics::command_slots() {
  return static_cast<std::uint32_t>(command_index().rows.size()) + 1 + kMaxExtraCommands;
}

std::string_view Metrics::command_name(std::uint32_t slot) const {
  const CommandIndex& index = command_index();
  if (slot < index.rows.size()) return index.rows[slot]->name;
  const std::size_t first_extra = index.rows.size() + 1;
  if (slot >= first_extra && slot - first_extra < kMaxExtraCommands) {
    if (const std::string* name =
            extra_names_[slot - first_extra].load(std::memory_order_acquire)) {
      return *name;
    }
  }
  return kUnknownCommandName;
}

std::uint32_t Metrics::namespace_slot(std::string_view name) {
  if (name.empty()) return kNoNamespace;
  const auto it = slot_by_name_.find(std::string(name));
  if (it != slot_by_name_.end()) return it->second;
  std::uint32_t slot = static_cast<std::uint32_t>(slot_by_name_.size()) + 1;  // 0: kNoNamespace
  std::string_view block_name = name;
  if (slot >= kMaxNamespaces - 1) {
    slot = kMaxNamespaces - 1;
    block_name = kOtherNamespaceName;
    if (namespaces_[slot].load(std::memory_order_relaxed) != nullptr) return slot;
  } else {
    slot_by_name_.emplace(std::string(name), slot);
  }
  namespaces_[slot].store(new NamespaceBlock(block_name), std::memory_order_release);
  return slot;
}

Metrics::NamespaceBlock& Metrics::block(std::uint32_t ns_slot) {
  if (ns_slot < kMaxNamespaces) {
    if (NamespaceBlock* b = namespaces_[ns_slot].load(std::memory_order_relaxed)) return *b;
  }
  // kNoNamespace (created on first use), or a slot namespace_slot() never gave: counted there too.
  NamespaceBlock* none = namespaces_[kNoNamespace].load(std::memory_order_relaxed);
  if (none == nullptr) {
    none = new NamespaceBlock(kNoNamespaceName);
    namespaces_[kNoNamespace].store(none, std::memory_order_release);
  }
  return *none;
}

void Metrics::observe(std::uint32_t ns_slot, std::uint32_t command_slot, std::uint64_t latency_ns,
                      bool error) {
  NamespaceBlock& ns = block(ns_slot);
  const std::uint32_t unknown = static_cast<std::uint32_t>(command_index().rows.size());
  const std::uint32_t slot = command_slot < command_slots() ? command_slot : unknown;
  CommandStats* stats = ns.commands[slot].load(std::memory_order_relaxed);
  if (stats == nullptr) {
    stats = new CommandStats();
    ns.commands[slot].store(stats, std::memory_order_release);
  }
  bump(stats->buckets[latency_bucket(latency_ns)], 1);
  bump(stats->sum_ns, latency_ns);
  if (error) bump(stats->errors, 1);
}

void Metrics::client_connected() {
  add(Counter::ConnectionsReceived);
  bump(gauges_[index(Gauge::ConnectedClients)], 1);
}

void Metrics::client_disconnected() {
  auto& gauge = gauges_[index(Gauge::ConnectedClients)];
  const std::uint64_t value = gauge.load(std::memory_order_relaxed);
  if (value > 0) gauge.store(value - 1, std::memory_order_relaxed);
}

void Metrics::namespace_joined(std::uint32_t ns_slot) {
  bump(block(ns_slot).connected, 1);
}

void Metrics::namespace_left(std::uint32_t ns_slot) {
  auto& gauge = block(ns_slot).connected;
  const std::uint64_t value = gauge.load(std::memory_order_relaxed);
  if (value > 0) gauge.store(value - 1, std::memory_order_relaxed);
}

// ---------------------------------------------------------------------------------------------
// Totals

MetricsTotals MetricsTotals::collect(std::span<const Metrics* const> workers) {
  MetricsTotals totals;
  const std::uint32_t slots = Metrics::command_slots();
  for (const Metrics* m : workers) {
    if (m == nullptr) continue;
    for (std::size_t i = 0; i < kCounterCount; ++i) {
      totals.counters[i] += m->counters_[i].load(std::memory_order_relaxed);
    }
    for (std::size_t i = 0; i < kGaugeCount; ++i) {
      totals.gauges[i] += m->gauges_[i].load(std::memory_order_relaxed);
    }
    for (const auto& ns_slot : m->namespaces_) {
      const Metrics::NamespaceBlock* block = ns_slot.load(std::memory_order_acquire);
      if (block == nullptr) continue;
      Namespace& ns = totals.namespaces[block->name];
      ns.connected += block->connected.load(std::memory_order_relaxed);
      for (std::uint32_t slot = 0; slot < slots; ++slot) {
        const Metrics::CommandStats* stats = block->commands[slot].load(std::memory_order_acquire);
        if (stats == nullptr) continue;
        Command& c = ns.commands[std::string(m->command_name(slot))];
        for (std::size_t b = 0; b < kLatencyBuckets; ++b) {
          const std::uint64_t n = stats->buckets[b].load(std::memory_order_relaxed);
          c.buckets[b] += n;
          c.calls += n;
        }
        c.errors += stats->errors.load(std::memory_order_relaxed);
        c.sum_ns += stats->sum_ns.load(std::memory_order_relaxed);
      }
    }
  }
  return totals;
}

std::uint64_t total(std::span<const Metrics* const> workers, Gauge gauge) {
  std::uint64_t sum = 0;
  for (const Metrics* m : workers) {
    if (m != nullptr) sum += m->get(gauge);
  }
  return sum;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Prometheus

std::string render_prometheus(std::span<const Metrics* const> workers,
                              const config::Config* config) {
  const MetricsTotals totals = MetricsTotals::collect(workers);
  std::string out;
  out.reserve(4096);

  family(out, "stdnet_build_info", "gauge", "stdnetd version (always 1).");
  sample(out, "stdnet_build_info", "version=\"" + escape_label_value(STDNET_VERSION) + "\"", 1);
  for (const Row& row : kCounterRows) {
    family(out, row.prometheus, "counter", row.help);
    sample(out, row.prometheus, {}, totals.counters[row.id]);
  }
  for (const Row& row : kGaugeRows) {
    family(out, row.prometheus, "gauge", row.help);
    sample(out, row.prometheus, {}, totals.gauges[row.id]);
  }

  // Connections per namespace: every configured namespace (0 when idle) and every one seen.
  std::map<std::string, std::uint64_t> connected;
  if (config != nullptr) {
    for (const config::Namespace& ns : config->namespaces) connected[ns.name] = 0;
  }
  for (const auto& [name, ns] : totals.namespaces) {
    if (name == Metrics::kNoNamespaceName && ns.connected == 0) continue;
    connected[name] += ns.connected;
  }
  family(out, "stdnet_namespace_connected_clients", "gauge",
         "Client connections open, by namespace.");
  for (const auto& [name, value] : connected) {
    sample(out, "stdnet_namespace_connected_clients",
           "namespace=\"" + escape_label_value(name) + "\"", value);
  }

  // Per namespace and command: calls, errors, latency.
  struct Series {
    std::string labels;  // namespace="…",command="…"
    const MetricsTotals::Command* stats;
  };
  std::vector<Series> series;
  for (const auto& [ns_name, ns] : totals.namespaces) {
    for (const auto& [command, stats] : ns.commands) {
      if (stats.calls == 0) continue;
      series.push_back({"namespace=\"" + escape_label_value(ns_name) + "\",command=\"" +
                            escape_label_value(command) + "\"",
                        &stats});
    }
  }
  family(out, "stdnet_commands_total", "counter",
         "Replies delivered to clients, by namespace and command.");
  for (const Series& s : series) sample(out, "stdnet_commands_total", s.labels, s.stats->calls);
  family(out, "stdnet_command_errors_total", "counter",
         "Error replies delivered to clients, by namespace and command.");
  for (const Series& s : series) {
    sample(out, "stdnet_command_errors_total", s.labels, s.stats->errors);
  }
  family(out, "stdnet_command_duration_seconds", "histogram",
         "Time from a request's arrival to its reply, by namespace and command.");
  for (const Series& s : series) {
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kLatencyBuckets; ++b) {
      cumulative += s.stats->buckets[b];
      std::string labels = s.labels;
      labels += ",le=\"";
      labels += kBucketLabels[b];
      labels += '"';
      sample(out, "stdnet_command_duration_seconds_bucket", labels, cumulative);
    }
    out += "stdnet_command_duration_seconds_sum{";
    out += s.labels;
    out += "} ";
    append_seconds(out, s.stats->sum_ns);
    out += '\n';
    sample(out, "stdnet_command_duration_seconds_count", s.labels, s.stats->calls);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// INFO

namespace {

enum Section : unsigned {
  kServer = 1u << 0,
  kClients = 1u << 1,
  kStats = 1u << 2,
  kNamespace = 1u << 3,
  kBackend = 1u << 4,
  kCommandstats = 1u << 5,
};
constexpr unsigned kDefaultSections = kServer | kClients | kStats | kNamespace | kBackend;
constexpr unsigned kAllSections = kDefaultSections | kCommandstats;

struct SectionName {
  Section section;
  std::string_view name;   // as INFO takes it
  std::string_view title;  // as the "# Title" line shows it
};
constexpr std::array<SectionName, 6> kSections = {{
    {kServer, "server", "Server"},
    {kClients, "clients", "Clients"},
    {kStats, "stats", "Stats"},
    {kNamespace, "namespace", "Namespace"},
    {kBackend, "backend", "Backend"},
    {kCommandstats, "commandstats", "Commandstats"},
}};

unsigned selected_sections(std::span<const std::string_view> args) {
  if (args.empty()) return kDefaultSections;
  unsigned selected = 0;
  for (std::string_view arg : args) {
    const std::string name = lower(arg);
    if (name == "default") {
      selected |= kDefaultSections;
    } else if (name == "all" || name == "everything") {
      selected |= kAllSections;
    } else {
      for (const SectionName& s : kSections) {
        if (s.name == name) selected |= s.section;
      }
    }
  }
  return selected;
}

void rows_of(std::string& out, std::string_view section, const MetricsTotals& totals) {
  for (const Row& row : kCounterRows) {
    if (row.section == section) kv(out, row.info_key, totals.counters[row.id]);
  }
  for (const Row& row : kGaugeRows) {
    if (row.section == section) kv(out, row.info_key, totals.gauges[row.id]);
  }
}

std::uint16_t first_tcp_port(const config::Config& config) {
  for (const config::Listener& listener : config.listeners) {
    if (!listener.address.is_unix()) return listener.address.port;
  }
  return 0;
}

struct NamespaceSums {
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  std::uint64_t sum_ns = 0;
};

NamespaceSums sums(const MetricsTotals::Namespace& ns) {
  NamespaceSums s;
  for (const auto& [name, c] : ns.commands) {
    s.calls += c.calls;
    s.errors += c.errors;
    s.sum_ns += c.sum_ns;
  }
  return s;
}

void section_body(std::string& out, Section section, const MetricsTotals& totals,
                  const InfoContext& context) {
  const config::Config& config = *context.config;
  switch (section) {
    case kServer:
      kv(out, "redis_version", "7.0.15");
      kv(out, "stdnet_version", STDNET_VERSION);
      kv(out, "redis_mode", "standalone");
      kv(out, "process_id", static_cast<std::uint64_t>(context.process_id));
      kv(out, "tcp_port", first_tcp_port(config));
      kv(out, "uptime_in_seconds", context.uptime_seconds);
      kv(out, "uptime_in_days", context.uptime_seconds / 86400);
      kv(out, "workers", static_cast<std::uint64_t>(std::max(1, config.server.workers)));
      kv(out, "config_file", config.path);
      break;
    case kClients:
      rows_of(out, "clients", totals);
      kv(out, "maxclients", config.server.maxclients);
      break;
    case kStats: {
      rows_of(out, "stats", totals);
      NamespaceSums all;
      for (const auto& [name, ns] : totals.namespaces) {
        const NamespaceSums s = sums(ns);
        all.calls += s.calls;
        all.errors += s.errors;
      }
      kv(out, "total_commands_processed", all.calls);
      kv(out, "total_error_replies", all.errors);
      break;
    }
    case kNamespace: {
      // Configured namespaces in config order, then any other with activity (removed by a reload,
      // "(none)" before AUTH, "(other)").
      auto line = [&out](std::string_view name, std::uint64_t clients, const NamespaceSums& s) {
        out += "ns_";
        out += info_key(name);
        out += ":clients=";
        append_uint(out, clients);
        out += ",calls=";
        append_uint(out, s.calls);
        out += ",errors=";
        append_uint(out, s.errors);
        out += ",usec=";
        append_uint(out, s.sum_ns / 1000);
        out += "\r\n";
      };
      auto wanted = [&context](std::string_view name) {
        return context.only_namespace.empty() || context.only_namespace == name;
      };
      for (const config::Namespace& ns : config.namespaces) {
        if (!wanted(ns.name)) continue;
        const auto it = totals.namespaces.find(ns.name);
        if (it == totals.namespaces.end()) {
          line(ns.name, 0, {});
        } else {
          line(ns.name, it->second.connected, sums(it->second));
        }
      }
      for (const auto& [name, ns] : totals.namespaces) {
        if (!wanted(name) || config.find_namespace(name) != nullptr) continue;
        const NamespaceSums s = sums(ns);
        if (s.calls > 0 || ns.connected > 0) line(name, ns.connected, s);
      }
      break;
    }
    case kBackend:
      if (const auto& sentinel = config.backend.sentinel) {
        // The primary is whichever the sentinels name (each worker asks them).
        std::string addresses;
        for (const config::Address& a : sentinel->addresses) {
          if (!addresses.empty()) addresses.push_back(',');
          addresses.append(a.to_string());
        }
        kv(out, "backend_sentinel_master", sentinel->master);
        kv(out, "backend_sentinel_addresses", addresses);
        kv(out, "backend_sentinel_primary", context.sentinel_primary);
      } else {
        kv(out, "backend_address", config.backend.url.address.to_string());
      }
      rows_of(out, "backend", totals);
      break;
    case kCommandstats: {
      std::map<std::string_view, MetricsTotals::Command> by_command;  // views into totals
      for (const auto& [ns_name, ns] : totals.namespaces) {
        if (!context.only_namespace.empty() && context.only_namespace != ns_name) continue;
        for (const auto& [name, c] : ns.commands) {
          MetricsTotals::Command& sum = by_command[name];
          sum.calls += c.calls;
          sum.errors += c.errors;
          sum.sum_ns += c.sum_ns;
        }
      }
      for (const auto& [name, c] : by_command) {
        if (c.calls == 0) continue;
        const std::uint64_t usec = c.sum_ns / 1000;
        char per_call[32];
        std::snprintf(per_call, sizeof per_call, "%.2f",
                      static_cast<double>(c.sum_ns) / 1000.0 / static_cast<double>(c.calls));
        out += "cmdstat_";
        out += name;
        out += ":calls=";
        append_uint(out, c.calls);
        out += ",usec=";
        append_uint(out, usec);
        out += ",usec_per_call=";
        out += per_call;
        out += ",rejected_calls=0,failed_calls=";
        append_uint(out, c.errors);
        out += "\r\n";
      }
      break;
    }
  }
}

}  // namespace

std::string render_info(std::span<const std::string_view> args,
                        std::span<const Metrics* const> workers, const InfoContext& context) {
  const unsigned selected = selected_sections(args);
  std::string out;
  if (selected == 0 || context.config == nullptr) return out;
  const MetricsTotals totals = MetricsTotals::collect(workers);
  for (const SectionName& s : kSections) {
    if ((selected & s.section) == 0) continue;
    if (!out.empty()) out += "\r\n";
    out += "# ";
    out += s.title;
    out += "\r\n";
    section_body(out, s.section, totals, context);
  }
  return out;
}

}  // namespace stdnet::proxy
