// Request and reply rewriting for namespaces (see namespacer.h).
#include "proxy/namespacer.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <initializer_list>

namespace stdnet::proxy {

using cmd::iequals;
namespace {

using cmd::NameKind;
using cmd::ReplyRule;
using resp::ReplyNode;

constexpr std::string_view kKeyspace = "__keyspace@";
constexpr std::string_view kKeyevent = "__keyevent@";
constexpr std::string_view kInvalidate = "__redis__:invalidate";
constexpr std::string_view kDbEnd = "__:";

bool is_glob_special(char c) {
  return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
}

std::size_t escaped_size(std::string_view text) {
  std::size_t n = text.size();
  for (char c : text) n += is_glob_special(c) ? 1 : 0;
  return n;
}

// Where the key part of a keyspace-notification channel or pattern starts ("__keyspace@0__:" ends),
// or npos when `name` is not one.
std::size_t keyspace_key_start(std::string_view name) {
  if (!name.starts_with(kKeyspace)) return std::string_view::npos;
  const std::size_t p = name.find(kDbEnd, kKeyspace.size());
  return p == std::string_view::npos ? p : p + kDbEnd.size();
}

// One bulk string made of parts; `escaped` parts are glob-escaped.
struct Part {
  std::string_view text;
  bool escaped = false;
};

void append_bulk_parts(resp::Buffer& out, std::initializer_list<Part> parts) {
  std::size_t size = 0;
  for (const Part& p : parts) size += p.escaped ? escaped_size(p.text) : p.text.size();
  resp::append_header(out, '$', static_cast<std::int64_t>(size));
  for (const Part& p : parts) {
    if (p.escaped) {
      append_glob_escaped(out, p.text);
    } else {
      out.append(p.text);
    }
  }
  out.append("\r\n");
}

// Appends one name argument in its namespaced form.
void append_name(resp::Buffer& out, NameKind kind, std::string_view prefix, std::string_view arg) {
  switch (kind) {
    case NameKind::Key:
    case NameKind::Channel:
    case NameKind::SortPattern:
    case NameKind::TrackingPrefix:
      resp::append_bulk(out, prefix, arg);
      return;
    case NameKind::Pattern:
      append_bulk_parts(out, {{prefix, true}, {arg, false}});
      return;
    case NameKind::SubChannel:
    case NameKind::SubPattern: {
      const bool pattern = kind == NameKind::SubPattern;
      if (const std::size_t k = keyspace_key_start(arg); k != std::string_view::npos) {
        append_bulk_parts(out,
                          {{arg.substr(0, k), false}, {prefix, pattern}, {arg.substr(k), false}});
      } else if (arg.starts_with(kKeyevent) || (!pattern && arg == kInvalidate)) {
        resp::append_bulk(out, arg);  // events and invalidations are filtered on the way back
      } else {
        append_bulk_parts(out, {{prefix, pattern}, {arg, false}});
      }
      return;
    }
  }
}

void append_count(resp::Buffer& out, std::size_t n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  resp::append_bulk(out, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

std::string check_prefix(const cmd::KeyRefs& refs, std::string_view prefix) {
  if (std::none_of(prefix.begin(), prefix.end(), [](char c) { return c == '*'; })) return {};
  for (const cmd::KeyRange& r : refs.ranges()) {
    if (r.kind == NameKind::SortPattern) {
      return "ERR stdnet: SORT BY/GET patterns cannot be used in a namespace whose prefix "
             "contains '*'";
    }
  }
  return {};
}

// The arguments a request gains (SCAN without MATCH, PUBSUB CHANNELS without a pattern, CLIENT
// TRACKING BCAST without PREFIX).
void append_suffix(resp::Buffer& out, cmd::Append append, std::string_view prefix) {
  switch (append) {
    case cmd::Append::None:
      break;
    case cmd::Append::MatchAll:
      resp::append_bulk(out, "MATCH");
      append_bulk_parts(out, {{prefix, true}, {"*", false}});
      break;
    case cmd::Append::PatternAll:
      append_bulk_parts(out, {{prefix, true}, {"*", false}});
      break;
    case cmd::Append::TrackingPrefix:
      resp::append_bulk(out, "PREFIX");
      resp::append_bulk(out, prefix);
      break;
  }
}

// Where each argument's "$<len>\r\n<arg>\r\n" item starts and ends inside a multibulk frame.
class FrameItems {
 public:
  explicit FrameItems(const resp::Request& request)
      : args_(request.args),
        begin_(request.raw.data()),
        first_(first_item(request.raw)),
        end_(request.raw.data() + request.raw.size()) {}
  const char* begin(std::size_t i) const { return i == 0 ? first_ : end(i - 1); }
  const char* end(std::size_t i) const { return args_[i].data() + args_[i].size() + 2; }
  const char* frame_begin() const { return begin_; }
  // After the "*<n>\r\n" line (a few bytes: a loop beats a call to memchr).
  static const char* first_item(std::string_view raw) {
    const char* p = raw.data();
    while (*p != '\n') ++p;
    return p + 1;
  }
  const char* frame_end() const { return end_; }
  std::span<const std::string_view> args() const { return args_; }

 private:
  std::span<const std::string_view> args_;
  const char* begin_;
  const char* first_;
  const char* end_;
};

bool plain_kind(NameKind kind) {
  return kind == NameKind::Key || kind == NameKind::Channel || kind == NameKind::SortPattern ||
         kind == NameKind::TrackingPrefix;
}

std::size_t decimal_digits(std::size_t n) {
  std::size_t digits = 1;
  while (n >= 10) {
    n /= 10;
    ++digits;
  }
  return digits;
}

// Calls visit(index) for each name position of `refs`, in increasing order, and returns true —
// provided every range has a kind that simply takes the prefix and the ranges come in increasing
// order without overlapping (the common case: one range, as in GET, MSET or DEL). Otherwise
// returns false before visiting anything.
template <typename Visit>
bool visit_plain_names(const cmd::KeyRefs& refs, std::size_t argc, Visit&& visit) {
  const std::span<const cmd::KeyRange> ranges = refs.ranges();
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    if (!plain_kind(ranges[j].kind)) return false;
    if (j > 0 && ranges[j].first <= ranges[j - 1].last) return false;
  }
  for (const cmd::KeyRange& r : ranges) {
    const std::size_t last = std::min<std::size_t>(r.last, argc - 1);
    for (std::size_t i = r.first; i <= last; i += r.step) visit(i);
  }
  return true;
}

// The common case of a request whose names all simply get the prefix: the output size is computed
// first, `out` grows once and is filled with plain copies. False (nothing appended) otherwise.
bool plain_names_fast(const cmd::KeyRefs& refs, const FrameItems& items, std::string_view prefix,
                      resp::Buffer& out) {
  const std::span<const std::string_view> args = items.args();
  std::size_t size = static_cast<std::size_t>(items.frame_end() - items.frame_begin());
  const bool plain = visit_plain_names(refs, args.size(), [&](std::size_t i) {
    const std::size_t length = prefix.size() + args[i].size();
    size -= static_cast<std::size_t>(items.end(i) - items.begin(i));
    size += 1 + decimal_digits(length) + 2 + length + 2;
  });
  if (!plain) return false;
  const std::size_t at = out.size();
  out.resize(at + size);
  char* p = out.data() + at;
  const char* cursor = items.frame_begin();
  auto copy = [&p](const char* from, std::size_t n) {
    std::memcpy(p, from, n);
    p += n;
  };
  visit_plain_names(refs, args.size(), [&](std::size_t i) {
    copy(cursor, static_cast<std::size_t>(items.begin(i) - cursor));
    *p++ = '$';
    p = std::to_chars(p, p + 20, prefix.size() + args[i].size()).ptr;
    copy("\r\n", 2);
    copy(prefix.data(), prefix.size());
    copy(args[i].data(), args[i].size());
    copy("\r\n", 2);
    cursor = items.end(i);
  });
  copy(cursor, static_cast<std::size_t>(items.frame_end() - cursor));
  return true;
}

// ---- replies

bool is_aggregate(const ReplyNode& n) {
  return n.type == '*' || n.type == '%' || n.type == '~' || n.type == '>' || n.type == '|';
}

bool is_string(const ReplyNode& n) {
  return (n.type == '$' && n.count >= 0) || n.type == '+';
}

// The length of the glob-escaped `prefix` at the start of `name`, or npos.
std::size_t escaped_prefix_length(std::string_view name, std::string_view prefix) {
  std::size_t i = 0;
  for (char c : prefix) {
    if (is_glob_special(c)) {
      if (i >= name.size() || name[i] != '\\') return std::string_view::npos;
      ++i;
    }
    if (i >= name.size() || name[i] != c) return std::string_view::npos;
    ++i;
  }
  return i;
}

// Error texts that quote a key or a tracking prefix, as Redis writes them.
constexpr std::string_view kQuoteMarkers[] = {"key '", "key name '", "Prefix '", "prefix '"};

class ReplyRewriter {
 public:
  ReplyRewriter(std::string_view reply, std::string_view prefix, resp::Buffer& out,
                const ReplyNodes& nodes)
      : reply_(reply), prefix_(prefix), out_(out), nodes_(nodes), cursor_(reply.data()) {}

  // The index of the value at `i`, after any attributes annotating it.
  std::size_t value_at(std::size_t i) const {
    while (i < nodes_.size() && nodes_[i].type == '|') i = next(i);
    return i;
  }

  // The index after the subtree rooted at `i`.
  std::size_t next(std::size_t i) const {
    const char* end = nodes_[i].raw.data() + nodes_[i].raw.size();
    std::size_t j = i + 1;
    while (j < nodes_.size() && nodes_[j].raw.data() < end) ++j;
    return j;
  }

  // Calls f(child_index, ordinal) for each child of aggregate `i`.
  template <typename F>
  void for_each_child(std::size_t i, F&& f) const {
    const ReplyNode& n = nodes_[i];
    if (!is_aggregate(n) || n.count <= 0) return;
    std::size_t j = i + 1;
    for (std::int64_t c = 0; c < n.count && j < nodes_.size(); ++c) {
      j = value_at(j);
      if (j >= nodes_.size()) return;
      f(j, c);
      j = next(j);
    }
  }

  // The index of child `ordinal` of aggregate `i`, or npos.
  std::size_t child(std::size_t i, std::int64_t ordinal) const {
    const ReplyNode& n = nodes_[i];
    if (!is_aggregate(n) || ordinal >= n.count) return std::string_view::npos;
    std::size_t j = value_at(i + 1);
    for (std::int64_t c = 0; c < ordinal && j < nodes_.size(); ++c) j = value_at(next(j));
    return j < nodes_.size() ? j : std::string_view::npos;
  }

  // Returns false when the reply must be dropped.
  bool apply(ReplyRule rule, std::size_t i) {
    const ReplyNode& n = nodes_[i];
    if (n.type == '-' || n.type == '!') {
      if (rule == ReplyRule::KeyError || rule == ReplyRule::Xread) strip_error(n);
      return true;
    }
    switch (rule) {
      case ReplyRule::Raw:
      case ReplyRule::KeyError:
      case ReplyRule::Exec:  // handled by apply_exec
        return true;
      case ReplyRule::Key:
        strip(i);
        return true;
      case ReplyRule::KeyList:
      case ReplyRule::ChannelList:
        for_each_child(i, [&](std::size_t j, std::int64_t) { strip(j); });
        return true;
      case ReplyRule::Scan:
        if (const std::size_t keys = child(i, 1); keys != std::string_view::npos) {
          for_each_child(keys, [&](std::size_t j, std::int64_t) { strip(j); });
        }
        return true;
      case ReplyRule::KeyFirst:
      case ReplyRule::MPop:
        if (const std::size_t key = child(i, 0); key != std::string_view::npos) strip(key);
        return true;
      case ReplyRule::Xread:
        if (n.type == '%') {
          for_each_child(i, [&](std::size_t j, std::int64_t c) {
            if (c % 2 == 0) strip(j);
          });
        } else {
          for_each_child(i, [&](std::size_t j, std::int64_t) {
            if (const std::size_t key = child(j, 0); key != std::string_view::npos) strip(key);
          });
        }
        return true;
      case ReplyRule::ChannelCounts:
        for_each_child(i, [&](std::size_t j, std::int64_t c) {
          if (c % 2 == 0) strip(j);
        });
        return true;
      case ReplyRule::PubSub:
        return apply_pubsub(i);
      case ReplyRule::TrackingInfo: {
        // A map (RESP3) or a flat array (RESP2): flags, redirect, prefixes.
        if (n.type != '%' && n.type != '*') return true;
        bool prefixes = false;
        for_each_child(i, [&](std::size_t j, std::int64_t c) {
          if (c % 2 == 0) {
            prefixes = is_string(nodes_[j]) && nodes_[j].data == "prefixes";
          } else if (prefixes) {
            for_each_child(j, [&](std::size_t k, std::int64_t) { strip(k); });
          }
        });
        return true;
      }
    }
    return true;
  }

  void apply_exec(std::span<const ReplyRule> rules, std::size_t i) {
    const ReplyNode& n = nodes_[i];
    if (n.type != '*' || n.count != static_cast<std::int64_t>(rules.size())) return;
    for_each_child(i, [&](std::size_t j, std::int64_t c) {
      // A message cannot be an element of EXEC's reply: nothing to drop.
      apply(rules[static_cast<std::size_t>(c)], j);
    });
  }

  void finish() { out_.append(cursor_, reply_.data() + reply_.size()); }

 private:
  // Pub/sub: confirmations, messages and invalidations, RESP2 arrays or RESP3 pushes.
  bool apply_pubsub(std::size_t i) {
    const ReplyNode& n = nodes_[i];
    if ((n.type != '*' && n.type != '>') || n.count < 2) return true;
    const std::size_t kind_index = child(i, 0);
    if (kind_index == std::string_view::npos || !is_string(nodes_[kind_index])) return true;
    const std::string_view kind = nodes_[kind_index].data;
    if (iequals(kind, "message") && n.count == 3) {
      return message(child(i, 1), child(i, 2));
    }
    if (iequals(kind, "pmessage") && n.count == 4) {
      strip_pattern(child(i, 1));
      return message(child(i, 2), child(i, 3));
    }
    if (iequals(kind, "subscribe") || iequals(kind, "unsubscribe")) {
      strip_channel(child(i, 1));
    } else if (iequals(kind, "psubscribe") || iequals(kind, "punsubscribe")) {
      strip_pattern(child(i, 1));
    } else if (iequals(kind, "smessage") || iequals(kind, "ssubscribe") ||
               iequals(kind, "sunsubscribe")) {
      strip(child(i, 1));
    } else if (iequals(kind, "invalidate")) {
      const std::size_t keys = child(i, 1);
      if (keys != std::string_view::npos) {
        for_each_child(keys, [&](std::size_t j, std::int64_t) { strip(j); });
      }
    }
    return true;
  }

  // A message on `channel` carrying `payload`. False: drop it.
  bool message(std::size_t channel, std::size_t payload) {
    if (channel == std::string_view::npos || payload == std::string_view::npos) return true;
    const ReplyNode& ch = nodes_[channel];
    if (!is_string(ch)) return true;
    if (ch.data.starts_with(kKeyevent)) {
      // The payload is the key the event is about: only the namespace's own keys get through.
      const ReplyNode& key = nodes_[payload];
      if (!is_string(key) || !key.data.starts_with(prefix_)) return false;
      strip(payload);
      return true;
    }
    if (ch.data == kInvalidate) {  // RESP2 tracking redirect: the payload lists keys
      for_each_child(payload, [&](std::size_t j, std::int64_t) { strip(j); });
      return true;
    }
    strip_channel(channel);
    return true;
  }

  void strip(std::size_t i) {
    if (i == std::string_view::npos) return;
    const ReplyNode& n = nodes_[i];
    if (!is_string(n) || !n.data.starts_with(prefix_)) return;
    replace(n, n.data.substr(0, 0), n.data.substr(prefix_.size()));
  }

  void strip_channel(std::size_t i) {
    if (i == std::string_view::npos) return;
    const ReplyNode& n = nodes_[i];
    if (!is_string(n)) return;
    if (const std::size_t k = keyspace_key_start(n.data); k != std::string_view::npos) {
      if (n.data.substr(k).starts_with(prefix_)) {
        replace(n, n.data.substr(0, k), n.data.substr(k + prefix_.size()));
      }
      return;
    }
    if (n.data.starts_with(kKeyevent)) return;
    strip(i);
  }

  void strip_pattern(std::size_t i) {
    if (i == std::string_view::npos) return;
    const ReplyNode& n = nodes_[i];
    if (!is_string(n)) return;
    std::size_t k = keyspace_key_start(n.data);
    if (k == std::string_view::npos) {
      if (n.data.starts_with(kKeyevent)) return;
      k = 0;
    }
    const std::size_t len = escaped_prefix_length(n.data.substr(k), prefix_);
    if (len == std::string_view::npos) return;
    replace(n, n.data.substr(0, k), n.data.substr(k + len));
  }

  // Replaces string node `n` by head + tail, keeping its type.
  void replace(const ReplyNode& n, std::string_view head, std::string_view tail) {
    out_.append(cursor_, n.raw.data());
    cursor_ = n.raw.data() + n.raw.size();
    if (n.type == '+') {
      out_.push_back('+');
      out_.append(head).append(tail).append("\r\n");
    } else {
      resp::append_header(out_, '$', static_cast<std::int64_t>(head.size() + tail.size()));
      out_.append(head).append(tail).append("\r\n");
    }
  }

  void strip_error(const ReplyNode& n) {
    const std::string_view text = n.data;
    std::string fixed;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      for (std::string_view marker : kQuoteMarkers) {
        if (text.substr(i, marker.size()) == marker &&
            text.substr(i + marker.size()).starts_with(prefix_)) {
          fixed.append(text.substr(copied, i + marker.size() - copied));
          copied = i + marker.size() + prefix_.size();
          i = copied - 1;
          break;
        }
      }
    }
    if (copied == 0) return;
    fixed.append(text.substr(copied));
    out_.append(cursor_, n.raw.data());
    cursor_ = n.raw.data() + n.raw.size();
    if (n.type == '-') {
      out_.push_back('-');
      out_.append(fixed).append("\r\n");
    } else {
      resp::append_header(out_, '!', static_cast<std::int64_t>(fixed.size()));
      out_.append(fixed).append("\r\n");
    }
  }

  std::string_view reply_;
  std::string_view prefix_;
  resp::Buffer& out_;
  const ReplyNodes& nodes_;
  const char* cursor_;  // reply bytes before it are in out_
};

}  // namespace

void append_glob_escaped(resp::Buffer& out, std::string_view text) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_glob_special(text[i])) {
      out.append(text.substr(start, i - start));
      out.push_back('\\');
      start = i;
    }
  }
  out.append(text.substr(start));
}

