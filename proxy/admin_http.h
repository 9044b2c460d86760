// The admin endpoint ([server] admin = "host:port"): a minimal HTTP/1.1 server on a libuv loop.
//
//   GET /metrics   200, Prometheus text (text/plain; version=0.0.4), from the metrics_text callback
//   GET /healthz   200 "ok\n" when the healthy callback says the backend is reachable, else
//                  503 "backend unreachable\n"
//   anything else  404; methods other than GET/HEAD 405; a malformed request 400; a request head
//                  over 8 KiB 431. Every response closes the connection (Connection: close).
//
// One request per connection, read until the blank line that ends its head (in as many pieces as
// the client sends it); a body, if any, is ignored. A client that sends nothing complete within
// 10 s is disconnected. At most 64 connections at a time (more are closed on accept), so a scraper
// gone mad cannot take the worker's memory. Runs on one loop (the first worker's): the callbacks
// run on that loop's thread.
#pragma once
#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "config/config.h"

namespace stdnet::proxy {

class AdminHttpServer {
 public:
  static constexpr std::size_t kMaxHeadBytes = 8 * 1024;
  static constexpr std::size_t kMaxConnections = 64;
  static constexpr std::uint64_t kRequestTimeoutMs = 10'000;
  static constexpr std::uint64_t kLingerTimeoutMs = 2'000;  // after the response, waiting for EOF

  // `address` must be TCP (host:port; port 0 picks a free one, see port()).
  AdminHttpServer(uv_loop_t* loop, config::Address address,
                  std::function<std::string()> metrics_text, std::function<bool()> healthy);
  // Calls close(). The object may go as soon as close() has run; the loop frees the handles later.
  ~AdminHttpServer();
  AdminHttpServer(const AdminHttpServer&) = delete;
  AdminHttpServer& operator=(const AdminHttpServer&) = delete;

  // Binds and listens. Returns an error message (bad address, bind failure …), or empty.
  std::string start();
  // Stops listening and closes every connection (uv_close: the loop can then exit). Idempotent.
  void close();
  // The port listened on (after a successful start()), 0 otherwise.
  std::uint16_t port() const { return port_; }

  // The whole response (status line, headers, body) to a complete request head (request line and
  // header lines, up to and including the blank line). Pure apart from the callbacks.
  std::string respond(std::string_view head) const;

 private:
  struct Connection;
  struct Listener;
  static void on_connection(uv_stream_t* server, int status);
  void forget(Connection* connection);

  uv_loop_t* loop_;
  config::Address address_;
  std::function<std::string()> metrics_text_;
  std::function<bool()> healthy_;
  Listener* listener_ = nullptr;  // deleted by its close callback
  std::unordered_set<Connection*> connections_;
  std::uint16_t port_ = 0;
  bool closed_ = false;
};

// "HTTP/1.1 <status> <reason>" response with Content-Type, Content-Length and Connection: close.
// `head_only`: HEAD, the body is left out (Content-Length still says its size).
std::string http_response(int status, std::string_view content_type, std::string_view body,
                          bool head_only = false, std::string_view extra_headers = {});

}  // namespace stdnet::proxy
