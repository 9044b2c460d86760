#include "proxy/scan_job.h"

#include <vector>

#include "lua/scripts.h"
#include "proxy/client.h"
#include "proxy/script_call.h"
#include "resp/encode.h"
#include "resp/reply.h"

namespace stdnet::proxy {

void ScanJob::start(ClientSession& client, BackendConnection& backend, std::uint64_t seq, Kind kind,
                    std::string match, std::size_t strip, int protocol, bool ok_reply) {
  auto* job = new ScanJob(client, backend, seq, kind, std::move(match), strip, protocol, ok_reply);
  job->send_scan();
  if (job->outstanding_ == 0) job->finish();
}

ScanJob::ScanJob(ClientSession& client, BackendConnection& backend, std::uint64_t seq, Kind kind,
                 std::string match, std::size_t strip, int protocol, bool ok_reply)
    : client_(client),
      backend_(backend),
      seq_(seq),
      kind_(kind),
      match_(std::move(match)),
      strip_(strip),
      protocol_(protocol),
      ok_reply_(ok_reply) {
  client_.job_started();
}

void ScanJob::start_keyinfo(ClientSession& client, BackendConnection& backend, std::uint64_t seq,
                            std::string match, std::string prefix, int protocol,
                            std::int64_t start, std::int64_t count) {
  auto* job = new ScanJob(client, backend, seq, Kind::KeyInfo, std::move(match), 0, protocol,
                          false);
  job->prefix_ = std::move(prefix);
  job->skip_ = start;
  job->take_ = count;
  if (const lua::Script* script = lua::find_script("keyinfo"); backend.accepting() && script) {
    // Loaded once per job, so a flushed script cache cannot fail it half-way.
    append_script_load(backend.out(), script->source);
    backend.expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, job});
    ++job->outstanding_;
  }
  job->send_scan();
  if (job->outstanding_ == 0) job->finish();
}

void ScanJob::send_scan() {
  if (!backend_.accepting()) {
    if (error_.empty()) error_ = backend_.unavailable_error();
    return;
  }
  static constexpr std::string_view kCount = "1000";
  resp::append_command(backend_.out(), {"SCAN", cursor_, "MATCH", match_, "COUNT", kCount});
  backend_.expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, this});
  ++outstanding_;
}

void ScanJob::on_reply(std::string_view reply, char type) {
  --outstanding_;
  if (error_.empty()) handle(reply, type);
  if (outstanding_ == 0) finish();
}

void ScanJob::on_failure(std::string_view message) {
  --outstanding_;
  if (error_.empty()) error_ = std::string(message);
  if (outstanding_ == 0) finish();
}

void ScanJob::handle(std::string_view reply, char type) {
  if (type == '-') {
    error_ = std::string(reply.substr(1, reply.size() - 3));
    return;
  }
  if (type == '$') return;  // SCRIPT LOAD
  if (type == ':') {  // an UNLINK reply
    std::int64_t n = 0;
    resp::parse_int64(reply.substr(1, reply.size() - 3), n);
    count_ += static_cast<std::uint64_t>(n);
    return;
  }
  std::vector<resp::ReplyNode> nodes;
  if (kind_ == Kind::KeyInfo && resp::parse_reply(reply, nodes) &&
      (nodes[0].count == 0 || nodes[1].type == '*')) {
    // keyinfo rows: keep each direct child's bytes, within start/count.
    std::size_t i = 1;
    while (i < nodes.size()) {
      const resp::ReplyNode& row = nodes[i];
      std::size_t next = i + 1;
      while (next < nodes.size() &&
             nodes[next].raw.data() < row.raw.data() + row.raw.size()) {
        ++next;
      }
      if (skip_ > 0) {
        --skip_;
      } else if (take_ != 0) {
        keys_.emplace_back(row.raw);
        if (take_ > 0) --take_;
      }
      i = next;
    }
    return;
  }
  if (!resp::parse_reply(reply, nodes) || nodes.size() < 3 || nodes[0].count != 2 ||
      (nodes[2].type != '*' && nodes[2].type != '~')) {
    error_ = "ERR stdnet: unexpected SCAN reply from the backend";
    return;
  }
  cursor_ = std::string(nodes[1].data);
  std::vector<std::string_view> batch;
  for (std::size_t i = 3; i < nodes.size(); ++i) batch.push_back(nodes[i].data);
  switch (kind_) {
    case Kind::Keys:
      for (std::string_view key : batch) keys_.emplace_back(key.substr(strip_));
      break;
    case Kind::Count:
      count_ += batch.size();
      break;
    case Kind::RandomKey:
      // Reservoir sampling: every key of the namespace is equally likely.
      for (std::string_view key : batch) {
        ++count_;
        if (std::uniform_int_distribution<std::uint64_t>(1, count_)(random_) == 1) {
          keys_.assign(1, std::string(key.substr(strip_)));
        }
      }
      break;
    case Kind::KeyInfo:
      if (!batch.empty() && backend_.accepting() && take_ != 0) {
        const lua::Script* script = lua::find_script("keyinfo");
        std::string& out = backend_.out();
        resp::append_array_header(out, static_cast<std::int64_t>(batch.size() + 4));
        resp::append_bulk(out, "EVALSHA");
        resp::append_bulk(out, script->sha1);
        resp::append_bulk(out, std::to_string(batch.size()));
        for (std::string_view key : batch) resp::append_bulk(out, key);
        resp::append_bulk(out, prefix_);
        backend_.expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, this});
        ++outstanding_;
      }
      break;
    case Kind::Delete:
      if (!batch.empty() && backend_.accepting()) {
        std::string& out = backend_.out();
        resp::append_array_header(out, static_cast<std::int64_t>(batch.size() + 1));
        resp::append_bulk(out, "UNLINK");
        for (std::string_view key : batch) resp::append_bulk(out, key);
        backend_.expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, this});
        ++outstanding_;
      }
      break;
  }
  if (cursor_ != "0") send_scan();
}

void ScanJob::finish() {
  std::string out;
  if (!error_.empty()) {
    resp::append_error(out, error_);
    client_.job_finished(seq_, out);
    delete this;
    return;
  }
  switch (kind_) {
    case Kind::Keys:
      resp::append_array_header(out, static_cast<std::int64_t>(keys_.size()));
      for (const std::string& key : keys_) resp::append_bulk(out, key);
      break;
    case Kind::KeyInfo:
      resp::append_array_header(out, static_cast<std::int64_t>(keys_.size()));
      for (const std::string& row : keys_) out.append(row);
      break;
    case Kind::Count:
      resp::append_integer(out, static_cast<std::int64_t>(count_));
      break;
    case Kind::RandomKey:
      if (keys_.empty()) {
        resp::append_null(out, protocol_);
      } else {
        resp::append_bulk(out, keys_[0]);
      }
      break;
    case Kind::Delete:
      if (ok_reply_) {
        resp::append_simple(out, "OK");
      } else {
        resp::append_integer(out, static_cast<std::int64_t>(count_));
      }
      break;
  }
  client_.job_finished(seq_, out);
  delete this;
}

}  // namespace stdnet::proxy
