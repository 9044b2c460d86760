// Commands the proxy answers itself: the connection handshake (HELLO, AUTH, CLIENT …, SELECT,
// RESET), PING, ECHO, QUIT and INFO. Everything here is per client; nothing reaches the backend.
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <string>

#include "proxy/client.h"
#include "proxy/command_replies.h"
#include "proxy/sentinel.h"
#include "proxy/worker.h"
#include "resp/encode.h"
#include "version.h"

namespace stdnet::proxy {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool valid_client_name(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c <= '~'; });
}

}  // namespace

bool ClientSession::handle_local(const cmd::Command& command,
                                 std::span<const std::string_view> args) {
  const std::string_view name = command.name;
  std::string out;
  if (name == "ping") {
    if (args.size() > 2) {
      reply_error("ERR wrong number of arguments for 'ping' command");
      return true;
    }
    if (args.size() == 1) {
      resp::append_simple(out, "PONG");
    } else {
      resp::append_bulk(out, args[1]);
    }
  } else if (name == "echo") {
    resp::append_bulk(out, args[1]);
  } else if (name == "quit") {
    resp::append_simple(out, "OK");
    reply(out);
    close_after_reply();
    return true;
  } else if (name == "hello") {
    return handle_hello(args);
  } else if (name == "auth") {
    return handle_auth(args);
  } else if (name == "reset") {
    if (backend_refs_ > 0 || job_running_) return false;
    release_pinned_for_close();
    in_multi_ = watching_ = tracking_ = false;
    pubsub_expected_ = subscriptions_ = shard_subscriptions_ = 0;
    patterns_.clear();
    multi_rules_.clear();
    reply_off_ = skip_next_reply_ = false;
    protocol_ = 2;
    name_.clear();
    (void)set_namespace(listener_.default_namespace.empty()
                            ? nullptr
                            : config_->find_namespace(listener_.default_namespace));
    resp::append_simple(out, "RESET");
  } else if (name == "select") {
    std::int64_t db = 0;
    if (!resp::parse_int64(args[1], db)) {
      resp::append_error(out, "ERR value is not an integer or out of range");
    } else if (ns_ == nullptr) {
      resp::append_error(out, "NOAUTH Authentication required.");
    } else if (std::find(ns_->databases.begin(), ns_->databases.end(), db) ==
               ns_->databases.end()) {
      std::string allowed;
      for (int d : ns_->databases) allowed += (allowed.empty() ? "" : ", ") + std::to_string(d);
      resp::append_error(out, "ERR stdnet: namespace '" + ns_->name +
                                  "' may only use database(s) " + allowed +
                                  " (add others to its `databases` in the config)");
    } else if (db != db_) {
      if (pinned_ != nullptr) {
        // The client's own connection switches too (RESET restores it before reuse).
        std::string select = std::to_string(db);
        if (pinned_->accepting()) {
          resp::append_command(pinned_->out(), {"SELECT", select});
          pinned_->expect(PendingReply{nullptr, 0, cmd::ReplyRule::Raw, &discard_reply_});
        }
      } else if (backend_refs_ > 0 || job_running_) {
        return false;  // the requests in flight run on the old database first
      }
      db_ = static_cast<int>(db);
      resp::append_simple(out, "OK");
    } else {
      resp::append_simple(out, "OK");
    }
  } else if (name == "client|setname") {
    if (!valid_client_name(args[2])) {
      resp::append_error(out,
                         "ERR Client names cannot contain spaces, newlines or special characters.");
    } else {
      name_ = std::string(args[2]);
      resp::append_simple(out, "OK");
    }
  } else if (name == "client|getname") {
    if (name_.empty()) {
      resp::append_null(out, protocol_);
    } else {
      resp::append_bulk(out, name_);
    }
  } else if (name == "client|id") {
    resp::append_integer(out, static_cast<std::int64_t>(id_));
  } else if (name == "client|info") {
    std::string info =
        "id=" + std::to_string(id_) + " addr=" + listener_.address + " name=" + name_ +
        " db=" + std::to_string(ns_ ? ns_->database.value_or(config_->backend.url.db) : 0) +
        " resp=" + std::to_string(protocol_) + " namespace=" + (ns_ ? ns_->name : std::string()) +
        "\n";
    resp::append_bulk(out, info);
  } else if (name == "client|setinfo" || name == "client|no-evict" || name == "client|no-touch") {
    resp::append_simple(out, "OK");
  } else if (name == "info") {
    InfoContext context;
    context.config = config_.get();
    context.uptime_seconds = (uv_hrtime() - worker_.started_ns) / 1000000000ull;
    context.process_id = ::getpid();
    if (const Sentinel* sentinel = worker_.sentinel()) {
      if (const config::Address* primary = sentinel->primary()) {
        context.sentinel_primary = primary->to_string();
      }
    }
    if (ns_ == nullptr || !ns_->trusted) {
      context.only_namespace =
          ns_ != nullptr ? std::string_view(ns_->name) : Metrics::kNoNamespaceName;
    }
    std::string info = render_info(args.subspan(1), worker_.all_metrics, context);
    resp::append_bulk(out, info);
  } else if (name == "command" || name.starts_with("command|")) {
    out = command_reply(args, protocol_);
  } else if (name == "readonly" || name == "readwrite" || name == "asking") {
    resp::append_simple(out, "OK");
  } else if (name.ends_with("|help")) {
    resp::append_array_header(out, 1);
    resp::append_simple(out, "stdnetd answers " + std::string(name.substr(0, name.find('|'))) +
                                 " subcommands as Redis does; see the Redis documentation");
  } else {
    reply_error("ERR stdnet: '" + std::string(name) + "' is not supported by this stdnetd");
    return true;
  }
  reply(out);
  return true;
}

