// Constructors of every controller; the registry (registry.cpp) lists them.
#pragma once

#include <memory>

#include "../controller.h"
#include "../kube.h"

namespace reconcile {

std::unique_ptr<Controller> NewDeploymentController(const Options& o);
std::unique_ptr<Controller> NewReplicaSetController(const Options& o);
std::unique_ptr<Controller> NewEndpointsController(const Options& o);
std::unique_ptr<Controller> NewEndpointSliceController(const Options& o);
std::unique_ptr<Controller> NewNodeLifecycleController(const Options& o);
std::unique_ptr<Controller> NewNodeIpamController(const Options& o);
std::unique_ptr<Controller> NewNamespaceController(const Options& o);
std::unique_ptr<Controller> NewGarbageCollectorController(const Options& o);
std::unique_ptr<Controller> NewServiceAccountController(const Options& o);
std::unique_ptr<Controller> NewResourceQuotaController(const Options& o);
std::unique_ptr<Controller> NewJobController(const Options& o);
std::unique_ptr<Controller> NewCronJobController(const Options& o);
std::unique_ptr<Controller> NewDaemonSetController(const Options& o);
std::unique_ptr<Controller> NewStatefulSetController(const Options& o);
std::unique_ptr<Controller> NewServiceLbController(const Options& o);

}  // namespace reconcile
