// The DaemonSet controller (pkg/controller/daemon): one pod on every node
// the template's node selector, required node affinity and tolerations
// admit, placed through node affinity for the scheduler to bind; rolling
// updates within maxUnavailable/maxSurge; ControllerRevisions for undo.
#include <algorithm>
#include <map>

#include "common/expectations.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/thread_pool.h"
#include "controllers.h"
#include "deployment/util.h"
#include "pod_control.h"
#include "revisions.h"
#include "taints.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "daemonset-controller";
constexpr char kGenerationLabel[] = "pod-template-generation";

// The tolerations the controller adds to every daemon pod
// (AddOrUpdateDaemonPodTolerations).
Json DaemonTolerations(const Json& pod_spec) {
  Json t = common::Get(pod_spec, "tolerations").is_array() ? pod_spec["tolerations"] : Json::array();
  auto add = [&](const char* key, const char* effect) {
    for (const auto& x : t)
      if (common::GetString(x, "key") == key && common::GetString(x, "effect") == effect &&
          common::GetString(x, "operator") == "Exists")
        return;
    t.push_back({{"key", key}, {"operator", "Exists"}, {"effect", effect}});
  };
  add("node.kubernetes.io/not-ready", "NoExecute");
  add("node.kubernetes.io/unreachable", "NoExecute");
  add("node.kubernetes.io/disk-pressure", "NoSchedule");
  add("node.kubernetes.io/memory-pressure", "NoSchedule");
  add("node.kubernetes.io/pid-pressure", "NoSchedule");
  add("node.kubernetes.io/unschedulable", "NoSchedule");
  if (common::GetBool(pod_spec, "hostNetwork")) add("node.kubernetes.io/network-unavailable", "NoSchedule");
  return t;
}

bool MatchExpression(const Json& expr, const common::Labels& labels, bool field, const std::string& node) {
  std::string key = common::GetString(expr, "key");
  std::string op = common::GetString(expr, "operator");
  std::optional<std::string> value;
  if (field) {
    if (key == "metadata.name") value = node;
  } else if (auto it = labels.find(key); it != labels.end()) {
    value = it->second;
  }
  std::vector<std::string> values;
  for (const auto& v : common::Get(expr, "values"))
    if (v.is_string()) values.push_back(v.get<std::string>());
  auto in = [&] { return value && std::find(values.begin(), values.end(), *value) != values.end(); };
  if (op == "In") return in();
  if (op == "NotIn") return !in();
  if (op == "Exists") return value.has_value();
  if (op == "DoesNotExist") return !value.has_value();
  if ((op == "Gt" || op == "Lt") && value && values.size() == 1) {
    auto a = common::ParseInt64(*value), b = common::ParseInt64(values[0]);
    return a && b && (op == "Gt" ? *a > *b : *a < *b);
  }
  return false;
}

// nodeSelector and requiredDuringSchedulingIgnoredDuringExecution.
bool NodeMatches(const Json& pod_spec, const Json& node) {
  common::Labels labels = LabelsOf(node);
  const Json& sel = common::Get(pod_spec, "nodeSelector");
  if (sel.is_object())
    for (auto it = sel.begin(); it != sel.end(); ++it) {
      auto l = labels.find(it.key());
      if (l == labels.end() || !it.value().is_string() || l->second != it.value().get<std::string>()) return false;
    }
  const Json& terms = common::GetPath(pod_spec, {"affinity", "nodeAffinity",
                                                 "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"});
  if (!terms.is_array() || terms.empty()) return true;
  for (const auto& term : terms) {  // terms are ORed, expressions ANDed
    bool ok = true;
    for (const auto& e : common::Get(term, "matchExpressions")) ok &= MatchExpression(e, labels, false, Name(node));
    for (const auto& e : common::Get(term, "matchFields")) ok &= MatchExpression(e, labels, true, Name(node));
    if (ok && (common::Get(term, "matchExpressions").is_array() || common::Get(term, "matchFields").is_array()))
      return true;
  }
  return false;
}

// nodeShouldRunDaemonPod: {should run (create), should continue running}.
std::pair<bool, bool> ShouldRun(const Json& ds, const Json& node) {
  const Json& pod_spec = common::GetPath(ds, {"spec", "template", "spec"});
  if (!NodeMatches(pod_spec, node)) return {false, false};
  Json tolerations = DaemonTolerations(pod_spec);
  bool run = true, keep = true;
  for (const auto& taint : TaintsOf(node)) {
    std::string effect = common::GetString(taint, "effect");
    if (effect != "NoSchedule" && effect != "NoExecute") continue;
    bool ok = false;
    for (const auto& t : tolerations) ok |= Tolerates(t, taint);
    if (ok) continue;
    run = false;
    if (effect == "NoExecute") keep = false;
  }
  return {run, keep};
}

