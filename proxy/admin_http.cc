#include "proxy/admin_http.h"

#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <utility>

namespace stdnet::proxy {
namespace {

std::string_view reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";
constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

// The end of the request head: the position just after the first empty line that follows the
// request line (lines end with "\n" or "\r\n"; empty lines before the request line are skipped, as
// RFC 9112 §2.2 allows), or npos when the head is not complete yet.
std::size_t head_end(std::string_view in) {
  std::size_t start = 0;
  bool request_line_seen = false;
  for (std::size_t nl = in.find('\n'); nl != std::string_view::npos; nl = in.find('\n', start)) {
    std::size_t length = nl - start;
    if (length > 0 && in[nl - 1] == '\r') --length;
    if (length > 0) {
      request_line_seen = true;
    } else if (request_line_seen) {
      return nl + 1;
    }
    start = nl + 1;
  }
  return std::string_view::npos;
}

// RFC 9110 token characters (methods are tokens).
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

// Visible ASCII only (a request target has no spaces or control characters).
bool is_visible(std::string_view s) {
  for (char c : s) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

std::string uv_message(int rc) {
  return std::string(uv_strerror(rc)) + " (" + uv_err_name(rc) + ")";
}

}  // namespace

std::string http_response(int status, std::string_view content_type, std::string_view body,
                          bool head_only, std::string_view extra_headers) {
  std::string out;
  out.reserve(160 + (head_only ? 0 : body.size()));
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason(status);
  out += "\r\nContent-Type: ";
  out += content_type;
  out += "\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += "\r\nConnection: close\r\n";
  out += extra_headers;
  out += "\r\n";
  if (!head_only) out += body;
  return out;
}

// ---------------------------------------------------------------------------------------------

struct AdminHttpServer::Listener {
  uv_tcp_t tcp{};
  AdminHttpServer* server = nullptr;
};

// One client of the admin endpoint. Deletes itself when both of its handles have closed.
struct AdminHttpServer::Connection {
  enum class State : std::uint8_t { Reading, Writing, Lingering, Closing };

  AdminHttpServer* server = nullptr;  // nullptr once the server has closed
  uv_tcp_t tcp{};
  uv_timer_t timer{};
  uv_write_t write_req{};
  uv_shutdown_t shutdown_req{};
  std::string in;   // the request head so far
  std::string out;  // the response being written
  char buffer[4096];
  State state = State::Reading;
  bool eof = false;  // the client has finished sending
  int open_handles = 2;

  void start() {
    uv_timer_start(&timer, &Connection::on_timer, kRequestTimeoutMs, 0);
    const int rc = uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp), &Connection::on_alloc,
                                 &Connection::on_read);
    if (rc != 0) close();
  }

