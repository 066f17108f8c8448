#include "common/base64.h"

#include <array>
#include <cstdint>

namespace common {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Encode(std::string_view in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  const auto* d = reinterpret_cast<const unsigned char*>(in.data());
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  size_t rest = in.size() - i;
  if (rest == 1) {
    uint32_t v = d[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    uint32_t v = (d[i] << 16) | (d[i + 1] << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

std::array<int8_t, 256> Table(const char* alphabet) {
  std::array<int8_t, 256> t;
  t.fill(-1);
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}

// Decodes quantum by quantum with Go's rules, so errors name the byte offset
// Go's CorruptInputError would: an incomplete quantum reports its first byte,
// bad padding the '=' at fault, trailing garbage the first byte after padding.
std::optional<std::string> Decode(std::string_view src, const std::array<int8_t, 256>& table,
                                  bool padded, size_t* bad_offset) {
  auto fail = [&](size_t off) -> std::optional<std::string> {
    if (bad_offset) *bad_offset = off;
    return std::nullopt;
  };
  auto skip_newlines = [&](size_t si) {
    while (si < src.size() && (src[si] == '\n' || src[si] == '\r')) ++si;
    return si;
  };
  std::string out;
  out.reserve(src.size() / 4 * 3);
  size_t si = 0;
  for (;;) {
    uint8_t dbuf[4] = {0, 0, 0, 0};
    size_t dlen = 4;
    bool end = false;
    for (size_t j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        if (j == 1 || padded) return fail(si - j);
        dlen = j;
        end = true;
        break;
      }
      unsigned char in = static_cast<unsigned char>(src[si++]);
      if (table[in] >= 0) {
        dbuf[j] = static_cast<uint8_t>(table[in]);
        continue;
      }
      if (in == '\n' || in == '\r') {
        --j;
        continue;
      }
      if (in != '=' || !padded) return fail(si - 1);
      if (j < 2) return fail(si - 1);
      if (j == 2) {
        si = skip_newlines(si);
        if (si == src.size()) return fail(src.size());
        if (src[si] != '=') return fail(si - 1);
        ++si;
      }
      si = skip_newlines(si);
      if (si < src.size()) return fail(si);
      dlen = j;
      end = true;
      break;
    }
    uint32_t val = (uint32_t{dbuf[0]} << 18) | (uint32_t{dbuf[1]} << 12) |
                   (uint32_t{dbuf[2]} << 6) | dbuf[3];
    out += static_cast<char>(val >> 16);
    if (dlen >= 3) out += static_cast<char>((val >> 8) & 0xff);
    if (dlen == 4) out += static_cast<char>(val & 0xff);
    if (end) return out;
  }
}

}  // namespace

std::string Base64Encode(std::string_view data) { return Encode(data, kStd, true); }
std::string Base64UrlEncode(std::string_view data) { return Encode(data, kUrl, false); }

std::optional<std::string> Base64Decode(std::string_view text, size_t* bad_offset) {
  static const auto table = Table(kStd);
  return Decode(text, table, true, bad_offset);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  static const auto table = Table(kUrl);
  return Decode(text, table, false, nullptr);
}

}  // namespace common
