#include "registry.h"

#include <algorithm>
#include <map>
#include <set>

#include "controllers/controllers.h"

namespace reconcile {

const std::vector<ControllerInfo>& AllControllers() {
  static const std::vector<ControllerInfo> kControllers = {
      {"serviceaccount-controller", "serviceaccount", true, NewServiceAccountController},
      {"deployment-controller", "deployment", true, NewDeploymentController},
      {"replicaset-controller", "replicaset", true, NewReplicaSetController},
      {"endpoints-controller", "endpoint", true, NewEndpointsController},
      {"endpointslice-controller", "endpointslice", true, NewEndpointSliceController},
      {"namespace-controller", "namespace", true, NewNamespaceController},
      {"node-ipam-controller", "nodeipam", true, NewNodeIpamController},
      {"node-lifecycle-controller", "nodelifecycle", true, NewNodeLifecycleController},
      {"resourcequota-controller", "resourcequota", true, NewResourceQuotaController},
      {"job-controller", "job", true, NewJobController},
      {"cronjob-controller", "cronjob", true, NewCronJobController},
      {"daemonset-controller", "daemonset", true, NewDaemonSetController},
      {"statefulset-controller", "statefulset", true, NewStatefulSetController},
      {"service-lb-controller", "service-lb", true, NewServiceLbController},
      {"garbage-collector-controller", "garbagecollector", true, NewGarbageCollectorController},
  };
  return kControllers;
}

std::string KnownControllerNames() {
  std::vector<std::string> names;
  for (const auto& c : AllControllers()) names.emplace_back(c.alias);
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

common::Result<std::vector<std::string>> ResolveControllers(const std::vector<std::string>& flags) {
  auto find = [](std::string_view name) -> const ControllerInfo* {
    // "endpoints" is what most people call it; upstream's alias is "endpoint".
    if (name == "endpoints") name = "endpoint";
    for (const auto& c : AllControllers())
      if (c.name == name || c.alias == name) return &c;
    return nullptr;
  };
  bool star = false;
  // The first entry naming a controller decides it.
  std::map<std::string_view, bool> decided;
  for (const auto& raw : flags) {
    std::string_view f = raw;
    if (f.empty()) continue;
    if (f == "*") {
      star = true;
      continue;
    }
    bool enable = true;
    if (f.front() == '-') {
      enable = false;
      f.remove_prefix(1);
    }
    const ControllerInfo* c = find(f);
    if (!c) return common::Status::BadRequest("\"" + std::string(f) +
                                              "\" is not in the list of known controllers");
    decided.emplace(c->name, enable);
  }
  std::vector<std::string> out;
  for (const auto& c : AllControllers()) {
    auto it = decided.find(c.name);
    bool on = it != decided.end() ? it->second : (star && c.enabled_by_default);
    if (on) out.emplace_back(c.name);
  }
  return out;
}

}  // namespace reconcile