std::string_view strip_prefix(std::string_view name, std::string_view prefix) {
  return name.starts_with(prefix) ? name.substr(prefix.size()) : name;
}

std::string rewrite_request(const cmd::Command& command, std::span<const std::string_view> args,
                            std::string_view prefix, resp::Buffer& out, cmd::KeyRefs& refs) {
  if (!cmd::find_keys(command, args, refs)) return refs.error;
  if (prefix.empty()) {  // pass-through
    resp::append_array_header(out, static_cast<std::int64_t>(args.size()));
    for (std::string_view arg : args) resp::append_bulk(out, arg);
    return {};
  }
  if (std::string error = check_prefix(refs, prefix); !error.empty()) return error;
  const std::size_t extra = refs.append == cmd::Append::None         ? 0
                            : refs.append == cmd::Append::PatternAll ? 1
                                                                     : 2;
  resp::append_array_header(out, static_cast<std::int64_t>(args.size() + extra));
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (const NameKind* kind = refs.kind_of(i)) {
      append_name(out, *kind, prefix, args[i]);
    } else {
      resp::append_bulk(out, args[i]);
    }
  }
  append_suffix(out, refs.append, prefix);
  return {};
}

std::string rewrite_request(const cmd::Command& command, std::span<const std::string_view> args,
                            std::string_view prefix, resp::Buffer& out) {
  cmd::KeyRefs refs;
  return rewrite_request(command, args, prefix, out, refs);
}