// The node a daemon pod is for: spec.nodeName, else its affinity's target.
std::string TargetNode(const Json& pod) {
  std::string n = common::GetString(common::Get(pod, "spec"), "nodeName");
  if (!n.empty()) return n;
  for (const auto& term : common::GetPath(pod, {"spec", "affinity", "nodeAffinity",
                                                "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"}))
    for (const auto& f : common::Get(term, "matchFields"))
      if (common::GetString(f, "key") == "metadata.name" && common::Get(f, "values").size() == 1)
        return f["values"][0].get<std::string>();
  return "";
}

class DaemonSetController : public QueueController {
 public:
  explicit DaemonSetController(const Options& o)
      : QueueController(kComponent, o.concurrent_daemonset_syncs), pool_(16, "ds-api") {}
  ~DaemonSetController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    recorder_ = &ctx.Recorder(kComponent);
    sets_ = &ctx.informers().ForResource(kDaemonSets);
    nodes_ = &ctx.informers().ForResource(kNodes);
    pods_ = &ctx.informers().ForResource(kPods);
    revisions_ = &ctx.informers().ForResource(kControllerRevisions);
    ControllerContext::EnsureIndex(*pods_, common::kControllerUidIndex, common::IndexByControllerUid);
    ControllerContext::EnsureIndex(*revisions_, common::kControllerUidIndex, common::IndexByControllerUid);
    common::ResourceEventHandler dh;
    dh.on_add = [this](const ObjectPtr& d) { Enqueue(*d); };
    dh.on_update = [this](const ObjectPtr&, const ObjectPtr& d) { Enqueue(*d); };
    sets_->AddEventHandler(dh, ctx.options().min_resync);
    // Node changes (new nodes, labels, taints) can change where daemons run.
    common::ResourceEventHandler nh;
    auto all = [this](const ObjectPtr&) {
      for (const auto& d : sets_->store().List()) Enqueue(*d);
    };
    nh.on_add = all;
    nh.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) {
      if (common::GetPath(*a, {"metadata", "labels"}) != common::GetPath(*b, {"metadata", "labels"}) ||
          TaintsOf(*a) != TaintsOf(*b))
        for (const auto& d : sets_->store().List()) Enqueue(*d);
    };
    nh.on_delete = [all](const ObjectPtr& n, bool) { all(n); };
    nodes_->AddEventHandler(nh);
    common::ResourceEventHandler ph;
    auto owner = [this](const ObjectPtr& p) -> std::string {
      const Json* ref = ControllerRefOf(*p);
      if (!ref || common::GetString(*ref, "kind") != "DaemonSet") return "";
      std::string key = common::MetaNamespaceKey(Namespace(*p), common::GetString(*ref, "name"));
      EnqueueKey(key);
      return key;
    };
    ph.on_add = [this, owner](const ObjectPtr& p) {
      std::string key = owner(p);
      if (!key.empty()) expectations_.CreationObserved(key);
    };
    ph.on_update = [this, owner](const ObjectPtr& a, const ObjectPtr& b) {
      if (ResourceVersion(*a) == ResourceVersion(*b)) return;
      std::string key = owner(b);
      if (!key.empty() && IsDeleting(*b)) expectations_.DeletionObserved(key, common::MetaNamespaceKey(*b));
    };
    ph.on_delete = [this, owner](const ObjectPtr& p, bool) {
      std::string key = owner(p);
      if (!key.empty()) expectations_.DeletionObserved(key, common::MetaNamespaceKey(*p));
    };
    pods_->AddEventHandler(ph);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* sets_ = nullptr;
  common::Informer* nodes_ = nullptr;
  common::Informer* pods_ = nullptr;
  common::Informer* revisions_ = nullptr;
  common::ControllerExpectations expectations_;
  common::ThreadPool pool_;
};

