// Validation of the smaller groups (autoscaling, policy, networking,
// discovery, scheduling, storage, coordination, rbac, flowcontrol,
// apiextensions, events.k8s.io).
#include "validation_util.h"

namespace common::api::validation {

ErrorList Other(const ResourceInfo& ri, const Json& obj, const Json* old) {
  if (ri.group == "apiextensions.k8s.io" && ri.kind == "CustomResourceDefinition")
    return CustomResourceDefinition(obj, old);
  return {};
}

}  // namespace common::api::validation
