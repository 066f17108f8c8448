// The ReplicaSet controller (pkg/controller/replicaset): keeps
// spec.replicas pods matching each ReplicaSet's selector, with expectations,
// slow-start batches, upstream's deletion ranking, adoption and release, and
// status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
// observedGeneration, the ReplicaFailure condition).
#include <algorithm>

#include "common/expectations.h"
#include "common/log.h"
#include "common/thread_pool.h"
#include "controllers.h"
#include "pod_control.h"
#include "ref_manager.h"

namespace reconcile {
namespace {

// replica_set.go: at most this many creates or deletes per sync.
constexpr int kBurstReplicas = 500;
constexpr char kComponent[] = "replicaset-controller";

class ReplicaSetController : public QueueController {
 public:
  explicit ReplicaSetController(const Options& o)
      : QueueController(kComponent, o.concurrent_replicaset_syncs),
        pool_(std::max(16, 4 * o.concurrent_replicaset_syncs), "rs-api") {}
  ~ReplicaSetController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    recorder_ = &ctx.Recorder(kComponent);
    rs_informer_ = &ctx.informers().ForResource(kReplicaSets);
    pod_informer_ = &ctx.informers().ForResource(kPods);
    ControllerContext::EnsureIndex(*pod_informer_, common::kControllerUidIndex,
                                   common::IndexByControllerUid);
    ControllerContext::EnsureIndex(*pod_informer_, kOrphanIndex, IndexOrphansByNamespace);
    ControllerContext::EnsureIndex(*rs_informer_, common::kControllerUidIndex,
                                   common::IndexByControllerUid);
    ControllerContext::EnsureIndex(*rs_informer_, common::kNamespaceIndex,
                                   common::IndexByNamespace);

    common::ResourceEventHandler rs;
    rs.on_add = [this](const ObjectPtr& o) { Enqueue(*o); };
    rs.on_update = [this](const ObjectPtr&, const ObjectPtr& o) { Enqueue(*o); };
    rs.on_delete = [this](const ObjectPtr& o, bool) {
      expectations_.Delete(common::MetaNamespaceKey(*o));
      Enqueue(*o);
    };
    rs_informer_->AddEventHandler(rs, ctx.options().min_resync);

    common::ResourceEventHandler pod;
    pod.on_add = [this](const ObjectPtr& p) { AddPod(p); };
    pod.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) { UpdatePod(a, b); };
    pod.on_delete = [this](const ObjectPtr& p, bool) { DeletePod(p); };
    pod_informer_->AddEventHandler(pod);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  // The ReplicaSet that controls `pod`, if it is in the cache.
  ObjectPtr ControllerOf(const Json& pod) {
    const Json* ref = ControllerRefOf(pod);
    if (!ref || common::GetString(*ref, "kind") != "ReplicaSet") return nullptr;
    ObjectPtr rs = rs_informer_->store().Get(Namespace(pod), common::GetString(*ref, "name"));
    if (!rs || Uid(*rs) != common::GetString(*ref, "uid")) return nullptr;
    return rs;
  }
  // ReplicaSets in the pod's namespace whose selector matches it (for orphans).
  void EnqueueMatching(const Json& pod) {
    const Json& labels = common::GetPath(pod, {"metadata", "labels"});
    for (const auto& rs : rs_informer_->store().List(Namespace(pod))) {
      auto sel = SpecSelector(*rs);
      if (sel.ok() && !sel->Empty() && sel->Matches(labels)) Enqueue(*rs);
    }
  }
  void AddPod(const ObjectPtr& pod) {
    if (IsDeleting(*pod)) {
      DeletePod(pod);
      return;
    }
    if (ControllerRefOf(*pod)) {
      if (ObjectPtr rs = ControllerOf(*pod)) {
        std::string key = common::MetaNamespaceKey(*rs);
        expectations_.CreationObserved(key);
        EnqueueKey(key);
      }
      return;
    }
    EnqueueMatching(*pod);
  }
  void UpdatePod(const ObjectPtr& old_pod, const ObjectPtr& cur) {
    if (ResourceVersion(*old_pod) == ResourceVersion(*cur)) return;  // a resync
    bool labels_changed = common::GetPath(*old_pod, {"metadata", "labels"}) !=
                          common::GetPath(*cur, {"metadata", "labels"});
    if (IsDeleting(*cur)) {
      DeletePod(cur);
      if (labels_changed) DeletePod(old_pod);
      return;
    }
    const Json* old_ref = ControllerRefOf(*old_pod);
    const Json* cur_ref = ControllerRefOf(*cur);
    bool ref_changed = (old_ref == nullptr) != (cur_ref == nullptr) ||
                       (old_ref && cur_ref && *old_ref != *cur_ref);
    if (ref_changed && old_ref)
      if (ObjectPtr rs = ControllerOf(*old_pod)) Enqueue(*rs);
    if (cur_ref) {
      if (ObjectPtr rs = ControllerOf(*cur)) {
        Enqueue(*rs);
        // A pod that just became ready becomes available minReadySeconds later.
        int64_t mrs = common::GetInt(common::Get(*rs, "spec"), "minReadySeconds");
        if (mrs > 0 && !IsPodReady(*old_pod) && IsPodReady(*cur))
          queue().AddAfter(common::MetaNamespaceKey(*rs), std::chrono::seconds(mrs + 1));
      }
      return;
    }
    if (labels_changed || ref_changed) EnqueueMatching(*cur);
  }
  void DeletePod(const ObjectPtr& pod) {
    if (ObjectPtr rs = ControllerOf(*pod)) {
      std::string key = common::MetaNamespaceKey(*rs);
      expectations_.DeletionObserved(key, common::MetaNamespaceKey(*pod));
      EnqueueKey(key);
    }
  }

