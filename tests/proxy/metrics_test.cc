// Metrics (per-worker counters, Prometheus text, INFO sections) and the admin HTTP server, the
// latter on a real libuv loop with plain blocking sockets as clients.
#include "proxy/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <uv.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "proxy/admin_http.h"
#include "version.h"

namespace stdnet::proxy {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::uint32_t slot_of(std::string_view name) {
  const cmd::Command* c = cmd::lookup_name(name);
  EXPECT_NE(c, nullptr) << name;
  return Metrics::table_slot(c);
}

config::Config test_config() {
  config::Config config;
  config.path = "/etc/stdnet.toml";
  config.server.workers = 2;
  config.server.maxclients = 500;
  config.backend.url.address.host = "127.0.0.1";
  config.backend.url.address.port = 6379;
  config::Listener unix_listener;
  unix_listener.address.unix_path = "/run/stdnet.sock";
  config::Listener tcp_listener;
  tcp_listener.address.host = "127.0.0.1";
  tcp_listener.address.port = 6380;
  config.listeners = {unix_listener, tcp_listener};
  config::Namespace app1;
  app1.name = "app1";
  app1.prefix = "app1:";
  config::Namespace app2;
  app2.name = "app2";
  app2.prefix = "app2:";
  config.namespaces = {app1, app2};
  return config;
}

InfoContext context_for(const config::Config& config, std::uint64_t uptime, std::int64_t pid) {
  InfoContext context;
  context.config = &config;
  context.uptime_seconds = uptime;
  context.process_id = pid;
  return context;
}

std::string info(std::initializer_list<std::string_view> args,
                 std::span<const Metrics* const> workers, const InfoContext& context) {
  const std::vector<std::string_view> list(args);
  return render_info(list, workers, context);
}

// ---------------------------------------------------------------------------------------------
// Command slots and buckets

TEST(MetricsTest, CommandSlotsAreDenseAndNamed) {
  Metrics m;
  std::set<std::uint32_t> seen;
  std::uint32_t rows = 0;
  auto check = [&](const cmd::Command& c) {
    ++rows;
    const std::uint32_t slot = m.command_slot(&c);
    EXPECT_EQ(slot, Metrics::table_slot(&c));
    ASSERT_LT(slot, Metrics::command_slots()) << c.name;
    EXPECT_EQ(m.command_name(slot), c.name);
    EXPECT_TRUE(seen.insert(slot).second) << c.name;
  };
  for (const cmd::Command& c : cmd::all_commands()) {
    check(c);
    for (const cmd::Command& sub : c.subcommands) check(sub);
  }
  EXPECT_EQ(*seen.rbegin(), rows - 1);  // dense: 0 … rows-1
  EXPECT_EQ(Metrics::command_slots(), rows + 1 + Metrics::kMaxExtraCommands);
  EXPECT_EQ(m.command_name(slot_of("client|setname")), "client|setname");
  EXPECT_EQ(m.command_slot(nullptr), Metrics::kUnknownCommand);
  EXPECT_EQ(m.command_name(Metrics::kUnknownCommand), "unknown");
  EXPECT_EQ(m.command_name(rows), "unknown");
  EXPECT_EQ(m.command_name(rows + 1), "unknown");  // an extra slot not given yet
}

// Rows outside the generated table (operator-defined [[command]]s) get a slot by name.
TEST(MetricsTest, OperatorCommandsGetSlotsByName) {
  Metrics m;
  cmd::Command ratelimit;
  ratelimit.name = "ratelimit";
  EXPECT_EQ(Metrics::table_slot(&ratelimit), Metrics::kUnknownCommand);
  const std::uint32_t slot = m.command_slot(&ratelimit);
  EXPECT_NE(slot, Metrics::kUnknownCommand);
  EXPECT_EQ(m.command_name(slot), "ratelimit");
  cmd::Command reloaded = ratelimit;  // a reload builds a new row with the same name
  EXPECT_EQ(m.command_slot(&reloaded), slot);
  const std::uint32_t app1 = m.namespace_slot("app1");
  m.observe(app1, slot, 1000, false);
  m.observe(app1, m.command_slot(&reloaded), 1000, true);
  const Metrics* workers[] = {&m};
  const std::string text = render_prometheus(workers, nullptr);
  EXPECT_THAT(text,
              HasSubstr("\nstdnet_commands_total{namespace=\"app1\",command=\"ratelimit\"} 2\n"));
  EXPECT_THAT(
      text,
      HasSubstr("\nstdnet_command_errors_total{namespace=\"app1\",command=\"ratelimit\"} 1\n"));
  // Beyond kMaxExtraCommands names: "unknown".
  std::vector<cmd::Command> rows(Metrics::kMaxExtraCommands);
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < Metrics::kMaxExtraCommands; ++i)
    names.push_back("op" + std::to_string(i));
  for (std::uint32_t i = 0; i < Metrics::kMaxExtraCommands; ++i) rows[i].name = names[i];
  for (std::uint32_t i = 0; i + 1 < Metrics::kMaxExtraCommands; ++i) {
    EXPECT_NE(m.command_slot(&rows[i]), Metrics::kUnknownCommand) << i;
  }
  EXPECT_EQ(m.command_slot(&rows.back()), Metrics::kUnknownCommand);
  EXPECT_EQ(m.command_slot(&ratelimit), slot);
}

