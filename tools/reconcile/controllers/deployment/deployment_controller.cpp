#include "deployment_controller.h"

#include <algorithm>

#include "../controllers.h"
#include "../ref_manager.h"
#include "common/log.h"
#include "common/strings.h"

namespace reconcile::deployment {
namespace {

constexpr char kComponent[] = "deployment-controller";
// deployment_controller.go: a deployment failing this often is dropped
// from the queue (until its next change).
constexpr int kMaxRetries = 15;
// SetNewReplicaSetAnnotations keeps revision-history within this many characters.
constexpr size_t kMaxRevisionHistoryChars = 2000;

bool SkipCopyAnnotation(const std::string& key) {
  return key == "kubectl.kubernetes.io/last-applied-configuration" ||
         key == kRevisionAnnotation || key == kRevisionHistoryAnnotation ||
         key == kDesiredReplicasAnnotation || key == kMaxReplicasAnnotation ||
         key == "deprecated.deployment.rollback.to";
}

// Copies the deployment's annotations (but the controller's own) to the RS.
bool CopyAnnotations(const Json& d, Json& rs) {
  const Json& from = common::GetPath(d, {"metadata", "annotations"});
  if (!from.is_object()) return false;
  Json& to = rs["metadata"]["annotations"];
  if (!to.is_object()) to = Json::object();
  bool changed = false;
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (SkipCopyAnnotation(it.key())) continue;
    if (!to.contains(it.key()) || to[it.key()] != it.value()) {
      to[it.key()] = it.value();
      changed = true;
    }
  }
  return changed;
}

// SetNewReplicaSetAnnotations.
bool SetNewReplicaSetAnnotations(const Json& d, Json& rs, int64_t new_revision, bool exists) {
  bool changed = CopyAnnotations(d, rs);
  Json& ann = rs["metadata"]["annotations"];
  if (!ann.is_object()) ann = Json::object();
  std::string old_text = common::GetString(ann, kRevisionAnnotation);
  bool had = ann.contains(kRevisionAnnotation);
  auto old_rev = common::ParseInt64(old_text);
  if (!old_rev) {
    if (!old_text.empty()) return false;
    old_rev = 0;
  }
  if (*old_rev < new_revision) {
    ann[kRevisionAnnotation] = std::to_string(new_revision);
    changed = true;
    if (had) {
      // Rolling back to this ReplicaSet: remember the revisions it had.
      std::string history = common::GetString(ann, kRevisionHistoryAnnotation);
      if (history.empty()) {
        ann[kRevisionHistoryAnnotation] = old_text;
      } else {
        std::vector<std::string> revs = common::Split(history, ',');
        size_t total = history.size() + old_text.size() + 1;
        size_t start = 0;
        while (total > kMaxRevisionHistoryChars && start < revs.size())
          total -= revs[start++].size() + 1;
        if (total <= kMaxRevisionHistoryChars) {
          std::vector<std::string> kept(revs.begin() + static_cast<long>(start), revs.end());
          kept.push_back(old_text);
          ann[kRevisionHistoryAnnotation] = common::Join(kept, ",");
        }
      }
    }
  }
  if (!exists && SetReplicasAnnotations(rs, SpecReplicas(d), SpecReplicas(d) + MaxSurge(d)))
    changed = true;
  return changed;
}

bool SetDeploymentRevision(Json& d, const std::string& revision) {
  Json& ann = d["metadata"]["annotations"];
  if (!ann.is_object()) ann = Json::object();
  if (common::GetString(ann, kRevisionAnnotation) == revision && ann.contains(kRevisionAnnotation))
    return false;
  ann[kRevisionAnnotation] = revision;
  return true;
}

// A status with Go's omitempty: zero counts are left out, so statuses that
// mean the same compare equal whatever the server echoes.
void PutCount(Json& status, const char* field, int64_t value) {
  if (value != 0) status[field] = value;
  else status.erase(field);
}

}  // namespace

DeploymentController::DeploymentController(const Options& o)
    : QueueController(kComponent, o.concurrent_deployment_syncs, kMaxRetries) {}

