// The three PATCH types: JSON patch (RFC 6902), JSON merge patch (RFC 7386)
// and strategic merge patch with the patch strategies of built-in types.
#pragma once

#include "common/api/registry.h"
#include "common/json.h"
#include "common/status.h"

namespace common::api {

// Errors are BadRequest or Invalid with the texts upstream's patch libraries
// produce (json-patch: "doc is missing path: \"/spec/x\": missing value").
Result<Json> ApplyJsonPatch(const Json& doc, const Json& patch);
Result<Json> ApplyMergePatch(const Json& doc, const Json& patch);
// Uses the patchMergeKey/patchStrategy of ri's kind (containers merge by
// name, ports by containerPort, ...); honours $patch (replace, delete, merge),
// $retainKeys, $deleteFromPrimitiveList and $setElementOrder. Kinds without
// strategies (custom resources) are rejected as upstream does (415).
Result<Json> ApplyStrategicMergePatch(const ResourceInfo& ri, const Json& doc, const Json& patch);

}  // namespace common::api
