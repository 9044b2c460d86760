// One client connection: reads requests, answers local commands, namespaces and forwards the rest
// to a backend connection, and writes replies back strictly in request order.
//
// Ordering: every request that gets a reply takes a sequence number; a reply for the next number
// goes straight to the output buffer, any other is parked until the ones before it arrive (only
// local replies overtaking forwarded ones need this, since one client uses one backend connection).
#pragma once
#include <spdlog/spdlog.h>
#include <uv.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "proxy/backend.h"
#include "proxy/byte_buffer.h"
#include "proxy/namespacer.h"
#include "proxy/stream.h"
#include "resp/commands.h"
#include "resp/parser.h"

namespace stdnet::proxy {

class Worker;
class BackendConnection;

struct ListenerInfo {
  std::string address;            // for logs
  std::string default_namespace;  // empty: AUTH required
};

class ClientSession {
 public:
  ClientSession(Worker& worker, StreamHandle* stream, const ListenerInfo& listener);
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  void start();
  std::uint64_t id() const { return id_; }
  // Periodic checks (the worker's sweep): idle timeout, a client that stopped reading.
  void sweep(std::uint64_t now_ms);
  // A reloaded config: follow this client's namespace by name (closed when it is gone).
  void config_changed(const std::shared_ptr<const config::Config>& config);

  // From the backend connection: the reply (or a proxy-made error) for a request of this client.
  void on_backend_reply(const PendingReply& pending, std::string_view reply);
  void on_backend_error(const PendingReply& pending, std::string_view message);
  // From this client's pinned connection: a push (pub/sub, invalidation) is taken here; false
  // means the reply is an ordinary one.
  bool take_push(std::string_view reply, char type);
  // This client's pinned connection failed.
  void pinned_lost(BackendConnection* backend);

  // An emulated command's job (ScanJob) runs: later requests wait until it has finished.
  void job_started();
  void job_finished(std::uint64_t seq, std::string_view reply);

  // Called once per loop turn when marked dirty: write output, resume paused input.
  void flush();
  // Worker is draining: stop reading requests; close once every reply has been written.
  void drain();

  StreamWriter& writer() { return writer_; }
  void on_write_done(int status);

 private:
  ~ClientSession() = default;

  void on_read(ssize_t nread, const uv_buf_t* buf);
  // Parses and handles requests from `input`; returns how many bytes were consumed.
  std::size_t process(std::string_view input);
  // False: the request must wait until this client's replies in flight have come.
  bool handle_request(const resp::Request& request);
  enum class Expect : std::uint8_t { Reply, Blocking, None };
  void forward(const cmd::Command& command, const resp::Request& request,
               Expect expect = Expect::Reply);
  // The pinned connection, or the shared one (`privileged`: with the URL's credentials, for the
  // proxy's own scans, not the tenant's ACL user). nullptr (and an error replied): it is down.
  BackendConnection* route(bool privileged = false);
  const config::BackendUser* acl_user() const {
    return ns_ != nullptr && ns_->backend_user ? &*ns_->backend_user : nullptr;
  }
  std::uint64_t take_seq();
  void refuse(std::string_view message);
  bool handle_stateful(const cmd::Command& command, const resp::Request& request);
  void handle_client_reply(std::span<const std::string_view> args);
  bool needs_pin() const;
  bool pubsub_active() const;
  void maybe_unpin();
  void release_pinned_for_close();
  void forget_queued(std::uint64_t seq);
  static void to_eval(std::string_view evalsha, std::string_view source, std::string& out);
  static bool wants_script(const cmd::Command& command, std::span<const std::string_view> args);
  void forward_script(const cmd::Command& command, const resp::Request& request);
  bool handle_local(const cmd::Command& command, std::span<const std::string_view> args);
  void handle_emulated(const cmd::Command& command, const resp::Request& request);
  void handle_keyinfo(std::span<const std::string_view> args, std::string match);
  bool database_allowed(const cmd::Command& command, std::span<const std::string_view> args);
  std::set<std::string> patterns_;  // pattern subscriptions (PUBSUB NUMPAT), without the prefix
  bool handle_hello(std::span<const std::string_view> args);
  bool handle_auth(std::span<const std::string_view> args);
  // "" on success; "wait" when replies in flight must come first; else the error to reply.
  std::string authenticate(std::string_view user, std::string_view password, bool has_user);
  // Enters `ns` (nullptr: none), within its maxclients. False: the namespace is full.
  bool set_namespace(const config::Namespace* ns);

