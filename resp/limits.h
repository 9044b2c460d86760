// Protocol limits, as in Redis (src/networking.c processMultibulkBuffer).
#pragma once
#include <cstddef>

namespace stdnet::resp {

struct Limits {
  std::size_t max_bulk_len = 512ull * 1024 * 1024;    // proto-max-bulk-len
  std::size_t max_multibulk_len = 1024ull * 1024 * 1024;  // Redis accepts up to INT_MAX; the query
                                                       // buffer limit bounds memory in practice
  std::size_t max_inline_len = 64 * 1024;              // PROTO_INLINE_MAX_SIZE
  // Before the connection is authenticated (Redis: 10 elements, 16 KiB bulk).
  std::size_t unauth_max_multibulk_len = 10;
  std::size_t unauth_max_bulk_len = 16384;
};

}  // namespace stdnet::resp
