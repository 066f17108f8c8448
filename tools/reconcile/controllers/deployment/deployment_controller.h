// The Deployment controller (pkg/controller/deployment): drives ReplicaSets
// through rolling and recreate rollouts, scales proportionally, keeps
// revisions and history, and reports status and conditions so that
// `kubectl rollout status`, `rollout undo` and `wait` work.
#pragma once

#include <map>
#include <utility>

#include "../../controller.h"
#include "util.h"

namespace reconcile::deployment {

class DeploymentController : public QueueController {
 public:
  explicit DeploymentController(const Options& o);
  ~DeploymentController() override { Stop(); }
  common::Status Init(ControllerContext& ctx) override;

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  // Event handlers.
  void EnqueueOwnerOf(const Json& rs);
  void EnqueueMatching(const Json& rs);
  void OnReplicaSetUpdate(const ObjectPtr& old_rs, const ObjectPtr& cur);
  void OnPodDelete(const ObjectPtr& pod);

  // Claims ReplicaSets by selector (adopting orphans, releasing strays).
  common::Result<RSList> GetReplicaSetsForDeployment(const Json& d,
                                                     const common::LabelSelector& selector);
  // Pods of each ReplicaSet, by ReplicaSet UID (for Recreate).
  std::map<std::string, std::vector<ObjectPtr>> GetPodMap(const RSList& rss);

  // The new ReplicaSet (created when `create` and missing) and all old ones;
  // brings revision annotations up to date on both sides.
  common::Result<std::pair<RS, RSList>> GetAllReplicaSetsAndSyncRevision(Json& d,
                                                                         const RSList& rss,
                                                                         bool create);
  common::Result<RS> GetNewReplicaSet(Json& d, const RSList& rss, const RSList& old_rss,
                                      bool create);

  // Scales `rs` to `scale` (and refreshes its replica annotations); records
  // ScalingReplicaSet. Returns whether anything changed; `rs` is updated.
  common::Result<bool> ScaleReplicaSetAndRecordEvent(RS& rs, int64_t scale, const Json& d);
  common::Result<bool> ScaleReplicaSet(RS& rs, int64_t scale, const Json& d,
                                       const std::string& operation);

  // Strategies.
  common::Status RolloutRolling(Json& d, const RSList& rss);
  common::Result<bool> ReconcileNewReplicaSet(const RSList& all, RS& new_rs, const Json& d);
  common::Result<bool> ReconcileOldReplicaSets(const RSList& all, RSList& old_rss, RS& new_rs,
                                               const Json& d);
  common::Result<int64_t> CleanupUnhealthyReplicas(RSList& old_rss, const Json& d,
                                                   int64_t max_cleanup);
  common::Result<int64_t> ScaleDownOldReplicaSetsForRollingUpdate(const RSList& all,
                                                                  RSList& old_rss, const Json& d);
  common::Status RolloutRecreate(Json& d, const RSList& rss,
                                 const std::map<std::string, std::vector<ObjectPtr>>& pod_map);

  // Scaling (paused deployments, scaling events): proportional scaling.
  common::Status SyncScale(Json& d, const RSList& rss);
  common::Status Scale(const Json& d, RS& new_rs, RSList& old_rss);

  // Status.
  Json CalculateStatus(const RSList& all, const RS& new_rs, const Json& d);
  common::Status SyncRolloutStatus(const RSList& all, const RS& new_rs, Json& d);
  common::Status SyncDeploymentStatus(const RSList& all, const RS& new_rs, Json& d);
  common::Status CheckPausedConditions(Json& d);
  common::Status CleanupDeployment(const RSList& old_rss, const Json& d);
  void RequeueStuckDeployment(const Json& d, const Json& new_status);

  // Writes; on success `d` becomes the server's copy.
  common::Status UpdateStatus(Json& d);
  common::Status Update(Json& d);
  common::Status UpdateReplicaSet(RS& rs);

  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* d_informer_ = nullptr;
  common::Informer* rs_informer_ = nullptr;
  common::Informer* pod_informer_ = nullptr;
};

}  // namespace reconcile::deployment
