// Conversion between served versions of one kind (autoscaling/v1 <-> v2
// HorizontalPodAutoscaler: v1's targetCPUUtilizationPercentage is one
// Resource metric of v2's list; other v2 metrics ride in an annotation).
#pragma once

#include "common/api/registry.h"
#include "common/json.h"
#include "common/status.h"

namespace common::api {

// Converts `obj` (any served version of its kind) to `to`, setting apiVersion.
// Identity (apiVersion only) for kinds with a single version.
Result<Json> Convert(const Json& obj, const GroupVersion& to);

}  // namespace common::api
