// `nodeagent reset`: what kubeadm reset does for the kubelet's part — kill
// every pod recorded under --root-dir, remove their cgroups, network
// namespaces and addresses, the kubepods cgroups, the pod bridge and the
// state directory.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace nodeagent {

struct ResetOptions {
  std::string root_dir = "/var/lib/kubix/nodeagent";
  std::string cgroup_root = "/";
  std::string pod_bridge;  // removed when set
};

void AddResetFlags(CLI::App& cmd, ResetOptions& o);
int RunReset(const ResetOptions& o);

}  // namespace nodeagent