common::Status DeploymentController::Init(ControllerContext& ctx) {
  client_ = &ctx.Client(kComponent);
  recorder_ = &ctx.Recorder(kComponent);
  d_informer_ = &ctx.informers().ForResource(kDeployments);
  rs_informer_ = &ctx.informers().ForResource(kReplicaSets);
  pod_informer_ = &ctx.informers().ForResource(kPods);
  ControllerContext::EnsureIndex(*rs_informer_, common::kControllerUidIndex,
                                 common::IndexByControllerUid);
  ControllerContext::EnsureIndex(*rs_informer_, kOrphanIndex, IndexOrphansByNamespace);
  ControllerContext::EnsureIndex(*rs_informer_, common::kNamespaceIndex, common::IndexByNamespace);
  ControllerContext::EnsureIndex(*d_informer_, common::kNamespaceIndex, common::IndexByNamespace);
  ControllerContext::EnsureIndex(*pod_informer_, common::kControllerUidIndex,
                                 common::IndexByControllerUid);

  common::ResourceEventHandler dh;
  dh.on_add = [this](const ObjectPtr& d) { Enqueue(*d); };
  dh.on_update = [this](const ObjectPtr&, const ObjectPtr& d) { Enqueue(*d); };
  dh.on_delete = [this](const ObjectPtr& d, bool) { Enqueue(*d); };
  d_informer_->AddEventHandler(dh, ctx.options().min_resync);

  common::ResourceEventHandler rh;
  rh.on_add = [this](const ObjectPtr& rs) {
    if (ControllerRefOf(*rs)) EnqueueOwnerOf(*rs);
    else EnqueueMatching(*rs);
  };
  rh.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) { OnReplicaSetUpdate(a, b); };
  rh.on_delete = [this](const ObjectPtr& rs, bool) { EnqueueOwnerOf(*rs); };
  rs_informer_->AddEventHandler(rh);

  common::ResourceEventHandler ph;
  ph.on_delete = [this](const ObjectPtr& pod, bool) { OnPodDelete(pod); };
  pod_informer_->AddEventHandler(ph);
  return common::Status::Ok();
}

void DeploymentController::EnqueueOwnerOf(const Json& rs) {
  const Json* ref = ControllerRefOf(rs);
  if (!ref || common::GetString(*ref, "kind") != "Deployment") return;
  ObjectPtr d = d_informer_->store().Get(Namespace(rs), common::GetString(*ref, "name"));
  if (d && Uid(*d) == common::GetString(*ref, "uid")) Enqueue(*d);
}

void DeploymentController::EnqueueMatching(const Json& rs) {
  const Json& labels = common::GetPath(rs, {"metadata", "labels"});
  for (const auto& d : d_informer_->store().List(Namespace(rs))) {
    auto sel = SpecSelector(*d);
    if (sel.ok() && !sel->Empty() && sel->Matches(labels)) Enqueue(*d);
  }
}

void DeploymentController::OnReplicaSetUpdate(const ObjectPtr& old_rs, const ObjectPtr& cur) {
  if (ResourceVersion(*old_rs) == ResourceVersion(*cur)) return;
  const Json* old_ref = ControllerRefOf(*old_rs);
  const Json* cur_ref = ControllerRefOf(*cur);
  bool ref_changed = (old_ref == nullptr) != (cur_ref == nullptr) ||
                     (old_ref && cur_ref && *old_ref != *cur_ref);
  if (ref_changed && old_ref) EnqueueOwnerOf(*old_rs);
  if (cur_ref) {
    EnqueueOwnerOf(*cur);
    return;
  }
  bool labels_changed = common::GetPath(*old_rs, {"metadata", "labels"}) !=
                        common::GetPath(*cur, {"metadata", "labels"});
  if (labels_changed || ref_changed) EnqueueMatching(*cur);
}

