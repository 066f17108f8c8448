// The ServiceAccount controller (pkg/controller/serviceaccount): a
// "default" ServiceAccount in every active namespace, put back if deleted;
// and, with --root-ca-file, the root CA publisher's ConfigMap
// kube-root-ca.crt in every namespace.
#include "common/file.h"
#include "common/log.h"
#include "controllers.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "serviceaccount-controller";
constexpr char kRootCaConfigMap[] = "kube-root-ca.crt";
constexpr char kRootCaDescription[] =
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters.";

class ServiceAccountController : public QueueController {
 public:
  explicit ServiceAccountController(const Options& o)
      : QueueController(kComponent, o.concurrent_serviceaccount_syncs), o_(o) {}
  ~ServiceAccountController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    if (!o_.root_ca_file.empty()) {
      auto ca = common::ReadFile(o_.root_ca_file);
      if (!ca.ok()) return ca.status();
      root_ca_ = *ca;
    }
    client_ = &ctx.Client(kComponent);
    namespaces_ = &ctx.informers().ForResource(kNamespaces);
    accounts_ = &ctx.informers().ForResource(kServiceAccounts);
    if (!root_ca_.empty()) configmaps_ = &ctx.informers().ForResource(kConfigMaps);
    common::ResourceEventHandler nh;
    nh.on_add = [this](const ObjectPtr& ns) { EnqueueKey(Name(*ns)); };
    nh.on_update = [this](const ObjectPtr&, const ObjectPtr& ns) { EnqueueKey(Name(*ns)); };
    namespaces_->AddEventHandler(nh);
    common::ResourceEventHandler sh;
    sh.on_delete = [this](const ObjectPtr& sa, bool) {
      if (Name(*sa) == "default") EnqueueKey(Namespace(*sa));
    };
    accounts_->AddEventHandler(sh);
    if (configmaps_) {
      common::ResourceEventHandler ch;
      auto mine = [this](const ObjectPtr& cm) {
        if (Name(*cm) == kRootCaConfigMap) EnqueueKey(Namespace(*cm));
      };
      ch.on_update = [mine](const ObjectPtr&, const ObjectPtr& cm) { mine(cm); };
      ch.on_delete = [mine](const ObjectPtr& cm, bool) { mine(cm); };
      configmaps_->AddEventHandler(ch);
    }
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& ns) override {
    ObjectPtr nsobj = namespaces_->store().Get(ns);
    if (!nsobj || IsDeleting(*nsobj) ||
        common::GetString(common::Get(*nsobj, "status"), "phase", "Active") != "Active")
      return common::Status::Ok();
    if (!accounts_->store().Get(ns, "default")) {
      Json sa = {{"apiVersion", "v1"}, {"kind", "ServiceAccount"},
                 {"metadata", {{"name", "default"}, {"namespace", ns}}}};
      auto r = client_->Create(kServiceAccounts, ns, sa);
      // AlreadyExists: a stale cache. Forbidden: the namespace is terminating.
      if (!r.ok() && !r.status().IsAlreadyExists() && r.status().code() != common::Code::kForbidden)
        return r.status();
    }
    if (configmaps_) {
      ObjectPtr cm = configmaps_->store().Get(ns, kRootCaConfigMap);
      Json want = {{"apiVersion", "v1"},
                   {"kind", "ConfigMap"},
                   {"metadata",
                    {{"name", kRootCaConfigMap},
                     {"namespace", ns},
                     {"annotations", {{"kubernetes.io/description", kRootCaDescription}}}}},
                   {"data", {{"ca.crt", root_ca_}}}};
      if (!cm) {
        auto r = client_->Create(kConfigMaps, ns, want);
        if (!r.ok() && !r.status().IsAlreadyExists() && r.status().code() != common::Code::kForbidden)
          return r.status();
      } else if (common::GetString(common::Get(*cm, "data"), "ca.crt") != root_ca_) {
        Json next = *cm;
        next["data"] = want["data"];
        auto r = client_->Update(kConfigMaps, ns, next);
        if (!r.ok() && !r.status().IsNotFound()) return r.status();
      }
    }
    return common::Status::Ok();
  }

 private:
  const Options o_;
  std::string root_ca_;
  common::RestClient* client_ = nullptr;
  common::Informer* namespaces_ = nullptr;
  common::Informer* accounts_ = nullptr;
  common::Informer* configmaps_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewServiceAccountController(const Options& o) {
  return std::make_unique<ServiceAccountController>(o);
}

}  // namespace reconcile
