// kube-proxy's iptables chain names: a prefix and the first 16 characters of
// base32(sha256(...)), so names fit iptables' 28-character limit.
#pragma once

#include <string>
#include <string_view>

namespace proxyrules {

inline constexpr std::string_view kServiceChainPrefix = "KUBE-SVC-";
inline constexpr std::string_view kLocalChainPrefix = "KUBE-SVL-";
inline constexpr std::string_view kFirewallChainPrefix = "KUBE-FW-";
inline constexpr std::string_view kExternalChainPrefix = "KUBE-EXT-";
inline constexpr std::string_view kEndpointChainPrefix = "KUBE-SEP-";

// base32(sha256(service_port_name + protocol))[:16], the suffix shared by a
// service port's KUBE-SVC/SVL/EXT/FW chains. `service_port_name` is
// "ns/name:port" ("ns/name" for an unnamed port); `protocol` is "tcp",
// "udp" or "sctp".
std::string PortProtoHash(std::string_view service_port_name, std::string_view protocol);

// "KUBE-SEP-" + base32(sha256(service_port_name + protocol + endpoint))[:16],
// where `endpoint` is "IP:port" ("[IPv6]:port").
std::string EndpointChainName(std::string_view service_port_name, std::string_view protocol,
                              std::string_view endpoint);

// True for the per-service chain prefixes kube-proxy owns and may delete
// (KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-FW-, KUBE-SEP-).
bool IsServiceChainName(std::string_view chain);

}  // namespace proxyrules