void DeploymentController::OnPodDelete(const ObjectPtr& pod) {
  // A Recreate rollout waits for the old pods to be gone.
  const Json* ref = ControllerRefOf(*pod);
  if (!ref || common::GetString(*ref, "kind") != "ReplicaSet") return;
  ObjectPtr rs = rs_informer_->store().Get(Namespace(*pod), common::GetString(*ref, "name"));
  if (!rs) return;
  const Json* dref = ControllerRefOf(*rs);
  if (!dref) return;
  ObjectPtr d = d_informer_->store().Get(Namespace(*rs), common::GetString(*dref, "name"));
  if (!d || IsRollingUpdate(*d)) return;
  Enqueue(*d);
}

common::Result<RSList> DeploymentController::GetReplicaSetsForDeployment(
    const Json& d, const common::LabelSelector& selector) {
  std::vector<ObjectPtr> candidates =
      rs_informer_->store().ByIndex(common::kControllerUidIndex, Uid(d));
  for (auto& rs : rs_informer_->store().ByIndex(kOrphanIndex, Namespace(d)))
    candidates.push_back(std::move(rs));
  ClaimRequest claim;
  claim.client = client_;
  claim.dependents = kReplicaSets;
  claim.owner = &d;
  claim.controller_ref = MakeControllerRef(d, "apps/v1", "Deployment");
  claim.selector = selector;
  claim.can_adopt = [&]() -> common::Status {
    auto fresh = client_->Get(kDeployments, Namespace(d), Name(d));
    if (!fresh.ok()) return fresh.status();
    if (Uid(*fresh) != Uid(d))
      return common::Status::Conflict("original Deployment " + Namespace(d) + "/" + Name(d) +
                                      " is gone: got uid " + Uid(*fresh) + ", wanted " + Uid(d));
    if (IsDeleting(*fresh))
      return common::Status::Conflict(Namespace(d) + "/" + Name(d) + " has just been deleted");
    return common::Status::Ok();
  };
  ASSIGN_OR_RETURN(auto claimed, ClaimObjects(claim, candidates));
  RSList out;
  out.reserve(claimed.size());
  for (const auto& rs : claimed) out.push_back(std::make_shared<Json>(*rs));
  return out;
}

std::map<std::string, std::vector<ObjectPtr>> DeploymentController::GetPodMap(const RSList& rss) {
  std::map<std::string, std::vector<ObjectPtr>> out;
  for (const auto& rs : rss)
    out[Uid(*rs)] = pod_informer_->store().ByIndex(common::kControllerUidIndex, Uid(*rs));
  return out;
}

common::Status DeploymentController::Sync(const std::string& key) {
  ObjectPtr cached = d_informer_->store().Get(key);
  if (!cached) return common::Status::Ok();  // deleted: the GC removes its ReplicaSets
  Json d = *cached;

  auto selector = SpecSelector(d);
  if (!selector.ok()) {
    recorder_->Event(d, common::kEventTypeWarning, "InvalidSelector",
                     "invalid selector: " + selector.status().message());
    return common::Status::Ok();
  }
  if (selector->Empty()) {
    recorder_->Event(d, common::kEventTypeWarning, "SelectingAll",
                     "This deployment is selecting all pods. A non-empty selector is required.");
    int64_t gen = common::GetInt(d["metadata"], "generation");
    if (StatusInt(d, "observedGeneration") < gen) {
      d["status"]["observedGeneration"] = gen;
      return UpdateStatus(d);
    }
    return common::Status::Ok();
  }

  ASSIGN_OR_RETURN(RSList rss, GetReplicaSetsForDeployment(d, *selector));

  if (IsDeleting(d)) {
    ASSIGN_OR_RETURN(auto all, GetAllReplicaSetsAndSyncRevision(d, rss, false));
    RSList every = all.second;
    if (all.first) every.push_back(all.first);
    return SyncDeploymentStatus(every, all.first, d);
  }
  RETURN_IF_ERROR(CheckPausedConditions(d));
  if (common::GetBool(d["spec"], "paused")) return SyncScale(d, rss);
  {
    // A scaling event (spec.replicas changed) is handled by proportional
    // scaling, not by a rollout step.
    ASSIGN_OR_RETURN(auto all, GetAllReplicaSetsAndSyncRevision(d, rss, false));
    RSList every = all.second;
    if (all.first) every.push_back(all.first);
    if (IsScalingEvent(d, every)) return SyncScale(d, rss);
  }
  if (IsRollingUpdate(d)) return RolloutRolling(d, rss);
  return RolloutRecreate(d, rss, GetPodMap(rss));
}

