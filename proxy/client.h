// One client connection: reads requests, answers local commands, namespaces and forwards the rest
// to a backend connection, and writes replies back strictly in request order.
//
// Ordering: every request that gets a reply takes a sequence number; a reply for the next number
// goes straight to the output buffer, any other is parked until the ones before it arrive (only
// local replies overtaking forwarded ones need this, since one client uses one backend connection).
#pragma once
#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.h"
#include "proxy/byte_buffer.h"
#include "proxy/namespacer.h"
#include "proxy/stream.h"
#include "resp/commands.h"
#include "resp/parser.h"

namespace stdnet::proxy {

class Worker;

struct ListenerInfo {
  std::string address;           // for logs
  std::string default_namespace;  // empty: AUTH required
};

class ClientSession {
 public:
  ClientSession(Worker& worker, StreamHandle* stream, const ListenerInfo& listener);
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  void start();
  std::uint64_t id() const { return id_; }

  // From the backend connection: the reply (or a proxy-made error) for request `seq`.
  void on_backend_reply(std::uint64_t seq, cmd::ReplyRule rule, std::string_view reply);
  void on_backend_error(std::uint64_t seq, std::string_view message);

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
  void handle_request(const resp::Request& request);
  void forward(const cmd::Command& command, const resp::Request& request);
  void handle_local(const cmd::Command& command, std::span<const std::string_view> args);
  void handle_emulated(const cmd::Command& command, const resp::Request& request);
  void handle_hello(std::span<const std::string_view> args);
  void handle_auth(std::span<const std::string_view> args);
  bool authenticate(std::string_view user, std::string_view password, bool has_user);
  void set_namespace(const config::Namespace* ns);

  // Replies in order.
  void reply(std::string_view bytes) { deliver(next_seq_++, bytes); }
  void reply_error(std::string_view message);  // message without the leading '-'
  void deliver(std::uint64_t seq, std::string_view bytes);
  void after_delivery();
  bool backpressured() const;
  void pause_reading();
  void resume_reading();

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
  std::uint64_t next_seq_ = 0;
  std::uint64_t next_deliver_ = 0;
  std::map<std::uint64_t, std::string> parked_;
  cmd::KeyRefs key_refs_;    // scratch of the namespacer, reused for every request
  ReplyNodes reply_nodes_;   // scratch of the reply rewriter
  std::uint32_t backend_refs_ = 0;  // replies still expected from backend connections
  bool reading_ = false;
  bool paused_ = false;
  bool closing_ = false;         // no more input is processed
  bool close_when_done_ = false;  // QUIT / protocol error: close after the last reply is written
  bool handle_closed_ = false;
  bool dirty_ = false;  // queued in the worker's flush list
  bool job_running_ = false;
  friend class Worker;
};

}  // namespace stdnet::proxy
