// Building a Service's core/v1 Endpoints from its pods (the endpoints
// controller's pure part, tested on its own).
#pragma once

#include <vector>

#include "../kube.h"

namespace reconcile {

// Endpoints hold at most this many addresses; beyond it they are truncated
// and annotated endpoints.kubernetes.io/over-capacity=truncated (v1.22+).
inline constexpr size_t kMaxEndpointsCapacity = 1000;

// The subsets of the Service's Endpoints: ready pods in `addresses`, others
// in `notReadyAddresses` (all ready with publishNotReadyAddresses),
// terminating pods left out (kept with publishNotReadyAddresses), named
// target ports resolved per pod, subsets with the same ports merged, and
// everything sorted. Sets *truncated when the capacity limit cut addresses.
Json BuildEndpointSubsets(const Json& svc, const std::vector<ObjectPtr>& pods, bool* truncated);

}  // namespace reconcile
