// kube-proxy's CategorizeEndpoints: which endpoints "Cluster" and "Local"
// traffic policy use on this node, with topology (zone) hints and the
// fallback to serving-terminating endpoints.
#pragma once

#include <string>
#include <vector>

#include "endpoint_slice.h"
#include "service.h"

namespace proxyrules {

struct CategorizedEndpoints {
  // Usable with Cluster policy (empty when the port never uses it).
  std::vector<const Endpoint*> cluster;
  // Usable with Local policy (empty when the port never uses it).
  std::vector<const Endpoint*> local;
  // The union of both: every endpoint this node may send to, "IP:port" order.
  std::vector<const Endpoint*> all_reachable;
  // True if the service has a usable endpoint anywhere in the cluster.
  bool has_any = false;
};

// `endpoints` may be null (no endpoints). `zone` is the node's
// topology.kubernetes.io/zone label ("" when unset).
CategorizedEndpoints CategorizeEndpoints(const std::vector<Endpoint>* endpoints,
                                         const ServicePort& port, const std::string& zone);

}  // namespace proxyrules
