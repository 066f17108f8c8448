// The ResourceQuota controller (pkg/controller/resourcequota): keeps each
// quota's status.hard equal to spec.hard and status.used current, on every
// relevant change and in full every --resource-quota-sync-period. (Quota is
// enforced by admission in the API server; this only reports usage.)
#include <map>
#include <optional>

#include "common/log.h"
#include "common/quantity.h"
#include "controllers.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "resourcequota-controller";

const GroupVersionResource kSecrets{"", "v1", "secrets"};
const GroupVersionResource kReplicationControllers{"", "v1", "replicationcontrollers"};

bool IsBestEffort(const Json& pod) {
  std::string qos = common::GetString(common::Get(pod, "status"), "qosClass");
  if (!qos.empty()) return qos == "BestEffort";
  for (const auto& c : common::GetPath(pod, {"spec", "containers"})) {
    const Json& r = common::Get(c, "resources");
    for (const char* k : {"requests", "limits"}) {
      const Json& m = common::Get(r, k);
      if (m.is_object() && (m.contains("cpu") || m.contains("memory"))) return false;
    }
  }
  return true;
}

bool IsTerminating(const Json& pod) {
  return common::GetPath(pod, {"spec", "activeDeadlineSeconds"}).is_number_integer();
}

// The pod scopes of a quota (Terminating, NotTerminating, BestEffort,
// NotBestEffort); scopeSelector expressions are not evaluated.
bool PodMatchesScopes(const Json& quota, const Json& pod) {
  const Json& scopes = common::GetPath(quota, {"spec", "scopes"});
  if (!scopes.is_array()) return true;
  for (const auto& s : scopes) {
    std::string scope = s.is_string() ? s.get<std::string>() : "";
    if (scope == "Terminating" && !IsTerminating(pod)) return false;
    if (scope == "NotTerminating" && IsTerminating(pod)) return false;
    if (scope == "BestEffort" && !IsBestEffort(pod)) return false;
    if (scope == "NotBestEffort" && IsBestEffort(pod)) return false;
  }
  return true;
}

void Add(std::optional<common::Quantity>& sum, const common::Quantity& q) {
  if (!sum) sum = q;  // the first term's format is the sum's, as upstream's copy-then-Add
  else *sum += q;
}

class ResourceQuotaController : public QueueController {
 public:
  explicit ResourceQuotaController(const Options& o)
      : QueueController(kComponent, o.concurrent_resource_quota_syncs), o_(o) {}
  ~ResourceQuotaController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    quotas_ = &ctx.informers().ForResource(kResourceQuotas);
    ControllerContext::EnsureIndex(*quotas_, common::kNamespaceIndex, common::IndexByNamespace);
    common::ResourceEventHandler qh;
    qh.on_add = [this](const ObjectPtr& q) { Enqueue(*q); };
    qh.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) {
      // Our own status writes need no recount; spec changes do, and resyncs.
      if (a == b || common::Get(*a, "spec") != common::Get(*b, "spec")) Enqueue(*b);
    };
    quotas_->AddEventHandler(qh, o_.resource_quota_sync);
    // Changes that move usage: recount the namespace's quotas.
    for (const auto& gvr : {kPods, kServices, kConfigMaps, kSecrets, kPersistentVolumeClaims,
                            kReplicationControllers}) {
      common::Informer& inf = ctx.informers().ForResource(gvr);
      ControllerContext::EnsureIndex(inf, common::kNamespaceIndex, common::IndexByNamespace);
      informers_[gvr.resource] = &inf;
      common::ResourceEventHandler h;
      h.on_add = [this](const ObjectPtr& o) { Touch(Namespace(*o)); };
      h.on_update = [this, gvr](const ObjectPtr& a, const ObjectPtr& b) {
        // Pods matter when they turn terminal or change requests; others only on add/delete.
        if (gvr.resource == "pods" && ResourceVersion(*a) != ResourceVersion(*b) &&
            (IsPodTerminal(*a) != IsPodTerminal(*b) ||
             common::GetPath(*a, {"spec", "containers"}) != common::GetPath(*b, {"spec", "containers"})))
          Touch(Namespace(*b));
        if (gvr.resource == "services" &&
            common::GetPath(*a, {"spec", "type"}) != common::GetPath(*b, {"spec", "type"}))
          Touch(Namespace(*b));
      };
      h.on_delete = [this](const ObjectPtr& o, bool) { Touch(Namespace(*o)); };
      inf.AddEventHandler(h);
    }
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  void Touch(const std::string& ns) {
    if (ns.empty()) return;
    for (const auto& q : quotas_->store().List(ns)) Enqueue(*q);
  }
  // Usage of `resource` (a key of spec.hard) in the quota's namespace.
  common::Result<std::optional<common::Quantity>> Usage(const Json& quota, const std::string& resource);
  size_t Count(const std::string& resource, const std::string& ns,
               const std::function<bool(const Json&)>& pred = {}) {
    auto it = informers_.find(resource);
    if (it == informers_.end()) return 0;
    size_t n = 0;
    for (const auto& o : it->second->store().List(ns)) n += !pred || pred(*o);
    return n;
  }

  const Options o_;
  common::RestClient* client_ = nullptr;
  common::Informer* quotas_ = nullptr;
  std::map<std::string, common::Informer*> informers_;
};

