// Adoption and release of dependents by ownerReference
// (controller.BaseControllerRefManager.ClaimObject): what keeps "the pods of
// this ReplicaSet" equal to "the pods its selector matches that no other
// controller owns".
#pragma once

#include <functional>
#include <vector>

#include "common/rest_client.h"
#include "common/selector.h"
#include "../kube.h"

namespace reconcile {

struct ClaimRequest {
  common::RestClient* client = nullptr;
  GroupVersionResource dependents;  // what the candidates are (pods, replicasets)
  const Json* owner = nullptr;
  Json controller_ref;              // MakeControllerRef(owner, ...)
  common::LabelSelector selector;
  // Re-checks, against the API server rather than the cache, that the owner
  // still exists with the same UID and is not being deleted. Called at most
  // once, before the first adoption.
  std::function<common::Status()> can_adopt;
};

// Returns the candidates this owner keeps: those it controls that still
// match, plus matching orphans it adopted (by strategic merge patch adding
// its controller ownerReference). Owned objects that no longer match are
// released (the reference removed). Objects controlled by someone else, and
// orphans that are being deleted, are left alone. Adoption and release stop
// when the owner is being deleted. The first failed patch (other than
// NotFound) is returned as the error, after the others were tried.
common::Result<std::vector<ObjectPtr>> ClaimObjects(ClaimRequest& request,
                                                    const std::vector<ObjectPtr>& candidates);

}  // namespace reconcile
