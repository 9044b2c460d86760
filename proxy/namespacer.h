// The namespacer: pure rewriting of requests (prefix every key, pattern and channel a client names)
// and of replies (strip the prefix from every key and channel the backend names). No I/O, no libuv;
// uses only stdnet_resp. Nothing here allocates per argument or per element: requests and replies
// are appended to the caller's buffer, and the scratch objects can be reused across calls.
//
// A prefix is put before a name as follows (cmd::NameKind says which form an argument takes):
//   key, channel, SORT BY/GET pattern, CLIENT TRACKING PREFIX   prefix + name
//   glob pattern (KEYS, SCAN MATCH, PSUBSCRIBE, PUBSUB CHANNELS)  glob-escaped prefix + pattern
//   keyspace notifications (SUBSCRIBE/PSUBSCRIBE only)            __keyspace@<db>__:<prefix><key>;
//                                                                 __keyevent@… and
//                                                                 __redis__:invalidate unchanged
// Replies: the prefix is removed from the names the reply rule designates; a name that does not
// start with the prefix is passed unchanged (it should not happen). Values, fields, members,
// payloads and script results are never touched. A keyevent notification whose key (the payload)
// is not the namespace's is dropped.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resp/commands.h"
#include "resp/encode.h"
#include "resp/parser.h"
#include "resp/reply.h"

namespace stdnet::proxy {

// Appends `text` with each of * ? [ ] \ preceded by a backslash, so that a glob pattern matches it
// literally.
void append_glob_escaped(resp::Buffer& out, std::string_view text);

// Appends to `out` the RESP multibulk of the namespaced request: args (args[0] the command name as
// the client sent it) with every name found by cmd::find_keys prefixed, plus MATCH <escaped
// prefix>* for a SCAN without MATCH, <escaped prefix>* for a PUBSUB CHANNELS without pattern, and
// PREFIX <prefix> for CLIENT TRACKING ON … BCAST without PREFIX. With an empty prefix the request
// is re-encoded unchanged (pass-through).
// Returns "" on success. Otherwise the error to reply to the client (with its code, without '-'
// and CRLF, e.g. "ERR Number of keys can't be greater than number of args"); `out` is left as it
// was and the request must not be forwarded.
// `scratch` is reused between calls (one per connection); the overload without it uses a local one
// (no allocation either unless the request has more than a few separate name ranges).
std::string rewrite_request(const cmd::Command& command, std::span<const std::string_view> args,
                            std::string_view prefix, resp::Buffer& out, cmd::KeyRefs& scratch);
std::string rewrite_request(const cmd::Command& command, std::span<const std::string_view> args,
                            std::string_view prefix, resp::Buffer& out);

// The same for a request as the parser delivered it, with the same result byte for byte: a
// multibulk frame is copied as sent except for the names, which are re-encoded with the prefix.
std::string rewrite_request(const cmd::Command& command, const resp::Request& request,
                            std::string_view prefix, resp::Buffer& out, cmd::KeyRefs& scratch);

// For a command run as a preloaded script (Policy::Script, or ZDIFFSTORE … WITHSCORES): appends
//   EVALSHA <sha1> <numkeys> <key>… <arg>…
// where the keys are the request's keys (prefixed) in argument order and the args are all the other
// arguments after the command name, in order, without the numkeys argument of a keynum key-spec
// (patterns and channels among them prefixed as in rewrite_request). This is the KEYS/ARGV layout
// the lua/scripts/*.lua headers describe. Errors as rewrite_request.
std::string rewrite_script_request(const cmd::Command& command,
                                   std::span<const std::string_view> args, std::string_view prefix,
                                   std::string_view sha1, resp::Buffer& out, cmd::KeyRefs& scratch);

// `name` without the leading `prefix`, or `name` unchanged when it does not start with it.
std::string_view strip_prefix(std::string_view name, std::string_view prefix);

using ReplyNodes = std::vector<resp::ReplyNode>;

// Appends to `out` the reply the client sees: `reply` (one complete backend reply, RESP2 or RESP3,
// as delimited by resp::ReplyScanner) with the prefix stripped from the names `rule` designates.
// Returns false — and appends nothing — when the client must not see this reply at all: a keyspace
// event (pub/sub message on __keyevent@…) about another namespace's key. A reply that cannot be
// parsed is passed unchanged. `protocol` (2 or 3) is the client's; the shapes are recognised by
// their type bytes, so RESP2 arrays and RESP3 maps/pushes are both handled whatever it says.
// Rule Exec needs the queued commands' rules: use rewrite_exec_reply (here it passes unchanged).
// `scratch` is reused between calls; the overload without it allocates a local one.
bool rewrite_reply(cmd::ReplyRule rule, std::string_view reply, std::string_view prefix,
                   int protocol, resp::Buffer& out, ReplyNodes& scratch);
bool rewrite_reply(cmd::ReplyRule rule, std::string_view reply, std::string_view prefix,
                   int protocol, resp::Buffer& out);

// EXEC's reply: element i is rewritten by rules[i] (the reply rules of the queued commands, in
// order). A reply that is not an array of rules.size() elements (nil after WATCH, EXECABORT, …) is
// passed unchanged.
void rewrite_exec_reply(std::span<const cmd::ReplyRule> rules, std::string_view reply,
                        std::string_view prefix, int protocol, resp::Buffer& out,
                        ReplyNodes& scratch);

}  // namespace stdnet::proxy
