// The resource arithmetic NodeResourcesFit scoring and
// NodeResourcesBalancedAllocation share (upstream's resourceAllocationScorer).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "framework/node_info.h"

namespace schedule {

// At most this many resources in a scoring strategy (a fixed per-node buffer).
inline constexpr size_t kMaxResources = 32;

struct ResourceSpec {
  enum class Kind : uint8_t { kCpu, kMemory, kEphemeralStorage, kScalar, kOther };
  std::string name;
  int64_t weight = 1;
  Kind kind = Kind::kOther;
};

ResourceSpec MakeResourceSpec(std::string name, int64_t weight);
// cpu:1, memory:1 — the default for both plugins.
std::vector<ResourceSpec> DefaultResourceSpecs();

// Parses a `resources: [{name, weight}]` list; weights must be in [1, 100].
common::Result<std::vector<ResourceSpec>> ParseResourceSpecs(const common::Json& list, const std::string& field);

// The pod's request of each resource in `specs`. With `non_zero`, cpu and
// memory use the scheduler's defaults for containers that request none.
std::vector<int64_t> PodRequestsFor(const Pod& pod, const std::vector<ResourceSpec>& specs, bool non_zero);

// The node's allocatable and requested amount of `spec` once the pod (asking
// `pod_request`) is added; 0/0 for resources the node lacks and for scalar
// resources the pod does not request. `use_requested` picks the actual
// requests over the non-zero sums (cpu, memory).
inline void AllocatableAndRequested(const NodeInfo& node, const ResourceSpec& spec, int64_t pod_request,
                                    bool use_requested, int64_t* allocatable, int64_t* requested) {
  int64_t a = 0, r = 0;
  switch (spec.kind) {
    case ResourceSpec::Kind::kCpu:
      a = node.allocatable().milli_cpu;
      r = (use_requested ? node.requested().milli_cpu : node.non_zero_milli_cpu()) + pod_request;
      break;
    case ResourceSpec::Kind::kMemory:
      a = node.allocatable().memory;
      r = (use_requested ? node.requested().memory : node.non_zero_memory()) + pod_request;
      break;
    case ResourceSpec::Kind::kEphemeralStorage:
      a = node.allocatable().ephemeral_storage;
      r = node.requested().ephemeral_storage + pod_request;
      break;
    case ResourceSpec::Kind::kScalar:
      if (pod_request != 0 && node.allocatable().HasScalar(spec.name)) {
        a = node.allocatable().Scalar(spec.name);
        r = node.requested().Scalar(spec.name) + pod_request;
      }
      break;
    case ResourceSpec::Kind::kOther:
      break;
  }
  *allocatable = a;
  *requested = a == 0 ? 0 : r;
}

}  // namespace schedule
