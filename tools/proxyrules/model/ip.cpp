#include "ip.h"

#include <arpa/inet.h>

#include <cstring>

namespace proxyrules {
namespace {

std::optional<IP> ParseIPv4(std::string_view s) {
  IP ip;
  ip.family = IPFamily::kIPv4;
  size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (pos >= s.size() || s[pos] != '.') return std::nullopt;
      ++pos;
    }
    // Go's pre-1.17 parser (kept by ParseIPSloppy) reads each octet as a
    // decimal number of up to three digits, leading zeros included.
    int value = 0, digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      value = value * 10 + (s[pos] - '0');
      ++pos;
      if (++digits > 3) return std::nullopt;
    }
    if (digits == 0 || value > 255) return std::nullopt;
    ip.bytes[i] = static_cast<uint8_t>(value);
  }
  if (pos != s.size()) return std::nullopt;
  return ip;
}

std::optional<IP> ParseIPv6(std::string_view s) {
  char buf[INET6_ADDRSTRLEN + 1];
  if (s.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  IP ip;
  ip.family = IPFamily::kIPv6;
  if (inet_pton(AF_INET6, buf, ip.bytes.data()) != 1) return std::nullopt;
  // An IPv4-mapped address (::ffff:a.b.c.d) is IPv4, as Go's To4() says.
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(ip.bytes.data(), kMapped, 12) == 0) {
    IP v4;
    v4.family = IPFamily::kIPv4;
    std::memcpy(v4.bytes.data(), ip.bytes.data() + 12, 4);
    return v4;
  }
  return ip;
}

}  // namespace

std::optional<IP> ParseIP(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.find(':') != std::string_view::npos) return ParseIPv6(text);
  return ParseIPv4(text);
}

std::string IP::String() const {
  if (is_v4()) {
    char buf[16];
    int n = std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    return std::string(buf, n);
  }
  // RFC 5952, as Go prints it: the longest run of two or more zero groups
  // becomes "::" (the first such run on ties); hex is lower case.
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = static_cast<uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    int n = std::snprintf(buf, sizeof(buf), "%x", groups[i]);
    out.append(buf, n);
  }
  return out;
}

bool IP::IsLoopback() const {
  if (is_v4()) return bytes[0] == 127;
  for (int i = 0; i < 15; ++i)
    if (bytes[i] != 0) return false;
  return bytes[15] == 1;
}

std::string CIDR::String() const { return ip.String() + "/" + std::to_string(prefix); }

bool CIDR::Contains(const IP& addr) const {
  if (addr.family != ip.family) return false;
  int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(addr.bytes.data(), ip.bytes.data(), full) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (addr.bytes[full] & mask) == ip.bytes[full];
}

std::optional<CIDR> ParseCIDR(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto ip = ParseIP(text.substr(0, slash));
  if (!ip) return std::nullopt;
  std::string_view len = text.substr(slash + 1);
  if (len.empty() || len.size() > 3) return std::nullopt;
  int prefix = 0;
  for (char c : len) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  // An IPv4-mapped address with an IPv6-sized prefix is not something the
  // API accepts; treat the family by the text's address form.
  int max = ip->is_v4() ? 32 : 128;
  if (ip->is_v4() && text.substr(0, slash).find(':') != std::string_view::npos) return std::nullopt;
  if (prefix > max) return std::nullopt;
  CIDR c;
  c.ip = *ip;
  c.prefix = prefix;
  int full = prefix / 8, rest = prefix % 8;
  int nbytes = ip->is_v4() ? 4 : 16;
  for (int i = full; i < nbytes; ++i) {
    if (i == full && rest != 0)
      c.ip.bytes[i] &= static_cast<uint8_t>(0xff << (8 - rest));
    else
      c.ip.bytes[i] = 0;
  }
  return c;
}

std::string JoinHostPort(const IP& ip, int port) {
  if (ip.is_v4()) return ip.String() + ":" + std::to_string(port);
  return "[" + ip.String() + "]:" + std::to_string(port);
}

}  // namespace proxyrules
