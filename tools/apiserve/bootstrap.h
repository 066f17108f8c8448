// Objects a cluster has from its first start: the namespaces default,
// kube-system, kube-public and kube-node-lease, the "kubernetes" Service and
// upstream's flowcontrol bootstrap FlowSchemas and PriorityLevelConfigurations
// (apiserver pkg/apis/flowcontrol/bootstrap/default.go, v1.32).
#pragma once

#include <string>
#include <vector>

#include "common/json.h"

namespace apiserve {

std::vector<common::Json> BootstrapNamespaces();
std::vector<common::Json> BootstrapFlowSchemas();
std::vector<common::Json> BootstrapPriorityLevels();
// The default/kubernetes Service pointing at the API server.
common::Json KubernetesService(const std::string& cluster_ip, int secure_port);
common::Json KubernetesEndpoints(const std::string& address, int secure_port);

}  // namespace apiserve
