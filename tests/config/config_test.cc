// Loading and validating the TOML configuration: valid files of every shape, and every kind of
// error with its exact line:column.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"

namespace stdnet::config {
namespace {

LoadResult load(std::string_view text) {
  return load_config_string(text, "config.toml");
}

std::string all_errors(const LoadResult& result) {
  std::string out;
  for (const Error& e : result.errors) out += e.to_string() + "\n";
  return out;
}

// Loads text that must be valid.
Config valid(std::string_view text) {
  LoadResult result = load(text);
  EXPECT_TRUE(result.errors.empty()) << all_errors(result);
  EXPECT_EQ(result.config.has_value(), result.errors.empty());
  return result.config.value_or(Config{});
}

// Loads text that must fail with exactly one error, and returns it.
Error one_error(std::string_view text) {
  LoadResult result = load(text);
  EXPECT_FALSE(result.config.has_value());
  EXPECT_EQ(result.errors.size(), 1u) << all_errors(result);
  if (result.errors.empty()) return Error{};
  return result.errors.front();
}

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("stdnet-config-" + std::to_string(::getpid()) + "-" + test->test_suite_name() + "-" +
             test->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string write(const std::string& name, std::string_view content) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The smallest valid file: one listener whose default namespace needs no credentials.
constexpr std::string_view kMinimal = R"([[listener]]
address = "127.0.0.1:6380"
namespace = "app1"

[[namespace]]
name = "app1"
prefix = "app1:"
)";

TEST(ConfigLoad, MinimalFileGetsDefaults) {
  const Config c = valid(kMinimal);
  EXPECT_EQ(c.path, "config.toml");
  EXPECT_EQ(c.server.workers, 1);
  EXPECT_FALSE(c.server.admin.has_value());
  EXPECT_EQ(c.server.log_level, "info");
  EXPECT_EQ(c.server.log_format, "text");
  EXPECT_EQ(c.server.maxclients, 10000u);
  EXPECT_EQ(c.server.timeout_seconds, 0);
  EXPECT_EQ(c.server.client_query_buffer_limit, 1024ull * 1024 * 1024);
  EXPECT_EQ(c.server.client_output_buffer_limit, 128ull * 1024 * 1024);
  EXPECT_EQ(c.backend.url.address.to_string(), "127.0.0.1:6379");
  EXPECT_EQ(c.backend.url.db, 0);
  EXPECT_EQ(c.backend.connections, 2);
  EXPECT_EQ(c.backend.pool_size, 64);
  EXPECT_DOUBLE_EQ(c.backend.connect_timeout_seconds, 2);
  EXPECT_DOUBLE_EQ(c.backend.request_timeout_seconds, 0);
  EXPECT_DOUBLE_EQ(c.backend.reconnect_min_seconds, 0.05);
  EXPECT_DOUBLE_EQ(c.backend.reconnect_max_seconds, 0.5);
  ASSERT_EQ(c.listeners.size(), 1u);
  EXPECT_EQ(c.listeners[0].address.to_string(), "127.0.0.1:6380");
  EXPECT_EQ(c.listeners[0].namespace_name, "app1");
  ASSERT_EQ(c.namespaces.size(), 1u);
  const Namespace& ns = c.namespaces[0];
  EXPECT_EQ(ns.name, "app1");
  EXPECT_EQ(ns.prefix, "app1:");
  EXPECT_TRUE(ns.credentials.empty());
  EXPECT_FALSE(ns.trusted);
  EXPECT_FALSE(ns.database.has_value());
  EXPECT_EQ(ns.databases, std::vector<int>{0});
  EXPECT_FALSE(ns.backend_user.has_value());
  EXPECT_EQ(ns.maxclients, 0u);
  EXPECT_TRUE(c.commands.empty());
  EXPECT_EQ(c.find_namespace("app1"), &c.namespaces[0]);
  EXPECT_EQ(c.find_namespace("app2"), nullptr);
  EXPECT_EQ(c.find_namespace(""), nullptr);
}

TEST(ConfigLoad, EveryKey) {
  const Config c = valid(R"(
[server]
workers = 4
admin = "[::1]:9121"
log_level = "debug"
log_format = "json"
maxclients = 500
timeout = 30.5
client_query_buffer_limit = "64mb"
client_output_buffer_limit = 1048576

[backend]
url = "redis://proxy:secret@10.1.2.3:7000?db=2&timeout=1.5&namespace=prod:"
connections = 8
pool_size = 16
connect_timeout = 0.5
request_timeout = 10
reconnect_min = 0.1
reconnect_max = 5

[[listener]]
address = "0.0.0.0:6380"

[[listener]]
address = "[::1]:6381"
namespace = "cache"

[[listener]]
address = "unix:/tmp/stdnet.sock"
namespace = "admin"

[[namespace]]
name = "app1"
prefix = "app1:"
password = "app1-secret"
users = [{ name = "alice", password = "alice-pw" }, { name = "bob", password = "bob-pw" }]
database = 3
databases = [1, 3, 5]
backend_user = { name = "ns_app1", password = "backend-pw" }
maxclients = 100

[[namespace]]
name = "cache"
prefix = "cache."

[[namespace]]
name = "admin"
prefix = ""
trusted = true
password = ["old-admin-pw", "new-admin-pw"]

[[namespace.users]]
name = "root"
password = "root-pw"
)");
  EXPECT_EQ(c.server.workers, 4);
  ASSERT_TRUE(c.server.admin.has_value());
  EXPECT_EQ(c.server.admin->host, "::1");
  EXPECT_EQ(c.server.admin->port, 9121);
  EXPECT_EQ(c.server.log_level, "debug");
  EXPECT_EQ(c.server.log_format, "json");
  EXPECT_EQ(c.server.maxclients, 500u);
  EXPECT_DOUBLE_EQ(c.server.timeout_seconds, 30.5);
  EXPECT_EQ(c.server.client_query_buffer_limit, 64ull * 1024 * 1024);
  EXPECT_EQ(c.server.client_output_buffer_limit, 1048576u);

  EXPECT_EQ(c.backend.url.address.host, "10.1.2.3");
  EXPECT_EQ(c.backend.url.address.port, 7000);
  EXPECT_EQ(c.backend.url.user, "proxy");
  EXPECT_EQ(c.backend.url.password, "secret");
  EXPECT_EQ(c.backend.url.db, 2);
  EXPECT_DOUBLE_EQ(c.backend.url.timeout_seconds, 1.5);
  EXPECT_EQ(c.backend.url.namespace_prefix, "prod:");
  EXPECT_EQ(c.backend.connections, 8);
  EXPECT_EQ(c.backend.pool_size, 16);
  EXPECT_DOUBLE_EQ(c.backend.connect_timeout_seconds, 0.5);
  EXPECT_DOUBLE_EQ(c.backend.request_timeout_seconds, 10);
  EXPECT_DOUBLE_EQ(c.backend.reconnect_min_seconds, 0.1);
  EXPECT_DOUBLE_EQ(c.backend.reconnect_max_seconds, 5);

  ASSERT_EQ(c.listeners.size(), 3u);
  EXPECT_EQ(c.listeners[0].address.to_string(), "0.0.0.0:6380");
  EXPECT_EQ(c.listeners[0].namespace_name, "");
  EXPECT_EQ(c.listeners[1].address.to_string(), "[::1]:6381");
  EXPECT_EQ(c.listeners[1].namespace_name, "cache");
  EXPECT_TRUE(c.listeners[2].address.is_unix());
  EXPECT_EQ(c.listeners[2].address.unix_path, "/tmp/stdnet.sock");

  ASSERT_EQ(c.namespaces.size(), 3u);
  const Namespace& app1 = c.namespaces[0];
  ASSERT_EQ(app1.credentials.size(), 3u);
  EXPECT_EQ(app1.credentials[0].user, "");
  EXPECT_EQ(app1.credentials[0].password, "app1-secret");
  EXPECT_EQ(app1.credentials[1].user, "alice");
  EXPECT_EQ(app1.credentials[1].password, "alice-pw");
  EXPECT_EQ(app1.credentials[2].user, "bob");
  EXPECT_EQ(app1.database, 3);
  EXPECT_EQ(app1.databases, (std::vector<int>{3, 1, 5}));  // the default database first
  ASSERT_TRUE(app1.backend_user.has_value());
  EXPECT_EQ(app1.backend_user->name, "ns_app1");
  EXPECT_EQ(app1.backend_user->password, "backend-pw");
  EXPECT_EQ(app1.maxclients, 100u);

  const Namespace& cache = c.namespaces[1];
  EXPECT_EQ(cache.prefix, "cache.");
  EXPECT_EQ(cache.databases, std::vector<int>{2});  // the URL's db

  const Namespace& admin = c.namespaces[2];
  EXPECT_TRUE(admin.trusted);
  EXPECT_EQ(admin.prefix, "");
  ASSERT_EQ(admin.credentials.size(), 3u);
  EXPECT_EQ(admin.credentials[0].password, "old-admin-pw");
  EXPECT_EQ(admin.credentials[1].password, "new-admin-pw");
  EXPECT_EQ(admin.credentials[2].user, "root");
}

TEST(ConfigLoad, ListenerWithoutDefaultAndAuthOnlyNamespaces) {
  const Config c = valid(R"([[listener]]
address = "127.0.0.1:6380"

[[namespace]]
name = "a"
prefix = "a:"
password = "pa"

[[namespace]]
name = "b"
prefix = "b:"
users = [{ name = "bob", password = "pb" }]
)");
  EXPECT_EQ(c.listeners[0].namespace_name, "");
  EXPECT_EQ(c.namespaces.size(), 2u);
}

TEST(ConfigLoad, DatabasesAlwaysContainTheDefault) {
  const Config c = valid(R"([backend]
url = "redis://127.0.0.1:6379?db=4"

[[listener]]
address = "127.0.0.1:6380"
namespace = "a"

[[namespace]]
name = "a"
prefix = "a:"
databases = [7, 8]

[[namespace]]
name = "b"
prefix = "b:"
database = 0
password = "pb"
)");
  EXPECT_FALSE(c.namespaces[0].database.has_value());
  EXPECT_EQ(c.namespaces[0].databases, (std::vector<int>{4, 7, 8}));
  EXPECT_EQ(c.namespaces[1].database, 0);
  EXPECT_EQ(c.namespaces[1].databases, std::vector<int>{0});
}

TEST(ConfigLoad, SizesAsIntegersAndStrings) {
  const Config c = valid(std::string(R"([server]
client_query_buffer_limit = "512kb"
client_output_buffer_limit = 0
)") + std::string(kMinimal));
  EXPECT_EQ(c.server.client_query_buffer_limit, 512u * 1024);
  EXPECT_EQ(c.server.client_output_buffer_limit, 0u);
}

TEST(ConfigLoad, AdminEmptyStringDisables) {
  const Config c = valid(std::string("[server]\nadmin = \"\"\n") + std::string(kMinimal));
  EXPECT_FALSE(c.server.admin.has_value());
}

TEST(ConfigLoad, ScriptCommands) {
  TempDir dir;
  dir.write("scripts/ratelimit.lua", "return redis.call('INCR', KEYS[1])\n");
  const std::string absolute = dir.write("abs.lua", "return 1\n");
  const std::string path = dir.write("stdnet.toml", std::string(kMinimal) + R"(
[[command]]
name = "RATELIMIT"
script = "scripts/ratelimit.lua"
keys = { first = 1, last = 1, step = 1 }
arity = 4

[[command]]
name = "multi.get"
script = ")" + absolute + R"("
keys = { numkeys = 1 }
write = false

[[command]]
name = "every_other"
script = "./scripts/../abs.lua"
keys = { first = 2, last = -1, step = 2 }

[[command]]
name = "first-only"
script = "abs.lua"
keys = { first = 3 }
arity = -4

[[command]]
name = "NOKEYS"
script = "abs.lua"
keys = {}
)");
  const LoadResult result = load_config_file(path);
  ASSERT_TRUE(result.config.has_value()) << all_errors(result);
  const auto& commands = result.config->commands;
  ASSERT_EQ(commands.size(), 5u);

  EXPECT_EQ(commands[0].name, "RATELIMIT");
  EXPECT_EQ(commands[0].script_path, (dir.path() / "scripts/ratelimit.lua").string());
  EXPECT_EQ(commands[0].source, "return redis.call('INCR', KEYS[1])\n");
  EXPECT_EQ(commands[0].keys.first, 1);
  EXPECT_EQ(commands[0].keys.last, 1);
  EXPECT_EQ(commands[0].keys.step, 1);
  EXPECT_EQ(commands[0].keys.numkeys_index, 0);
  EXPECT_EQ(commands[0].arity, 4);
  EXPECT_TRUE(commands[0].write);

  EXPECT_EQ(commands[1].name, "multi.get");
  EXPECT_EQ(commands[1].script_path, absolute);
  EXPECT_EQ(commands[1].source, "return 1\n");
  EXPECT_EQ(commands[1].keys.numkeys_index, 1);
  EXPECT_EQ(commands[1].keys.first, 0);
  EXPECT_EQ(commands[1].arity, 0);
  EXPECT_FALSE(commands[1].write);

  EXPECT_EQ(commands[2].script_path, absolute);
  EXPECT_EQ(commands[2].keys.first, 2);
  EXPECT_EQ(commands[2].keys.last, -1);
  EXPECT_EQ(commands[2].keys.step, 2);

  EXPECT_EQ(commands[3].keys.first, 3);
  EXPECT_EQ(commands[3].keys.last, 3);
  EXPECT_EQ(commands[3].keys.step, 1);
  EXPECT_EQ(commands[3].arity, -4);

  EXPECT_EQ(commands[4].keys.first, 0);
  EXPECT_EQ(commands[4].keys.numkeys_index, 0);
}

TEST(ConfigLoad, ScriptPathsAreRelativeToTheConfigFileForStringsToo) {
  TempDir dir;
  dir.write("x.lua", "return 2");
  const LoadResult result = load_config_string(std::string(kMinimal) + R"(
[[command]]
name = "X"
script = "x.lua"
keys = { first = 1 }
)",
                                               (dir.path() / "virtual.toml").string());
  ASSERT_TRUE(result.config.has_value()) << all_errors(result);
  EXPECT_EQ(result.config->commands[0].source, "return 2");
}

// stdnetd --config <(generate-config): the file may be a pipe.
TEST(ConfigLoad, ConfigFileFromAPipe) {
  TempDir dir;
  const std::string fifo = (dir.path() / "config.toml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo) << kMinimal; });
  const LoadResult result = load_config_file(fifo);
  writer.join();
  ASSERT_TRUE(result.config.has_value()) << all_errors(result);
  EXPECT_EQ(result.config->namespaces[0].name, "app1");
}

TEST(ConfigLoad, ExampleFileLoads) {
  const LoadResult result = load_config_file(STDNET_EXAMPLE_CONFIG);
  ASSERT_TRUE(result.config.has_value()) << all_errors(result);
  const Config& c = *result.config;
  ASSERT_EQ(c.listeners.size(), 1u);
  EXPECT_EQ(c.listeners[0].address.to_string(), "127.0.0.1:6380");
  EXPECT_EQ(c.listeners[0].namespace_name, "app1");
  EXPECT_EQ(c.backend.url.address.to_string(), "127.0.0.1:6379");
  EXPECT_EQ(c.backend.url.db, 0);
  ASSERT_TRUE(c.server.admin.has_value());
  EXPECT_EQ(c.server.admin->to_string(), "127.0.0.1:9121");
  ASSERT_NE(c.find_namespace("app1"), nullptr);
  EXPECT_EQ(c.find_namespace("app1")->prefix, "app1:");
  // The documented defaults are the defaults.
  const Config defaults = valid(kMinimal);
  EXPECT_EQ(c.server.workers, defaults.server.workers);
  EXPECT_EQ(c.server.log_level, defaults.server.log_level);
  EXPECT_EQ(c.server.log_format, defaults.server.log_format);
  EXPECT_EQ(c.server.maxclients, defaults.server.maxclients);
  EXPECT_EQ(c.server.timeout_seconds, defaults.server.timeout_seconds);
  EXPECT_EQ(c.server.client_query_buffer_limit, defaults.server.client_query_buffer_limit);
  EXPECT_EQ(c.server.client_output_buffer_limit, defaults.server.client_output_buffer_limit);
  EXPECT_EQ(c.backend.connections, defaults.backend.connections);
  EXPECT_EQ(c.backend.pool_size, defaults.backend.pool_size);
  EXPECT_EQ(c.backend.connect_timeout_seconds, defaults.backend.connect_timeout_seconds);
  EXPECT_EQ(c.backend.request_timeout_seconds, defaults.backend.request_timeout_seconds);
  EXPECT_EQ(c.backend.reconnect_min_seconds, defaults.backend.reconnect_min_seconds);
  EXPECT_EQ(c.backend.reconnect_max_seconds, defaults.backend.reconnect_max_seconds);
  EXPECT_EQ(c.find_namespace("app1")->trusted, false);
  EXPECT_EQ(c.find_namespace("app1")->maxclients, 0u);
}

// The commented-out [[command]] of the example works once uncommented, with its script present.
TEST(ConfigLoad, ExampleCommandWorksWhenUncommented) {
  std::ifstream in(STDNET_EXAMPLE_CONFIG);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t start = text.find("\n# [[command]]\n");
  ASSERT_NE(start, std::string::npos);
  std::string tail = text.substr(start);
  std::string uncommented;
  std::size_t pos = 0;
  while (pos < tail.size()) {
    std::size_t end = tail.find('\n', pos);
    if (end == std::string::npos) end = tail.size();
    std::string line = tail.substr(pos, end - pos);
    if (line.starts_with("# ")) line = line.substr(2);
    uncommented += line + "\n";
    pos = end + 1;
  }
  TempDir dir;
  dir.write("ratelimit.lua", "return 1");
  const std::string path = dir.write("stdnet.toml", text.substr(0, start) + uncommented);
  const LoadResult result = load_config_file(path);
  ASSERT_TRUE(result.config.has_value()) << all_errors(result);
  ASSERT_EQ(result.config->commands.size(), 1u);
  EXPECT_EQ(result.config->commands[0].name, "RATELIMIT");
  EXPECT_EQ(result.config->commands[0].keys.first, 1);
}

TEST(ConfigLoad, SentinelIsOffByDefault) {
  EXPECT_FALSE(valid(kMinimal).backend.sentinel.has_value());
}

TEST(ConfigLoad, Sentinel) {
  const Config c = valid(std::string(R"([backend]
url = "redis://proxy:secret@ignored.example:1234?db=3&namespace=prod:"

[backend.sentinel]
master = "mymaster"
addresses = ["127.0.0.1:26379", "sentinel-2.example:26380", "[::1]:26381"]
password = "sentinel-secret"
user = "watcher"
)") + std::string(kMinimal));
  ASSERT_TRUE(c.backend.sentinel.has_value());
  const SentinelConfig& s = *c.backend.sentinel;
  EXPECT_EQ(s.master, "mymaster");
  ASSERT_EQ(s.addresses.size(), 3u);
  EXPECT_EQ(s.addresses[0].to_string(), "127.0.0.1:26379");
  EXPECT_EQ(s.addresses[1].host, "sentinel-2.example");
  EXPECT_EQ(s.addresses[1].port, 26380);
  EXPECT_EQ(s.addresses[2].to_string(), "[::1]:26381");
  EXPECT_EQ(s.password, "sentinel-secret");
  EXPECT_EQ(s.user, "watcher");
  // The url still gives the database, credentials and outer namespace.
  EXPECT_EQ(c.backend.url.db, 3);
  EXPECT_EQ(c.backend.url.user, "proxy");
  EXPECT_EQ(c.backend.url.namespace_prefix, "prod:");
}

TEST(ConfigLoad, SentinelInlineTableWithoutCredentials) {
  const Config c = valid(std::string(R"([backend]
sentinel = { master = "m-1.x", addresses = ["10.0.0.2:26379"], password = "" }
)") + std::string(kMinimal));
  ASSERT_TRUE(c.backend.sentinel.has_value());
  EXPECT_EQ(c.backend.sentinel->master, "m-1.x");
  EXPECT_EQ(c.backend.sentinel->password, "");
  EXPECT_EQ(c.backend.sentinel->user, "");
  // The url's defaults stay (its host and port are not used with sentinel).
  EXPECT_EQ(c.backend.url.db, 0);
}

// The commented-out [backend.sentinel] of the example is valid once uncommented.
TEST(ConfigLoad, ExampleSentinelWorksWhenUncommented) {
  std::ifstream in(STDNET_EXAMPLE_CONFIG);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t start = text.find("\n# [backend.sentinel]\n");
  ASSERT_NE(start, std::string::npos);
  const std::size_t end = text.find("\n\n", start + 1);
  ASSERT_NE(end, std::string::npos);
  std::string block = text.substr(start + 1, end - start);
  std::string uncommented;
  std::size_t pos = 0;
  while (pos < block.size()) {
    std::size_t eol = block.find('\n', pos);
    if (eol == std::string::npos) eol = block.size();
    std::string line = block.substr(pos, eol - pos);
    if (line.starts_with("# ")) line = line.substr(2);
    uncommented += line + "\n";
    pos = eol + 1;
  }
  const LoadResult result = load(text.substr(0, start + 1) + uncommented + text.substr(end + 1));
  ASSERT_TRUE(result.config.has_value()) << all_errors(result);
  ASSERT_TRUE(result.config->backend.sentinel.has_value());
  EXPECT_EQ(result.config->backend.sentinel->master, "mymaster");
  EXPECT_EQ(result.config->backend.sentinel->addresses.size(), 2u);
  EXPECT_EQ(result.config->backend.sentinel->password, "");
  // The tables after it still load as before.
  EXPECT_EQ(result.config->listeners.size(), 1u);
}

// ---- errors ---------------------------------------------------------------------------------

TEST(ConfigErrors, ToString) {
  EXPECT_EQ((Error{"a.toml", 3, 7, "bad"}).to_string(), "a.toml:3:7: bad");
  EXPECT_EQ((Error{"a.toml", 0, 0, "cannot read"}).to_string(), "a.toml: cannot read");
}

TEST(ConfigErrors, MissingFile) {
  const LoadResult result = load_config_file("/nonexistent/stdnet.toml");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].to_string(),
            "/nonexistent/stdnet.toml: cannot read the config file: No such file or directory");
  EXPECT_FALSE(result.config.has_value());
}

TEST(ConfigErrors, InvalidToml) {
  const Error e = one_error("[server]\nworkers = \n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 11);
  EXPECT_EQ(e.file, "config.toml");
  EXPECT_TRUE(e.message.starts_with("invalid TOML: ")) << e.message;

  const Error dup = one_error("[server]\nworkers = 1\nworkers = 2\n");
  EXPECT_EQ(dup.line, 3);
  EXPECT_NE(dup.message.find("workers"), std::string::npos) << dup.message;
}

TEST(ConfigErrors, UnknownKeysWithHints) {
  const LoadResult r = load(std::string(R"([server]
wokers = 2
flavour = "x"

[serverr]
workers = 2
)") + std::string(kMinimal) +
                            R"(password = "x"
pasword = "y"
)");
  ASSERT_EQ(r.errors.size(), 4u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:2:1: [server]: unknown key \"wokers\"; did you mean \"workers\"?");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:3:1: [server]: unknown key \"flavour\"; the keys here are: workers, "
            "admin, log_level, log_format, maxclients, timeout, client_query_buffer_limit, "
            "client_output_buffer_limit");
  EXPECT_EQ(r.errors[2].line, 5);
  EXPECT_EQ(r.errors[2].column, 2);
  EXPECT_TRUE(r.errors[2].message.starts_with(
      "unknown top-level key \"serverr\"; did you mean \"server\"?"))
      << r.errors[2].message;
  EXPECT_EQ(r.errors[3].to_string(),
            "config.toml:15:1: [[namespace]] \"app1\": unknown key \"pasword\"; did you mean "
            "\"password\"?");
}

TEST(ConfigErrors, HintsForPrefixesAndNoHint) {
  const LoadResult r = load(std::string(R"(bogus = 1
[server]
log_level = "warning"
)") + std::string(kMinimal));
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:1:1: unknown top-level key \"bogus\"; the file has [server], [backend], "
            "[[listener]], [[namespace]] and [[command]]");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:3:13: [server]: log_level \"warning\" is not one of trace, debug, info, "
            "warn, error; did you mean \"warn\"?");
}

TEST(ConfigErrors, UnknownKeysInNestedTables) {
  TempDir dir;
  dir.write("x.lua", "return 1");
  const LoadResult r =
      load_config_string(std::string(kMinimal) + R"(users = [{ name = "u", passwd = "p" }]
backend_user = { name = "n", password = "p", extra = 1 }

[[command]]
name = "X"
script = "x.lua"
keys = { frist = 1 }
)",
                         (dir.path() / "c.toml").string());
  ASSERT_EQ(r.errors.size(), 4u) << all_errors(r);
  // A missing key is reported at the start of its (inline) table.
  EXPECT_EQ(r.errors[0].line, 8);
  EXPECT_EQ(r.errors[0].column, 10);
  EXPECT_EQ(r.errors[0].message,
            "[[namespace]] \"app1\" users[1]: missing password; add e.g. password = \"...\"");
  EXPECT_EQ(r.errors[1].line, 8);
  EXPECT_EQ(r.errors[1].column, 24);
  EXPECT_EQ(r.errors[1].message,
            "[[namespace]] \"app1\" users[1]: unknown key \"passwd\"; did you mean \"password\"?");
  EXPECT_EQ(r.errors[2].line, 9);
  EXPECT_EQ(r.errors[2].column, 46);
  EXPECT_EQ(r.errors[2].message,
            "[[namespace]] \"app1\" backend_user: unknown key \"extra\"; the keys here are: "
            "name, password");
  EXPECT_EQ(r.errors[3].line, 14);
  EXPECT_EQ(r.errors[3].column, 10);
  EXPECT_EQ(r.errors[3].message,
            "[[command]] \"X\" keys: unknown key \"frist\"; did you mean \"first\"?");
  // keys = { frist = 1 } has none of the known keys: only the typo is reported.
}

TEST(ConfigErrors, ServerValues) {
  const LoadResult r = load(std::string(R"([server]
workers = 0
admin = "localhost"
log_level = "inf"
log_format = "xml"
maxclients = "many"
timeout = -1
client_query_buffer_limit = "10 tb"
client_output_buffer_limit = -5
)") + std::string(kMinimal));
  ASSERT_EQ(r.errors.size(), 8u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:2:11: [server]: workers = 0 is out of range; expected an integer from 1 "
            "to 64");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:3:9: [server]: admin \"localhost\": the port is missing; expected "
            "host:port, [::1]:port or unix:/path");
  EXPECT_EQ(r.errors[2].to_string(),
            "config.toml:4:13: [server]: log_level \"inf\" is not one of trace, debug, info, warn, "
            "error; did you mean \"info\"?");
  EXPECT_EQ(r.errors[3].to_string(),
            "config.toml:5:14: [server]: log_format \"xml\" is not one of text, json");
  EXPECT_EQ(r.errors[4].to_string(),
            "config.toml:6:14: [server]: maxclients must be an integer from 1 to 4294967295, got "
            "the string \"many\"");
  EXPECT_EQ(r.errors[5].to_string(),
            "config.toml:7:11: [server]: timeout = -1 is out of range; expected a number of "
            "seconds >= 0 and <= 1000000000 (e.g. 2 or 0.5)");
  EXPECT_EQ(r.errors[6].line, 8);
  EXPECT_EQ(r.errors[6].column, 29);
  EXPECT_NE(r.errors[6].message.find("client_query_buffer_limit: \"10 tb\" has an unknown unit"),
            std::string::npos)
      << r.errors[6].message;
  EXPECT_EQ(r.errors[7].to_string(),
            "config.toml:9:30: [server]: client_output_buffer_limit = -5 is negative; expected a "
            "number of bytes or a string like \"256mb\"");
}

TEST(ConfigErrors, QueryBufferTooSmall) {
  const Error e =
      one_error(std::string("[server]\nclient_query_buffer_limit = 100\n") + std::string(kMinimal));
  EXPECT_EQ(e.to_string(),
            "config.toml:2:29: [server]: client_query_buffer_limit = 100 is too small; it must be "
            "at least 1024 bytes");
}

TEST(ConfigErrors, WrongTypes) {
  const LoadResult r = load(std::string(R"([server]
workers = 2.0
log_level = 3
timeout = "5"

[backend]
url = 6379
connect_timeout = true
)") + std::string(kMinimal));
  ASSERT_EQ(r.errors.size(), 5u) << all_errors(r);
  EXPECT_EQ(r.errors[0].message, "[server]: workers must be an integer from 1 to 64, got 2");
  EXPECT_EQ(r.errors[1].message, "[server]: log_level must be a string, got 3");
  EXPECT_EQ(r.errors[2].message,
            "[server]: timeout must be a number of seconds >= 0 and <= 1000000000 (e.g. 2 or 0.5), "
            "got the string "
            "\"5\"");
  // The URL may contain a password: it is never echoed.
  EXPECT_EQ(r.errors[3].to_string(),
            "config.toml:7:7: [backend]: url must be a string, got an integer");
  EXPECT_EQ(r.errors[4].to_string(),
            "config.toml:8:19: [backend]: connect_timeout must be a number of seconds > 0 and <= "
            "1000000000 (e.g. 2 or 0.5), got true");
}

TEST(ConfigErrors, BackendValues) {
  const LoadResult r = load(std::string(R"([backend]
url = "redis://user:hunter2@127.0.0.1:99999"
connections = 0
pool_size = 1000000
connect_timeout = 0
request_timeout = -0.5
reconnect_min = 3
reconnect_max = 1
)") + std::string(kMinimal));
  ASSERT_EQ(r.errors.size(), 6u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:2:7: [backend]: url: port 99999 is out of range; expected a port from 1 "
            "to 65535");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:3:15: [backend]: connections = 0 is out of range; expected an integer "
            "from 1 to 256");
  EXPECT_EQ(r.errors[2].line, 4);
  EXPECT_EQ(r.errors[3].to_string(),
            "config.toml:5:19: [backend]: connect_timeout = 0 is out of range; expected a number "
            "of seconds > 0 and <= 1000000000 (e.g. 2 or 0.5)");
  EXPECT_EQ(r.errors[4].line, 6);
  EXPECT_EQ(r.errors[4].column, 19);
  EXPECT_EQ(r.errors[5].to_string(),
            "config.toml:8:17: [backend]: reconnect_max (1s) is less than reconnect_min (3s); the "
            "reconnect delay grows from reconnect_min up to reconnect_max");
  for (const Error& e : r.errors) EXPECT_EQ(e.message.find("hunter2"), std::string::npos);
}

TEST(ConfigErrors, SecondsAreBounded) {
  const LoadResult r = load(std::string("[server]\ntimeout = 1e10\n[backend]\nrequest_timeout = "
                                        "inf\nreconnect_max = nan\n") +
                            std::string(kMinimal));
  ASSERT_EQ(r.errors.size(), 3u) << all_errors(r);
  EXPECT_EQ(r.errors[0].message,
            "[server]: timeout = 1e+10 is out of range; expected a number of seconds >= 0 "
            "and <= 1000000000 (e.g. 2 or 0.5)");
  EXPECT_EQ(r.errors[1].line, 4);
  EXPECT_EQ(r.errors[2].line, 5);
}

TEST(ConfigErrors, ReconnectMinAboveDefaultMax) {
  const Error e = one_error(std::string("[backend]\nreconnect_min = 5\n") + std::string(kMinimal));
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 17);
  EXPECT_NE(e.message.find("reconnect_max (0.5s) is less than reconnect_min (5s)"),
            std::string::npos);
}

TEST(ConfigErrors, SectionsOfTheWrongShape) {
  const LoadResult r = load(R"(server = 1

[listener]
address = "127.0.0.1:6380"

[[namespace]]
name = "a"
prefix = "a:"
password = "p"

[backend]
url = "redis://127.0.0.1:6379"
)");
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:1:10: server must be a table: write [server] on its own line, followed by "
            "its keys");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:3:1: listener must be an array of tables: write [[listener]] (double "
            "brackets) before each one, not [listener]");
}