common::Result<std::optional<common::Quantity>> ResourceQuotaController::Usage(
    const Json& quota, const std::string& res) {
  const std::string& ns = Namespace(quota);
  auto count = [](size_t n) { return std::optional<common::Quantity>(common::Quantity::FromInt(static_cast<int64_t>(n))); };
  auto pod_ok = [&](const Json& p) { return !IsPodTerminal(p) && PodMatchesScopes(quota, p); };
  if (res == "pods" || res == "count/pods") return count(Count("pods", ns, pod_ok));
  if (res == "services" || res == "count/services") return count(Count("services", ns));
  if (res == "services.loadbalancers")
    return count(Count("services", ns, [](const Json& s) {
      return common::GetString(common::Get(s, "spec"), "type") == "LoadBalancer";
    }));
  if (res == "services.nodeports") {
    size_t n = 0;
    for (const auto& s : informers_["services"]->store().List(ns)) {
      std::string type = common::GetString(common::Get(*s, "spec"), "type");
      if (type != "NodePort" && type != "LoadBalancer") continue;
      for (const auto& p : common::GetPath(*s, {"spec", "ports"})) n += common::GetInt(p, "nodePort") != 0;
    }
    return count(n);
  }
  if (res == "configmaps" || res == "count/configmaps") return count(Count("configmaps", ns));
  if (res == "secrets" || res == "count/secrets") return count(Count("secrets", ns));
  if (res == "persistentvolumeclaims" || res == "count/persistentvolumeclaims")
    return count(Count("persistentvolumeclaims", ns));
  if (res == "replicationcontrollers" || res == "count/replicationcontrollers")
    return count(Count("replicationcontrollers", ns));
  if (res == "resourcequotas" || res == "count/resourcequotas") return count(quotas_->store().List(ns).size());
  if (res == "requests.storage") {
    std::optional<common::Quantity> sum;
    for (const auto& pvc : informers_["persistentvolumeclaims"]->store().List(ns)) {
      auto q = common::Quantity::FromJson(common::GetPath(*pvc, {"spec", "resources", "requests", "storage"}));
      if (q.ok()) Add(sum, *q);
    }
    return sum ? sum : count(0);
  }
  // Compute resources of non-terminal pods.
  std::string kind, name;
  if (res.starts_with("requests.")) kind = "requests", name = res.substr(9);
  else if (res.starts_with("limits.")) kind = "limits", name = res.substr(7);
  else if (res == "cpu" || res == "memory" || res == "ephemeral-storage") kind = "requests", name = res;
  if (!kind.empty()) {
    std::optional<common::Quantity> sum;
    for (const auto& p : informers_["pods"]->store().List(ns)) {
      if (!pod_ok(*p)) continue;
      for (const auto& c : common::GetPath(*p, {"spec", "containers"})) {
        const Json& v = common::GetPath(c, {"resources", kind.c_str(), name.c_str()});
        if (v.is_null()) continue;
        auto q = common::Quantity::FromJson(v);
        if (q.ok()) Add(sum, *q);
      }
    }
    return sum ? sum : count(0);
  }
  if (res.starts_with("count/")) {
    // Any other resource: count it through the API ("count/jobs.batch").
    std::string rest = res.substr(6);
    size_t dot = rest.find('.');
    GroupVersionResource gvr{dot == std::string::npos ? "" : rest.substr(dot + 1), "",
                             dot == std::string::npos ? rest : rest.substr(0, dot)};
    // The served version: try the common ones of the group.
    for (const char* v : {"v1", "v2", "v1beta1"}) {
      gvr.version = v;
      auto list = client_->ListAll(gvr, ns);
      if (list.ok()) return count((*list)["items"].size());
    }
    return std::optional<common::Quantity>();
  }
  return std::optional<common::Quantity>();  // not a resource this controller tracks
}

common::Status ResourceQuotaController::Sync(const std::string& key) {
  ObjectPtr cached = quotas_->store().Get(key);
  if (!cached) return common::Status::Ok();
  const Json& quota = *cached;
  const Json& hard = common::GetPath(quota, {"spec", "hard"});
  Json used = Json::object();
  if (hard.is_object())
    for (auto it = hard.begin(); it != hard.end(); ++it) {
      ASSIGN_OR_RETURN(auto q, Usage(quota, it.key()));
      if (q) used[it.key()] = q->String();
    }
  Json status = {{"hard", hard.is_object() ? hard : Json::object()}, {"used", used}};
  if (JsonEqual(common::Get(quota, "status"), status)) return common::Status::Ok();
  Json next = quota;
  next["status"] = std::move(status);
  auto r = client_->UpdateStatus(kResourceQuotas, Namespace(quota), next);
  if (!r.ok() && !r.status().IsNotFound()) return r.status();
  return common::Status::Ok();
}

}  // namespace

std::unique_ptr<Controller> NewResourceQuotaController(const Options& o) {
  return std::make_unique<ResourceQuotaController>(o);
}

}  // namespace reconcile