std::string rewrite_request(const cmd::Command& command, const resp::Request& request,
                            std::string_view prefix, resp::Buffer& out, cmd::KeyRefs& refs) {
  const std::span<const std::string_view> args = request.args;
  if (request.is_inline || prefix.empty() || args.empty()) {
    return rewrite_request(command, args, prefix, out, refs);
  }
  if (!cmd::find_keys(command, args, refs)) return refs.error;
  if (std::string error = check_prefix(refs, prefix); !error.empty()) return error;
  // A multibulk frame is "*<n>\r\n" then "$<len>\r\n<arg>\r\n" per argument, and the argument
  // views point into it: everything but the names is copied as the client sent it.
  const FrameItems items(request);
  if (refs.append == cmd::Append::None && plain_names_fast(refs, items, prefix, out)) return {};
  const char* cursor = request.raw.data();
  if (refs.append != cmd::Append::None) {
    const std::size_t extra = refs.append == cmd::Append::PatternAll ? 1 : 2;
    resp::append_array_header(out, static_cast<std::int64_t>(args.size() + extra));
    cursor = items.begin(0);
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const NameKind* kind = refs.kind_of(i);
    if (kind == nullptr) continue;
    out.append(cursor, static_cast<std::size_t>(items.begin(i) - cursor));
    append_name(out, *kind, prefix, args[i]);
    cursor = items.end(i);
  }
  out.append(cursor, static_cast<std::size_t>(items.frame_end() - cursor));
  append_suffix(out, refs.append, prefix);
  return {};
}

