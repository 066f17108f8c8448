// The proxier's view of the cluster: Services and their endpoints, kept up to
// date one object at a time, with the set of services changed since the
// last sync (what a partial sync rewrites, KEP-3453).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "endpoint_slice.h"
#include "service.h"

namespace proxyrules {

// Not thread-safe; the owner serialises access.
class Model {
 public:
  // `node_name` decides which endpoints are local.
  explicit Model(std::string node_name) : node_name_(std::move(node_name)) {}

  // Adds or replaces a Service / removes it. A Service that does not parse
  // should be removed, so stale rules for it go away.
  void SetService(Service service);
  void RemoveService(const NamespacedName& name);

  // Adds or replaces one EndpointSlice (by namespace and slice name) / removes it.
  void SetSlice(Slice slice);
  void RemoveSlice(const std::string& ns, const std::string& slice_name);

  // core/v1 Endpoints, used for a service only while it has no EndpointSlice.
  void SetEndpoints(const NamespacedName& service, std::vector<Slice> subsets);
  void RemoveEndpoints(const NamespacedName& service);

  // Every service port, in ServicePortName order.
  const std::map<ServicePortName, ServicePort>& service_ports() const { return ports_; }
  // The endpoints of `port` (sorted by "IP:port"), or nullptr when none.
  const std::vector<Endpoint>* EndpointsOf(const ServicePortName& port) const;
  // Sum of endpoints over the ports of services that exist (kube-proxy's
  // totalEndpoints, which decides large-cluster mode).
  size_t TotalEndpoints() const;

  // Services whose ports or endpoints changed since the last call, then
  // forgets them.
  std::set<NamespacedName> TakeChanged();
  // True when a call to TakeChanged would return something.
  bool HasChanges() const { return !changed_.empty(); }

  const std::string& node_name() const { return node_name_; }

 private:
  // Recomputes the ports and endpoints of one service.
  void Rebuild(const NamespacedName& service);

  std::string node_name_;
  std::map<NamespacedName, Service> services_;
  // slices_[service][slice name]; slice_owner_ maps (ns, slice name) -> service.
  std::map<NamespacedName, std::map<std::string, Slice>> slices_;
  std::map<std::pair<std::string, std::string>, NamespacedName> slice_owner_;
  std::map<NamespacedName, std::vector<Slice>> endpoints_;

  std::map<ServicePortName, ServicePort> ports_;
  std::map<ServicePortName, std::vector<Endpoint>> endpoints_of_;
  std::set<NamespacedName> changed_;
};

}  // namespace proxyrules
