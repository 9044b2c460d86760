// libuv stream plumbing shared by client sessions and backend connections: a heap-allocated
// TCP-or-pipe handle that outlives its owner until libuv's close callback, and a writer that tries a
// synchronous write first and falls back to one uv_write in flight at a time.
#pragma once
#include <uv.h>

#include <string>
#include <utility>

namespace stdnet::proxy {

struct StreamHandle {
  union {
    uv_handle_t handle;
    uv_stream_t stream;
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  };
  bool is_pipe = false;

  uv_stream_t* get() { return &stream; }
  void set_owner(void* owner) { handle.data = owner; }

  // Closes the handle. When libuv is done with it (after any write callbacks have run with
  // UV_ECANCELED), `on_closed(owner)` is called and the StreamHandle deletes itself.
  void close(void (*on_closed)(void*), void* owner) {
    if (uv_is_closing(&handle)) return;
    closed_cb = on_closed;
    closed_owner = owner;
    handle.data = this;
    uv_close(&handle, [](uv_handle_t* h) {
      auto* self = static_cast<StreamHandle*>(h->data);
      if (self->closed_cb) self->closed_cb(self->closed_owner);
      delete self;
    });
  }
  void (*closed_cb)(void*) = nullptr;
  void* closed_owner = nullptr;
};

// Owns the bytes queued for a stream. append to pending(), then flush(). `on_done(status)` is
// called when an asynchronous write completes (status < 0: the stream failed).
class StreamWriter {
 public:
  std::string& pending() { return pending_; }
  std::size_t queued() const { return pending_.size() + inflight_.size(); }
  bool writing() const { return !inflight_.empty(); }

  // Returns a negative libuv error when the stream failed synchronously.
  template <typename Owner>
  int flush(uv_stream_t* stream, Owner* owner) {
    if (!inflight_.empty() || pending_.empty()) return 0;
    uv_buf_t buf = uv_buf_init(pending_.data(), static_cast<unsigned>(pending_.size()));
    int n = uv_try_write(stream, &buf, 1);
    if (n == UV_EAGAIN || n == UV_ENOSYS) n = 0;
    if (n < 0) return n;
    if (static_cast<std::size_t>(n) == pending_.size()) {
      pending_.clear();
      shrink(pending_);
      return 0;
    }
    pending_.erase(0, static_cast<std::size_t>(n));
    std::swap(inflight_, pending_);
    req_.data = owner;
    buf = uv_buf_init(inflight_.data(), static_cast<unsigned>(inflight_.size()));
    return uv_write(&req_, stream, &buf, 1, [](uv_write_t* req, int status) {
      auto* self = static_cast<Owner*>(req->data);
      self->writer().inflight_.clear();
      shrink(self->writer().inflight_);
      self->on_write_done(status);
    });
  }

 private:
  static void shrink(std::string& s) {
    if (s.capacity() > kKeepCapacity) std::string().swap(s);
  }
  static constexpr std::size_t kKeepCapacity = 256 * 1024;
  std::string pending_;
  std::string inflight_;
  uv_write_t req_{};
};

}  // namespace stdnet::proxy