  // Replies in order.
  void reply(std::string_view bytes) { deliver(take_seq(), bytes); }
  void reply_error(std::string_view message);  // message without the leading '-'
  void deliver(std::uint64_t seq, std::string_view bytes);
  void after_delivery();
  bool backpressured() const;
  void pause_reading();
  void resume_reading();

  // A log line this client caused, within the worker's rate limit.
  void client_log(spdlog::level::level_enum level, const std::string& message);
  void close_after_reply();
  void close();
  void maybe_destroy();

  Worker& worker_;
  const std::uint64_t id_;
  StreamHandle* stream_;
  ListenerInfo listener_;
  resp::RequestParser parser_;
  ByteBuffer input_;
  StreamWriter writer_;
  std::shared_ptr<const config::Config> config_;  // the snapshot this client authenticated with
  const config::Namespace* ns_ = nullptr;
  std::string prefix_;  // outer (URL) namespace + tenant prefix
  std::string name_;    // CLIENT SETNAME
  int protocol_ = 2;
  std::uint64_t last_activity_ms_ = 0;       // last request read
  std::uint64_t output_stuck_since_ms_ = 0;  // output over the soft limit since (0: it is not)
  std::uint64_t next_seq_ = 0;
  std::uint32_t ns_slot_ = 0;
  std::uint32_t current_slot_ = 0xffffffffu;
  std::uint64_t request_start_ = 0;
  std::deque<std::pair<std::uint32_t, std::uint64_t>> observe_;  // per seq: slot, start
  std::uint64_t next_deliver_ = 0;
  std::map<std::uint64_t, std::string> parked_;
  // The shared connection route() last chose, and what it was chosen for (reset when config_
  // changes: the user pointer points into it).
  struct SharedChoice {
    BackendConnection* backend = nullptr;
    int protocol = 0;
    int db = 0;
    const config::BackendUser* user = nullptr;
  } shared_;
  cmd::KeyRefs key_refs_;
  std::string reply_scratch_;  // a rewritten reply before deliver() copies it, reused
  static constexpr std::size_t kMaxScratch =
      64 * 1024;  // kept between replies, at most           // scratch of the namespacer, reused
                  // for every request
  ReplyNodes reply_nodes_;          // scratch of the reply rewriter
  std::uint32_t backend_refs_ = 0;  // replies still expected from backend connections
  bool reading_ = false;
  bool paused_ = false;
  bool closing_ = false;          // no more input is processed
  bool close_when_done_ = false;  // QUIT / protocol error: close after the last reply is written
  bool handle_closed_ = false;
  bool dirty_ = false;  // queued in the worker's flush list
  bool job_running_ = false;
  bool waiting_for_drain_ = false;  // a request waits for the replies in flight (see process)
  int db_ = 0;                      // the backend database this client uses
  // Connection state that needs a backend connection of the client's own.
  BackendConnection* pinned_ = nullptr;
  bool in_multi_ = false;
  bool watching_ = false;
  bool tracking_ = false;
  std::size_t blocking_ = 0;         // blocking commands in flight
  std::size_t pubsub_expected_ = 0;  // (un)subscribe confirmations still to come
  std::size_t subscriptions_ = 0;    // channels + patterns, as the last confirmation said
  std::size_t shard_subscriptions_ = 0;
  // Reply rules of the commands queued in MULTI (by seq), and of each EXEC sent.
  std::vector<std::pair<std::uint64_t, cmd::ReplyRule>> multi_rules_;
  std::deque<std::vector<std::pair<std::uint64_t, cmd::ReplyRule>>> exec_rules_;
  DiscardReply discard_reply_;
  // CLIENT REPLY OFF / SKIP: the seqs whose replies are dropped.
  bool reply_off_ = false;
  bool skip_next_reply_ = false;
  std::set<std::uint64_t> silenced_;
  friend class Worker;
};

}  // namespace stdnet::proxy
