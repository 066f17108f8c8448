// IP addresses and CIDRs as kube-proxy reads and prints them (k8s.io/utils/net
// "sloppy" parsing: IPv4 octets with leading zeros are decimal).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace proxyrules {

enum class IPFamily { kIPv4, kIPv6 };

// An IPv4 or IPv6 address. IPv4 is stored in the first 4 bytes.
struct IP {
  IPFamily family = IPFamily::kIPv4;
  std::array<uint8_t, 16> bytes{};

  bool is_v4() const { return family == IPFamily::kIPv4; }
  // The canonical text: dotted quad, or RFC 5952 IPv6 ("2001:db8::1").
  std::string String() const;
  bool IsLoopback() const;
  bool operator==(const IP& o) const {
    return family == o.family && bytes == o.bytes;
  }
  bool operator<(const IP& o) const {
    return family != o.family ? family < o.family : bytes < o.bytes;
  }
};

// Parses `text` like netutils.ParseIPSloppy: "172.30.0.041" is 172.30.0.41,
// an IPv4-mapped IPv6 address is IPv4. Returns nullopt for anything else
// (including surrounding spaces).
std::optional<IP> ParseIP(std::string_view text);

// A network prefix; `ip` has every host bit cleared.
struct CIDR {
  IP ip;
  int prefix = 0;

  // "10.0.0.0/8".
  std::string String() const;
  bool Contains(const IP& addr) const;
  bool operator==(const CIDR& o) const { return ip == o.ip && prefix == o.prefix; }
};

// Parses "203.0.113.0/25" like netutils.ParseCIDRSloppy; host bits are
// cleared ("10.1.2.3/8" is 10.0.0.0/8). Leading and trailing spaces are
// ignored, as kube-proxy tolerates " 203.0.113.0/25" in loadBalancerSourceRanges.
std::optional<CIDR> ParseCIDR(std::string_view text);

// "IP:port", or "[IP]:port" for IPv6 (Go's net.JoinHostPort).
std::string JoinHostPort(const IP& ip, int port);

}  // namespace proxyrules
