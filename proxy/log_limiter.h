// Rate limit for log lines that clients can cause (protocol errors, limits): at most `burst` lines
// per second; the lines dropped are counted and reported with the next line let through, so a
// flood of bad clients cannot fill the disk and nothing disappears without a trace.
#pragma once
#include <cstdint>

namespace stdnet::proxy {

class LogLimiter {
 public:
  explicit LogLimiter(std::uint32_t per_second = 20) : per_second_(per_second) {}

  // True when a line may be written now. `suppressed` is then the number of lines dropped since
  // the last one written (to be mentioned in it).
  bool allow(std::uint64_t now_ms, std::uint64_t& suppressed) {
    if (now_ms - window_start_ms_ >= 1000) {
      window_start_ms_ = now_ms;
      in_window_ = 0;
    }
    if (in_window_ >= per_second_) {
      ++dropped_;
      return false;
    }
    ++in_window_;
    suppressed = dropped_;
    dropped_ = 0;
    return true;
  }

 private:
  std::uint32_t per_second_;
  std::uint64_t window_start_ms_ = 0;
  std::uint32_t in_window_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace stdnet::proxy
