// The node lifecycle controller (pkg/controller/nodelifecycle) and the
// NoExecute taint manager (pkg/controller/tainteviction): a node whose
// kubelet stops renewing its Lease and posting status for
// --node-monitor-grace-period gets Ready=Unknown, its pods Ready=False, the
// unreachable/not-ready taints (NoExecute at a rate limited per zone), and
// pods that do not tolerate those taints long enough are evicted.
#include <deque>
#include <map>
#include <set>

#include "common/log.h"
#include "common/rate_limit.h"
#include "controllers.h"
#include "taints.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "node-controller";
constexpr char kLeaseNamespace[] = "kube-node-lease";
constexpr char kZoneLabel[] = "topology.kubernetes.io/zone";
constexpr char kRegionLabel[] = "topology.kubernetes.io/region";

enum class ZoneState { kNormal, kPartialDisruption, kFullDisruption };

struct Health {
  std::chrono::steady_clock::time_point probe;  // last time a heartbeat changed
  std::string heartbeat;                        // Ready's lastHeartbeatTime seen
  std::string lease_renew;                      // the Lease's renewTime seen
  std::string ready;                            // last observed Ready status
};

std::string ZoneOf(const Json& node) {
  return common::GetString(common::GetPath(node, {"metadata", "labels"}), kRegionLabel) + ":\x00:" +
         common::GetString(common::GetPath(node, {"metadata", "labels"}), kZoneLabel);
}

std::string ReadyStatus(const Json& node) {
  const Json* c = FindCondition(common::Get(node, "status"), "Ready");
  return c ? common::GetString(*c, "status", "Unknown") : "Unknown";
}

// How long ago the node was created (0 when unknown or in the future).
std::chrono::steady_clock::duration NodeAge(const Json& node) {
  auto created = common::ParseRFC3339(common::GetString(common::Get(node, "metadata"), "creationTimestamp"));
  if (!created.ok()) return {};
  auto age = common::Clock::now() - *created;
  return age > decltype(age)::zero() ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(age)
                                      : std::chrono::steady_clock::duration{};
}

class NodeLifecycleController : public QueueController {
 public:
  explicit NodeLifecycleController(const Options& o)
      : QueueController(kComponent, 1), o_(o) {}
  ~NodeLifecycleController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    recorder_ = &ctx.Recorder(kComponent);
    nodes_ = &ctx.informers().ForResource(kNodes);
    leases_ = &ctx.informers().ForResource(kLeases);
    pods_ = &ctx.informers().ForResource(kPods);
    ControllerContext::EnsureIndex(*pods_, common::kNodeNameIndex, common::IndexByNodeName);
    // A node whose taints change has its pods looked at (Sync by node name).
    common::ResourceEventHandler h;
    h.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) {
      if (TaintsOf(*a) != TaintsOf(*b)) EnqueueKey(Name(*b));
    };
    nodes_->AddEventHandler(h);
    common::ResourceEventHandler ph;
    ph.on_add = [this](const ObjectPtr& p) {
      std::string node = common::GetString(common::Get(*p, "spec"), "nodeName");
      if (!node.empty()) EnqueueKey(node);
    };
    ph.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) {
      std::string node = common::GetString(common::Get(*b, "spec"), "nodeName");
      if (!node.empty() && node != common::GetString(common::Get(*a, "spec"), "nodeName"))
        EnqueueKey(node);
    };
    pods_->AddEventHandler(ph);
    return common::Status::Ok();
  }

 protected:
  // Taint eviction for the pods of one node.
  common::Status Sync(const std::string& node_name) override;
  void StartPeriodic() override {
    periodic_.emplace_back([this] {
      while (SleepFor(o_.node_monitor)) MonitorNodeHealth();
    });
  }

 private:
  void MonitorNodeHealth();
  common::Status MarkUnknown(const Json& node);
  void MarkPodsNotReady(const std::string& node);
  common::Status SetTaints(const std::string& node, const std::function<bool(Json& taints)>& edit);

  const Options o_;
  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* nodes_ = nullptr;
  common::Informer* leases_ = nullptr;
  common::Informer* pods_ = nullptr;
  std::map<std::string, Health> health_;
  std::map<std::string, std::unique_ptr<common::TokenBucket>> zone_limiters_;
  std::map<std::string, double> zone_rates_;
  std::map<std::string, std::deque<std::string>> zone_queue_;  // nodes awaiting NoExecute taints
};

