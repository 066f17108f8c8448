// The Recreate strategy (recreate.go): every old pod gone before the new
// ReplicaSet is created at full size.
#include "deployment_controller.h"

namespace reconcile::deployment {
namespace {

// oldPodsRunning: old ReplicaSets still have replicas, or some pod of them
// is not in a terminal phase.
bool OldPodsRunning(const RS& new_rs, const RSList& old_rss,
                    const std::map<std::string, std::vector<ObjectPtr>>& pod_map) {
  if (SumStatus(old_rss, "replicas") > 0) return true;
  for (const auto& [uid, pods] : pod_map) {
    if (new_rs && Uid(*new_rs) == uid) continue;
    for (const auto& p : pods)
      if (!IsPodTerminal(*p)) return true;
  }
  return false;
}

}  // namespace

common::Status DeploymentController::RolloutRecreate(
    Json& d, const RSList& rss, const std::map<std::string, std::vector<ObjectPtr>>& pod_map) {
  // The new ReplicaSet is not created yet, so nothing scales up before the
  // old pods are gone.
  ASSIGN_OR_RETURN(auto got, GetAllReplicaSetsAndSyncRevision(d, rss, false));
  RS new_rs = got.first;
  RSList old_rss = got.second;
  RSList all = old_rss;
  if (new_rs) all.push_back(new_rs);

  bool scaled_down = false;
  for (auto& rs : FilterActive(old_rss)) {
    ASSIGN_OR_RETURN(bool scaled, ScaleReplicaSetAndRecordEvent(rs, 0, d));
    scaled_down |= scaled;
  }
  if (scaled_down) return SyncRolloutStatus(all, new_rs, d);
  if (OldPodsRunning(new_rs, old_rss, pod_map)) return SyncRolloutStatus(all, new_rs, d);

  if (!new_rs) {
    ASSIGN_OR_RETURN(auto created, GetAllReplicaSetsAndSyncRevision(d, rss, true));
    new_rs = created.first;
    old_rss = created.second;
    all = old_rss;
    all.push_back(new_rs);
  }
  ASSIGN_OR_RETURN(bool scaled_up, ScaleReplicaSetAndRecordEvent(new_rs, SpecReplicas(d), d));
  (void)scaled_up;
  if (DeploymentComplete(d, common::Get(d, "status"))) RETURN_IF_ERROR(CleanupDeployment(old_rss, d));
  return SyncRolloutStatus(all, new_rs, d);
}

}  // namespace reconcile::deployment