TEST(ConfigErrors, EmptyFile) {
  const LoadResult r = load("");
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[0].column, 1);
  EXPECT_TRUE(r.errors[0].message.starts_with("no [[namespace]] is defined"))
      << r.errors[0].message;
  EXPECT_TRUE(r.errors[1].message.starts_with("no [[listener]] is defined")) << r.errors[1].message;
}

TEST(ConfigErrors, PrefixCharacters) {
  const Error e = one_error(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "app1"

[[namespace]]
name = "app1"
prefix = "a*b"
)");
  EXPECT_EQ(e.to_string(),
            "config.toml:7:10: [[namespace]] \"app1\": prefix \"a*b\" contains '*'; a prefix may "
            "contain only letters, digits and _ . : -");
  for (const char* bad : {"a?", "a[", "a]", "a\\\\", "a{", "a}", "a b", "é"}) {
    const LoadResult r = load(std::string(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "app1"

[[namespace]]
name = "app1"
prefix = ")") + bad + "\"\n");
    ASSERT_EQ(r.errors.size(), 1u) << bad << "\n" << all_errors(r);
    EXPECT_NE(r.errors[0].message.find("a prefix may contain only"), std::string::npos);
  }
}

TEST(ConfigErrors, EmptyPrefixOnlyWhenTrusted) {
  const Error e = one_error(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "app1"

[[namespace]]
name = "app1"
prefix = ""
)");
  EXPECT_EQ(e.line, 7);
  EXPECT_EQ(e.column, 10);
  EXPECT_NE(e.message.find("only a trusted namespace (trusted = true) may have the empty prefix"),
            std::string::npos)
      << e.message;
  valid(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "app1"

[[namespace]]
name = "app1"
prefix = ""
trusted = true
)");
}

