// What the Endpoints and EndpointSlice controllers share: which pods back a
// Service, which Services select a pod, and resolving a Service port to a
// pod's container port.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../kube.h"
#include "common/store.h"

namespace reconcile {

// The Service manages endpoints: it has a selector and is not ExternalName.
bool ServiceHasSelector(const Json& svc);
// Pods in the Service's namespace matching its selector.
std::vector<ObjectPtr> PodsForService(const common::Store& pods, const Json& svc);
// Keys of the Services in `services` whose selector matches `pod`'s labels.
std::set<std::string> ServicesSelecting(const common::Store& services, const Json& pod);

// The pod's port for `service_port` (podutil.FindPort): targetPort as a
// number, or the named container port with the same protocol; targetPort
// absent means `port`. nullopt when a name matches no container port.
std::optional<int64_t> FindPort(const Json& pod, const Json& service_port);

// Whether the pod belongs in endpoints at all (ShouldPodBeInEndpoints): it
// has an IP, is not terminal in a way its restart policy makes final, and
// is not terminating unless `include_terminating`.
bool ShouldPodBeInEndpoints(const Json& pod, bool include_terminating);

// The pod's hostname for DNS records of this Service: spec.hostname when
// spec.subdomain names the Service.
std::string EndpointHostname(const Json& pod, const Json& svc);

// The pod's IPs: status.podIPs, else status.podIP.
std::vector<std::string> PodIPs(const Json& pod);
bool IsIPv6(const std::string& ip);

}  // namespace reconcile