bool ClientSession::handle_hello(std::span<const std::string_view> args) {
  int protocol = protocol_;
  std::size_t i = 1;
  if (args.size() > 1) {
    std::int64_t version = 0;
    if (!resp::parse_int64(args[1], version)) {
      reply_error("ERR Protocol version is not an integer or out of range");
      return true;
    }
    if (version < 2 || version > 3) {
      reply_error("NOPROTO unsupported protocol version");
      return true;
    }
    protocol = static_cast<int>(version);
    i = 2;
  }
  std::string_view setname;
  bool has_setname = false;
  for (; i < args.size(); ++i) {
    std::string option = upper(args[i]);
    if (option == "AUTH" && i + 2 < args.size()) {
      std::string error = authenticate(args[i + 1], args[i + 2], true);
      if (error == "wait") return false;
      if (!error.empty()) {
        reply_error(error);
        return true;
      }
      i += 2;
    } else if (option == "SETNAME" && i + 1 < args.size()) {
      setname = args[++i];
      has_setname = true;
    } else {
      reply_error("ERR Syntax error in HELLO option '" + std::string(args[i]) + "'");
      return true;
    }
  }
  if (ns_ == nullptr) {
    reply_error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
        "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
        "select the RESP protocol version at the same time");
    return true;
  }
  if (has_setname) {
    if (!valid_client_name(setname)) {
      reply_error("ERR Client names cannot contain spaces, newlines or special characters.");
      return true;
    }
    name_ = std::string(setname);
  }
  if (protocol != protocol_) {
    // Replies in flight come on the old protocol's connection first.
    if (pinned_ != nullptr) {
      reply_error(
          "ERR stdnet: the protocol cannot change while this connection is in a "
          "transaction, subscribed or tracking; RESET it first");
      return true;
    }
    if (backend_refs_ > 0 || job_running_) return false;
  }
  protocol_ = protocol;
  std::string out;
  resp::append_map_header(out, 7, protocol_);
  resp::append_bulk(out, "server");
  resp::append_bulk(out, "redis");
  resp::append_bulk(out, "version");
  resp::append_bulk(out, "7.0.15");
  resp::append_bulk(out, "proto");
  resp::append_integer(out, protocol_);
  resp::append_bulk(out, "id");
  resp::append_integer(out, static_cast<std::int64_t>(id_));
  resp::append_bulk(out, "mode");
  resp::append_bulk(out, "standalone");
  resp::append_bulk(out, "role");
  resp::append_bulk(out, "master");
  resp::append_bulk(out, "modules");
  resp::append_array_header(out, 0);
  reply(out);
  return true;
}

bool ClientSession::handle_auth(std::span<const std::string_view> args) {
  if (args.size() > 3) {
    reply_error("ERR syntax error");
    return true;
  }
  std::string error =
      args.size() == 2 ? authenticate({}, args[1], false) : authenticate(args[1], args[2], true);
  if (error == "wait") return false;
  if (!error.empty()) {
    reply_error(error);
    return true;
  }
  std::string out;
  resp::append_simple(out, "OK");
  reply(out);
  return true;
}

// AUTH password: a namespace's bare password. AUTH user password: a namespace's ACL-style user,
// or the namespace's name with its bare password. A failed AUTH leaves the connection as it was.
// Credentials are checked against the current config (a reload changes them for the next AUTH);
// the client then follows that config.
std::string ClientSession::authenticate(std::string_view user, std::string_view password,
                                        bool has_user) {
  const std::shared_ptr<const config::Config>& current = worker_.config();
  for (const config::Namespace& ns : current->namespaces) {
    for (const config::Credential& credential : ns.credentials) {
      if (credential.password != password) continue;
      bool user_ok = credential.user.empty() ? (!has_user || user == "default" || user == ns.name)
                                             : (has_user && user == credential.user);
      if (!user_ok) continue;
      if (backend_refs_ > 0 && ns_ != nullptr && ns_->name != ns.name) {
        // Replies in flight are stripped with the prefix they were sent with: switch after them.
        return "wait";
      }
      std::shared_ptr<const config::Config> previous = config_;
      const config::Namespace* old = ns_;
      config_ = current;
      shared_ = {};  // its user pointer may point into the previous config
      if (old != nullptr && previous != current) {
        // Same namespace, newer config: re-enter by name (the limit counts it once).
        ns_ = config_->find_namespace(old->name);
      }
      if (!set_namespace(&ns)) {
        config_ = previous;
        ns_ = old;
        shared_ = {};
        return "ERR max number of clients reached for namespace '" + ns.name + "'";
      }
      return {};
    }
  }
  return "WRONGPASS invalid username-password pair or user is disabled.";
}

}  // namespace stdnet::proxy