common::Result<std::pair<RS, RSList>> DeploymentController::GetAllReplicaSetsAndSyncRevision(
    Json& d, const RSList& rss, bool create) {
  RS existing = FindNewReplicaSet(d, rss);
  RSList old = FindOldReplicaSets(d, rss, existing);
  ASSIGN_OR_RETURN(RS new_rs, GetNewReplicaSet(d, rss, old, create));
  return std::make_pair(new_rs, old);
}

common::Result<RS> DeploymentController::GetNewReplicaSet(Json& d, const RSList& rss,
                                                          const RSList& old_rss, bool create) {
  RS existing = FindNewReplicaSet(d, rss);
  int64_t new_revision = MaxRevision(old_rss) + 1;

  if (existing) {
    Json copy = *existing;
    bool annotations_changed = SetNewReplicaSetAnnotations(d, copy, new_revision, true);
    int64_t mrs = common::GetInt(d["spec"], "minReadySeconds");
    bool mrs_changed = common::GetInt(copy["spec"], "minReadySeconds") != mrs;
    if (annotations_changed || mrs_changed) {
      copy["spec"]["minReadySeconds"] = mrs;
      *existing = std::move(copy);
      RETURN_IF_ERROR(UpdateReplicaSet(existing));
      return existing;
    }
    // The deployment carries the revision of its new ReplicaSet.
    bool needs_update = SetDeploymentRevision(
        d, common::GetString(common::GetPath(*existing, {"metadata", "annotations"}),
                             kRevisionAnnotation));
    if (needs_update) RETURN_IF_ERROR(Update(d));
    if (HasProgressDeadline(d) && !FindCondition(d["status"], "Progressing")) {
      SetDeploymentCondition(d["status"], NewCondition("Progressing", "True", kFoundNewRSReason,
                                                       "Found new replica set \"" +
                                                           Name(*existing) + "\""));
      RETURN_IF_ERROR(UpdateStatus(d));
    }
    return existing;
  }
  if (!create) return RS();

  // A new ReplicaSet: the template with the pod-template-hash label added to
  // its labels and to the selector; named after the hash so creation is
  // idempotent.
  Json tmpl = d["spec"]["template"];
  const Json& cc = common::GetPath(d, {"status", "collisionCount"});
  std::string hash = ComputeHash(tmpl, cc.is_number_integer() ? std::optional<int64_t>(cc.get<int64_t>())
                                                              : std::nullopt);
  tmpl["metadata"]["labels"][kPodTemplateHashLabel] = hash;
  Json selector = d["spec"]["selector"];
  selector["matchLabels"][kPodTemplateHashLabel] = hash;
  Json rs = {{"apiVersion", "apps/v1"},
             {"kind", "ReplicaSet"},
             {"metadata",
              {{"name", Name(d) + "-" + hash},
               {"namespace", Namespace(d)},
               {"ownerReferences", Json::array({MakeControllerRef(d, "apps/v1", "Deployment")})},
               {"labels", tmpl["metadata"]["labels"]}}},
             {"spec",
              {{"replicas", 0},
               {"minReadySeconds", common::GetInt(d["spec"], "minReadySeconds")},
               {"selector", selector},
               {"template", tmpl}}}};
  RS candidate = std::make_shared<Json>(rs);
  RSList all = old_rss;
  all.push_back(candidate);
  ASSIGN_OR_RETURN(int64_t replicas, NewRSNewReplicas(d, all, candidate));
  rs["spec"]["replicas"] = replicas;
  SetNewReplicaSetAnnotations(d, rs, new_revision, false);

  bool already_exists = false;
  RS created;
  auto r = client_->Create(kReplicaSets, Namespace(d), rs);
  if (r.ok()) {
    created = std::make_shared<Json>(std::move(*r));
  } else if (r.status().IsAlreadyExists()) {
    // A slow cache, or a hash collision.
    already_exists = true;
    auto found = client_->Get(kReplicaSets, Namespace(d), Name(rs));
    if (!found.ok()) return found.status();
    const Json* ref = ControllerRefOf(*found);
    if (ref && common::GetString(*ref, "uid") == Uid(d) &&
        EqualIgnoreHash(d["spec"]["template"], (*found)["spec"]["template"])) {
      created = std::make_shared<Json>(std::move(*found));
    } else {
      int64_t count = cc.is_number_integer() ? cc.get<int64_t>() : 0;
      d["status"]["collisionCount"] = count + 1;
      if (UpdateStatus(d).ok())
        VLOG(2, "hash collision, bumping collisionCount", {"deployment", Namespace(d) + "/" + Name(d)},
             {"collisionCount", count + 1});
      return r.status();
    }
  } else {
    std::string msg =
        "Failed to create new replica set \"" + Name(rs) + "\": " + r.status().message();
    if (HasProgressDeadline(d)) {
      SetDeploymentCondition(d["status"],
                             NewCondition("Progressing", "False", kFailedRSCreateReason, msg));
      (void)UpdateStatus(d);
    }
    recorder_->Event(d, common::kEventTypeWarning, kFailedRSCreateReason, msg);
    return r.status();
  }
  if (!already_exists && replicas > 0)
    recorder_->Event(d, common::kEventTypeNormal, "ScalingReplicaSet",
                     "Scaled up replica set " + Name(*created) + " from 0 to " +
                         std::to_string(replicas));
  if (SetDeploymentRevision(d, std::to_string(new_revision))) RETURN_IF_ERROR(Update(d));
  if (!already_exists && HasProgressDeadline(d)) {
    SetDeploymentCondition(d["status"],
                           NewCondition("Progressing", "True", kNewRSReason,
                                        "Created new replica set \"" + Name(*created) + "\""));
    RETURN_IF_ERROR(UpdateStatus(d));
  }
  return created;
}