TEST(ConfigErrors, MissingRequiredKeys) {
  TempDir dir;
  const LoadResult r = load_config_string(R"([[listener]]
namespace = "app1"

[[namespace]]
prefix = "x:"
password = "p"

[[namespace]]
name = "app1"

[[command]]
name = "C"
)",
                                          (dir.path() / "c.toml").string());
  ASSERT_EQ(r.errors.size(), 5u) << all_errors(r);
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[0].column, 1);
  EXPECT_EQ(r.errors[0].message,
            "[[listener]] #1: missing address; add e.g. address = \"127.0.0.1:6380\" (or "
            "\"unix:/path/to.sock\")");
  EXPECT_EQ(r.errors[1].line, 4);
  EXPECT_EQ(r.errors[1].message,
            "[[namespace]] #1: missing name; add e.g. name = \"app1\" (a unique name for this "
            "namespace)");
  EXPECT_EQ(r.errors[2].line, 8);
  EXPECT_EQ(r.errors[2].message,
            "[[namespace]] \"app1\": missing prefix; add e.g. prefix = \"app1:\" (put before every "
            "key of this namespace)");
  EXPECT_EQ(r.errors[3].line, 11);
  EXPECT_TRUE(r.errors[3].message.starts_with("[[command]] \"C\": missing script"))
      << r.errors[3].message;
  EXPECT_EQ(r.errors[4].line, 11);
  EXPECT_TRUE(r.errors[4].message.starts_with("[[command]] \"C\": missing keys"))
      << r.errors[4].message;
}

