// Field selectors: the fields each built-in resource can be selected by.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api {

// The value of `field` on `obj` for a field selector: metadata.name and
// metadata.namespace for every kind, plus each kind's own (pods:
// spec.nodeName, spec.restartPolicy, spec.schedulerName, spec.serviceAccountName,
// spec.hostNetwork, status.phase, status.podIP, status.nominatedNodeName;
// nodes: spec.unschedulable; events: involvedObject.*, reason, type, source,
// reportingComponent; secrets: type; namespaces: status.phase; ...).
// nullopt when the resource does not support `field` (the server answers
// 400 `field label not supported: <field>`).
std::optional<std::string> FieldValue(const ResourceInfo& ri, const Json& obj,
                                      std::string_view field);

}  // namespace common::api