void NodeLifecycleController::MonitorNodeHealth() {
  auto now = std::chrono::steady_clock::now();
  auto nodes = nodes_->store().List();
  std::set<std::string> seen;
  std::map<std::string, std::pair<int, int>> zones;  // zone -> {not ready, total}
  for (const auto& node_ptr : nodes) {
    const Json& node = *node_ptr;
    const std::string& name = Name(node);
    seen.insert(name);
    auto [it, fresh] = health_.try_emplace(name);
    Health& h = it->second;
    const Json* ready = FindCondition(common::Get(node, "status"), "Ready");
    std::string heartbeat = ready ? common::GetString(*ready, "lastHeartbeatTime") : "";
    std::string renew;
    if (ObjectPtr lease = leases_->store().Get(kLeaseNamespace, name))
      renew = common::GetString(common::Get(*lease, "spec"), "renewTime");
    // Health is judged by when this controller saw a heartbeat change, not
    // by the timestamps themselves, so clock skew does not matter.
    if (fresh || heartbeat != h.heartbeat || renew != h.lease_renew) h.probe = now;
    // A node whose kubelet never posted a Ready condition has
    // --node-startup-grace-period from its creation (upstream's
    // tryUpdateNodeHealth probes from creationTimestamp); its age is the
    // only wall-clock reading used, and only to shorten that first grace.
    if (fresh && !ready) h.probe -= NodeAge(node);
    h.heartbeat = heartbeat;
    h.lease_renew = renew;

    // "" while a never-posted node is within its startup grace: neither
    // False nor Unknown, so no Ready-derived taint yet.
    std::string status = ready ? ReadyStatus(node) : "";
    auto grace = ready ? o_.node_monitor_grace : o_.node_startup_grace;
    if (now - h.probe > grace && status != "Unknown") {
      LOG_INFO(ready ? "node stopped posting status" : "node never posted status", {"node", name},
               {"grace", (int64_t)grace.count()});
      if (MarkUnknown(node).ok()) status = "Unknown";
    }
    if (!h.ready.empty() && h.ready == "True" && status != "True") {
      recorder_->Event(node, common::kEventTypeNormal, "NodeNotReady",
                       "Node " + name + " status is now: NodeNotReady");
      MarkPodsNotReady(name);
    }
    h.ready = status;

    // NoSchedule taints follow the conditions at once (TaintNodesByCondition).
    const Json& st = common::Get(node, "status");
    std::vector<std::string> want_no_schedule;
    if (status == "False") want_no_schedule.push_back(kTaintNotReady);
    if (status == "Unknown") want_no_schedule.push_back(kTaintUnreachable);
    for (auto [cond, key] : {std::pair<const char*, const char*>{"MemoryPressure", "node.kubernetes.io/memory-pressure"},
                             {"DiskPressure", "node.kubernetes.io/disk-pressure"},
                             {"PIDPressure", "node.kubernetes.io/pid-pressure"},
                             {"NetworkUnavailable", "node.kubernetes.io/network-unavailable"}}) {
      const Json* c = FindCondition(st, cond);
      if (c && common::GetString(*c, "status") == "True") want_no_schedule.push_back(key);
    }
    if (common::GetBool(common::Get(node, "spec"), "unschedulable"))
      want_no_schedule.push_back("node.kubernetes.io/unschedulable");
    static const std::set<std::string> kManaged = {
        kTaintNotReady, kTaintUnreachable, "node.kubernetes.io/memory-pressure",
        "node.kubernetes.io/disk-pressure", "node.kubernetes.io/pid-pressure",
        "node.kubernetes.io/network-unavailable", "node.kubernetes.io/unschedulable"};
    Json taints = TaintsOf(node);
    bool ns_differs = false;
    for (const auto& k : kManaged) {
      bool want = std::find(want_no_schedule.begin(), want_no_schedule.end(), k) != want_no_schedule.end();
      if (want != HasTaint(taints, k, "NoSchedule")) ns_differs = true;
    }
    if (ns_differs)
      (void)SetTaints(name, [&](Json& t) {
        Json next = Json::array();
        for (const auto& x : t)
          if (!(common::GetString(x, "effect") == "NoSchedule" && kManaged.count(common::GetString(x, "key"))))
            next.push_back(x);
        for (const auto& k : want_no_schedule)
          next.push_back({{"key", k}, {"effect", "NoSchedule"}, {"timeAdded", NowText()}});
        t = std::move(next);
        return true;
      });

    // NoExecute taints: removed at once when Ready, added through the zone's
    // rate limiter otherwise.
    bool has_nr = HasTaint(taints, kTaintNotReady, "NoExecute");
    bool has_ur = HasTaint(taints, kTaintUnreachable, "NoExecute");
    std::string zone = ZoneOf(node);
    auto& zc = zones[zone];
    ++zc.second;
    if (status != "True") ++zc.first;
    bool want_nr = status == "False", want_ur = status == "Unknown";
    if ((has_nr && !want_nr) || (has_ur && !want_ur)) {
      // Swap or remove: removal is never rate-limited.
      (void)SetTaints(name, [&](Json& t) {
        Json next = Json::array();
        for (const auto& x : t) {
          std::string k = common::GetString(x, "key");
          if (common::GetString(x, "effect") == "NoExecute" &&
              ((k == kTaintNotReady && !want_nr) || (k == kTaintUnreachable && !want_ur)))
            continue;
          next.push_back(x);
        }
        t = std::move(next);
        return true;
      });
      has_nr &= want_nr;
      has_ur &= want_ur;
    }
    if ((want_nr && !has_nr) || (want_ur && !has_ur)) {
      auto& q = zone_queue_[zone];
      if (std::find(q.begin(), q.end(), name) == q.end()) q.push_back(name);
    }
  }
  for (auto it = health_.begin(); it != health_.end();)
    it = seen.count(it->first) ? std::next(it) : health_.erase(it);

  // Zone states and the tainting rate of each (upstream's
  // ComputeZoneState / setLimiterInZone).
  bool all_full = !zones.empty();
  std::map<std::string, ZoneState> states;
  for (const auto& [zone, counts] : zones) {
    auto [not_ready, total] = counts;
    ZoneState s = ZoneState::kNormal;
    if (not_ready == total && total > 0) s = ZoneState::kFullDisruption;
    else if (not_ready > 2 && static_cast<double>(not_ready) / total >= o_.unhealthy_zone_threshold)
      s = ZoneState::kPartialDisruption;
    states[zone] = s;
    all_full &= s == ZoneState::kFullDisruption;
  }
  if (all_full) {
    // Every node of every zone is down: the control plane is more likely cut
    // off than all nodes dead. Evict nothing.
    if (!zone_queue_.empty())
      LOG_WARNING("all nodes are not ready: not tainting any (master disruption mode)");
    zone_queue_.clear();
    return;
  }
  for (auto& [zone, queue] : zone_queue_) {
    double rate = o_.node_eviction_rate;
    if (states[zone] == ZoneState::kPartialDisruption)
      rate = zones[zone].second > o_.large_cluster_size_threshold ? o_.secondary_node_eviction_rate : 0;
    if (!zone_limiters_[zone] || zone_rates_[zone] != rate) {
      zone_limiters_[zone] = std::make_unique<common::TokenBucket>(rate > 0 ? rate : 1e-9, 1);
      zone_rates_[zone] = rate;
    }
    while (!queue.empty() && rate > 0 && zone_limiters_[zone]->TryTake()) {
      std::string name = queue.front();
      queue.pop_front();
      ObjectPtr node = nodes_->store().Get(name);
      if (!node) continue;
      std::string status = ReadyStatus(*node);
      if (status == "True") continue;
      std::string key = status == "False" ? kTaintNotReady : kTaintUnreachable;
      LOG_INFO("tainting node for eviction", {"node", name}, {"taint", key});
      (void)SetTaints(name, [&](Json& t) {
        if (HasTaint(t, key, "NoExecute")) return false;
        t.push_back({{"key", key}, {"effect", "NoExecute"}, {"timeAdded", NowText()}});
        return true;
      });
    }
  }
}

