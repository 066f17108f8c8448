// nodeagent's flags, named like the kubelet's where the kubelet has one, with
// their defaults in one place.
#pragma once

#include <chrono>
#include <string>

#include <CLI/CLI.hpp>

#include "common/status.h"

namespace nodeagent {

struct Options {
  // Identity and API.
  std::string hostname_override;
  std::string node_ip;
  std::string node_labels;           // "k=v,k2=v2"
  std::string register_with_taints;  // "k=v:NoSchedule,..."
  std::string capacity;              // "cpu=4,memory=8Gi,pods=110"
  int max_pods = 110;

  // The API server (phase 2 of the kubelet's job): without --kubeconfig
  // only static pods run.
  std::string kubeconfig;
  double kube_api_qps = 50;
  int kube_api_burst = 100;
  bool register_node = true;
  std::string node_status_update_frequency = "10s";
  std::string node_status_report_frequency = "5m";
  int node_lease_duration_seconds = 40;
  int fake_nodes = 0;

  // Pod sources.
  std::string pod_manifest_path;
  std::string file_check_frequency = "20s";

  // State and serving.
  std::string root_dir = "/var/lib/kubix/nodeagent";
  std::string address = "0.0.0.0";
  int port = 10250;
  std::string tls_cert_file, tls_private_key_file;

  // Runtime.
  std::string runtime = "process";  // process | fake
  std::string fake_start_delay = "0s";
  std::string image_dir = "/var/lib/kubix/images";
  std::string image_fallback = "host";  // host | none
  std::string pod_network = "host";     // host | netns
  std::string pod_cidr;
  std::string pod_bridge = "kubix0";

  // Resource management.
  bool cgroups_per_qos = true;
  std::string cgroup_root = "/";
  std::string cgroup_driver = "cgroupfs";
  bool cpu_cfs_quota = true;
  std::string cpu_cfs_quota_period = "100ms";
  int64_t pod_max_pids = -1;
  std::string eviction_hard = "memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%";
  std::string eviction_pressure_transition_period = "5m";
  std::string container_log_max_size = "10Mi";
  int container_log_max_files = 5;

  // Checks values and combinations; Invalid with a message naming the flag.
  common::Status Validate() const;
};

// Registers every flag of `o` on `app`.
void AddFlags(CLI::App& app, Options& o);

}  // namespace nodeagent
