// Compute resources as the scheduler counts them: cpu in millicores, the rest
// in whole units, plus extended ("scalar") resources by name; and the pod's
// effective request (init containers, sidecars and overhead, as upstream's
// component-helpers/resource PodRequests computes it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace schedule {

// Requests substituted for a container that requests no cpu / memory when
// scoring, so zero-request pods do not all pile onto one node
// (upstream's DefaultMilliCPURequest / DefaultMemoryRequest).
inline constexpr int64_t kDefaultMilliCPURequest = 100;
inline constexpr int64_t kDefaultMemoryRequest = 200 * 1024 * 1024;

// True for names upstream treats as scalar resources: extended resources
// ("nvidia.com/gpu"), "kubernetes.io/"-prefixed names, hugepages-* and
// attachable-volumes-*. cpu, memory, ephemeral-storage and pods are not.
bool IsScalarResourceName(std::string_view name);
// True for scalar names that are extended resources (domain-qualified, not
// kubernetes.io/), the ones NodeResourcesFitArgs.ignoredResources can skip.
bool IsExtendedResourceName(std::string_view name);

// A resource vector. Copyable value type; not thread-safe for writes.
struct Resources {
  int64_t milli_cpu = 0;
  int64_t memory = 0;
  int64_t ephemeral_storage = 0;
  int64_t pods = 0;  // allowed pod count (meaningful for allocatable only)
  // Scalar resources, sorted by name, no duplicates.
  std::vector<std::pair<std::string, int64_t>> scalars;

  // The value of scalar resource `name`, 0 when absent.
  int64_t Scalar(std::string_view name) const;
  bool HasScalar(std::string_view name) const;
  void SetScalar(std::string_view name, int64_t value);
  void AddScalar(std::string_view name, int64_t value) { SetScalar(name, Scalar(name) + value); }
  // The value of any resource by its Kubernetes name ("cpu" in millicores).
  int64_t Get(std::string_view name) const;
  bool Has(std::string_view name) const;

  void Add(const Resources& o);
  void Sub(const Resources& o);
  // Per-resource maximum (pods excluded).
  void SetMax(const Resources& o);
  // True when every request is zero (cpu, memory, ephemeral-storage, scalars).
  bool IsZero() const;
  // "cpu=100m,memory=500Mi,nvidia.com/gpu=1" (non-zero entries only).
  std::string String() const;
};

// Parses a ResourceList JSON object ({"cpu": "100m", ...}) into `out`.
// `field` names the object in errors: "spec.containers[0].resources.requests".
common::Status ParseResourceList(const common::Json& list, const std::string& field, Resources* out);

// Formats a quantity of resource `name` for humans: "1500m" / "2" for cpu,
// binary suffixes for byte-sized resources ("500Mi"), plain numbers otherwise.
std::string FormatResource(std::string_view name, int64_t value);

}  // namespace schedule