TEST(ConfigErrors, BadNames) {
  const LoadResult r = load(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "app 1"

[[namespace]]
name = "app 1"
prefix = "a:"
password = "p"

[[namespace]]
name = ""
prefix = "b:"
password = "q"
)");
  ASSERT_EQ(r.errors.size(), 3u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:3:13: [[listener]] \"127.0.0.1:6380\": namespace \"app 1\" is not "
            "defined; define it with [[namespace]] name = \"app 1\"");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:6:8: [[namespace]] #1: name \"app 1\" contains a space; it may contain "
            "only letters, digits and _ . : -");
  EXPECT_EQ(r.errors[2].to_string(), "config.toml:11:8: [[namespace]] #2: name \"\" is empty");
}

TEST(ConfigErrors, ListenerNamespaceMustExist) {
  const LoadResult r = load(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "ap1"

[[listener]]
address = "127.0.0.1:6381"
namespace = "zzz"

[[namespace]]
name = "app1"
prefix = "app1:"
password = "p1"

[[namespace]]
name = "app2"
prefix = "app2:"
password = "p2"
)");
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:3:13: [[listener]] \"127.0.0.1:6380\": namespace \"ap1\" is not defined; "
            "did you mean \"app1\"?");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:7:13: [[listener]] \"127.0.0.1:6381\": namespace \"zzz\" is not defined; "
            "the namespaces are: app1, app2");
}

