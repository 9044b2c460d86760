// Counters of one worker (read by INFO and the metrics endpoint).
#pragma once
#include <cstdint>

namespace stdnet::proxy {

struct Stats {
  std::uint64_t connections_received = 0;
  std::uint64_t connections_rejected = 0;
  std::uint64_t commands_processed = 0;
  std::uint64_t protocol_errors = 0;
  std::uint64_t backend_errors = 0;
  std::uint64_t backend_reconnects = 0;
  std::uint64_t net_input_bytes = 0;
  std::uint64_t net_output_bytes = 0;
};

}  // namespace stdnet::proxy
