// Deployment arithmetic and bookkeeping (pkg/controller/deployment/util):
// maxSurge/maxUnavailable fenceposts, pod-template-hash, revisions, finding
// the new and old ReplicaSets, proportional scaling, and the status
// predicates behind the Progressing and Available conditions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "../../kube.h"

namespace reconcile::deployment {

// A mutable copy of a cached ReplicaSet; steps of one sync see each other's
// updates through it.
using RS = std::shared_ptr<Json>;
using RSList = std::vector<RS>;

inline constexpr char kRevisionAnnotation[] = "deployment.kubernetes.io/revision";
inline constexpr char kRevisionHistoryAnnotation[] = "deployment.kubernetes.io/revision-history";
inline constexpr char kDesiredReplicasAnnotation[] = "deployment.kubernetes.io/desired-replicas";
inline constexpr char kMaxReplicasAnnotation[] = "deployment.kubernetes.io/max-replicas";
inline constexpr char kPodTemplateHashLabel[] = "pod-template-hash";

// Condition reasons (deployment_util.go).
inline constexpr char kNewRSReason[] = "NewReplicaSetCreated";
inline constexpr char kFoundNewRSReason[] = "FoundNewReplicaSet";
inline constexpr char kRSUpdatedReason[] = "ReplicaSetUpdated";
inline constexpr char kNewRSAvailableReason[] = "NewReplicaSetAvailable";
inline constexpr char kTimedOutReason[] = "ProgressDeadlineExceeded";
inline constexpr char kPausedReason[] = "DeploymentPaused";
inline constexpr char kResumedReason[] = "DeploymentResumed";
inline constexpr char kFailedRSCreateReason[] = "ReplicaSetCreateError";
inline constexpr char kMinimumReplicasAvailable[] = "MinimumReplicasAvailable";
inline constexpr char kMinimumReplicasUnavailable[] = "MinimumReplicasUnavailable";

// intstr.GetScaledValueFromIntOrPercent: an integer as is, "N%" of `total`
// rounded up or down. BadRequest for anything else.
common::Result<int64_t> ScaledValue(const Json& int_or_percent, int64_t total, bool round_up);

// ResolveFenceposts: maxSurge rounds up, maxUnavailable down, and if both
// come out 0, maxUnavailable becomes 1.
struct Fenceposts {
  int64_t surge = 0;
  int64_t unavailable = 0;
};
common::Result<Fenceposts> ResolveFenceposts(const Json& max_surge, const Json& max_unavailable,
                                             int64_t desired);

bool IsRollingUpdate(const Json& d);
// 0 for Recreate or zero replicas; else min(resolved maxUnavailable, replicas).
int64_t MaxUnavailable(const Json& d);
// 0 unless RollingUpdate.
int64_t MaxSurge(const Json& d);

int64_t Replicas(const Json& rs);  // spec.replicas (0 when absent)
int64_t StatusInt(const Json& obj, const char* field);
int64_t SumSpecReplicas(const RSList& rss);
int64_t SumStatus(const RSList& rss, const char* field);

// rand.SafeEncodeString of the FNV-32a hash of the template (keys sorted)
// and the collision count: the pod-template-hash label value.
std::string ComputeHash(const Json& pod_template, std::optional<int64_t> collision_count);
// Order-insensitive deep equality of two JSON values.
bool SemanticEqual(const Json& a, const Json& b);
// The templates are equal once the pod-template-hash label and members that
// are null, {} or [] (which upstream's Semantic.DeepEqual does not tell from
// absent ones) are dropped.
bool EqualIgnoreHash(const Json& a, const Json& b);

int64_t Revision(const Json& obj);  // the revision annotation, 0 when absent or bad
int64_t MaxRevision(const RSList& rss);

// Oldest first (creation time, then name): ReplicaSetsByCreationTimestamp.
void SortByCreation(RSList& rss);
// The oldest ReplicaSet whose template equals the deployment's (ignoring the hash).
RS FindNewReplicaSet(const Json& d, RSList rss);
// Every other ReplicaSet (the new one excluded).
RSList FindOldReplicaSets(const Json& d, const RSList& rss, const RS& new_rs);
// ReplicaSets with spec.replicas > 0.
RSList FilterActive(const RSList& rss);

// How many pods the ReplicaSets may have at most right now: per ReplicaSet
// the larger of spec.replicas (creates in flight) and status.replicas
// (deletes not yet observed). Upstream sums spec.replicas only, so right
// after an old ReplicaSet is scaled down the new one can grow while the old
// pods still run, and the pod count briefly exceeds replicas + maxSurge.
int64_t PodCountUpperBound(const RSList& rss);
// How many pods stay available once every ReplicaSet is at its spec size:
// per ReplicaSet the smaller of status.availableReplicas and spec.replicas.
// A stale status of a ReplicaSet already scaled down cannot then make the
// next sync scale down again below replicas - maxUnavailable.
int64_t AvailableLowerBound(const RSList& rss);

// The size the new ReplicaSet may grow to now (NewRSNewReplicas), bounded
// by PodCountUpperBound.
common::Result<int64_t> NewRSNewReplicas(const Json& d, const RSList& all, const RS& new_rs);

// The desired-replicas and max-replicas annotations the controller keeps on
// each ReplicaSet; true when `rs` changed.
bool SetReplicasAnnotations(Json& rs, int64_t desired, int64_t max);
std::optional<int64_t> IntAnnotation(const Json& obj, const char* name);

// True when some active ReplicaSet was sized for a different spec.replicas:
// the deployment was scaled (isScalingEvent).
bool IsScalingEvent(const Json& d, const RSList& all_rss);
// The active ReplicaSet if only one is, or the newest one when none is.
RS FindActiveOrLatest(const RS& new_rs, const RSList& old_rss);
// The new ReplicaSet runs all replicas and all are available.
bool IsSaturated(const Json& d, const RS& rs);
// How much `rs` grows (or shrinks) when the deployment adds `to_add` pods
// across its ReplicaSets, given `added` were handed out already.
int64_t GetProportion(const RS& rs, const Json& d, int64_t to_add, int64_t added);

// Status predicates (deployment_util.go).
bool DeploymentComplete(const Json& d, const Json& new_status);
bool DeploymentProgressing(const Json& d, const Json& new_status);
bool DeploymentTimedOut(const Json& d, const Json& new_status, common::TimePoint now);
bool HasProgressDeadline(const Json& d);

// A deployment condition with both timestamps now.
Json NewCondition(const std::string& type, const std::string& status, const std::string& reason,
                  const std::string& message);
// SetDeploymentCondition: nothing changes when status and reason are the
// same; a status change gets a new lastTransitionTime.
void SetDeploymentCondition(Json& status, Json condition);

}  // namespace reconcile::deployment
