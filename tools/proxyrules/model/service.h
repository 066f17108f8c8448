// A Service as kube-proxy sees it: one ServicePort per spec.ports entry, with
// the IPs of one family and the chain names precomputed.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "ip.h"
#include "types.h"

namespace proxyrules {

// kube-proxy's servicePortInfo: everything the rules of one port depend on.
struct ServicePort {
  ServicePortName name;
  std::string name_string;  // name.String(), "ns/svc:port"
  std::string protocol;     // "tcp" / "udp" / "sctp"
  IP cluster_ip;
  int port = 0;
  int node_port = 0;              // 0: none
  int health_check_node_port = 0; // 0: none (only eTP=Local LoadBalancers have one)
  std::vector<IP> external_ips;
  std::vector<IP> load_balancer_vips;  // status ingress IPs in VIP mode
  std::vector<CIDR> load_balancer_source_ranges;
  bool session_affinity_client_ip = false;
  int sticky_max_age_seconds = 0;
  bool external_policy_local = false;
  bool internal_policy_local = false;

  // KUBE-SVC-/SVL-/FW-/EXT- + PortProtoHash(name_string, protocol).
  std::string cluster_chain;
  std::string local_chain;
  std::string firewall_chain;
  std::string external_chain;

  bool operator==(const ServicePort&) const = default;

  // Reachable by something other than the cluster IP.
  bool ExternallyAccessible() const {
    return node_port != 0 || !load_balancer_vips.empty() || !external_ips.empty();
  }
  // Ever sends traffic to endpoints chosen by "Cluster" policy (even eTP=Local
  // needs them, for the short circuit of traffic from inside the node).
  bool UsesClusterEndpoints() const { return !internal_policy_local || ExternallyAccessible(); }
  // Ever sends traffic to endpoints chosen by "Local" policy.
  bool UsesLocalEndpoints() const {
    return internal_policy_local || (external_policy_local && ExternallyAccessible());
  }
};

struct Service {
  NamespacedName name;
  std::vector<ServicePort> ports;
};

// What ParseService made of one object.
struct ParsedService {
  enum Kind {
    kOk,       // `service` holds the ports to proxy
    kIgnored,  // not proxied by design (headless, ExternalName, other IP family...)
    kInvalid,  // malformed; `reason` says why, and the Service gets no rules
  };
  Kind kind = kOk;
  std::string reason;
  Service service;
};

// Reads a core/v1 Service for the proxier of `family`, applying the API's
// defaults (protocol TCP, type ClusterIP, affinity timeout 10800 s) and
// kube-proxy's filters. Never throws.
ParsedService ParseService(const common::Json& obj, IPFamily family);

}  // namespace proxyrules
