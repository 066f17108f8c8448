// The StatefulSet controller (pkg/controller/statefulset): pods with stable
// names <set>-<ordinal>, hostnames under spec.serviceName, and claims from
// volumeClaimTemplates; created in order and each Running and Ready before
// the next (OrderedReady) or all at once (Parallel); removed from the
// highest ordinal down; rolling updates from the highest ordinal down to
// the partition, one pod at a time.
#include <algorithm>
#include <map>

#include "common/log.h"
#include "common/strings.h"
#include "controllers.h"
#include "revisions.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "statefulset-controller";
constexpr char kPodNameLabel[] = "statefulset.kubernetes.io/pod-name";
constexpr char kPodIndexLabel[] = "apps.kubernetes.io/pod-index";

// "web-3" -> 3 for set "web"; nullopt for other names.
std::optional<int64_t> OrdinalOf(const std::string& set, const std::string& pod) {
  if (pod.size() <= set.size() + 1 || pod.compare(0, set.size(), set) != 0 || pod[set.size()] != '-')
    return std::nullopt;
  return common::ParseInt64(std::string_view(pod).substr(set.size() + 1));
}

bool RunningAndReady(const Json& pod) {
  return common::GetString(common::Get(pod, "status"), "phase") == "Running" && IsPodReady(pod);
}

class StatefulSetController : public QueueController {
 public:
  explicit StatefulSetController(const Options& o) : QueueController(kComponent, o.concurrent_statefulset_syncs) {}
  ~StatefulSetController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    recorder_ = &ctx.Recorder(kComponent);
    sets_ = &ctx.informers().ForResource(kStatefulSets);
    pods_ = &ctx.informers().ForResource(kPods);
    revisions_ = &ctx.informers().ForResource(kControllerRevisions);
    ControllerContext::EnsureIndex(*pods_, common::kControllerUidIndex, common::IndexByControllerUid);
    ControllerContext::EnsureIndex(*revisions_, common::kControllerUidIndex, common::IndexByControllerUid);
    common::ResourceEventHandler sh;
    sh.on_add = [this](const ObjectPtr& s) { Enqueue(*s); };
    sh.on_update = [this](const ObjectPtr&, const ObjectPtr& s) { Enqueue(*s); };
    sets_->AddEventHandler(sh, ctx.options().min_resync);
    common::ResourceEventHandler ph;
    auto owner = [this](const ObjectPtr& p) {
      const Json* ref = ControllerRefOf(*p);
      if (ref && common::GetString(*ref, "kind") == "StatefulSet")
        EnqueueKey(common::MetaNamespaceKey(Namespace(*p), common::GetString(*ref, "name")));
    };
    ph.on_add = owner;
    ph.on_update = [owner](const ObjectPtr& a, const ObjectPtr& b) {
      if (ResourceVersion(*a) != ResourceVersion(*b)) owner(b);
    };
    ph.on_delete = [owner](const ObjectPtr& p, bool) { owner(p); };
    pods_->AddEventHandler(ph);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  Json NewPod(const Json& set, const Json& tmpl, const std::string& hash, int64_t ordinal);
  common::Status EnsureClaims(const Json& set, const Json& pod);

  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* sets_ = nullptr;
  common::Informer* pods_ = nullptr;
  common::Informer* revisions_ = nullptr;
};

Json StatefulSetPodTemplate(const Json& set) { return common::GetPath(set, {"spec", "template"}); }

Json StatefulSetController::NewPod(const Json& set, const Json& tmpl, const std::string& hash, int64_t ordinal) {
  std::string name = Name(set) + "-" + std::to_string(ordinal);
  Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  Json md = Json::object();
  md["name"] = name;
  md["namespace"] = Namespace(set);
  const Json& tmd = common::Get(tmpl, "metadata");
  md["labels"] = common::Get(tmd, "labels").is_object() ? tmd["labels"] : Json::object();
  if (common::Get(tmd, "annotations").is_object()) md["annotations"] = tmd["annotations"];
  md["labels"][kPodNameLabel] = name;
  md["labels"][kPodIndexLabel] = std::to_string(ordinal);
  md["labels"][kRevisionHashLabel] = hash;
  md["ownerReferences"] = Json::array({MakeControllerRef(set, "apps/v1", "StatefulSet")});
  pod["metadata"] = std::move(md);
  pod["spec"] = common::Get(tmpl, "spec");
  pod["spec"]["hostname"] = name;
  std::string service = common::GetString(common::Get(set, "spec"), "serviceName");
  if (!service.empty()) pod["spec"]["subdomain"] = service;
  // Volumes from the claim templates: "<template>-<pod>".
  for (const auto& ct : common::GetPath(set, {"spec", "volumeClaimTemplates"})) {
    std::string vol = Name(ct);
    Json& vols = pod["spec"]["volumes"];
    if (!vols.is_array()) vols = Json::array();
    for (auto it = vols.begin(); it != vols.end();)
      it = common::GetString(*it, "name") == vol ? vols.erase(it) : std::next(it);
    vols.push_back({{"name", vol}, {"persistentVolumeClaim", {{"claimName", vol + "-" + name}}}});
  }
  return pod;
}

