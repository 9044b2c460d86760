// The validated configuration (SPEC §6). Loaded from TOML by load_config(); nothing else in the
// program parses the file. Every error names file:line:column and what is expected.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stdnet::config {

struct Address {
  // Either TCP host:port or a unix socket path ("unix:/path").
  std::string host;        // TCP host ("127.0.0.1", "::1", "localhost")
  std::uint16_t port = 0;  // TCP port
  std::string unix_path;   // non-empty for unix sockets
  bool is_unix() const { return !unix_path.empty(); }
  std::string to_string() const;
  bool operator==(const Address&) const = default;
};

// redis://[user:pass@]host:port?db=N&password=…&user=…&timeout=S&namespace=P  or unix:/path?db=…
struct BackendUrl {
  Address address;
  int db = 0;
  std::string user;
  std::string password;
  double timeout_seconds = 0;    // 0: none
  std::string namespace_prefix;  // outer prefix before every tenant prefix
};

struct ServerConfig {
  int workers = 1;
  std::optional<Address> admin;     // HTTP /metrics, /healthz
  std::string log_level = "info";   // trace debug info warn error
  std::string log_format = "text";  // text | json
  std::uint32_t maxclients = 10000;
  double timeout_seconds = 0;  // client idle timeout; 0: none
  std::uint64_t client_query_buffer_limit = 1024ull * 1024 * 1024;
  std::uint64_t client_output_buffer_limit = 128ull * 1024 * 1024;  // 0: no limit
};

// [backend.sentinel]: the backend is the primary that Redis Sentinel monitors under `master`.
// The url's host and port are then not used (its db, user, password, timeout and namespace are).
struct SentinelConfig {
  std::string master;              // the name the sentinels monitor (no spaces)
  std::vector<Address> addresses;  // TCP host:port of each sentinel, asked in this order
  std::string user;                // AUTH for the sentinels themselves ("" : none, needs password)
  std::string password;            // "" : no AUTH
  bool operator==(const SentinelConfig&) const = default;
};

struct BackendConfig {
  BackendUrl url;       // loaded configs default to redis://127.0.0.1:6379?db=0
  int connections = 2;  // shared (multiplexed) connections per worker
  int pool_size = 64;   // max pinned connections per worker (stateful clients)
  double connect_timeout_seconds = 2;
  double request_timeout_seconds = 0;  // 0: use url timeout, or none
  double reconnect_min_seconds = 0.05;
  double reconnect_max_seconds = 0.5;  // service resumes within a second of the backend's return
  // Set: the backend is the primary that these sentinels name.
  std::optional<SentinelConfig> sentinel;
};

struct Listener {
  Address address;
  std::string namespace_name;  // default namespace for new connections; empty: AUTH required
};

// Bare passwords are unique across all namespaces; user names too (and never "default").
struct Credential {
  std::string user;  // empty: a bare password (AUTH password)
  std::string password;
};

struct BackendUser {
  std::string name;
  std::string password;
};

struct Namespace {
  std::string name;
  std::string prefix;
  std::vector<Credential> credentials;
  bool trusted = false;
  std::optional<int> database;  // default: the backend URL's db
  // Databases SELECT may choose, without duplicates. databases[0] is always the namespace's default
  // database (`database`, or the backend URL's db when `database` is not set).
  std::vector<int> databases;
  std::optional<BackendUser> backend_user;
  std::uint32_t maxclients = 0;  // 0: no per-namespace limit
};

struct KeyPositions {
  // Either first/last/step (Redis legacy key positions) or numkeys (index of the numkeys argument,
  // keys follow it).
  int first = 0;
  int last = 0;
  int step = 1;
  int numkeys_index = 0;  // > 0: keys are given by a numkeys argument at this index
  // first == 0 and numkeys_index == 0: the command takes no key arguments (keys = {}).
  // last < 0 counts from the end (-1: the last argument).
};

struct ScriptCommand {
  std::string name;         // upper or lower case as written; matched case-insensitively
  std::string script_path;  // resolved relative to the config file
  std::string source;       // the file's contents, read at load time
  KeyPositions keys;
  int arity = 0;  // Redis-style arity; 0: derived (-(first+1) or -(numkeys_index+1))
  bool write = true;
};

struct Config {
  std::string path;  // the file it was loaded from
  ServerConfig server;
  BackendConfig backend;
  std::vector<Listener> listeners;
  std::vector<Namespace> namespaces;
  std::vector<ScriptCommand> commands;

  const Namespace* find_namespace(std::string_view name) const;
};

struct Error {
  std::string file;
  int line = 0;  // 0: the error is about the whole file (e.g. it cannot be read)
  int column = 0;
  std::string message;            // what is wrong and what is expected
  std::string to_string() const;  // "file:line:column: message" ("file: message" when line 0)
};

struct LoadResult {
  std::optional<Config> config;  // set when errors is empty
  std::vector<Error> errors;     // every error found, not only the first
};

// Loads and validates a TOML file.
LoadResult load_config_file(const std::string& path);
// Loads from text (`path` is used for messages and to resolve script paths).
LoadResult load_config_string(std::string_view text, const std::string& path);
// Parses a backend URL (SPEC §5). Returns an error message, or empty on success.
std::string parse_backend_url(std::string_view url, BackendUrl& out);
// Parses "host:port", "[::1]:port" or "unix:/path". Returns an error message or empty.
std::string parse_address(std::string_view text, Address& out);
// Parses a byte size: "1048576", "512kb", "256mb", "1gb" (Redis units: k/m/g are 1000s, kb/mb/gb
// 1024s; case-insensitive). Returns an error message or empty.
std::string parse_size(std::string_view text, std::uint64_t& out);

}  // namespace stdnet::config