common::Result<bool> DeploymentController::ScaleReplicaSetAndRecordEvent(RS& rs, int64_t scale,
                                                                        const Json& d) {
  if (Replicas(*rs) == scale) return false;
  return ScaleReplicaSet(rs, scale, d, Replicas(*rs) < scale ? "up" : "down");
}

common::Result<bool> DeploymentController::ScaleReplicaSet(RS& rs, int64_t scale, const Json& d,
                                                          const std::string& operation) {
  int64_t old_scale = Replicas(*rs);
  bool size_changed = old_scale != scale;
  Json copy = *rs;
  bool annotations_changed =
      SetReplicasAnnotations(copy, SpecReplicas(d), SpecReplicas(d) + MaxSurge(d));
  if (!size_changed && !annotations_changed) return false;
  copy["spec"]["replicas"] = scale;
  RS updated = std::make_shared<Json>(std::move(copy));
  RETURN_IF_ERROR(UpdateReplicaSet(updated));
  *rs = *updated;
  if (!size_changed) return false;
  std::string op = operation.empty() ? (old_scale < scale ? "up" : "down") : operation;
  recorder_->Event(d, common::kEventTypeNormal, "ScalingReplicaSet",
                   "Scaled " + op + " replica set " + Name(*rs) + " from " +
                       std::to_string(old_scale) + " to " + std::to_string(scale));
  return true;
}