TEST(ConfigErrors, ListenerAddresses) {
  const LoadResult r = load(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "a"

[[listener]]
address = "127.0.0.1:6380"

[[listener]]
address = "::1:6380"

[[listener]]
address = 6380

[[namespace]]
name = "a"
prefix = "a:"
)");
  ASSERT_EQ(r.errors.size(), 3u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:6:11: [[listener]] \"127.0.0.1:6380\": address 127.0.0.1:6380 is already "
            "used by the [[listener]] at line 2");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:9:11: [[listener]] #3: address \"::1:6380\": an IPv6 address must be "
            "written in brackets, e.g. [::1]:6380");
  EXPECT_EQ(r.errors[2].to_string(),
            "config.toml:12:11: [[listener]] #4: address must be a string, got 6380");
}

TEST(ConfigErrors, DuplicateNamespaceNames) {
  const Error e = one_error(R"([[listener]]
address = "127.0.0.1:6380"

[[namespace]]
name = "app1"
prefix = "a:"
password = "p1"

[[namespace]]
name = "app1"
prefix = "b:"
password = "p2"
)");
  EXPECT_EQ(e.to_string(),
            "config.toml:10:8: [[namespace]] \"app1\": name \"app1\" is already used by the "
            "[[namespace]] at line 4; names must be unique");
}