common::Status NodeLifecycleController::MarkUnknown(const Json& cached) {
  auto got = client_->Get(kNodes, "", Name(cached));
  if (!got.ok()) return got.status();
  Json node = *got;
  std::string now = NowText();
  for (const char* type : {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}) {
    const Json* c = FindCondition(node["status"], type);
    Json cond = c ? *c : Json{{"type", type}};
    if (c && common::GetString(*c, "status") == "Unknown") continue;
    cond["status"] = "Unknown";
    cond["reason"] = c ? "NodeStatusUnknown" : "NodeStatusNeverUpdated";
    cond["message"] = c ? "Kubelet stopped posting node status." : "Kubelet never posted node status.";
    cond["lastTransitionTime"] = now;
    if (!cond.contains("lastHeartbeatTime")) cond["lastHeartbeatTime"] = now;
    RemoveCondition(node["status"], type);
    node["status"]["conditions"].push_back(std::move(cond));
  }
  return client_->UpdateStatus(kNodes, "", node).status();
}

void NodeLifecycleController::MarkPodsNotReady(const std::string& node) {
  for (const auto& p : pods_->store().ByIndex(common::kNodeNameIndex, node)) {
    if (IsPodTerminal(*p) || !IsPodReady(*p)) continue;
    auto got = client_->Get(kPods, Namespace(*p), Name(*p));
    if (!got.ok()) continue;
    Json pod = *got;
    for (auto& c : pod["status"]["conditions"])
      if (c["type"] == "Ready") {
        c["status"] = "False";
        c["lastTransitionTime"] = NowText();
      }
    if (client_->UpdateStatus(kPods, Namespace(pod), pod).ok())
      recorder_->Event(pod, common::kEventTypeWarning, "NodeNotReady", "Node is not ready");
  }
}

