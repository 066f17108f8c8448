// Scaling outside a rollout step (sync.go): paused deployments and changes
// of spec.replicas, spread proportionally over the active ReplicaSets.
#include <map>

#include "deployment_controller.h"

namespace reconcile::deployment {

common::Status DeploymentController::SyncScale(Json& d, const RSList& rss) {
  ASSIGN_OR_RETURN(auto got, GetAllReplicaSetsAndSyncRevision(d, rss, false));
  RS new_rs = got.first;
  RSList old_rss = got.second;
  RETURN_IF_ERROR(Scale(d, new_rs, old_rss));
  if (common::GetBool(d["spec"], "paused")) RETURN_IF_ERROR(CleanupDeployment(old_rss, d));
  RSList all = old_rss;
  if (new_rs) all.push_back(new_rs);
  return SyncDeploymentStatus(all, new_rs, d);
}

common::Status DeploymentController::Scale(const Json& d, RS& new_rs, RSList& old_rss) {
  int64_t replicas = SpecReplicas(d);
  // One active ReplicaSet (or none: the newest) takes the whole count.
  if (RS target = FindActiveOrLatest(new_rs, old_rss)) {
    if (Replicas(*target) == replicas) return common::Status::Ok();
    return ScaleReplicaSetAndRecordEvent(target, replicas, d).status();
  }
  // A saturated new ReplicaSet: the old ones go to zero.
  if (IsSaturated(d, new_rs)) {
    for (auto& old : FilterActive(old_rss)) RETURN_IF_ERROR(ScaleReplicaSetAndRecordEvent(old, 0, d).status());
    return common::Status::Ok();
  }
  if (!IsRollingUpdate(d)) return common::Status::Ok();

  RSList all = old_rss;
  if (new_rs) all.push_back(new_rs);
  all = FilterActive(all);
  int64_t allowed = replicas > 0 ? replicas + MaxSurge(d) : 0;
  int64_t to_add = allowed - SumSpecReplicas(all);
  std::string operation;
  // Larger first; on equal size newer first when growing, older first when shrinking.
  SortByCreation(all);
  if (to_add > 0) {
    std::reverse(all.begin(), all.end());
    operation = "up";
  } else if (to_add < 0) {
    operation = "down";
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const RS& a, const RS& b) { return Replicas(*a) > Replicas(*b); });

  int64_t added = 0;
  std::map<std::string, int64_t> size;
  for (const auto& rs : all) {
    if (to_add != 0) {
      int64_t p = GetProportion(rs, d, to_add, added);
      size[Name(*rs)] = Replicas(*rs) + p;
      added += p;
    } else {
      size[Name(*rs)] = Replicas(*rs);
    }
  }
  for (size_t i = 0; i < all.size(); ++i) {
    RS& rs = all[i];
    if (i == 0 && to_add != 0) {
      // The largest ReplicaSet takes the rounding leftovers.
      int64_t& s = size[Name(*rs)];
      s += to_add - added;
      if (s < 0) s = 0;
    }
    RETURN_IF_ERROR(ScaleReplicaSet(rs, size[Name(*rs)], d, operation).status());
  }
  return common::Status::Ok();
}

}  // namespace reconcile::deployment