common::Status StatefulSetController::EnsureClaims(const Json& set, const Json& pod) {
  for (const auto& ct : common::GetPath(set, {"spec", "volumeClaimTemplates"})) {
    std::string claim = Name(ct) + "-" + Name(pod);
    if (client_->Get(kPersistentVolumeClaims, Namespace(set), claim).ok()) continue;
    Json pvc = {{"apiVersion", "v1"}, {"kind", "PersistentVolumeClaim"}, {"spec", common::Get(ct, "spec")}};
    pvc["metadata"] = {{"name", claim}, {"namespace", Namespace(set)}};
    const Json& ml = common::GetPath(set, {"spec", "selector", "matchLabels"});
    if (ml.is_object()) pvc["metadata"]["labels"] = ml;
    auto r = client_->Create(kPersistentVolumeClaims, Namespace(set), pvc);
    if (!r.ok() && !r.status().IsAlreadyExists()) {
      recorder_->Event(set, common::kEventTypeWarning, "FailedCreate",
                       "create Claim " + claim + " for Pod " + Name(pod) + " in StatefulSet " + Name(set) +
                           " failed error: " + r.status().message());
      return r.status();
    }
    recorder_->Event(set, common::kEventTypeNormal, "SuccessfulCreate",
                     "create Claim " + claim + " Pod " + Name(pod) + " in StatefulSet " + Name(set) + " success");
  }
  return common::Status::Ok();
}