constexpr std::string_view kTwoNamespaces = R"([[listener]]
address = "127.0.0.1:6380"

[[namespace]]
name = "one"
prefix = "%s"
password = "p1"
%s
[[namespace]]
name = "two"
prefix = "%s"
password = "p2"
%s
)";

LoadResult two_namespaces(std::string_view prefix1, std::string_view prefix2,
                          std::string_view extra1 = "", std::string_view extra2 = "") {
  std::string text(kTwoNamespaces);
  for (std::string_view part : {prefix1, extra1, prefix2, extra2}) {
    text.replace(text.find("%s"), 2, part);
  }
  return load(text);
}

TEST(ConfigErrors, PrefixOfAnotherPrefix) {
  LoadResult r = two_namespaces("app", "app:x");
  ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:11:10: [[namespace]] \"two\": prefix \"app:x\" starts with the prefix "
            "\"app\" of [[namespace]] \"one\" (line 4), so clients of \"one\" could read and write "
            "this namespace's keys; end each prefix with a separator such as ':' so that none "
            "starts with another");

  r = two_namespaces("app:x", "app");
  ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:11:10: [[namespace]] \"two\": prefix \"app\" is the start of the prefix "
            "\"app:x\" of [[namespace]] \"one\" (line 4), so clients of this namespace could read "
            "and write the keys of \"one\"; end each prefix with a separator such as ':' so that "
            "none starts with another");

  r = two_namespaces("app:", "app:");
  ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
  EXPECT_EQ(r.errors[0].line, 11);
  EXPECT_NE(r.errors[0].message.find("prefix \"app:\" is already the prefix of [[namespace]] "
                                     "\"one\" (line 4)"),
            std::string::npos)
      << r.errors[0].message;

  // Separated prefixes are fine, even when one name starts with the other.
  EXPECT_TRUE(two_namespaces("app:", "app2:").errors.empty());
  EXPECT_TRUE(two_namespaces("app.", "app:").errors.empty());
}

TEST(ConfigErrors, PrefixOverlapAllowedForTrustedOrOtherDatabase) {
  // A trusted namespace (e.g. an admin or pass-through one) may see other namespaces' keys.
  EXPECT_TRUE(two_namespaces("", "app:", "trusted = true").errors.empty())
      << all_errors(two_namespaces("", "app:", "trusted = true"));
  EXPECT_TRUE(two_namespaces("app:", "", "", "trusted = true").errors.empty());
  EXPECT_TRUE(two_namespaces("a", "a:b", "trusted = true").errors.empty());
  // ... but not the other way round.
  EXPECT_EQ(two_namespaces("a", "a:b", "", "trusted = true").errors.size(), 1u);
  // Identical prefixes are always an error.
  EXPECT_EQ(two_namespaces("", "", "trusted = true", "trusted = true").errors.size(), 1u);
  // Different databases never share keys.
  EXPECT_TRUE(two_namespaces("a", "a:b", "database = 1", "database = 2").errors.empty());
  // ... unless SELECT may reach a shared one.
  EXPECT_EQ(
      two_namespaces("a", "a:b", "database = 1", "database = 2\ndatabases = [1]").errors.size(),
      1u);
}

TEST(ConfigErrors, DuplicateCredentials) {
  const LoadResult r = load(R"([[listener]]
address = "127.0.0.1:6380"

[[namespace]]
name = "one"
prefix = "one:"
password = "same"
users = [{ name = "alice", password = "x" }]

[[namespace]]
name = "two"
prefix = "two:"
password = ["other", "same"]
users = [{ name = "alice", password = "y" }]
)");
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:13:22: [[namespace]] \"two\": this password is already the password of "
            "\"one\" (line 7); AUTH <password> must identify exactly one namespace, so give each "
            "its own password");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:14:19: [[namespace]] \"two\": user \"alice\" is already defined "
            "at line 8; user names must be unique across all namespaces");
  // Passwords are never echoed.
  for (const Error& e : r.errors) EXPECT_EQ(e.message.find("same"), std::string::npos);
}

