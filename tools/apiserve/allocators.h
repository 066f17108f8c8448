// ClusterIP and NodePort allocation through the store: each allocated address
// or port is a key created in the same txn as the Service, so two apiserve
// instances sharing a store can never hand out the same one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "storage/store.h"

namespace apiserve {

// What a Service write must create and delete besides the Service itself.
struct AllocationPlan {
  std::vector<storage::KeyWrite> creates;
  std::vector<std::string> deletes;
};

// Thread-safe.
class Allocators {
 public:
  Allocators(storage::Store* store, std::string prefix, uint32_t cidr_base, int cidr_bits,
             int port_min, int port_max);

  // Fills spec.clusterIP/clusterIPs and the node ports `svc` (a v1 Service
  // being created) needs, and returns the keys that record them. Requested
  // values are checked: out of range or taken -> Invalid with upstream's texts.
  common::Result<AllocationPlan> ForCreate(common::Json& svc, const std::string& ns,
                                           const std::string& name);
  // For an update from `old` to `svc`: keeps old allocations, allocates ports
  // the new spec needs, releases ports it dropped (and the IP when the type
  // becomes ExternalName).
  common::Result<AllocationPlan> ForUpdate(common::Json& svc, const common::Json& old,
                                           const std::string& ns, const std::string& name);
  // The keys a stored Service holds (released when it is deleted).
  std::vector<std::string> KeysOf(const common::Json& svc) const;

  // The first address of the range (the "kubernetes" Service's ClusterIP).
  std::string FirstIP() const;
  std::string IpKey(const std::string& ip) const;
  std::string PortKey(int port, const std::string& protocol) const;

 private:
  common::Result<std::string> PickIP(const std::vector<std::string>& avoid);
  common::Result<int> PickPort(const std::string& protocol, const std::vector<int>& avoid);
  bool InRange(const std::string& ip) const;

  storage::Store* store_;
  std::string prefix_;
  uint32_t base_;
  int bits_;
  int port_min_, port_max_;
};

}  // namespace apiserve