std::string rewrite_script_request(const cmd::Command& command,
                                   std::span<const std::string_view> args, std::string_view prefix,
                                   std::string_view sha1, resp::Buffer& out, cmd::KeyRefs& refs) {
  if (!cmd::find_keys(command, args, refs)) return refs.error;
  if (std::string error = check_prefix(refs, prefix); !error.empty()) return error;
  auto is_numkeys = [&](std::size_t i) {
    for (const cmd::KeySpec& spec : command.key_specs) {
      if (spec.begin == cmd::KeySpec::Begin::Index && spec.find == cmd::KeySpec::Find::Keynum &&
          static_cast<std::size_t>(spec.index + spec.keynumidx) == i) {
        return true;
      }
    }
    return false;
  };
  std::size_t keys = 0;
  std::size_t others = 0;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const NameKind* kind = refs.kind_of(i);
    if (kind != nullptr && *kind == NameKind::Key) {
      ++keys;
    } else if (!is_numkeys(i)) {
      ++others;
    }
  }
  resp::append_array_header(out, static_cast<std::int64_t>(3 + keys + others));
  resp::append_bulk(out, "EVALSHA");
  resp::append_bulk(out, sha1);
  append_count(out, keys);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const NameKind* kind = refs.kind_of(i);
    if (kind != nullptr && *kind == NameKind::Key) append_name(out, *kind, prefix, args[i]);
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const NameKind* kind = refs.kind_of(i);
    if (kind != nullptr && *kind == NameKind::Key) continue;
    if (is_numkeys(i)) continue;
    if (kind != nullptr && !prefix.empty()) {
      append_name(out, *kind, prefix, args[i]);
    } else {
      resp::append_bulk(out, args[i]);
    }
  }
  return {};
}