TEST(ConfigErrors, DuplicatePasswordInOneNamespace) {
  const Error e = one_error(R"([[listener]]
address = "127.0.0.1:6380"

[[namespace]]
name = "one"
prefix = "one:"
password = ["pw", "pw"]
)");
  EXPECT_EQ(e.line, 7);
  EXPECT_EQ(e.column, 19);
  EXPECT_NE(e.message.find("already the password of this namespace"), std::string::npos);
}

TEST(ConfigErrors, ReservedAndAmbiguousUserNames) {
  const LoadResult r = load(R"([[listener]]
address = "127.0.0.1:6380"

[[namespace]]
name = "one"
prefix = "one:"
password = "p1"

[[namespace]]
name = "two"
prefix = "two:"
users = [{ name = "Default", password = "x" }, { name = "one", password = "y" }]
)");
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0].line, 12);
  EXPECT_EQ(r.errors[0].column, 19);
  EXPECT_NE(r.errors[0].message.find("the user name \"default\" is reserved"), std::string::npos);
  EXPECT_EQ(r.errors[1].line, 12);
  EXPECT_EQ(r.errors[1].column, 57);
  EXPECT_EQ(r.errors[1].message,
            "[[namespace]] \"two\": user \"one\" has the name of the namespace \"one\" "
            "(line 4), and AUTH one <password> also selects that namespace by its password; "
            "choose another user name");
}

TEST(ConfigErrors, NamespaceWithoutAnyWayIn) {
  const LoadResult r = load(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "one"

[[namespace]]
name = "one"
prefix = "one:"

[[namespace]]
name = "two"
prefix = "two:"

[[namespace]]
name = "three"
prefix = "three:"
users = []
)");
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:9:1: [[namespace]] \"two\": no credentials, and no [[listener]] has it as "
            "its namespace, so no client could use it; add password = \"...\" or users = [{ name "
            "= \"...\", password = \"...\" }], or name it in a [[listener]]");
  EXPECT_EQ(r.errors[1].line, 13);
}

TEST(ConfigErrors, CredentialValues) {
  const LoadResult r = load(R"([[listener]]
address = "127.0.0.1:6380"

[[namespace]]
name = "one"
prefix = "one:"
password = 1234
users = ["alice"]

[[namespace]]
name = "two"
prefix = "two:"
password = ""
users = [{ name = "a b", password = "" }]
backend_user = { name = "x" }
)");
  ASSERT_EQ(r.errors.size(), 6u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:7:12: [[namespace]] \"one\": password must be a string (or an array of "
            "strings), got an integer");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:8:10: [[namespace]] \"one\": users must contain tables like { name = "
            "\"u\", password = \"p\" }, got a string");
  EXPECT_EQ(r.errors[2].to_string(), "config.toml:13:12: [[namespace]] \"two\": password is empty");
  EXPECT_EQ(r.errors[3].line, 14);
  EXPECT_EQ(r.errors[3].column, 19);
  EXPECT_NE(r.errors[3].message.find("contains a space"), std::string::npos);
  EXPECT_EQ(r.errors[4].to_string(),
            "config.toml:14:37: [[namespace]] \"two\" users[1]: password is empty");
  EXPECT_EQ(r.errors[5].to_string(),
            "config.toml:15:16: [[namespace]] \"two\" backend_user: missing password; add e.g. "
            "password = \"...\"");
  for (const Error& e : r.errors) EXPECT_EQ(e.message.find("1234"), std::string::npos);
}

TEST(ConfigErrors, Databases) {
  const LoadResult r = load(R"([[listener]]
address = "127.0.0.1:6380"
namespace = "one"

[[namespace]]
name = "one"
prefix = "one:"
database = -1
databases = [1, -2, "3", 1]
maxclients = -1
)");
  ASSERT_EQ(r.errors.size(), 5u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:8:12: [[namespace]] \"one\": database = -1 is out of range; expected an "
            "integer from 0 to 2147483647");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:9:17: [[namespace]] \"one\": databases must contain database numbers >= "
            "0, got -2");
  EXPECT_EQ(r.errors[2].column, 21);
  EXPECT_EQ(r.errors[3].to_string(),
            "config.toml:9:26: [[namespace]] \"one\": databases lists 1 twice");
  EXPECT_EQ(r.errors[4].line, 10);
}

TEST(ConfigErrors, Commands) {
  TempDir dir;
  dir.write("ok.lua", "return 1");
  dir.write("empty.lua", "");
  std::filesystem::create_directories(dir.path() / "adir.lua");
  const LoadResult r = load_config_string(std::string(kMinimal) + R"(
[[command]]
name = "GET*"
script = "missing.lua"
keys = { first = 0 }

[[command]]
name = "dup"
script = "empty.lua"
keys = { first = 2, last = 1 }

[[command]]
name = "DUP"
script = "adir.lua"
keys = { first = 1, numkeys = 2 }
arity = 0

[[command]]
name = "A"
script = "ok.lua"
keys = { first = 2, last = 0, step = 0 }

[[command]]
name = "B"
script = "ok.lua"
keys = { first = 3, last = 4 }
arity = 4

[[command]]
name = "C"
script = "ok.lua"
keys = "1"
write = "yes"
)",
                                          (dir.path() / "c.toml").string());
  const std::string dir_text = dir.path().string();
  ASSERT_EQ(r.errors.size(), 14u) << all_errors(r);
  EXPECT_EQ(r.errors[0].message,
            "[[command]] #1: name \"GET*\" contains '*'; it may contain only letters, digits and _ "
            ". -");
  EXPECT_EQ(r.errors[0].line, 10);
  EXPECT_EQ(r.errors[1].message, "[[command]] #1: cannot read the script \"missing.lua\" (" +
                                     dir_text + "/missing.lua): No such file or directory");
  EXPECT_EQ(r.errors[1].line, 11);
  EXPECT_EQ(r.errors[1].column, 10);
  EXPECT_EQ(r.errors[2].message,
            "[[command]] #1 keys: first = 0 is out of range; expected an integer from 1 to "
            "1000000");
  EXPECT_EQ(r.errors[2].line, 12);
  EXPECT_EQ(r.errors[2].column, 18);
  EXPECT_EQ(r.errors[3].message,
            "[[command]] \"dup\": the script \"empty.lua\" (" + dir_text + "/empty.lua) is empty");
  EXPECT_EQ(r.errors[3].line, 16);
  EXPECT_EQ(r.errors[4].message,
            "[[command]] \"dup\" keys: last = 1 is before first = 2; use an index >= first, or a "
            "negative index counted from the end (-1: the last argument)");
  EXPECT_EQ(r.errors[4].line, 17);
  EXPECT_EQ(r.errors[4].column, 28);
  EXPECT_EQ(r.errors[5].message,
            "[[command]] \"DUP\": name \"DUP\" is already used by the [[command]] at line 15 "
            "(command names are case-insensitive)");
  EXPECT_EQ(r.errors[5].line, 20);
  EXPECT_EQ(r.errors[6].message, "[[command]] \"DUP\": cannot read the script \"adir.lua\" (" +
                                     dir_text + "/adir.lua): it is a directory, not a file");
  EXPECT_EQ(r.errors[7].message,
            "[[command]] \"DUP\" keys: use either numkeys (the index of the argument that counts "
            "the keys) or first/last/step, not both");
  EXPECT_EQ(r.errors[7].line, 22);
  EXPECT_EQ(r.errors[7].column, 31);
  EXPECT_EQ(r.errors[8].line, 23);
  EXPECT_NE(r.errors[8].message.find("arity must not be 0"), std::string::npos);
  EXPECT_EQ(r.errors[9].message,
            "[[command]] \"A\" keys: last must not be 0; use an index >= first, or -1 for the last "
            "argument (-2 for the one before it, ...)");
  EXPECT_EQ(r.errors[9].line, 28);
  EXPECT_EQ(r.errors[9].column, 28);
  EXPECT_EQ(r.errors[10].message,
            "[[command]] \"A\" keys: step = 0 is out of range; expected an integer from 1 to "
            "1000000");
  EXPECT_EQ(r.errors[10].line, 28);
  EXPECT_EQ(r.errors[10].column, 38);
  EXPECT_EQ(r.errors[11].message,
            "[[command]] \"B\": arity 4 allows fewer arguments than the key positions need (5, "
            "counting the command name)");
  EXPECT_EQ(r.errors[11].line, 34);
  EXPECT_EQ(r.errors[12].line, 39);
  EXPECT_NE(r.errors[12].message.find("keys must be a table like"), std::string::npos);
  EXPECT_EQ(r.errors[13].to_string(),
            r.errors[13].file +
                ":40:9: [[command]] \"C\": write must be true or false, got the "
                "string \"yes\"");
}