  void close() {
    if (state == State::Closing) return;
    state = State::Closing;
    if (server != nullptr) server->forget(this);
    server = nullptr;
    auto closed = [](uv_handle_t* h) {
      auto* self = static_cast<Connection*>(h->data);
      if (--self->open_handles == 0) delete self;
    };
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp), closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), closed);
  }

  void send(std::string response) {
    state = State::Writing;
    out = std::move(response);
    in.clear();
    in.shrink_to_fit();
    uv_timer_start(&timer, &Connection::on_timer, kRequestTimeoutMs, 0);
    uv_buf_t buf = uv_buf_init(out.data(), static_cast<unsigned>(out.size()));
    const int rc =
        uv_write(&write_req, reinterpret_cast<uv_stream_t*>(&tcp), &buf, 1, &Connection::on_write);
    if (rc != 0) close();
  }

  void on_data(std::string_view data) {
    if (state != State::Reading) return;  // after the request: ignored
    const std::size_t room = kMaxHeadBytes + 4 - std::min(in.size(), kMaxHeadBytes + 4);
    in.append(data.substr(0, room));
    const std::size_t end = head_end(in);
    if ((end == std::string::npos && in.size() > kMaxHeadBytes) ||
        (end != std::string::npos && end > kMaxHeadBytes)) {
      send(http_response(431, kTextPlain, "request head larger than 8 KiB\n"));
    } else if (end != std::string::npos) {
      send(server != nullptr ? server->respond(std::string_view(in).substr(0, end))
                             : http_response(503, kTextPlain, "shutting down\n"));
    }
  }

  static void on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
    auto* self = static_cast<Connection*>(h->data);
    *buf = uv_buf_init(self->buffer, sizeof self->buffer);
  }

  static void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
    auto* self = static_cast<Connection*>(s->data);
    if (self->state == State::Closing) return;
    if (nread > 0) {
      self->on_data(std::string_view(self->buffer, static_cast<std::size_t>(nread)));
      return;
    }
    if (nread == 0) return;
    // EOF or a read error. While the response is being written, let it finish (the client may
    // have only closed its sending side); otherwise there is nothing more to do.
    uv_read_stop(s);
    self->eof = true;
    if (nread == UV_EOF && self->state == State::Writing) return;
    self->close();
  }

  static void on_write(uv_write_t* req, int status) {
    auto* self = static_cast<Connection*>(req->handle->data);
    if (self->state == State::Closing) return;
    if (status < 0 || self->eof) {
      self->close();
      return;
    }
    // Send FIN, then wait for the client's EOF before closing, so that unread request bytes
    // (a body we ignored) do not turn the close into a reset that could destroy the response.
    const int rc = uv_shutdown(&self->shutdown_req, req->handle, &Connection::on_shutdown);
    if (rc != 0) self->close();
  }

  static void on_shutdown(uv_shutdown_t* req, int status) {
    auto* self = static_cast<Connection*>(req->handle->data);
    if (self->state == State::Closing) return;
    if (status < 0) {
      self->close();
      return;
    }
    self->state = State::Lingering;
    uv_timer_start(&self->timer, &Connection::on_timer, kLingerTimeoutMs, 0);
  }

  static void on_timer(uv_timer_t* t) {
    auto* self = static_cast<Connection*>(t->data);
    if (self->state == State::Reading) {
      self->send(http_response(408, kTextPlain, "request not received in time\n"));
    } else {
      self->close();
    }
  }
};

AdminHttpServer::AdminHttpServer(uv_loop_t* loop, config::Address address,
                                 std::function<std::string()> metrics_text,
                                 std::function<bool()> healthy)
    : loop_(loop),
      address_(std::move(address)),
      metrics_text_(std::move(metrics_text)),
      healthy_(std::move(healthy)) {}

AdminHttpServer::~AdminHttpServer() {
  close();
}

std::string AdminHttpServer::start() {
  const std::string where = "[server] admin = \"" + address_.to_string() + "\"";
  if (closed_ || listener_ != nullptr) return where + ": the admin server was already started";
  if (address_.is_unix()) {
    return where + ": the admin endpoint needs a TCP address, e.g. admin = \"127.0.0.1:9121\"";
  }
  sockaddr_storage addr{};
  if (uv_ip4_addr(address_.host.c_str(), address_.port, reinterpret_cast<sockaddr_in*>(&addr)) !=
          0 &&
      uv_ip6_addr(address_.host.c_str(), address_.port, reinterpret_cast<sockaddr_in6*>(&addr)) !=
          0) {
    // A host name: resolve it now (startup, so blocking is fine).
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    uv_getaddrinfo_t req{};
    const int rc = uv_getaddrinfo(loop_, &req, nullptr, address_.host.c_str(), nullptr, &hints);
    if (rc != 0 || req.addrinfo == nullptr) {
      if (rc == 0) uv_freeaddrinfo(req.addrinfo);
      return where + ": cannot resolve host \"" + address_.host +
             "\": " + (rc != 0 ? uv_message(rc) : std::string("no address")) +
             "; use an IP address or a resolvable name";
    }
    std::memcpy(&addr, req.addrinfo->ai_addr, req.addrinfo->ai_addrlen);
    uv_freeaddrinfo(req.addrinfo);
    if (addr.ss_family == AF_INET) {
      reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(address_.port);
    } else {
      reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(address_.port);
    }
  }

  listener_ = new Listener();
  listener_->server = this;
  uv_tcp_init(loop_, &listener_->tcp);
  listener_->tcp.data = listener_;
  int rc = uv_tcp_bind(&listener_->tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener_->tcp), 128,
                   &AdminHttpServer::on_connection);
  }
  if (rc != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&listener_->tcp),
             [](uv_handle_t* h) { delete static_cast<Listener*>(h->data); });
    listener_ = nullptr;
    return where + ": cannot listen: " + uv_message(rc) +
           (rc == UV_EADDRINUSE ? "; another process uses this port, pick a free one" : "");
  }
  sockaddr_storage bound{};
  int length = sizeof bound;
  if (uv_tcp_getsockname(&listener_->tcp, reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
    port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  return {};
}

void AdminHttpServer::close() {
  if (closed_) return;
  closed_ = true;
  if (listener_ != nullptr) {
    listener_->server = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&listener_->tcp),
             [](uv_handle_t* h) { delete static_cast<Listener*>(h->data); });
    listener_ = nullptr;
  }
  const std::unordered_set<Connection*> connections = std::move(connections_);
  connections_.clear();
  for (Connection* c : connections) {
    c->server = nullptr;
    c->close();
  }
  port_ = 0;
}