  common::Status ManageReplicas(const std::vector<ObjectPtr>& pods, const Json& rs,
                                const std::string& key);
  Json CalculateStatus(const Json& rs, const std::vector<ObjectPtr>& pods,
                       const common::Status& manage_error);

  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* rs_informer_ = nullptr;
  common::Informer* pod_informer_ = nullptr;
  common::ControllerExpectations expectations_;
  common::ThreadPool pool_;
};

common::Status ReplicaSetController::Sync(const std::string& key) {
  ObjectPtr rs_ptr = rs_informer_->store().Get(key);
  if (!rs_ptr) {
    expectations_.Delete(key);
    return common::Status::Ok();
  }
  const Json& rs = *rs_ptr;
  bool needs_sync = expectations_.Satisfied(key);
  auto selector = SpecSelector(rs);
  if (!selector.ok()) {
    // Retrying cannot fix a bad selector; say why and wait for an update.
    recorder_->Event(rs, common::kEventTypeWarning, "InvalidSelector",
                     "invalid selector: " + selector.status().message());
    return common::Status::Ok();
  }

  std::vector<ObjectPtr> candidates = pod_informer_->store().ByIndex(common::kControllerUidIndex,
                                                                     Uid(rs));
  for (auto& p : pod_informer_->store().ByIndex(kOrphanIndex, Namespace(rs)))
    candidates.push_back(std::move(p));
  std::erase_if(candidates, [](const ObjectPtr& p) { return !IsPodActive(*p); });

  ClaimRequest claim;
  claim.client = client_;
  claim.dependents = kPods;
  claim.owner = &rs;
  claim.controller_ref = MakeControllerRef(rs, "apps/v1", "ReplicaSet");
  claim.selector = *selector;
  claim.can_adopt = [&]() -> common::Status {
    auto fresh = client_->Get(kReplicaSets, Namespace(rs), Name(rs));
    if (!fresh.ok()) return fresh.status();
    if (Uid(*fresh) != Uid(rs))
      return common::Status::Conflict("original ReplicaSet " + key + " is gone: got uid " +
                                      Uid(*fresh) + ", wanted " + Uid(rs));
    if (IsDeleting(*fresh))
      return common::Status::Conflict(key + " has just been deleted at " +
                                      common::GetString((*fresh)["metadata"], "deletionTimestamp"));
    return common::Status::Ok();
  };
  ASSIGN_OR_RETURN(std::vector<ObjectPtr> pods, ClaimObjects(claim, candidates));

  common::Status manage_error;
  if (needs_sync && !IsDeleting(rs)) manage_error = ManageReplicas(pods, rs, key);

  Json status = CalculateStatus(rs, pods, manage_error);
  const Json& old_status = common::Get(rs, "status");
  bool changed = false;
  for (const char* f : {"replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas",
                        "observedGeneration"})
    changed |= common::GetInt(old_status, f) != common::GetInt(status, f);
  changed |= common::Get(old_status, "conditions") != common::Get(status, "conditions");
  if (changed) {
    Json next = rs;
    next["status"] = status;
    auto r = client_->UpdateStatus(kReplicaSets, Namespace(rs), next);
    if (!r.ok() && r.status().IsConflict()) {
      // statusUpdateRetries = 1: once more against a fresh copy.
      auto fresh = client_->Get(kReplicaSets, Namespace(rs), Name(rs));
      if (fresh.ok()) {
        (*fresh)["status"] = status;
        r = client_->UpdateStatus(kReplicaSets, Namespace(rs), *fresh);
      }
    }
    if (!r.ok() && !r.status().IsNotFound()) return r.status();
  }
  int64_t replicas = SpecReplicas(rs);
  int64_t min_ready = common::GetInt(common::Get(rs, "spec"), "minReadySeconds");
  if (manage_error.ok() && min_ready > 0 && common::GetInt(status, "readyReplicas") == replicas &&
      common::GetInt(status, "availableReplicas") != replicas)
    queue().AddAfter(key, std::chrono::seconds(min_ready));
  return manage_error;
}

common::Status ReplicaSetController::ManageReplicas(const std::vector<ObjectPtr>& pods,
                                                    const Json& rs, const std::string& key) {
  int64_t diff = static_cast<int64_t>(pods.size()) - SpecReplicas(rs);
  if (diff < 0) {
    int n = static_cast<int>(std::min<int64_t>(-diff, kBurstReplicas));
    expectations_.ExpectCreations(key, n);
    Json ref = MakeControllerRef(rs, "apps/v1", "ReplicaSet");
    Json pod = PodFromTemplate(common::GetPath(rs, {"spec", "template"}), rs, ref);
    auto result = SlowStartBatch(pool_, n, 1, [&](int) -> common::Status {
      auto created = client_->Create(kPods, Namespace(rs), pod);
      if (!created.ok()) {
        recorder_->Event(rs, common::kEventTypeWarning, "FailedCreate",
                         "Error creating: " + created.status().message());
        return created.status();
      }
      recorder_->Event(rs, common::kEventTypeNormal, "SuccessfulCreate",
                       "Created pod: " + Name(*created));
      return common::Status::Ok();
    });
    // Creates that failed or were never tried will not be observed.
    for (int skipped = n - result.successes; skipped > 0; --skipped)
      expectations_.CreationObserved(key);
    return result.error;
  }
  if (diff > 0) {
    size_t n = static_cast<size_t>(std::min<int64_t>(diff, kBurstReplicas));
    // Pods of sibling ReplicaSets (same Deployment) count for "doubled up".
    std::vector<ObjectPtr> related;
    if (const Json* owner = ControllerRefOf(rs)) {
      for (const auto& sibling : rs_informer_->store().ByIndex(common::kControllerUidIndex,
                                                               common::GetString(*owner, "uid")))
        for (auto& p : pod_informer_->store().ByIndex(common::kControllerUidIndex, Uid(*sibling)))
          related.push_back(std::move(p));
    } else {
      related = pods;
    }
    auto victims = PodsToDelete(pods, related, n, common::Clock::now());
    std::vector<std::string> keys;
    for (const auto& p : victims) keys.push_back(common::MetaNamespaceKey(*p));
    expectations_.ExpectDeletions(key, keys);
    auto statuses = RunParallel(pool_, static_cast<int>(victims.size()), [&](int i) {
      const Json& p = *victims[static_cast<size_t>(i)];
      auto r = client_->Delete(kPods, Namespace(p), Name(p));
      if (!r.ok()) {
        // It will not be observed: stop waiting for it.
        expectations_.DeletionObserved(key, keys[static_cast<size_t>(i)]);
        if (r.status().IsNotFound()) return common::Status::Ok();
        recorder_->Event(rs, common::kEventTypeWarning, "FailedDelete",
                         "Error deleting: " + r.status().message());
        return r.status();
      }
      recorder_->Event(rs, common::kEventTypeNormal, "SuccessfulDelete",
                       "Deleted pod: " + Name(p));
      return common::Status::Ok();
    });
    for (auto& st : statuses)
      if (!st.ok()) return st;
  }
  return common::Status::Ok();
}

Json ReplicaSetController::CalculateStatus(const Json& rs, const std::vector<ObjectPtr>& pods,
                                           const common::Status& manage_error) {
  Json status = common::Get(rs, "status").is_object() ? rs["status"] : Json::object();
  auto template_labels = common::LabelSelector::FromMap(
      common::LabelsFromJson(common::GetPath(rs, {"spec", "template", "metadata", "labels"})));
  int64_t min_ready = common::GetInt(common::Get(rs, "spec"), "minReadySeconds");
  auto now = common::Clock::now();
  int64_t fully = 0, ready = 0, available = 0;
  for (const auto& p : pods) {
    if (template_labels.Matches(common::GetPath(*p, {"metadata", "labels"}))) ++fully;
    if (IsPodReady(*p)) {
      ++ready;
      if (IsPodAvailable(*p, min_ready, now)) ++available;
    }
  }
  status["replicas"] = static_cast<int64_t>(pods.size());
  status["fullyLabeledReplicas"] = fully;
  status["readyReplicas"] = ready;
  status["availableReplicas"] = available;
  status["observedGeneration"] = common::GetInt(common::Get(rs, "metadata"), "generation");
  const Json* failure = FindCondition(status, "ReplicaFailure");
  if (!manage_error.ok() && !failure) {
    bool creating = static_cast<int64_t>(pods.size()) < SpecReplicas(rs);
    SetCondition(status, Json{{"type", "ReplicaFailure"},
                              {"status", "True"},
                              {"lastTransitionTime", NowText()},
                              {"reason", creating ? "FailedCreate" : "FailedDelete"},
                              {"message", manage_error.message()}});
  } else if (manage_error.ok() && failure) {
    RemoveCondition(status, "ReplicaFailure");
  }
  if (status.contains("conditions") && status["conditions"].empty()) status.erase("conditions");
  return status;
}

}  // namespace

std::unique_ptr<Controller> NewReplicaSetController(const Options& o) {
  return std::make_unique<ReplicaSetController>(o);
}

}  // namespace reconcile