bool rewrite_reply(cmd::ReplyRule rule, std::string_view reply, std::string_view prefix,
                   [[maybe_unused]] int protocol, resp::Buffer& out, ReplyNodes& nodes) {
  if (rule == ReplyRule::Raw || rule == ReplyRule::Exec || prefix.empty() ||
      !resp::parse_reply(reply, nodes) || nodes.empty()) {
    out.append(reply);
    return true;
  }
  const std::size_t mark = out.size();
  ReplyRewriter rewriter(reply, prefix, out, nodes);
  const std::size_t top = rewriter.value_at(0);
  if (top < nodes.size() && !rewriter.apply(rule, top)) {
    out.resize(mark);
    return false;
  }
  rewriter.finish();
  return true;
}

bool rewrite_reply(cmd::ReplyRule rule, std::string_view reply, std::string_view prefix,
                   int protocol, resp::Buffer& out) {
  ReplyNodes nodes;
  return rewrite_reply(rule, reply, prefix, protocol, out, nodes);
}

void rewrite_exec_reply(std::span<const cmd::ReplyRule> rules, std::string_view reply,
                        std::string_view prefix, [[maybe_unused]] int protocol, resp::Buffer& out,
                        ReplyNodes& nodes) {
  if (prefix.empty() || !resp::parse_reply(reply, nodes) || nodes.empty()) {
    out.append(reply);
    return;
  }
  ReplyRewriter rewriter(reply, prefix, out, nodes);
  const std::size_t top = rewriter.value_at(0);
  if (top < nodes.size()) rewriter.apply_exec(rules, top);
  rewriter.finish();
}

}  // namespace stdnet::proxy
