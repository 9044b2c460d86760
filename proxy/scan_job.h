// Commands the proxy emulates by walking the namespace with SCAN in bounded steps (never KEYS,
// never a server-wide O(N) command): KEYS, DBSIZE, FLUSHDB/FLUSHALL, RANDOMKEY, COUNTPATTERN,
// DELPATTERN. Each step is one SCAN (COUNT kBatch) on the client's backend connection, so other
// clients' requests interleave between steps. While the job runs, the client's later requests
// wait (its own view stays sequential, as with Redis).
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "proxy/backend.h"

namespace stdnet::proxy {

class ClientSession;

class ScanJob final : public ReplyHandler {
 public:
  enum class Kind : std::uint8_t { Keys, Count, Delete, RandomKey, KeyInfo };
  static constexpr int kBatch = 1000;

  // `match`: the backend pattern (already prefixed and escaped). `reply_kind` shapes the reply:
  // Delete replies +OK when `ok_reply`, else the number deleted.
  static void start(ClientSession& client, BackendConnection& backend, std::uint64_t seq, Kind kind,
                    std::string match, std::size_t strip, int protocol, bool ok_reply);

  // KeyInfo: rows of the matching keys from `start`, at most `count` (negative: all), described by
  // the keyinfo script batch by batch. Call before the first reply arrives (right after start()).
  static void start_keyinfo(ClientSession& client, BackendConnection& backend, std::uint64_t seq,
                            std::string match, std::string prefix, int protocol,
                            std::int64_t start, std::int64_t count);

  void on_reply(std::string_view reply, char type) override;
  void on_failure(std::string_view message) override;

 private:
  ScanJob(ClientSession& client, BackendConnection& backend, std::uint64_t seq, Kind kind,
          std::string match, std::size_t strip, int protocol, bool ok_reply);
  void send_scan();
  void handle(std::string_view reply, char type);
  void finish();

  ClientSession& client_;
  BackendConnection& backend_;
  const std::uint64_t seq_;
  const Kind kind_;
  const std::string match_;
  const std::size_t strip_;  // prefix length removed from returned keys
  const int protocol_;
  const bool ok_reply_;
  std::string cursor_ = "0";
  int outstanding_ = 0;   // requests sent whose replies have not come yet
  std::string error_;     // the first error; the job ends with it once nothing is outstanding
  std::uint64_t count_ = 0;
  std::vector<std::string> keys_;  // Keys: every key; RandomKey: the reservoir (one key);
                                   // KeyInfo: the rows (raw RESP)
  std::string prefix_;             // KeyInfo: the namespace prefix (the script strips it)
  std::int64_t skip_ = 0;          // KeyInfo: rows still to skip (start)
  std::int64_t take_ = -1;         // KeyInfo: rows still to take (count; negative: all)
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace stdnet::proxy
