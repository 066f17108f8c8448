// Names shared by the model and the renderer: namespaced names, protocols,
// and kube-proxy's ServicePortName.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace proxyrules {

struct NamespacedName {
  std::string ns;
  std::string name;

  // "ns/name".
  std::string String() const { return ns + "/" + name; }
  bool operator<(const NamespacedName& o) const {
    return std::tie(ns, name) < std::tie(o.ns, o.name);
  }
  bool operator==(const NamespacedName& o) const { return ns == o.ns && name == o.name; }
};

enum class Protocol { kTCP, kUDP, kSCTP };

// "TCP", "UDP", "SCTP" (the API's spelling, case-sensitive); nullopt otherwise.
std::optional<Protocol> ParseProtocol(std::string_view s);
// "tcp", "udp", "sctp": what iptables' -p and -m take and what chain hashes use.
std::string_view LowerProtocol(Protocol p);
// "TCP", "UDP", "SCTP".
std::string_view ProtocolName(Protocol p);

// Identifies one port of one Service, as kube-proxy's proxy.ServicePortName.
struct ServicePortName {
  NamespacedName service;
  std::string port;  // the port's name; "" for a single unnamed port
  Protocol protocol = Protocol::kTCP;

  // "ns/name:port", or "ns/name" when the port is unnamed: the text that
  // goes into comments and chain-name hashes.
  std::string String() const {
    return port.empty() ? service.String() : service.String() + ":" + port;
  }
  bool operator<(const ServicePortName& o) const {
    return std::tie(service, port, protocol) < std::tie(o.service, o.port, o.protocol);
  }
  bool operator==(const ServicePortName& o) const {
    return service == o.service && port == o.port && protocol == o.protocol;
  }
};

}  // namespace proxyrules