TEST(MetricsTest, LatencyBucketUpperBoundsAreInclusive) {
  EXPECT_EQ(latency_bucket(0), 0u);
  EXPECT_EQ(latency_bucket(50'000), 0u);   // le="0.00005"
  EXPECT_EQ(latency_bucket(50'001), 1u);   // le="0.0001"
  EXPECT_EQ(latency_bucket(999'999), 4u);  // le="0.001"
  EXPECT_EQ(latency_bucket(1'000'000), 4u);
  EXPECT_EQ(latency_bucket(1'000'001), 5u);       // le="0.0025"
  EXPECT_EQ(latency_bucket(1'000'000'000), 13u);  // le="1"
  EXPECT_EQ(latency_bucket(2'500'000'000), 14u);  // le="2.5"
  EXPECT_EQ(latency_bucket(2'500'000'001), 15u);  // +Inf
  EXPECT_EQ(latency_bucket(UINT64_MAX), 15u);
}

// ---------------------------------------------------------------------------------------------
// Prometheus

TEST(MetricsTest, PrometheusExactText) {
  const config::Config config = test_config();
  Metrics m;
  const std::uint32_t app1 = m.namespace_slot("app1");
  m.client_connected();
  m.namespace_joined(app1);
  m.add(Counter::NetInputBytes, 100);
  m.add(Counter::NetOutputBytes, 42);
  m.set(Gauge::BackendUp, 2);
  m.observe(app1, slot_of("get"), 30'000, false);    // bucket le=0.00005
  m.observe(app1, slot_of("get"), 2'000'000, true);  // bucket le=0.0025
  const Metrics* workers[] = {&m};

  const std::string hist = "stdnet_command_duration_seconds";
  const std::string labels = R"(namespace="app1",command="get")";
  std::string expected =
      "# HELP stdnet_build_info stdnetd version (always 1).\n"
      "# TYPE stdnet_build_info gauge\n"
      "stdnet_build_info{version=\"" STDNET_VERSION
      "\"} 1\n"
      "# HELP stdnet_connections_received_total Client connections accepted.\n"
      "# TYPE stdnet_connections_received_total counter\n"
      "stdnet_connections_received_total 1\n"
      "# HELP stdnet_connections_rejected_total Client connections refused (maxclients, "
      "draining).\n"
      "# TYPE stdnet_connections_rejected_total counter\n"
      "stdnet_connections_rejected_total 0\n"
      "# HELP stdnet_net_input_bytes_total Bytes read from client connections.\n"
      "# TYPE stdnet_net_input_bytes_total counter\n"
      "stdnet_net_input_bytes_total 100\n"
      "# HELP stdnet_net_output_bytes_total Bytes written to client connections.\n"
      "# TYPE stdnet_net_output_bytes_total counter\n"
      "stdnet_net_output_bytes_total 42\n"
      "# HELP stdnet_protocol_errors_total Client connections closed after a protocol error.\n"
      "# TYPE stdnet_protocol_errors_total counter\n"
      "stdnet_protocol_errors_total 0\n"
      "# HELP stdnet_backend_reconnects_total Backend connection attempts after a failure.\n"
      "# TYPE stdnet_backend_reconnects_total counter\n"
      "stdnet_backend_reconnects_total 0\n"
      "# HELP stdnet_backend_errors_total Backend connections lost or failed to connect.\n"
      "# TYPE stdnet_backend_errors_total counter\n"
      "stdnet_backend_errors_total 0\n"
      "# HELP stdnet_requests_timed_out_total Requests answered with a timeout error because the "
      "backend was too slow.\n"
      "# TYPE stdnet_requests_timed_out_total counter\n"
      "stdnet_requests_timed_out_total 0\n"
      "# HELP stdnet_connected_clients Client connections open.\n"
      "# TYPE stdnet_connected_clients gauge\n"
      "stdnet_connected_clients 1\n"
      "# HELP stdnet_backend_up Shared backend connections ready (summed over workers; 0: the "
      "backend is unreachable).\n"
      "# TYPE stdnet_backend_up gauge\n"
      "stdnet_backend_up 2\n"
      "# HELP stdnet_namespace_connected_clients Client connections open, by namespace.\n"
      "# TYPE stdnet_namespace_connected_clients gauge\n"
      "stdnet_namespace_connected_clients{namespace=\"app1\"} 1\n"
      "stdnet_namespace_connected_clients{namespace=\"app2\"} 0\n"
      "# HELP stdnet_commands_total Replies delivered to clients, by namespace and command.\n"
      "# TYPE stdnet_commands_total counter\n"
      "stdnet_commands_total{" +
      labels +
      "} 2\n"
      "# HELP stdnet_command_errors_total Error replies delivered to clients, by namespace and "
      "command.\n"
      "# TYPE stdnet_command_errors_total counter\n"
      "stdnet_command_errors_total{" +
      labels +
      "} 1\n"
      "# HELP stdnet_command_duration_seconds Time from a request's arrival to its reply, by "
      "namespace and command.\n"
      "# TYPE stdnet_command_duration_seconds histogram\n";
  const char* les[] = {"0.00005", "0.0001", "0.00025", "0.0005", "0.001", "0.0025",
                       "0.005",   "0.01",   "0.025",   "0.05",   "0.1",   "0.25",
                       "0.5",     "1",      "2.5",     "+Inf"};
  for (int i = 0; i < 16; ++i) {
    expected +=
        hist + "_bucket{" + labels + ",le=\"" + les[i] + "\"} " + (i < 5 ? "1" : "2") + "\n";
  }
  expected += hist + "_sum{" + labels + "} 0.00203\n";
  expected += hist + "_count{" + labels + "} 2\n";
  EXPECT_EQ(render_prometheus(workers, &config), expected);
}

TEST(MetricsTest, PrometheusSumsWorkersByNamespaceName) {
  Metrics w0;
  Metrics w1;
  // Different slot orders in each worker: series are matched by name.
  const std::uint32_t a0 = w0.namespace_slot("app1");
  const std::uint32_t b0 = w0.namespace_slot("app2");
  const std::uint32_t b1 = w1.namespace_slot("app2");
  const std::uint32_t a1 = w1.namespace_slot("app1");
  EXPECT_EQ(w0.namespace_slot("app1"), a0);  // stable
  EXPECT_NE(a0, b0);
  EXPECT_NE(a1, b1);
  for (int i = 0; i < 3; ++i) w0.observe(a0, slot_of("set"), 1000, false);
  for (int i = 0; i < 4; ++i) w1.observe(a1, slot_of("set"), 1000, false);
  w1.observe(b1, slot_of("client|setname"), 1000, true);
  w0.observe(Metrics::kNoNamespace, Metrics::kUnknownCommand, 1000, true);
  w0.add(Counter::BackendReconnects, 2);
  w1.add(Counter::BackendReconnects, 3);
  w0.set(Gauge::BackendUp, 1);
  w1.set(Gauge::BackendUp, 0);
  const Metrics* workers[] = {&w0, &w1};
  const std::string text = render_prometheus(workers, nullptr);
  EXPECT_THAT(text, HasSubstr("\nstdnet_commands_total{namespace=\"app1\",command=\"set\"} 7\n"));
  EXPECT_THAT(text,
              HasSubstr("\nstdnet_command_errors_total{namespace=\"app1\",command=\"set\"} 0\n"));
  EXPECT_THAT(
      text,
      HasSubstr("\nstdnet_commands_total{namespace=\"app2\",command=\"client|setname\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("\nstdnet_commands_total{namespace=\"(none)\",command=\"unknown\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\nstdnet_backend_reconnects_total 5\n"));
  EXPECT_THAT(text, HasSubstr("\nstdnet_backend_up 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr("\nstdnet_command_duration_seconds_count{namespace=\"app1\",command=\"set\"} 7\n"));
  // Commands never called have no series.
  EXPECT_EQ(text.find("command=\"get\""), std::string::npos);
  EXPECT_EQ(total(workers, Gauge::BackendUp), 1u);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Metrics m;
  const std::uint32_t odd = m.namespace_slot("we\"ird\\ns\n");
  m.observe(odd, slot_of("ping"), 10, false);
  const Metrics* workers[] = {&m};
  EXPECT_THAT(
      render_prometheus(workers, nullptr),
      HasSubstr("stdnet_commands_total{namespace=\"we\\\"ird\\\\ns\\n\",command=\"ping\"} 1\n"));
}

TEST(MetricsTest, GaugesGoUpAndDown) {
  Metrics m;
  const std::uint32_t app1 = m.namespace_slot("app1");
  m.client_connected();
  m.client_connected();
  m.namespace_joined(app1);
  m.namespace_joined(app1);
  m.client_disconnected();
  m.namespace_left(app1);
  EXPECT_EQ(m.get(Gauge::ConnectedClients), 1u);
  EXPECT_EQ(m.get(Counter::ConnectionsReceived), 2u);
  m.client_disconnected();
  m.client_disconnected();  // never below 0
  m.namespace_left(app1);
  m.namespace_left(app1);
  EXPECT_EQ(m.get(Gauge::ConnectedClients), 0u);
  const Metrics* workers[] = {&m};
  EXPECT_EQ(MetricsTotals::collect(workers).namespaces.at("app1").connected, 0u);
}

TEST(MetricsTest, NamespacesBeyondTheLimitShareTheOtherSlot) {
  Metrics m;
  std::set<std::uint32_t> slots;
  for (std::uint32_t i = 0; i < Metrics::kMaxNamespaces + 10; ++i) {
    const std::uint32_t slot = m.namespace_slot("ns" + std::to_string(i));
    ASSERT_LT(slot, Metrics::kMaxNamespaces);
    ASSERT_NE(slot, Metrics::kNoNamespace);
    slots.insert(slot);
    m.observe(slot, slot_of("get"), 1, false);
  }
  EXPECT_EQ(slots.size(), Metrics::kMaxNamespaces - 1);
  const Metrics* workers[] = {&m};
  const MetricsTotals totals = MetricsTotals::collect(workers);
  // Slots 1 … kMaxNamespaces-2 have their names, the rest went to "(other)".
  EXPECT_EQ(totals.namespaces.at("(other)").commands.at("get").calls, 12u);
  EXPECT_EQ(totals.namespaces.at("ns0").commands.at("get").calls, 1u);
}

// A writer thread observes (new namespaces and commands appear as it goes) while a reader
// collects: no crash, no torn block, and the final totals are exact.
TEST(MetricsTest, ConcurrentReaderSeesConsistentBlocks) {
  Metrics m;
  const std::uint32_t commands[] = {slot_of("get"), slot_of("set"), slot_of("client|id"),
                                    Metrics::kUnknownCommand};
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 20000; ++i) {
      const std::uint32_t ns = m.namespace_slot("ns" + std::to_string(i % 50));
      m.observe(ns, commands[i % 4], static_cast<std::uint64_t>(i) * 1000, i % 7 == 0);
      m.add(Counter::NetInputBytes, 3);
    }
    done.store(true);
  });
  const Metrics* workers[] = {&m};
  std::uint64_t last_calls = 0;
  while (!done.load()) {
    const MetricsTotals totals = MetricsTotals::collect(workers);
    std::uint64_t calls = 0;
    for (const auto& [name, ns] : totals.namespaces) {
      for (const auto& [command, c] : ns.commands) calls += c.calls;
    }
    EXPECT_GE(calls, last_calls);  // a single writer's counters never go back
    last_calls = calls;
  }
  writer.join();
  const MetricsTotals totals = MetricsTotals::collect(workers);
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  for (const auto& [name, ns] : totals.namespaces) {
    for (const auto& [command, c] : ns.commands) {
      calls += c.calls;
      errors += c.errors;
    }
  }
  EXPECT_EQ(calls, 20000u);
  EXPECT_EQ(errors, 2858u);  // i % 7 == 0 for i in [0, 20000)
  EXPECT_EQ(totals.get(Counter::NetInputBytes), 60000u);
  EXPECT_EQ(totals.namespaces.size(), 50u);
}

// ---------------------------------------------------------------------------------------------
// INFO

TEST(MetricsTest, InfoServerSectionExact) {
  const config::Config config = test_config();
  Metrics m;
  const Metrics* workers[] = {&m};
  const InfoContext context = context_for(config, 90000, 4242);
  EXPECT_EQ(info({"server"}, workers, context),
            "# Server\r\n"
            "redis_version:7.0.15\r\n"
            "stdnet_version:" STDNET_VERSION
            "\r\n"
            "redis_mode:standalone\r\n"
            "process_id:4242\r\n"
            "tcp_port:6380\r\n"
            "uptime_in_seconds:90000\r\n"
            "uptime_in_days:1\r\n"
            "workers:2\r\n"
            "config_file:/etc/stdnet.toml\r\n");
}

TEST(MetricsTest, InfoSectionsCountsAndSelection) {
  const config::Config config = test_config();
  Metrics w0;
  Metrics w1;
  const std::uint32_t app1 = w0.namespace_slot("app1");
  const std::uint32_t odd = w1.namespace_slot("gone:ns");  // e.g. removed by a reload
  w0.client_connected();
  w0.namespace_joined(app1);
  w0.add(Counter::ConnectionsRejected);
  w0.add(Counter::NetInputBytes, 10);
  w1.add(Counter::NetOutputBytes, 20);
  w0.add(Counter::ProtocolErrors);
  w0.set(Gauge::BackendUp, 2);
  w1.add(Counter::BackendErrors, 4);
  w0.observe(app1, slot_of("get"), 1'500, false);
  w0.observe(app1, slot_of("get"), 2'600, true);
  w1.observe(odd, slot_of("get"), 1'000, false);
  w1.observe(odd, slot_of("client|setname"), 3'000, false);
  const Metrics* workers[] = {&w0, &w1};
  const InfoContext context = context_for(config, 5, 7);

  EXPECT_EQ(info({"clients"}, workers, context),
            "# Clients\r\nconnected_clients:1\r\nmaxclients:500\r\n");
  EXPECT_EQ(info({"stats"}, workers, context),
            "# Stats\r\n"
            "total_connections_received:1\r\n"
            "rejected_connections:1\r\n"
            "total_net_input_bytes:10\r\n"
            "total_net_output_bytes:20\r\n"
            "total_protocol_errors:1\r\n"
            "total_commands_processed:4\r\n"
            "total_error_replies:1\r\n");
  EXPECT_EQ(info({"namespace"}, workers, context),
            "# Namespace\r\n"
            "ns_app1:clients=1,calls=2,errors=1,usec=4\r\n"
            "ns_app2:clients=0,calls=0,errors=0,usec=0\r\n"
            "ns_gone_ns:clients=0,calls=2,errors=0,usec=4\r\n");
  EXPECT_EQ(info({"backend"}, workers, context),
            "# Backend\r\n"
            "backend_address:127.0.0.1:6379\r\n"
            "backend_reconnects:0\r\n"
            "backend_errors:4\r\n"
            "requests_timed_out:0\r\n"
            "backend_up:2\r\n");
  EXPECT_EQ(info({"commandstats"}, workers, context),
            "# Commandstats\r\n"
            "cmdstat_client|setname:calls=1,usec=3,usec_per_call=3.00,rejected_calls=0,"
            "failed_calls=0\r\n"
            "cmdstat_get:calls=3,usec=5,usec_per_call=1.70,rejected_calls=0,failed_calls=1\r\n");
  // A tenant sees only its own namespace.
  InfoContext only = context;
  only.only_namespace = "app1";
  EXPECT_EQ(info({"namespace", "commandstats"}, workers, only),
            "# Namespace\r\n"
            "ns_app1:clients=1,calls=2,errors=1,usec=4\r\n"
            "\r\n# Commandstats\r\n"
            "cmdstat_get:calls=2,usec=4,usec_per_call=2.05,rejected_calls=0,failed_calls=1\r\n");

  // Selection: default, all, everything, several, any case, fixed order, unknown → nothing.
  auto headers = [](const std::string& text) {
    std::string out;
    for (std::size_t at = text.find("# "); at != std::string::npos; at = text.find("# ", at + 1)) {
      out += text.substr(at + 2, text.find('\r', at) - at - 2) + " ";
    }
    return out;
  };
  EXPECT_EQ(headers(info({}, workers, context)), "Server Clients Stats Namespace Backend ");
  EXPECT_EQ(headers(info({"default"}, workers, context)),
            "Server Clients Stats Namespace Backend ");
  EXPECT_EQ(headers(info({"all"}, workers, context)),
            "Server Clients Stats Namespace Backend Commandstats ");
  EXPECT_EQ(headers(info({"EVERYTHING"}, workers, context)),
            "Server Clients Stats Namespace Backend Commandstats ");
  EXPECT_EQ(headers(info({"CommandStats", "server"}, workers, context)), "Server Commandstats ");
  EXPECT_EQ(info({"nosuch"}, workers, context), "");
  EXPECT_EQ(headers(info({"nosuch", "clients"}, workers, context)), "Clients ");
  // Sections are separated by one empty line, and the text ends with one CRLF.
  const std::string two = info({"clients", "stats"}, workers, context);
  EXPECT_THAT(two, HasSubstr("maxclients:500\r\n\r\n# Stats\r\n"));
  EXPECT_TRUE(two.ends_with("\r\n"));
  EXPECT_FALSE(two.ends_with("\r\n\r\n"));
}

// ---------------------------------------------------------------------------------------------
// The admin HTTP server: responses

TEST(AdminHttpTest, RespondRoutesMethodsAndTargets) {
  const AdminHttpServer up(
      nullptr, {}, [] { return std::string("metric 1\n"); }, [] { return true; });
  const AdminHttpServer down(
      nullptr, {}, [] { return std::string(); }, [] { return false; });
  EXPECT_EQ(up.respond("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            "Content-Length: 9\r\nConnection: close\r\n\r\nmetric 1\n");
  EXPECT_EQ(up.respond("GET /healthz HTTP/1.0\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 3\r\nConnection: close\r\n\r\nok\n");
  EXPECT_EQ(down.respond("GET /healthz HTTP/1.1\r\n\r\n"),
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 20\r\nConnection: close\r\n\r\nbackend unreachable\n");
  // HEAD: the headers only.
  EXPECT_EQ(up.respond("HEAD /metrics HTTP/1.1\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            "Content-Length: 9\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(up.respond("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
              StartsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
  EXPECT_THAT(up.respond("POST /metrics HTTP/1.1\r\n\r\n"), HasSubstr("\r\nAllow: GET, HEAD\r\n"));
  EXPECT_THAT(up.respond("get /metrics HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 405 "));
  EXPECT_THAT(up.respond("GET / HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_THAT(up.respond("GET /metricsx HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(up.respond("DELETE /nosuch HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 404 "));
  // Query strings, absolute form, bare LF line ends, leading empty lines.
  EXPECT_THAT(up.respond("GET /metrics?x=1 HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 200 "));
  EXPECT_THAT(up.respond("GET http://h:9121/healthz HTTP/1.1\r\n\r\n"),
              StartsWith("HTTP/1.1 200 "));
  EXPECT_THAT(up.respond("GET /healthz HTTP/1.1\n\n"), StartsWith("HTTP/1.1 200 "));
  EXPECT_THAT(up.respond("\r\nGET /healthz HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 200 "));
  // Garbage.
  for (std::string_view bad : {"\r\n\r\n", "GET\r\n\r\n", "GET /metrics\r\n\r\n",
                               "GET  /metrics HTTP/1.1\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n",
                               "G(T /metrics HTTP/1.1\r\n\r\n", "GET /met\x01rics HTTP/1.1\r\n\r\n",
                               "GET /metrics FTP/1.1\r\n\r\n", "\x16\x03\x01\x02\x00\n\n"}) {
    EXPECT_THAT(up.respond(bad), StartsWith("HTTP/1.1 400 Bad Request\r\n")) << bad;
  }
  EXPECT_THAT(up.respond("GET /metrics HTTP/2.0\r\n\r\n"), StartsWith("HTTP/1.1 505 "));
}

// ---------------------------------------------------------------------------------------------
// The admin HTTP server on a real loop

// A loop on its own thread serving an AdminHttpServer on 127.0.0.1:<free port>.
class AdminHttpLoop {
 public:
  AdminHttpLoop() {
    EXPECT_EQ(uv_loop_init(&loop_), 0);
    uv_async_init(&loop_, &stop_, [](uv_async_t* h) {
      auto* self = static_cast<AdminHttpLoop*>(h->data);
      self->server_->close();
      uv_close(reinterpret_cast<uv_handle_t*>(&self->stop_), nullptr);
    });
    stop_.data = this;
    config::Address address;
    address.host = "127.0.0.1";
    address.port = 0;
    server_ = std::make_unique<AdminHttpServer>(
        &loop_, address, [this] { return metrics_text; }, [this] { return healthy.load(); });
    start_error_ = server_->start();
    port_ = server_->port();
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }
  ~AdminHttpLoop() { stop(); }

  // Closes the server on its loop; the loop then has nothing left and uv_run returns.
  void stop() {
    if (!thread_.joinable()) return;
    uv_async_send(&stop_);
    thread_.join();
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "a handle was left open";
  }

  const std::string& start_error() const { return start_error_; }
  std::uint16_t port() const { return port_; }

  std::string metrics_text = "stdnet_test 1\n";  // read on the loop thread only after start
  std::atomic<bool> healthy{true};

 private:
  uv_loop_t loop_{};
  uv_async_t stop_{};
  std::unique_ptr<AdminHttpServer> server_;
  std::string start_error_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{.tv_sec = 5, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may have answered and closed already
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Everything the server sends until it closes (or 5 s pass).
std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string exchange(std::uint16_t port, std::initializer_list<std::string_view> pieces) {
  const int fd = connect_to(port);
  EXPECT_GE(fd, 0);
  if (fd < 0) return {};
  for (std::string_view piece : pieces) {
    send_all(fd, piece);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // separate reads, not asserted
  }
  std::string response = read_all(fd);
  ::close(fd);
  return response;
}

std::string body_of(const std::string& response) {
  const std::size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? std::string() : response.substr(at + 4);
}

TEST(AdminHttpTest, ServesMetricsAndHealthOverTcp) {
  AdminHttpLoop loop;
  ASSERT_EQ(loop.start_error(), "");
  ASSERT_GT(loop.port(), 0);
  const std::string metrics = exchange(loop.port(), {"GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"});
  EXPECT_THAT(metrics, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(metrics, HasSubstr("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
  EXPECT_THAT(metrics, HasSubstr("Content-Length: 14\r\nConnection: close\r\n"));
  EXPECT_EQ(body_of(metrics), "stdnet_test 1\n");

  EXPECT_EQ(body_of(exchange(loop.port(), {"GET /healthz HTTP/1.1\r\n\r\n"})), "ok\n");
  loop.healthy = false;
  const std::string down = exchange(loop.port(), {"GET /healthz HTTP/1.1\r\n\r\n"});
  EXPECT_THAT(down, StartsWith("HTTP/1.1 503 "));
  EXPECT_EQ(body_of(down), "backend unreachable\n");
  EXPECT_THAT(exchange(loop.port(), {"GET /x HTTP/1.1\r\n\r\n"}), StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(exchange(loop.port(), {"PUT /metrics HTTP/1.1\r\n\r\n"}),
              StartsWith("HTTP/1.1 405 "));
}

TEST(AdminHttpTest, RequestInPiecesAndByteByByte) {
  AdminHttpLoop loop;
  ASSERT_EQ(loop.start_error(), "");
  EXPECT_EQ(
      body_of(exchange(loop.port(), {"GET /hea", "lthz HTTP/1.1\r\nHost: x\r", "\n\r", "\n"})),
      "ok\n");
  const int fd = connect_to(loop.port());
  ASSERT_GE(fd, 0);
  for (char c : std::string_view("GET /metrics HTTP/1.1\r\n\r\n")) send_all(fd, {&c, 1});
  EXPECT_EQ(body_of(read_all(fd)), "stdnet_test 1\n");
  ::close(fd);
}

TEST(AdminHttpTest, GarbageAndOversizedHeadsAreRefusedAndTheServerGoesOn) {
  AdminHttpLoop loop;
  ASSERT_EQ(loop.start_error(), "");
  EXPECT_THAT(exchange(loop.port(), {std::string_view("\x00\xff\x16garbage\r\n\r\n", 14)}),
              StartsWith("HTTP/1.1 400 "));
  // 8 KiB of header without an end, then more: 431 as soon as the limit is passed.
  const std::string big_header = "GET /metrics HTTP/1.1\r\nX-Big: " + std::string(9000, 'a');
  EXPECT_THAT(exchange(loop.port(), {big_header}), StartsWith("HTTP/1.1 431 "));
  // A complete head just over the limit is refused too; one under it is served.
  const std::string head = "GET /healthz HTTP/1.1\r\nX-Pad: ";
  const std::string over = head + std::string(AdminHttpServer::kMaxHeadBytes, 'b') + "\r\n\r\n";
  EXPECT_THAT(exchange(loop.port(), {over}), StartsWith("HTTP/1.1 431 "));
  const std::string under =
      head + std::string(AdminHttpServer::kMaxHeadBytes - head.size() - 4, 'b') + "\r\n\r\n";
  ASSERT_EQ(under.size(), AdminHttpServer::kMaxHeadBytes);
  EXPECT_THAT(exchange(loop.port(), {under}), StartsWith("HTTP/1.1 200 "));
  // A megabyte of random-ish binary: refused, no crash.
  std::string noise(1 << 20, '\0');
  for (std::size_t i = 0; i < noise.size(); ++i)
    noise[i] = static_cast<char>((i * 2654435761u) >> 7);
  const std::string refused = exchange(loop.port(), {noise});
  EXPECT_TRUE(refused.empty() || refused.starts_with("HTTP/1.1 4")) << refused.substr(0, 40);
  // A client that connects and leaves without a word.
  ::close(connect_to(loop.port()));
  EXPECT_EQ(body_of(exchange(loop.port(), {"GET /healthz HTTP/1.1\r\n\r\n"})), "ok\n");
}

TEST(AdminHttpTest, BodyIgnoredAndHalfCloseAnswered) {
  AdminHttpLoop loop;
  ASSERT_EQ(loop.start_error(), "");
  // A request with a body we never read: the response still arrives whole.
  const std::string with_body =
      "GET /metrics HTTP/1.1\r\nContent-Length: 200000\r\n\r\n" + std::string(200000, 'x');
  EXPECT_EQ(body_of(exchange(loop.port(), {with_body})), "stdnet_test 1\n");
  // The client shuts down its sending side right after the request.
  const int fd = connect_to(loop.port());
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /healthz HTTP/1.0\r\n\r\n");
  ::shutdown(fd, SHUT_WR);
  EXPECT_EQ(body_of(read_all(fd)), "ok\n");
  ::close(fd);
}

TEST(AdminHttpTest, ConnectionsBeyondTheLimitAreClosed) {
  AdminHttpLoop loop;
  ASSERT_EQ(loop.start_error(), "");
  std::vector<int> idle;
  for (std::size_t i = 0; i < AdminHttpServer::kMaxConnections; ++i) {
    idle.push_back(connect_to(loop.port()));
    ASSERT_GE(idle.back(), 0);
  }
  // Accepted after the others (the backlog is FIFO), then closed at once.
  const int extra = connect_to(loop.port());
  ASSERT_GE(extra, 0);
  char c;
  EXPECT_EQ(::recv(extra, &c, 1, 0), 0);
  ::close(extra);
  for (int fd : idle) ::close(fd);
  // Once the idle ones have gone, requests are served again (polling: their closes are seen by
  // the loop asynchronously).
  std::string response;
  for (int attempt = 0; attempt < 500; ++attempt) {
    response = exchange(loop.port(), {"GET /healthz HTTP/1.1\r\n\r\n"});
    if (!response.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(body_of(response), "ok\n");
}

TEST(AdminHttpTest, CloseWithClientsConnectedLetsTheLoopExit) {
  AdminHttpLoop loop;
  ASSERT_EQ(loop.start_error(), "");
  const int idle = connect_to(loop.port());
  ASSERT_GE(idle, 0);
  const int partial = connect_to(loop.port());
  ASSERT_GE(partial, 0);
  send_all(partial, "GET /metr");
  // Make sure both were accepted: a full exchange after them is served in order.
  EXPECT_EQ(body_of(exchange(loop.port(), {"GET /healthz HTTP/1.1\r\n\r\n"})), "ok\n");
  loop.stop();  // joins the loop thread: uv_run returned, every handle closed
  char c;
  EXPECT_EQ(::recv(idle, &c, 1, 0), 0);
  EXPECT_LE(::recv(partial, &c, 1, 0), 0);  // FIN, or a reset if its bytes were still unread
  ::close(idle);
  ::close(partial);
}

TEST(AdminHttpTest, StartErrorsAreClear) {
  AdminHttpLoop first;
  ASSERT_EQ(first.start_error(), "");
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  {
    config::Address taken;
    taken.host = "127.0.0.1";
    taken.port = first.port();
    AdminHttpServer second(
        &loop, taken, [] { return std::string(); }, [] { return true; });
    const std::string error = second.start();
    EXPECT_THAT(error, HasSubstr("[server] admin = \"127.0.0.1:" + std::to_string(first.port()) +
                                 "\": cannot listen"));
    EXPECT_THAT(error, HasSubstr("EADDRINUSE"));

    config::Address unix_address;
    unix_address.unix_path = "/tmp/admin.sock";
    AdminHttpServer third(
        &loop, unix_address, [] { return std::string(); }, [] { return true; });
    EXPECT_THAT(third.start(), HasSubstr("needs a TCP address"));
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // the failed listener's close callback
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace stdnet::proxy