void AdminHttpServer::forget(Connection* connection) {
  connections_.erase(connection);
}

void AdminHttpServer::on_connection(uv_stream_t* stream, int status) {
  auto* listener = static_cast<Listener*>(stream->data);
  AdminHttpServer* self = listener->server;
  if (status < 0 || self == nullptr) return;
  auto* c = new Connection();
  uv_tcp_init(self->loop_, &c->tcp);
  uv_timer_init(self->loop_, &c->timer);
  c->tcp.data = c;
  c->timer.data = c;
  if (uv_accept(stream, reinterpret_cast<uv_stream_t*>(&c->tcp)) != 0 ||
      self->connections_.size() >= kMaxConnections) {
    c->close();  // not registered: server stays nullptr
    return;
  }
  c->server = self;
  self->connections_.insert(c);
  c->start();
}

std::string AdminHttpServer::respond(std::string_view head) const {
  // The request line: the first non-empty line.
  std::size_t start = 0;
  std::string_view line;
  while (start < head.size()) {
    std::size_t nl = head.find('\n', start);
    if (nl == std::string_view::npos) nl = head.size();
    line = head.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = nl + 1;
    if (!line.empty()) break;
  }
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 =
      sp1 == std::string_view::npos ? std::string_view::npos : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) {
    return http_response(400, kTextPlain, "malformed request line\n");
  }
  const std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty() || !is_visible(target) || !version.starts_with("HTTP/")) {
    return http_response(400, kTextPlain, "malformed request line\n");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return http_response(505, kTextPlain, "only HTTP/1.0 and HTTP/1.1 are supported\n");
  }
  // Absolute form (http://host/path) → its path; then drop the query.
  if (target.starts_with("http://") || target.starts_with("https://")) {
    const std::size_t slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.front() != '/') return http_response(400, kTextPlain, "malformed request target\n");
  target = target.substr(0, target.find('?'));

  const bool head_only = method == "HEAD";
  const bool known = target == "/metrics" || target == "/healthz";
  if (!known)
    return http_response(404, kTextPlain, "not found; try /metrics or /healthz\n", head_only);
  if (method != "GET" && !head_only) {
    return http_response(405, kTextPlain, "only GET (and HEAD) are allowed\n", false,
                         "Allow: GET, HEAD\r\n");
  }
  if (target == "/metrics") {
    return http_response(200, kPrometheusText, metrics_text_ ? metrics_text_() : std::string(),
                         head_only);
  }
  if (healthy_ && healthy_()) return http_response(200, kTextPlain, "ok\n", head_only);
  return http_response(503, kTextPlain, "backend unreachable\n", head_only);
}

}  // namespace stdnet::proxy
