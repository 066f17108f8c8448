// OpenAPI documents generated from the schemas validation uses, so kubectl's
// client-side validation and `kubectl explain` work.
#pragma once

#include <string>
#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api {

// The /openapi/v2 document (Swagger 2.0, JSON) for `resources`, with the
// definitions kubectl reads (io.k8s.api.core.v1.Pod, ... with
// x-kubernetes-group-version-kind) plus one per CRD in `crds`.
std::string OpenApiV2(const std::vector<ResourceInfo>& resources, const std::vector<Json>& crds);

// The /openapi/v3 index: {"paths": {"api/v1": {"serverRelativeURL":
// "/openapi/v3/api/v1?hash=<etag>"}, "apis/apps/v1": ...}}.
Json OpenApiV3Index(const std::vector<GroupVersion>& gvs, const std::vector<Json>& crds);

// The /openapi/v3/<path> document for one group version ("api/v1",
// "apis/apps/v1"); "" when there is none.
std::string OpenApiV3(const std::string& path, const std::vector<ResourceInfo>& resources,
                      const std::vector<Json>& crds);

}  // namespace common::api
