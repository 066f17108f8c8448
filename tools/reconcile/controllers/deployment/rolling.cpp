// The RollingUpdate strategy (rolling.go): grow the new ReplicaSet within
// maxSurge, shrink old ones within maxUnavailable, unhealthy replicas first.
#include "deployment_controller.h"

namespace reconcile::deployment {

common::Status DeploymentController::RolloutRolling(Json& d, const RSList& rss) {
  ASSIGN_OR_RETURN(auto got, GetAllReplicaSetsAndSyncRevision(d, rss, true));
  RS new_rs = got.first;
  RSList old_rss = got.second;
  RSList all = old_rss;
  all.push_back(new_rs);

  ASSIGN_OR_RETURN(bool scaled_up, ReconcileNewReplicaSet(all, new_rs, d));
  if (scaled_up) return SyncRolloutStatus(all, new_rs, d);

  RSList active_old = FilterActive(old_rss);
  ASSIGN_OR_RETURN(bool scaled_down, ReconcileOldReplicaSets(all, active_old, new_rs, d));
  if (scaled_down) return SyncRolloutStatus(all, new_rs, d);

  if (DeploymentComplete(d, common::Get(d, "status"))) RETURN_IF_ERROR(CleanupDeployment(old_rss, d));
  return SyncRolloutStatus(all, new_rs, d);
}

common::Result<bool> DeploymentController::ReconcileNewReplicaSet(const RSList& all, RS& new_rs,
                                                                  const Json& d) {
  int64_t replicas = SpecReplicas(d);
  if (Replicas(*new_rs) == replicas) return false;
  if (Replicas(*new_rs) > replicas) return ScaleReplicaSetAndRecordEvent(new_rs, replicas, d);
  ASSIGN_OR_RETURN(int64_t count, NewRSNewReplicas(d, all, new_rs));
  return ScaleReplicaSetAndRecordEvent(new_rs, count, d);
}

common::Result<bool> DeploymentController::ReconcileOldReplicaSets(const RSList& all,
                                                                   RSList& old_rss, RS& new_rs,
                                                                   const Json& d) {
  if (SumSpecReplicas(old_rss) == 0) return false;  // nothing left to scale down
  int64_t all_pods = SumSpecReplicas(all);
  int64_t min_available = SpecReplicas(d) - MaxUnavailable(d);
  int64_t new_unavailable = Replicas(*new_rs) - StatusInt(*new_rs, "availableReplicas");
  // Spec counts (not status) bound this, so a stale status cannot make two
  // syncs in a row both scale down.
  int64_t max_scaled_down = all_pods - min_available - new_unavailable;
  if (max_scaled_down <= 0) return false;

  // Unhealthy old replicas go first: removing them cannot lower availability.
  auto cleanup = CleanupUnhealthyReplicas(old_rss, d, max_scaled_down);
  if (!cleanup.ok()) return false;  // as upstream: retried on the next sync
  RSList now_all = old_rss;
  now_all.push_back(new_rs);
  auto scaled = ScaleDownOldReplicaSetsForRollingUpdate(now_all, old_rss, d);
  if (!scaled.ok()) return false;
  return *cleanup + *scaled > 0;
}

common::Result<int64_t> DeploymentController::CleanupUnhealthyReplicas(RSList& old_rss,
                                                                       const Json& d,
                                                                       int64_t max_cleanup) {
  SortByCreation(old_rss);
  int64_t total = 0;
  for (auto& rs : old_rss) {
    if (total >= max_cleanup) break;
    int64_t spec = Replicas(*rs);
    int64_t available = StatusInt(*rs, "availableReplicas");
    if (spec == 0 || spec == available) continue;
    int64_t down = std::min(max_cleanup - total, spec - available);
    ASSIGN_OR_RETURN(bool scaled, ScaleReplicaSetAndRecordEvent(rs, spec - down, d));
    (void)scaled;
    total += down;
  }
  return total;
}

common::Result<int64_t> DeploymentController::ScaleDownOldReplicaSetsForRollingUpdate(
    const RSList& all, RSList& old_rss, const Json& d) {
  int64_t min_available = SpecReplicas(d) - MaxUnavailable(d);
  int64_t available = AvailableLowerBound(all);
  if (available <= min_available) return 0;
  SortByCreation(old_rss);
  int64_t total = 0;
  int64_t target = available - min_available;
  for (auto& rs : old_rss) {
    if (total >= target) break;
    int64_t spec = Replicas(*rs);
    if (spec == 0) continue;
    int64_t down = std::min(spec, target - total);
    auto scaled = ScaleReplicaSetAndRecordEvent(rs, spec - down, d);
    if (!scaled.ok()) return scaled.status();
    total += down;
  }
  return total;
}

}  // namespace reconcile::deployment