Json DeploymentController::CalculateStatus(const RSList& all, const RS& new_rs, const Json& d) {
  Json status = common::Get(d, "status").is_object() ? d["status"] : Json::object();
  int64_t available = SumStatus(all, "availableReplicas");
  int64_t total = SumSpecReplicas(all);
  PutCount(status, "observedGeneration", common::GetInt(d["metadata"], "generation"));
  PutCount(status, "replicas", SumStatus(all, "replicas"));
  PutCount(status, "updatedReplicas", new_rs ? StatusInt(*new_rs, "replicas") : 0);
  PutCount(status, "readyReplicas", SumStatus(all, "readyReplicas"));
  PutCount(status, "availableReplicas", available);
  PutCount(status, "unavailableReplicas", std::max<int64_t>(total - available, 0));
  if (available >= SpecReplicas(d) - MaxUnavailable(d))
    SetDeploymentCondition(status, NewCondition("Available", "True", kMinimumReplicasAvailable,
                                                "Deployment has minimum availability."));
  else
    SetDeploymentCondition(status, NewCondition("Available", "False", kMinimumReplicasUnavailable,
                                                "Deployment does not have minimum availability."));
  return status;
}

common::Status DeploymentController::SyncDeploymentStatus(const RSList& all, const RS& new_rs,
                                                          Json& d) {
  Json status = CalculateStatus(all, new_rs, d);
  if (SemanticEqual(status, common::Get(d, "status"))) return common::Status::Ok();
  d["status"] = std::move(status);
  return UpdateStatus(d);
}

common::Status DeploymentController::SyncRolloutStatus(const RSList& all, const RS& new_rs,
                                                       Json& d) {
  Json status = CalculateStatus(all, new_rs, d);
  if (!HasProgressDeadline(d)) RemoveCondition(status, "Progressing");
  const Json* cur = FindCondition(common::Get(d, "status"), "Progressing");
  bool complete_before = common::GetInt(status, "replicas") ==
                             common::GetInt(status, "updatedReplicas") &&
                         cur && common::GetString(*cur, "reason") == kNewRSAvailableReason;
  if (HasProgressDeadline(d) && !complete_before) {
    std::string subject = new_rs ? "ReplicaSet \"" + Name(*new_rs) + "\""
                                 : "Deployment \"" + Name(d) + "\"";
    if (DeploymentComplete(d, status)) {
      SetDeploymentCondition(status, NewCondition("Progressing", "True", kNewRSAvailableReason,
                                                  subject + " has successfully progressed."));
    } else if (DeploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even with the same reason.
      Json c = NewCondition("Progressing", "True", kRSUpdatedReason, subject + " is progressing.");
      if (cur) {
        if (common::GetString(*cur, "status") == "True")
          c["lastTransitionTime"] = (*cur)["lastTransitionTime"];
        RemoveCondition(status, "Progressing");
      }
      SetDeploymentCondition(status, std::move(c));
    } else if (DeploymentTimedOut(d, status, common::Clock::now())) {
      SetDeploymentCondition(status, NewCondition("Progressing", "False", kTimedOutReason,
                                                  subject + " has timed out progressing."));
    }
  }
  // Copy a ReplicaFailure condition up from the ReplicaSets (new one first).
  RSList order;
  if (new_rs) order.push_back(new_rs);
  for (const auto& rs : all)
    if (rs && rs != new_rs) order.push_back(rs);
  const Json* failure = nullptr;
  for (const auto& rs : order)
    if ((failure = FindCondition(common::Get(*rs, "status"), "ReplicaFailure"))) break;
  if (failure) {
    Json c = *failure;
    c["lastUpdateTime"] = common::Get(*failure, "lastTransitionTime");
    SetDeploymentCondition(status, std::move(c));
  } else {
    RemoveCondition(status, "ReplicaFailure");
  }
  if (SemanticEqual(status, common::Get(d, "status"))) {
    RequeueStuckDeployment(d, status);
    return common::Status::Ok();
  }
  d["status"] = std::move(status);
  return UpdateStatus(d);
}