common::Status StatefulSetController::Sync(const std::string& key) {
  ObjectPtr cached = sets_->store().Get(key);
  if (!cached || IsDeleting(*cached)) return common::Status::Ok();
  const Json& set = *cached;
  auto [ns, name] = common::SplitMetaNamespaceKey(key);
  const Json& spec = set["spec"];
  auto revs = revisions_->store().ByIndex(common::kControllerUidIndex, Uid(set));
  ASSIGN_OR_RETURN(CurrentRevision update, EnsureRevision(*client_, set, "StatefulSet", revs));
  std::string current_rev = common::GetString(common::Get(set, "status"), "currentRevision");
  if (current_rev.empty()) current_rev = update.name;
  // The current revision's hash and template (pods below the partition keep it).
  std::string current_hash = update.hash;
  Json current_tmpl = StatefulSetPodTemplate(set);
  for (const auto& r : revs)
    if (Name(*r) == current_rev) {
      current_hash = common::GetString(common::GetPath(*r, {"metadata", "labels"}), kRevisionHashLabel);
      Json t = common::GetPath(*r, {"data", "spec", "template"});
      if (t.is_object()) {
        t.erase("$patch");
        current_tmpl = t;
      }
    }

  int64_t replicas = SpecReplicas(set);
  int64_t start = common::GetInt(common::Get(spec, "ordinals"), "start");
  bool parallel = common::GetString(spec, "podManagementPolicy", "OrderedReady") == "Parallel";
  const Json& strategy = common::Get(spec, "updateStrategy");
  bool rolling = common::GetString(strategy, "type", "RollingUpdate") == "RollingUpdate";
  int64_t partition = common::GetInt(common::Get(strategy, "rollingUpdate"), "partition", 0);

  std::map<int64_t, ObjectPtr> pods;
  std::vector<ObjectPtr> condemned;
  for (const auto& p : pods_->store().ByIndex(common::kControllerUidIndex, Uid(set))) {
    auto ord = OrdinalOf(name, Name(*p));
    if (!ord) continue;
    if (*ord >= start && *ord < start + replicas) pods[*ord] = p;
    else condemned.push_back(p);
  }
  auto hash_of = [](const Json& p) {
    return common::GetString(common::GetPath(p, {"metadata", "labels"}), kRevisionHashLabel);
  };

  common::Status first;
  bool blocked = false;  // OrderedReady: a pod not yet Running and Ready stops progress
  for (int64_t ord = start; ord < start + replicas; ++ord) {
    auto it = pods.find(ord);
    if (it != pods.end()) {
      const Json& p = *it->second;
      if (common::GetString(common::Get(p, "status"), "phase") == "Failed" && !IsDeleting(p)) {
        // A failed pod is replaced under the same name.
        auto r = client_->Delete(kPods, ns, Name(p));
        if (r.ok()) recorder_->Event(set, common::kEventTypeNormal, "SuccessfulDelete",
                                     "delete Pod " + Name(p) + " in StatefulSet " + name + " successful");
        if (!parallel) blocked = true;
        continue;
      }
      if (!parallel && (!RunningAndReady(p) || IsDeleting(p))) {
        blocked = true;
        break;
      }
      continue;
    }
    if (blocked && !parallel) break;
    bool below_partition = rolling && ord - start < partition;
    Json pod = NewPod(set, below_partition ? current_tmpl : StatefulSetPodTemplate(set),
                      below_partition ? current_hash : update.hash, ord);
    if (auto st = EnsureClaims(set, pod); !st.ok()) {
      if (first.ok()) first = st;
      break;
    }
    auto r = client_->Create(kPods, ns, pod);
    if (!r.ok() && !r.status().IsAlreadyExists()) {
      recorder_->Event(set, common::kEventTypeWarning, "FailedCreate",
                       "create Pod " + Name(pod) + " in StatefulSet " + name + " failed error: " + r.status().message());
      if (first.ok()) first = r.status();
      break;
    }
    if (r.ok())
      recorder_->Event(set, common::kEventTypeNormal, "SuccessfulCreate",
                       "create Pod " + Name(pod) + " in StatefulSet " + name + " successful");
    if (!parallel) {
      blocked = true;
      break;
    }
  }

  // Scale down: highest ordinal first; OrderedReady one at a time, and only
  // when every remaining pod is Running and Ready.
  std::sort(condemned.begin(), condemned.end(), [&](const ObjectPtr& a, const ObjectPtr& b) {
    return *OrdinalOf(name, Name(*a)) > *OrdinalOf(name, Name(*b));
  });
  bool all_ready = true;
  for (const auto& [o, p] : pods) all_ready &= RunningAndReady(*p) && !IsDeleting(*p);
  for (const auto& p : condemned) {
    if (IsDeleting(*p)) {
      if (!parallel) break;  // wait for it to go
      continue;
    }
    if (!parallel && (!all_ready || blocked || static_cast<int64_t>(pods.size()) < replicas)) break;
    auto r = client_->Delete(kPods, ns, Name(*p));
    if (r.ok()) recorder_->Event(set, common::kEventTypeNormal, "SuccessfulDelete",
                                 "delete Pod " + Name(*p) + " in StatefulSet " + name + " successful");
    else if (!r.status().IsNotFound() && first.ok()) first = r.status();
    if (!parallel) break;
  }

  // Rolling update: once all pods are Running and Ready, replace the
  // highest-ordinal pod not at the update revision, down to the partition.
  if (rolling && condemned.empty() && !blocked && all_ready && static_cast<int64_t>(pods.size()) == replicas) {
    for (int64_t ord = start + replicas - 1; ord >= start + partition; --ord) {
      auto it = pods.find(ord);
      if (it == pods.end() || hash_of(*it->second) == update.hash) continue;
      auto r = client_->Delete(kPods, ns, Name(*it->second));
      if (r.ok())
        recorder_->Event(set, common::kEventTypeNormal, "SuccessfulDelete",
                         "delete Pod " + Name(*it->second) + " in StatefulSet " + name + " successful");
      break;
    }
  }

  // Status.
  int64_t ready = 0, available = 0, at_current = 0, at_update = 0;
  int64_t min_ready = common::GetInt(spec, "minReadySeconds");
  for (const auto& [o, p] : pods) {
    if (IsDeleting(*p)) continue;
    ready += IsPodReady(*p);
    available += IsPodAvailable(*p, min_ready, common::Clock::now());
    at_current += hash_of(*p) == current_hash;
    at_update += hash_of(*p) == update.hash;
  }
  Json status = common::Get(set, "status").is_object() ? set["status"] : Json::object();
  status["observedGeneration"] = common::GetInt(set["metadata"], "generation");
  status["replicas"] = static_cast<int64_t>(pods.size() + condemned.size());
  status["readyReplicas"] = ready;
  status["availableReplicas"] = available;
  status["updateRevision"] = update.name;
  status["updatedReplicas"] = at_update;
  // The update is complete when every pod runs the update revision.
  if (at_update == replicas && static_cast<int64_t>(pods.size()) == replicas && condemned.empty()) {
    current_rev = update.name;
    at_current = at_update;
  }
  status["currentRevision"] = current_rev;
  status["currentReplicas"] = at_current;
  if (!status.contains("collisionCount")) status["collisionCount"] = 0;
  if (!JsonEqual(status, common::Get(set, "status"))) {
    Json next = set;
    next["status"] = status;
    auto r = client_->UpdateStatus(kStatefulSets, ns, next);
    if (!r.ok() && !r.status().IsNotFound() && first.ok()) first = r.status();
  }
  std::vector<std::string> in_use = {current_hash, update.hash};
  (void)TrimRevisions(*client_, revs, in_use, common::GetInt(spec, "revisionHistoryLimit", 10), update.name);
  return first;
}

}  // namespace

std::unique_ptr<Controller> NewStatefulSetController(const Options& o) {
  return std::make_unique<StatefulSetController>(o);
}

}  // namespace reconcile
