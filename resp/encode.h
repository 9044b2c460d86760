// Appending RESP to an output buffer. All functions append; none allocate beyond buffer growth.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace stdnet::resp {

using Buffer = std::string;

void append_array_header(Buffer& out, std::int64_t count);        // *<n>\r\n
void append_header(Buffer& out, char type, std::int64_t count);   // <type><n>\r\n  (%, ~, >, $ …)
void append_bulk(Buffer& out, std::string_view value);            // $<len>\r\n<value>\r\n
void append_bulk(Buffer& out, std::string_view prefix, std::string_view value);  // prefix+value
void append_simple(Buffer& out, std::string_view value);          // +<value>\r\n
void append_error(Buffer& out, std::string_view message);         // -<message>\r\n (message incl. code)
void append_integer(Buffer& out, std::int64_t value);             // :<n>\r\n
void append_null(Buffer& out, int protocol);                      // $-1 (RESP2) or _ (RESP3)
void append_null_array(Buffer& out, int protocol);                // *-1 (RESP2) or _ (RESP3)
void append_double(Buffer& out, double value, int protocol);      // bulk (RESP2) or , (RESP3)
void append_map_header(Buffer& out, std::int64_t pairs, int protocol);  // * 2n (RESP2) or %n
void append_set_header(Buffer& out, std::int64_t count, int protocol);  // *n (RESP2) or ~n
void append_command(Buffer& out, std::initializer_list<std::string_view> args);  // multibulk

// Parses a Redis-style integer (optional '-', digits only, no leading '+', fits int64).
bool parse_int64(std::string_view text, std::int64_t& value);

}  // namespace stdnet::resp
