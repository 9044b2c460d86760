// One connection to the backend Redis. Shared connections multiplex many clients' requests: each
// request appended to out() is matched, in order, with one entry of the pending queue, and its
// reply is handed to the client that sent it. The connection reconnects with backoff; while it is
// down, every request in flight gets an error reply at once and new ones fail fast.
#pragma once
#include <uv.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "proxy/byte_buffer.h"
#include "proxy/stream.h"
#include "resp/commands.h"
#include "resp/reply.h"

namespace stdnet::proxy {

class Worker;
class ClientSession;

// A consumer of replies inside the proxy (the steps of an emulated command, script loading).
class ReplyHandler {
 public:
  virtual ~ReplyHandler() = default;
  virtual void on_reply(std::string_view reply, char type) = 0;
  // The connection failed before the reply came.
  virtual void on_failure(std::string_view message) = 0;
};

// What a reply is for: a client's request, a ReplyHandler, or the connection's own setup.
struct PendingReply {
  ClientSession* client = nullptr;
  std::uint64_t seq = 0;
  cmd::ReplyRule rule = cmd::ReplyRule::Raw;
  ReplyHandler* handler = nullptr;
  // Role: the ROLE check of a connection to a primary found through Redis Sentinel.
  enum class Internal : std::uint8_t { None, Handshake, Role } internal = Internal::None;
  bool queued = false;    // sent inside MULTI: the reply is +QUEUED or a queue-time error
  bool blocking = false;  // a blocking command (the client holds its pinned connection for it)
  std::uint64_t sent_ms = 0;  // loop time when queued (request timeouts)
};

// Swallows a reply the client must not see (e.g. the command that fails a refused transaction).
class DiscardReply final : public ReplyHandler {
 public:
  void on_reply(std::string_view, char) override {}
  void on_failure(std::string_view) override {}
};

class BackendConnection {
 public:
  enum class State : std::uint8_t { Idle, Resolving, Connecting, Ready, Down, Closed };

  // `db`: the database the connection selects. `owner`: the client a pinned connection serves
  // (nullptr for shared connections).
  BackendConnection(Worker& worker, int protocol, int db, int id,
                    std::optional<config::BackendUser> user = std::nullopt);
  ~BackendConnection();
  BackendConnection(const BackendConnection&) = delete;
  BackendConnection& operator=(const BackendConnection&) = delete;

  // Starts connecting (no-op unless idle or down with its backoff timer expired).
  void connect();
  // True when a request may be queued now (connected, or a connection attempt is under way).
  bool accepting() const { return state_ == State::Ready || state_ == State::Connecting ||
                                  state_ == State::Resolving; }
  State state() const { return state_; }
  const std::string& last_error() const { return last_error_; }
  // The error a request gets while the connection is down.
  std::string unavailable_error() const {
    return "ERR stdnet: backend unavailable (" + last_error_ +
           "); stdnetd reconnects by itself, retry later";
  }
  int protocol() const { return protocol_; }
  int db() const { return db_; }
  // The Redis ACL user this connection authenticates as ("" : the backend URL's).
  const std::string& user() const { return user_ ? user_->name : kNoUser; }
  int id() const { return id_; }
  bool idle() const { return pending_.empty() && writer_.queued() == 0; }

  // Pinned connections: the client whose pushes (pub/sub, invalidations) this connection carries.
  void set_owner(ClientSession* owner) { owner_ = owner; }
  // Redis's CLIENT ID of this connection (0 until known): CLIENT TRACKING REDIRECT targets.
  std::int64_t redis_client_id() const { return redis_client_id_; }
  // Asks the backend for it (once per connection).
  void learn_client_id();
  // Puts a pinned connection back to a clean state before another client uses it: RESET (which
  // ends MULTI, WATCH, subscriptions, tracking, CLIENT REPLY, SELECT, protocol and name) and the
  // connection's own setup again.
  void reset_for_reuse();
  // A pinned connection that is not reused: close it and free it once libuv is done.
  void retire();

  // Queue one request: append its bytes to out(), then call expect() once.
  std::string& out() { return writer_.pending(); }
  void expect(const PendingReply& pending);
  void mark_dirty();
  // Writes what is queued (called once per loop turn by the worker).
  void flush();
  // Stops for good: fails everything in flight, closes the socket.
  void shutdown();
  // True when the oldest request in flight (not a blocking one) waits for more than `limit_ms`.
  bool overdue(std::uint64_t now_ms, std::uint64_t limit_ms) const;
  // Fails everything in flight with `why` and reconnects (unless retired).
  void fail(std::string_view why, bool reconnect = true);

  // [backend.sentinel] (see proxy/sentinel.h): the primary's address is known now / no sentinel
  // could tell it (the connection fails with `error`).
  void on_primary(const config::Address& address);
  void on_primary_unknown(std::string_view error);
  // True when the connection is connected or connecting to an address other than `primary`.
  bool uses_other_primary(const config::Address& primary) const;

  // StreamWriter callbacks.
  StreamWriter& writer() { return writer_; }
  void on_write_done(int status);

 private:
  void connect_to(const config::Address& address);
  void start_connect(const sockaddr* addr);
  // The reply to ROLE: fails the connection unless the backend is the primary.
  void check_role(std::string_view reply, char type);
  // Appends the setup commands (AUTH/HELLO, SELECT, SCRIPT LOAD…) as internal requests.
  void append_setup(std::string& out, std::vector<PendingReply>& expected, bool load_scripts);
  void on_connected();
  void on_read(ssize_t nread);
  void handle_reply(std::string_view reply, char type);
  void schedule_reconnect();

  Worker& worker_;
  const int protocol_;
  const int db_;
  const int id_;
  const std::optional<config::BackendUser> user_;
  static inline const std::string kNoUser;
  ClientSession* owner_ = nullptr;
  std::int64_t redis_client_id_ = 0;
  bool asked_client_id_ = false;
  bool retired_ = false;
  State state_ = State::Idle;
  // The address connected (or connecting) to.
  config::Address target_;
  // Waiting for the sentinels to name the primary ([backend.sentinel]).
  bool waiting_primary_ = false;
  StreamHandle* stream_ = nullptr;
  uv_connect_t connect_req_{};
  uv_getaddrinfo_t* resolving_ = nullptr;  // the resolution under way
  uv_timer_t timer_{};  // reconnect backoff and connect timeout
  double backoff_ = 0;
  bool dirty_ = false;
  std::string last_error_;
  std::deque<PendingReply> pending_;
  StreamWriter writer_;
  ByteBuffer input_;
  resp::ReplyScanner scanner_;
  friend class Worker;
};

}  // namespace stdnet::proxy