TEST(ConfigErrors, ScriptThatIsNotARegularFileDoesNotBlock) {
  TempDir dir;
  const std::string fifo = (dir.path() / "fifo.lua").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const LoadResult r = load_config_string(std::string(kMinimal) + R"(
[[command]]
name = "F"
script = "fifo.lua"
keys = { first = 1 }
)",
                                          (dir.path() / "c.toml").string());
  ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
  EXPECT_NE(r.errors[0].message.find("it is not a regular file"), std::string::npos);
  EXPECT_EQ(r.errors[0].line, 11);
}

TEST(ConfigErrors, ManyErrorsAtOnceInFileOrder) {
  const LoadResult r = load(R"([server]
workers = 100
log_level = "verbose"

[backend]
url = "redis://localhost:0"

[[listener]]
address = "127.0.0.1"
namespace = "nope"

[[namespace]]
name = "a"
prefix = "a*"
password = "p"

[[namespace]]
name = "b"
prefix = "b:"
password = "p"
)");
  std::vector<std::pair<int, int>> positions;
  for (const Error& e : r.errors) positions.emplace_back(e.line, e.column);
  EXPECT_EQ(positions, (std::vector<std::pair<int, int>>{
                           {2, 11}, {3, 13}, {6, 7}, {9, 11}, {10, 13}, {14, 10}, {20, 12}}))
      << all_errors(r);
  EXPECT_FALSE(r.config.has_value());
  for (const Error& e : r.errors) EXPECT_EQ(e.file, "config.toml");
}

TEST(ConfigErrors, SentinelMissingKeys) {
  const LoadResult r = load(std::string(R"([backend.sentinel]
user = "u"
)") + std::string(kMinimal));
  ASSERT_EQ(r.errors.size(), 3u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:1:1: [backend.sentinel]: missing master; add e.g. master = \"mymaster\" "
            "(the name the sentinels monitor the primary under)");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:1:1: [backend.sentinel]: missing addresses; add e.g. addresses = "
            "[\"127.0.0.1:26379\"] (host:port of each sentinel)");
  EXPECT_EQ(r.errors[2].to_string(),
            "config.toml:2:8: [backend.sentinel]: user \"u\" is given without a password; add "
            "password = \"...\" (the sentinels' AUTH needs both)");
}

TEST(ConfigErrors, SentinelValues) {
  const LoadResult r = load(std::string(R"([backend.sentinel]
master = "my master"
addresses = ["127.0.0.1", "unix:/tmp/s.sock", 26379, "10.0.0.1:26379", "10.0.0.1:26379"]
password = 5
sentinals = 1
)") + std::string(kMinimal));
  ASSERT_EQ(r.errors.size(), 7u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:2:10: [backend.sentinel]: master \"my master\" contains a space or "
            "control character; write the name of the master as in the sentinels' `sentinel "
            "monitor`");
  EXPECT_EQ(r.errors[1].to_string(),
            "config.toml:3:14: [backend.sentinel]: address \"127.0.0.1\": the port is missing; "
            "expected host:port, [::1]:port or unix:/path");
  EXPECT_EQ(r.errors[2].to_string(),
            "config.toml:3:27: [backend.sentinel]: address \"unix:/tmp/s.sock\": sentinels are "
            "reached over TCP; write host:port (e.g. \"127.0.0.1:26379\")");
  EXPECT_EQ(r.errors[3].to_string(),
            "config.toml:3:47: [backend.sentinel]: addresses must contain \"host:port\" strings, "
            "got 26379");
  EXPECT_EQ(r.errors[4].to_string(),
            "config.toml:3:72: [backend.sentinel]: address 10.0.0.1:26379 is listed twice");
  // A password is never echoed.
  EXPECT_EQ(r.errors[5].to_string(),
            "config.toml:4:12: [backend.sentinel]: password must be a string, got an integer");
  EXPECT_EQ(r.errors[6].to_string(),
            "config.toml:5:1: [backend.sentinel]: unknown key \"sentinals\"; the keys here are: "
            "master, addresses, password, user");
}

TEST(ConfigErrors, SentinelShapes) {
  const LoadResult r = load(std::string(R"([backend]
sentinel = "127.0.0.1:26379"
)") + std::string(kMinimal));
  ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "config.toml:2:12: [backend]: sentinel must be a table like { master = \"mymaster\", "
            "addresses = [\"127.0.0.1:26379\"] }, got the string \"127.0.0.1:26379\"");

  const LoadResult r2 = load(std::string(R"([backend.sentinel]
master = ""
addresses = "127.0.0.1:26379"
)") + std::string(kMinimal));
  ASSERT_EQ(r2.errors.size(), 2u) << all_errors(r2);
  EXPECT_EQ(r2.errors[0].to_string(), "config.toml:2:10: [backend.sentinel]: master is empty");
  EXPECT_EQ(r2.errors[1].to_string(),
            "config.toml:3:13: [backend.sentinel]: addresses must be an array of \"host:port\" "
            "strings like [\"127.0.0.1:26379\"], got the string \"127.0.0.1:26379\"");

  const LoadResult r3 = load(std::string(R"([backend.sentinel]
master = "mymaster"
addresses = []
)") + std::string(kMinimal));
  ASSERT_EQ(r3.errors.size(), 1u) << all_errors(r3);
  EXPECT_EQ(r3.errors[0].to_string(),
            "config.toml:3:13: [backend.sentinel]: addresses is empty; list at least one "
            "sentinel, e.g. [\"127.0.0.1:26379\"]");
}

}  // namespace
}  // namespace stdnet::config