common::Status NodeLifecycleController::SetTaints(const std::string& node,
                                                  const std::function<bool(Json&)>& edit) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto got = client_->Get(kNodes, "", node);
    if (!got.ok()) return got.status();
    Json n = *got;
    Json taints = TaintsOf(n);
    if (!edit(taints)) return common::Status::Ok();
    if (taints.empty()) n["spec"].erase("taints");
    else n["spec"]["taints"] = std::move(taints);
    auto r = client_->Update(kNodes, "", n);
    if (r.ok() || !r.status().IsConflict()) return r.status();
  }
  return common::Status::Conflict("node " + node + " kept changing");
}

common::Status NodeLifecycleController::Sync(const std::string& node_name) {
  ObjectPtr node = nodes_->store().Get(node_name);
  if (!node) return common::Status::Ok();
  Json taints = TaintsOf(*node);
  if (!HasTaint(taints, kTaintNotReady, "NoExecute") && !HasTaint(taints, kTaintUnreachable, "NoExecute")) {
    bool any = false;
    for (const auto& t : taints) any |= common::GetString(t, "effect") == "NoExecute";
    if (!any) return common::Status::Ok();
  }
  auto now = common::Clock::now();
  std::optional<common::TimePoint> next;
  for (const auto& p : pods_->store().ByIndex(common::kNodeNameIndex, node_name)) {
    if (IsDeleting(*p) || IsPodTerminal(*p)) continue;
    auto at = EvictionTime(*p, taints, now);
    if (!at) continue;
    if (*at > now) {
      next = next ? std::min(*next, *at) : *at;
      continue;
    }
    recorder_->Event(*p, common::kEventTypeNormal, "TaintManagerEviction",
                     "Marking for deletion Pod " + Namespace(*p) + "/" + Name(*p));
    auto r = client_->Delete(kPods, Namespace(*p), Name(*p));
    if (!r.ok() && !r.status().IsNotFound()) return r.status();
  }
  if (next) queue().AddAfter(node_name, *next - now + std::chrono::milliseconds(50));
  return common::Status::Ok();
}

}  // namespace

std::unique_ptr<Controller> NewNodeLifecycleController(const Options& o) {
  return std::make_unique<NodeLifecycleController>(o);
}

}  // namespace reconcile
