// The embedded script table: every lua/scripts/*.lua is there, byte for byte once its include lines
// are replaced (lua/README.md), with its Redis SHA.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "lua/scripts.h"

namespace stdnet::lua {
namespace {

// A plain SHA-1 (FIPS 180-4), enough to check the build-time digests independently of CMake.
std::string Sha1Hex(std::string_view data) {
  std::array<std::uint32_t, 5> h = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u,
                                    0xC3D2E1F0u};
  std::string msg(data);
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  msg.push_back(static_cast<char>(0x80));
  while (msg.size() % 64 != 56) msg.push_back('\0');
  for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  auto rotl = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    std::array<std::uint32_t, 80> w{};
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int b = 0; b < 4; ++b) {
        w[i] = (w[i] << 8) | static_cast<unsigned char>(msg[off + 4 * i + b]);
      }
    }
    for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d), k = 0x5A827999u;
      } else if (i < 40) {
        f = b ^ c ^ d, k = 0x6ED9EBA1u;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDCu;
      } else {
        f = b ^ c ^ d, k = 0xCA62C1D6u;
      }
      const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rotl(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::uint32_t v : h) {
    for (int i = 28; i >= 0; i -= 4) out.push_back(kHex[(v >> i) & 0xf]);
  }
  return out;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A file of lua/scripts, e.g. "keyinfo.lua" or "include/odm_prelude.lua".
std::string ReadScriptsFile(const std::string& relative) {
  return ReadFile(std::filesystem::path(STDNET_LUA_SCRIPTS_DIR) / relative);
}

constexpr std::string_view kMarker = "-- #include";

bool HasIncludeLine(std::string_view text) {
  return text.starts_with(kMarker) || text.find("\n" + std::string(kMarker)) != std::string::npos;
}

// The embedder's rule, read again independently of CMake: a line that is exactly
// "-- #include NAME.lua" is replaced by the text of scripts/include/NAME.lua.
std::string Expand(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    const std::size_t end = eol == std::string_view::npos ? text.size() : eol + 1;
    const std::string_view line = text.substr(pos, end - pos);
    if (line.starts_with(std::string(kMarker) + " ")) {
      std::string_view name = line.substr(kMarker.size() + 1);
      if (name.ends_with('\n')) name.remove_suffix(1);
      const std::string include = ReadScriptsFile("include/" + std::string(name));
      EXPECT_FALSE(include.empty()) << "include/" << name << " is missing or empty";
      out += include;
    } else {
      out += line;
    }
    pos = end;
  }
  return out;
}

TEST(Sha1, KnownVectors) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(Sha1Hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Registry, EveryScriptIsWellFormed) {
  const auto scripts = builtin_scripts();
  ASSERT_FALSE(scripts.empty());
  for (const Script& s : scripts) {
    SCOPED_TRACE(std::string(s.name));
    EXPECT_FALSE(s.name.empty());
    for (char c : s.name) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << c;
    }
    EXPECT_FALSE(s.source.empty());
    ASSERT_EQ(s.sha1.size(), 40u);
    for (char c : s.sha1) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << c;
    EXPECT_EQ(s.sha1, Sha1Hex(s.source));
  }
}

TEST(Registry, SortedByNameAndUnique) {
  const auto scripts = builtin_scripts();
  for (std::size_t i = 1; i < scripts.size(); ++i) {
    EXPECT_LT(scripts[i - 1].name, scripts[i].name);
  }
}

TEST(Registry, BuiltinCommandsArePresent) {
  for (std::string_view name : {"keyinfo", "zdiffstore", "zpopbyrank", "zpopbyscore"}) {
    const Script* s = find_script(name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_EQ(s->name, name);
  }
}

TEST(Registry, FindScript) {
  for (const Script& s : builtin_scripts()) EXPECT_EQ(find_script(s.name), &s) << s.name;
  EXPECT_EQ(find_script(""), nullptr);
  EXPECT_EQ(find_script("nosuchscript"), nullptr);
  EXPECT_EQ(find_script("ZPOPBYRANK"), nullptr);  // names are exact
  EXPECT_EQ(find_script("zpopbyrank.lua"), nullptr);
  EXPECT_EQ(find_script("zpopbyran"), nullptr);
  EXPECT_EQ(find_script("zpopbyrankx"), nullptr);
}

// What was embedded is exactly what is in lua/scripts now (includes replaced), one entry per file,
// nothing else.
TEST(Registry, MatchesTheScriptFiles) {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(STDNET_LUA_SCRIPTS_DIR)) {
    if (entry.path().extension() != ".lua") continue;
    const std::string name = entry.path().stem().string();
    files.insert(name);
    const Script* s = find_script(name);
    ASSERT_NE(s, nullptr) << name << ".lua is not embedded: re-run the build";
    EXPECT_EQ(s->source, Expand(ReadFile(entry.path()))) << name;
  }
  EXPECT_EQ(files.size(), builtin_scripts().size());
}

TEST(Registry, NoIncludeLineIsLeft) {
  for (const Script& s : builtin_scripts()) EXPECT_FALSE(HasIncludeLine(s.source)) << s.name;
}

// The six ODM scripts share scripts/include/odm_prelude.lua; their SHA is that of the final source.
TEST(Registry, OdmScriptsCarryThePrelude) {
  const std::string prelude = ReadScriptsFile("include/odm_prelude.lua");
  ASSERT_FALSE(prelude.empty());
  for (std::string_view name :
       {"odm_aggregate", "odm_commit", "odm_delete", "odm_load", "odm_move2set", "odm_query"}) {
    const Script* s = find_script(name);
    ASSERT_NE(s, nullptr) << name;
    const std::string file = ReadScriptsFile(std::string(name) + ".lua");
    EXPECT_NE(file.find("\n-- #include odm_prelude.lua\n"), std::string::npos) << name;
    EXPECT_NE(s->source.find(prelude), std::string_view::npos) << name;
    EXPECT_EQ(
        s->source.size(),
        file.size() - std::string_view("-- #include odm_prelude.lua\n").size() + prelude.size())
        << name;
    EXPECT_EQ(s->sha1, Sha1Hex(s->source)) << name;
    EXPECT_NE(s->sha1, Sha1Hex(file)) << name;
  }
}

// A script without include lines is embedded from its own bytes.
TEST(Registry, ScriptsWithoutIncludesAreTheirFiles) {
  for (std::string_view name : {"keyinfo", "zdiffstore", "zpopbyrank", "zpopbyscore"}) {
    const Script* s = find_script(name);
    ASSERT_NE(s, nullptr) << name;
    const std::string file = ReadScriptsFile(std::string(name) + ".lua");
    EXPECT_FALSE(HasIncludeLine(file)) << name;
    EXPECT_EQ(s->source, file) << name;
    EXPECT_EQ(s->sha1, Sha1Hex(file)) << name;
  }
}

}  // namespace
}  // namespace stdnet::lua