void DeploymentController::RequeueStuckDeployment(const Json& d, const Json& new_status) {
  const Json* cur = FindCondition(common::Get(d, "status"), "Progressing");
  if (!HasProgressDeadline(d) || !cur) return;
  if (DeploymentComplete(d, new_status) || common::GetString(*cur, "reason") == kTimedOutReason)
    return;
  auto last = TimeAt(*cur, "lastUpdateTime");
  if (!last) return;
  auto deadline = *last + std::chrono::seconds(
                              common::GetInt(common::Get(d, "spec"), "progressDeadlineSeconds", 600));
  auto after = deadline - common::Clock::now();
  std::string key = common::MetaNamespaceKey(d);
  if (after < std::chrono::seconds(1)) queue().AddRateLimited(key);
  else queue().AddAfter(key, after + std::chrono::seconds(1));
}

common::Status DeploymentController::CheckPausedConditions(Json& d) {
  if (!HasProgressDeadline(d)) return common::Status::Ok();
  const Json* cond = FindCondition(common::Get(d, "status"), "Progressing");
  if (cond && common::GetString(*cond, "reason") == kTimedOutReason) return common::Status::Ok();
  bool paused = common::GetBool(d["spec"], "paused");
  bool paused_cond = cond && common::GetString(*cond, "reason") == kPausedReason;
  if (paused && !paused_cond) {
    SetDeploymentCondition(d["status"], NewCondition("Progressing", "Unknown", kPausedReason,
                                                     "Deployment is paused"));
  } else if (!paused && paused_cond) {
    SetDeploymentCondition(d["status"], NewCondition("Progressing", "Unknown", kResumedReason,
                                                     "Deployment is resumed"));
  } else {
    return common::Status::Ok();
  }
  return UpdateStatus(d);
}

common::Status DeploymentController::CleanupDeployment(const RSList& old_rss, const Json& d) {
  const Json& limit_v = common::GetPath(d, {"spec", "revisionHistoryLimit"});
  if (!limit_v.is_number_integer()) return common::Status::Ok();
  RSList cleanable;
  for (const auto& rs : old_rss)
    if (rs && !IsDeleting(*rs)) cleanable.push_back(rs);
  int64_t diff = static_cast<int64_t>(cleanable.size()) - limit_v.get<int64_t>();
  if (diff <= 0) return common::Status::Ok();
  // Oldest revision first (ReplicaSetsByRevision).
  SortByCreation(cleanable);
  std::stable_sort(cleanable.begin(), cleanable.end(),
                   [](const RS& a, const RS& b) { return Revision(*a) < Revision(*b); });
  for (int64_t i = 0; i < diff; ++i) {
    const Json& rs = *cleanable[static_cast<size_t>(i)];
    if (StatusInt(rs, "replicas") != 0 || Replicas(rs) != 0 ||
        common::GetInt(rs["metadata"], "generation") > StatusInt(rs, "observedGeneration") ||
        IsDeleting(rs))
      continue;
    auto r = client_->Delete(kReplicaSets, Namespace(rs), Name(rs));
    if (!r.ok() && !r.status().IsNotFound()) return r.status();
  }
  return common::Status::Ok();
}

common::Status DeploymentController::UpdateStatus(Json& d) {
  auto r = client_->UpdateStatus(kDeployments, Namespace(d), d);
  if (!r.ok()) return r.status();
  d = std::move(*r);
  return common::Status::Ok();
}

common::Status DeploymentController::Update(Json& d) {
  // The main resource ignores status: keep ours across the write.
  Json status = common::Get(d, "status");
  auto r = client_->Update(kDeployments, Namespace(d), d);
  if (!r.ok()) return r.status();
  d = std::move(*r);
  if (!status.is_null()) d["status"] = std::move(status);
  return common::Status::Ok();
}

common::Status DeploymentController::UpdateReplicaSet(RS& rs) {
  auto r = client_->Update(kReplicaSets, Namespace(*rs), *rs);
  if (!r.ok()) return r.status();
  *rs = std::move(*r);
  return common::Status::Ok();
}

}  // namespace reconcile::deployment

namespace reconcile {
std::unique_ptr<Controller> NewDeploymentController(const Options& o) {
  return std::make_unique<deployment::DeploymentController>(o);
}
}  // namespace reconcile
