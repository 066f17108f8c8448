// service-lb: what a cloud-controller-manager's service controller does for
// Services of type LoadBalancer, for a cluster with no cloud: addresses from
// --lb-ip-range go into status.loadBalancer.ingress (spec.loadBalancerIP
// honoured when it is free and in range), held by the
// service.kubernetes.io/load-balancer-cleanup finalizer until released.
#include <map>
#include <mutex>

#include "cidr.h"
#include "common/log.h"
#include "controllers.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "service-lb-controller";
constexpr char kFinalizer[] = "service.kubernetes.io/load-balancer-cleanup";

bool WantsLoadBalancer(const Json& svc) {
  const Json& spec = common::Get(svc, "spec");
  return common::GetString(spec, "type") == "LoadBalancer" &&
         common::GetString(spec, "loadBalancerClass").empty() && !IsDeleting(svc);
}

std::string IngressIp(const Json& svc) {
  const Json& ing = common::GetPath(svc, {"status", "loadBalancer", "ingress"});
  if (ing.is_array() && !ing.empty()) return common::GetString(ing[0], "ip");
  return "";
}

class ServiceLbController : public QueueController {
 public:
  // One worker: allocations must not race each other.
  explicit ServiceLbController(const Options& o) : QueueController(kComponent, 1), o_(o) {}
  ~ServiceLbController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    if (o_.lb_ip_range.empty()) return common::Status::Ok();  // no pool: like a cluster without a cloud
    ASSIGN_OR_RETURN(IpPool pool, IpPool::Parse(o_.lb_ip_range));
    pool_ = std::make_unique<IpPool>(std::move(pool));
    client_ = &ctx.Client(kComponent);
    recorder_ = &ctx.Recorder(kComponent);
    services_ = &ctx.informers().ForResource(kServices);
    common::ResourceEventHandler h;
    h.on_add = [this](const ObjectPtr& s) { Enqueue(*s); };
    h.on_update = [this](const ObjectPtr&, const ObjectPtr& s) { Enqueue(*s); };
    services_->AddEventHandler(h);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override {
    ObjectPtr cached = services_->store().Get(key);
    if (!cached) {
      assigned_.erase(key);
      return common::Status::Ok();
    }
    const Json& svc = *cached;
    if (!WantsLoadBalancer(svc)) return Release(svc, key);

    std::string ip = IngressIp(svc);
    std::string requested = common::GetString(common::Get(svc, "spec"), "loadBalancerIP");
    std::vector<std::string> taken;
    for (const auto& other : services_->store().List()) {
      std::string k = common::MetaNamespaceKey(*other);
      if (k == key) continue;
      std::string o = IngressIp(*other);
      if (!o.empty()) taken.push_back(o);
      auto a = assigned_.find(k);
      if (a != assigned_.end()) taken.push_back(a->second);
    }
    auto is_taken = [&](const std::string& x) { return std::find(taken.begin(), taken.end(), x) != taken.end(); };
    std::string want = ip;
    if (!requested.empty() && requested != ip) {
      if (!pool_->Contains(requested) || is_taken(requested)) {
        recorder_->Event(svc, common::kEventTypeWarning, "SyncLoadBalancerFailed",
                         "Error syncing load balancer: failed to ensure load balancer: requested "
                         "loadBalancerIP " + requested + " is not free in " + pool_->String());
        return common::Status::Ok();  // waits for the Service to change
      }
      want = requested;
    }
    if (want.empty() || !pool_->Contains(want) || is_taken(want)) {
      auto got = pool_->Allocate(taken);
      if (!got) {
        recorder_->Event(svc, common::kEventTypeWarning, "SyncLoadBalancerFailed",
                         "Error syncing load balancer: failed to ensure load balancer: no free "
                         "address left in " + pool_->String());
        return common::Status::Unavailable("no free load balancer address");
      }
      want = *got;
    }
    if (want == ip && HasFinalizer(svc, kFinalizer)) {
      assigned_[key] = want;
      return common::Status::Ok();
    }
    recorder_->Event(svc, common::kEventTypeNormal, "EnsuringLoadBalancer", "Ensuring load balancer");
    if (!HasFinalizer(svc, kFinalizer)) {
      Json fins = common::GetPath(svc, {"metadata", "finalizers"});
      if (!fins.is_array()) fins = Json::array();
      fins.push_back(kFinalizer);
      auto r = client_->Patch(kServices, Namespace(svc), Name(svc), common::PatchType::kMerge,
                              Json{{"metadata", {{"finalizers", fins}, {"resourceVersion", ResourceVersion(svc)}}}});
      if (!r.ok()) return r.status().IsNotFound() ? common::Status::Ok() : r.status();
    }
    assigned_[key] = want;
    Json status = {{"loadBalancer", {{"ingress", Json::array({{{"ip", want}, {"ipMode", "VIP"}}})}}}};
    auto r = client_->Patch(kServices, Namespace(svc), Name(svc), common::PatchType::kMerge, status_patch(status),
                            {}, "status");
    if (!r.ok()) return r.status().IsNotFound() ? common::Status::Ok() : r.status();
    recorder_->Event(svc, common::kEventTypeNormal, "EnsuredLoadBalancer", "Ensured load balancer");
    LOG_INFO("load balancer address assigned", {"service", key}, {"ip", want});
    return common::Status::Ok();
  }

 private:
  static Json status_patch(const Json& status) { return Json{{"status", status}}; }

  common::Status Release(const Json& svc, const std::string& key) {
    bool had = HasFinalizer(svc, kFinalizer) || assigned_.count(key);
    if (!had) return common::Status::Ok();
    recorder_->Event(svc, common::kEventTypeNormal, "DeletingLoadBalancer", "Deleting load balancer");
    if (!IngressIp(svc).empty()) {
      auto r = client_->Patch(kServices, Namespace(svc), Name(svc), common::PatchType::kMerge,
                              Json{{"status", {{"loadBalancer", Json::object()}}}}, {}, "status");
      if (!r.ok() && !r.status().IsNotFound()) return r.status();
    }
    assigned_.erase(key);
    if (HasFinalizer(svc, kFinalizer)) {
      Json kept = Json::array();
      for (const auto& f : common::GetPath(svc, {"metadata", "finalizers"}))
        if (f != kFinalizer) kept.push_back(f);
      auto r = client_->Patch(kServices, Namespace(svc), Name(svc), common::PatchType::kMerge,
                              Json{{"metadata", {{"finalizers", kept.empty() ? Json() : kept}}}});
      if (!r.ok() && !r.status().IsNotFound()) return r.status();
    }
    recorder_->Event(svc, common::kEventTypeNormal, "DeletedLoadBalancer", "Deleted load balancer");
    return common::Status::Ok();
  }

  const Options o_;
  std::unique_ptr<IpPool> pool_;
  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* services_ = nullptr;
  std::map<std::string, std::string> assigned_;  // service key -> address (worker thread only)
};

}  // namespace

std::unique_ptr<Controller> NewServiceLbController(const Options& o) {
  return std::make_unique<ServiceLbController>(o);
}

}  // namespace reconcile
