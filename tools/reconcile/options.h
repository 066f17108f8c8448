// reconcile's command line: flags named like kube-controller-manager's,
// defaults in one place, Validate() before anything starts.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace reconcile {

struct Options {
  // Connection.
  std::string kubeconfig;
  std::string master;  // overrides the kubeconfig's server
  double kube_api_qps = 20;    // kube-controller-manager's defaults
  int kube_api_burst = 30;

  // Which controllers, and how many workers each.
  std::vector<std::string> controllers = {"*"};
  int concurrent_deployment_syncs = 5;
  int concurrent_replicaset_syncs = 5;
  int concurrent_endpoint_syncs = 5;
  int concurrent_service_endpoint_syncs = 5;
  int max_endpoints_per_slice = 100;
  int concurrent_namespace_syncs = 10;
  int concurrent_gc_syncs = 20;
  int concurrent_resource_quota_syncs = 5;
  int concurrent_job_syncs = 5;
  int concurrent_cron_job_syncs = 5;
  int concurrent_daemonset_syncs = 2;
  int concurrent_statefulset_syncs = 5;
  int concurrent_serviceaccount_syncs = 5;  // kubix: upstream has no flag (1 worker)
  std::string resource_quota_sync_period = "5m";
  std::string namespace_sync_period = "5m";
  std::string min_resync_period = "12h";

  // Node lifecycle.
  std::string node_monitor_period = "5s";
  std::string node_monitor_grace_period = "50s";
  std::string node_startup_grace_period = "1m";
  double node_eviction_rate = 0.1;
  double secondary_node_eviction_rate = 0.01;
  int large_cluster_size_threshold = 50;
  double unhealthy_zone_threshold = 0.55;

  // Node IPAM.
  bool allocate_node_cidrs = false;
  std::string cluster_cidr;
  int node_cidr_mask_size = 0;  // 0: 24 for IPv4, 64 for IPv6
  int node_cidr_mask_size_ipv4 = 0;
  int node_cidr_mask_size_ipv6 = 0;
  std::string service_cluster_ip_range;

  // service-lb (kubix's stand-in for a cloud load balancer).
  std::string lb_ip_range;

  // ServiceAccount: the CA published as ConfigMap kube-root-ca.crt.
  std::string root_ca_file;

  // Leader election.
  bool leader_elect = true;
  std::string leader_elect_lease_duration = "15s";
  std::string leader_elect_renew_deadline = "10s";
  std::string leader_elect_retry_period = "2s";
  std::string leader_elect_resource_namespace = "kube-system";
  std::string leader_elect_resource_name = "kube-controller-manager";

  // Serving /healthz and /metrics.
  std::string bind_address = "0.0.0.0";
  int secure_port = 10257;
  std::string tls_cert_file;
  std::string tls_private_key_file;

  std::string log_file;

  // Parsed forms, filled by Validate().
  std::chrono::milliseconds resource_quota_sync{0};
  std::chrono::milliseconds namespace_sync{0};
  std::chrono::milliseconds min_resync{0};
  std::chrono::milliseconds node_monitor{0};
  std::chrono::milliseconds node_monitor_grace{0};
  std::chrono::milliseconds node_startup_grace{0};
  std::chrono::milliseconds lease_duration{0};
  std::chrono::milliseconds renew_deadline{0};
  std::chrono::milliseconds retry_period{0};

  // Checks every value; returns a usage error naming the flag.
  common::Status Validate();
};

// Registers every flag on `app`, bound to `o`.
void AddFlags(CLI::App& app, Options* o);

// Parses a Go duration ("300ms", "1m30s", "12h"); BadRequest on junk.
common::Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace reconcile