common::Status DaemonSetController::Sync(const std::string& key) {
  ObjectPtr cached = sets_->store().Get(key);
  if (!cached || IsDeleting(*cached)) {
    expectations_.Delete(key);
    return common::Status::Ok();
  }
  // Creates and deletes of an earlier sync not yet seen: wait for them.
  if (!expectations_.Satisfied(key)) return common::Status::Ok();
  const Json& ds = *cached;
  auto [ns, name] = common::SplitMetaNamespaceKey(key);
  auto revs = revisions_->store().ByIndex(common::kControllerUidIndex, Uid(ds));
  ASSIGN_OR_RETURN(CurrentRevision cur, EnsureRevision(*client_, ds, "DaemonSet", revs));

  std::map<std::string, std::vector<ObjectPtr>> by_node;
  for (const auto& p : pods_->store().ByIndex(common::kControllerUidIndex, Uid(ds)))
    if (!IsDeleting(*p)) by_node[TargetNode(*p)].push_back(p);

  const Json& strategy = common::GetPath(ds, {"spec", "updateStrategy"});
  bool rolling = common::GetString(strategy, "type", "RollingUpdate") == "RollingUpdate";
  int64_t min_ready = common::GetInt(common::Get(ds, "spec"), "minReadySeconds");
  auto now = common::Clock::now();

  std::vector<std::string> create_on;
  std::vector<ObjectPtr> to_delete;
  std::vector<std::pair<std::string, ObjectPtr>> outdated;  // node, old pod
  int64_t desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0, unavailable_now = 0;
  for (const auto& node : nodes_->store().List()) {
    auto [run, keep] = ShouldRun(ds, *node);
    auto& pods = by_node[Name(*node)];
    if (run) ++desired;
    if (!pods.empty()) (run || keep) ? ++current : ++misscheduled;
    if (!run && !keep) {
      for (const auto& p : pods) to_delete.push_back(p);
      continue;
    }
    if (!run && pods.empty()) continue;
    // Failed pods are replaced; extras beyond one (oldest kept) go.
    std::vector<ObjectPtr> live;
    for (const auto& p : pods) {
      if (common::GetString(common::Get(*p, "status"), "phase") == "Failed") to_delete.push_back(p);
      else live.push_back(p);
    }
    std::sort(live.begin(), live.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
      return common::GetString(common::Get(*a, "metadata"), "creationTimestamp") <
             common::GetString(common::Get(*b, "metadata"), "creationTimestamp");
    });
    if (live.empty()) {
      if (run) create_on.push_back(Name(*node));
      ++unavailable_now;
      continue;
    }
    bool has_new = false;
    ObjectPtr old_pod;
    for (const auto& p : live) {
      bool is_new = common::GetString(common::GetPath(*p, {"metadata", "labels"}), kRevisionHashLabel) == cur.hash;
      if (is_new) has_new = true;
      else old_pod = p;
    }
    // More than one pod: keep one (the newest revision if there is one).
    if (live.size() > 1 && !(rolling && has_new && old_pod)) {
      for (size_t i = 1; i < live.size(); ++i) to_delete.push_back(live[i]);
    }
    const Json& p0 = *live.front();
    if (IsPodReady(p0)) ++ready;
    if (IsPodAvailable(p0, min_ready, now)) ++available;
    else ++unavailable_now;
    if (has_new) ++updated;
    if (rolling && !has_new && old_pod) outdated.emplace_back(Name(*node), old_pod);
    if (rolling && has_new && old_pod && live.size() > 1) {
      // Surge finished on this node once the new pod is available.
      for (const auto& p : live)
        if (common::GetString(common::GetPath(*p, {"metadata", "labels"}), kRevisionHashLabel) == cur.hash &&
            IsPodAvailable(*p, min_ready, now))
          to_delete.push_back(old_pod);
    }
  }
  // Rolling update: replace old pods, at most maxUnavailable missing at once
  // (or maxSurge extra new ones alongside).
  if (rolling && !outdated.empty()) {
    const Json& ru = common::Get(strategy, "rollingUpdate");
    auto max_unavailable = deployment::ScaledValue(common::Get(ru, "maxUnavailable").is_null() ? Json(1) : ru["maxUnavailable"], desired, true);
    auto max_surge = deployment::ScaledValue(common::Get(ru, "maxSurge").is_null() ? Json(0) : ru["maxSurge"], desired, true);
    int64_t mu = max_unavailable.ok() ? *max_unavailable : 1, ms = max_surge.ok() ? *max_surge : 0;
    if (ms > 0) {
      for (int64_t i = 0; i < ms && i < static_cast<int64_t>(outdated.size()); ++i) create_on.push_back(outdated[static_cast<size_t>(i)].first);
    } else {
      int64_t budget = mu - unavailable_now;
      // Unavailable old pods first: replacing them costs no availability.
      std::stable_sort(outdated.begin(), outdated.end(), [&](const auto& a, const auto& b) {
        return !IsPodAvailable(*a.second, min_ready, now) && IsPodAvailable(*b.second, min_ready, now);
      });
      for (const auto& [node, pod] : outdated) {
        bool avail = IsPodAvailable(*pod, min_ready, now);
        if (avail) {
          if (budget <= 0) break;
          --budget;
        }
        to_delete.push_back(pod);
      }
    }
  }

  // Act.
  Json ref = MakeControllerRef(ds, "apps/v1", "DaemonSet");
  common::Status first;
  std::sort(to_delete.begin(), to_delete.end());
  to_delete.erase(std::unique(to_delete.begin(), to_delete.end()), to_delete.end());
  expectations_.ExpectCreations(key, static_cast<int64_t>(create_on.size()));
  {
    std::vector<std::string> keys;
    for (const auto& p : to_delete) keys.push_back(common::MetaNamespaceKey(*p));
    if (!keys.empty()) {
      // One record for both: creations counted down by adds, deletions by uid.
      expectations_.ExpectDeletions(key, keys);
      expectations_.Raise(key, static_cast<int64_t>(create_on.size()), 0);
    }
  }
  auto created = SlowStartBatch(pool_, static_cast<int>(create_on.size()), 1, [&](int i) -> common::Status {
    Json pod = PodFromTemplate(ds["spec"]["template"], ds, ref);
    pod["metadata"]["labels"][kRevisionHashLabel] = cur.hash;
    pod["metadata"]["labels"][kGenerationLabel] = std::to_string(common::GetInt(ds["metadata"], "generation"));
    pod["spec"]["tolerations"] = DaemonTolerations(pod["spec"]);
    // Placed by node affinity for the scheduler to bind (since 1.12).
    Json term = {{"matchFields", Json::array({{{"key", "metadata.name"}, {"operator", "In"},
                                               {"values", Json::array({create_on[static_cast<size_t>(i)]})}}})}};
    pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"] =
        Json::array({term});
    auto r = client_->Create(kPods, ns, pod);
    if (!r.ok()) {
      recorder_->Event(ds, common::kEventTypeWarning, "FailedCreate", "Error creating: " + r.status().message());
      return r.status();
    }
    recorder_->Event(ds, common::kEventTypeNormal, "SuccessfulCreate", "Created pod: " + Name(*r));
    return common::Status::Ok();
  });
  for (int skipped = static_cast<int>(create_on.size()) - created.successes; skipped > 0; --skipped)
    expectations_.CreationObserved(key);
  if (!created.error.ok()) first = created.error;
  auto deleted = RunParallel(pool_, static_cast<int>(to_delete.size()), [&](int i) -> common::Status {
    const Json& p = *to_delete[static_cast<size_t>(i)];
    auto r = client_->Delete(kPods, ns, Name(p));
    if (!r.ok()) expectations_.DeletionObserved(key, common::MetaNamespaceKey(p));
    if (r.ok()) recorder_->Event(ds, common::kEventTypeNormal, "SuccessfulDelete", "Deleted pod: " + Name(p));
    return r.ok() || r.status().IsNotFound() ? common::Status::Ok() : r.status();
  });
  for (auto& st : deleted)
    if (!st.ok() && first.ok()) first = st;

  std::vector<std::string> in_use;
  for (const auto& [n, pods] : by_node)
    for (const auto& p : pods) in_use.push_back(common::GetString(common::GetPath(*p, {"metadata", "labels"}), kRevisionHashLabel));
  (void)TrimRevisions(*client_, revs, in_use, common::GetInt(common::Get(ds, "spec"), "revisionHistoryLimit", 10), cur.name);

  Json status = common::Get(ds, "status").is_object() ? ds["status"] : Json::object();
  status["currentNumberScheduled"] = current;
  status["numberMisscheduled"] = misscheduled;
  status["desiredNumberScheduled"] = desired;
  status["numberReady"] = ready;
  status["observedGeneration"] = common::GetInt(ds["metadata"], "generation");
  status["updatedNumberScheduled"] = updated;
  status["numberAvailable"] = available;
  if (desired - available > 0) status["numberUnavailable"] = desired - available;
  else status.erase("numberUnavailable");
  if (!JsonEqual(status, common::Get(ds, "status"))) {
    Json next = ds;
    next["status"] = status;
    auto r = client_->UpdateStatus(kDaemonSets, ns, next);
    if (!r.ok() && !r.status().IsNotFound() && first.ok()) first = r.status();
  }
  if (min_ready > 0 && available < ready) queue().AddAfter(key, std::chrono::seconds(min_ready));
  return first;
}

}  // namespace

std::unique_ptr<Controller> NewDaemonSetController(const Options& o) { return std::make_unique<DaemonSetController>(o); }

}  // namespace reconcile
