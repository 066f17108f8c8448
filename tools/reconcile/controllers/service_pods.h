// What the Endpoints and EndpointSlice controllers share: which pods back a
// Service, which Services select a pod, and resolving a Service port to a
// pod's container port.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../kube.h"
#include "common/informer.h"
#include "common/store.h"

namespace reconcile {

// The Service manages endpoints: it has a selector and is not ExternalName.
bool ServiceHasSelector(const Json& svc);
// Wires a controller keyed by Service ("ns/name") to Service and Pod events,
// as upstream's endpoints and endpointslice controllers both are: any event
// on a Service enqueues it (and `services` resyncs every `resync`); a pod
// added or deleted enqueues the Services selecting it; a pod update (a new
// resourceVersion) enqueues those selecting the new pod and, when its labels
// changed, those that selected the old one. Adds the namespace index both
// informers need. Call from Init, before the informers start.
void WatchServicesAndPods(common::Informer& services, common::Informer& pods,
                          std::chrono::milliseconds resync,
                          const std::function<void(const std::string& key)>& enqueue);

// Index of pods by each of their labels, "namespace/key=value": finds a
// Service's pods without reading every pod of its namespace (labels cannot
// hold '=' in a key nor '/' in a namespace, so values cannot collide).
// WatchServicesAndPods adds it.
inline constexpr std::string_view kLabelIndex = "namespacedLabels";
std::vector<std::string> IndexByNamespacedLabels(const Json& object);

// Pods in the Service's namespace matching its selector. With kLabelIndex it
// reads only the pods carrying the selector's rarest label pair.
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
