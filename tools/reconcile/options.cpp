#include "options.h"

#include <cmath>

#include "registry.h"

namespace reconcile {

common::Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  auto bad = [&] {
    return common::Status::BadRequest("time: invalid duration \"" + std::string(text) + "\"");
  };
  if (text.empty()) return bad();
  if (text == "0") return std::chrono::milliseconds(0);
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
      ++i;
    if (i == start) return bad();
    double value = std::stod(std::string(text.substr(start, i - start)));
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60000;
    else if (unit == "h") scale = 3600000;
    else if (unit == "us" || unit == "µs") scale = 0.001;
    else if (unit == "ns") scale = 0.000001;
    else return bad();
    total_ms += value * scale;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(total_ms)));
}

void AddFlags(CLI::App& app, Options* o) {
  app.add_option("--kubeconfig", o->kubeconfig,
                 "kubeconfig file with the server's address and credentials "
                 "(default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account)");
  app.add_option("--master", o->master,
                 "the API server's address; overrides the kubeconfig's server");
  app.add_option("--kube-api-qps", o->kube_api_qps,
                 "requests per second each controller may send to the API server")
      ->capture_default_str();
  app.add_option("--kube-api-burst", o->kube_api_burst,
                 "burst of requests each controller may send above --kube-api-qps")
      ->capture_default_str();
  app.add_option("--controllers", o->controllers,
                 "controllers to run: '*' = every on-by-default controller, 'foo' enables "
                 "foo, '-foo' disables foo; names: " +
                     KnownControllerNames())
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--concurrent-deployment-syncs", o->concurrent_deployment_syncs,
                 "deployments synced at once")
      ->capture_default_str();
  app.add_option("--concurrent-replicaset-syncs", o->concurrent_replicaset_syncs,
                 "replica sets synced at once")
      ->capture_default_str();
  app.add_option("--concurrent-endpoint-syncs", o->concurrent_endpoint_syncs,
                 "services whose Endpoints are synced at once")
      ->capture_default_str();
  app.add_option("--concurrent-service-endpoint-syncs", o->concurrent_service_endpoint_syncs,
                 "services whose EndpointSlices are synced at once")
      ->capture_default_str();
  app.add_option("--max-endpoints-per-slice", o->max_endpoints_per_slice,
                 "endpoints per EndpointSlice (1-1000)")
      ->capture_default_str();
  app.add_option("--concurrent-namespace-syncs", o->concurrent_namespace_syncs,
                 "namespaces emptied at once")
      ->capture_default_str();
  app.add_option("--concurrent-gc-syncs", o->concurrent_gc_syncs,
                 "garbage collector workers")
      ->capture_default_str();
  app.add_option("--concurrent-resource-quota-syncs", o->concurrent_resource_quota_syncs,
                 "resource quotas synced at once")
      ->capture_default_str();
  app.add_option("--concurrent-job-syncs", o->concurrent_job_syncs, "jobs synced at once")
      ->capture_default_str();
  app.add_option("--concurrent-cron-job-syncs", o->concurrent_cron_job_syncs,
                 "cron jobs synced at once")
      ->capture_default_str();
  app.add_option("--concurrent-daemonset-syncs", o->concurrent_daemonset_syncs,
                 "daemon sets synced at once")
      ->capture_default_str();
  app.add_option("--concurrent-statefulset-syncs", o->concurrent_statefulset_syncs,
                 "stateful sets synced at once")
      ->capture_default_str();
  app.add_option("--concurrent-serviceaccount-syncs", o->concurrent_serviceaccount_syncs,
                 "namespaces whose default ServiceAccount is ensured at once")
      ->capture_default_str();
  app.add_option("--resource-quota-sync-period", o->resource_quota_sync_period,
                 "how often every quota's usage is recomputed in full")
      ->capture_default_str();
  app.add_option("--namespace-sync-period", o->namespace_sync_period,
                 "how often terminating namespaces are rechecked")
      ->capture_default_str();
  app.add_option("--min-resync-period", o->min_resync_period,
                 "informers resync every [min, 2*min) (0 = never)")
      ->capture_default_str();
  app.add_option("--node-monitor-period", o->node_monitor_period,
                 "how often node health is checked")
      ->capture_default_str();
  app.add_option("--node-monitor-grace-period", o->node_monitor_grace_period,
                 "a node silent (no Lease renewal, no status) this long is marked "
                 "Ready=Unknown and tainted unreachable")
      ->capture_default_str();
  app.add_option("--node-startup-grace-period", o->node_startup_grace_period,
                 "how long a node whose kubelet never posted status has from its creation before it is marked Ready=Unknown")
      ->capture_default_str();
  app.add_option("--node-eviction-rate", o->node_eviction_rate,
                 "nodes per second tainted for eviction in a healthy zone")
      ->capture_default_str();
  app.add_option("--secondary-node-eviction-rate", o->secondary_node_eviction_rate,
                 "nodes per second tainted in a partially disrupted zone (0 in small clusters)")
      ->capture_default_str();
  app.add_option("--large-cluster-size-threshold", o->large_cluster_size_threshold,
                 "zones up to this many nodes stop evicting when partially disrupted")
      ->capture_default_str();
  app.add_option("--unhealthy-zone-threshold", o->unhealthy_zone_threshold,
                 "fraction of not-ready nodes (at least 3) that makes a zone partially "
                 "disrupted")
      ->capture_default_str();
  app.add_option("--allocate-node-cidrs", o->allocate_node_cidrs,
                 "give every node a spec.podCIDR from --cluster-cidr")
      ->capture_default_str();
  app.add_option("--cluster-cidr", o->cluster_cidr,
                 "pod address range(s), one IPv4 and/or one IPv6, comma-separated");
  app.add_option("--node-cidr-mask-size", o->node_cidr_mask_size,
                 "prefix length of each node's range (default 24 for IPv4, 64 for IPv6)");
  app.add_option("--node-cidr-mask-size-ipv4", o->node_cidr_mask_size_ipv4,
                 "prefix length of each node's IPv4 range in a dual-stack cluster");
  app.add_option("--node-cidr-mask-size-ipv6", o->node_cidr_mask_size_ipv6,
                 "prefix length of each node's IPv6 range in a dual-stack cluster");
  app.add_option("--service-cluster-ip-range", o->service_cluster_ip_range,
                 "service address range, kept out of node ranges");
  app.add_option("--lb-ip-range", o->lb_ip_range,
                 "addresses for Services of type LoadBalancer: a CIDR or FIRST-LAST "
                 "(kubix's service-lb controller; empty = none handed out)");
  app.add_option("--root-ca-file", o->root_ca_file,
                 "CA bundle published to every namespace as ConfigMap kube-root-ca.crt");
  app.add_option("--leader-elect", o->leader_elect,
                 "run only while holding the leader Lease, so replicas can stand by")
      ->capture_default_str();
  app.add_option("--leader-elect-lease-duration", o->leader_elect_lease_duration,
                 "how long a standby waits before taking over a lease that is not renewed")
      ->capture_default_str();
  app.add_option("--leader-elect-renew-deadline", o->leader_elect_renew_deadline,
                 "how long the leader keeps trying to renew before it gives up")
      ->capture_default_str();
  app.add_option("--leader-elect-retry-period", o->leader_elect_retry_period,
                 "pause between attempts to acquire or renew")
      ->capture_default_str();
  app.add_option("--leader-elect-resource-namespace", o->leader_elect_resource_namespace,
                 "namespace of the leader Lease")
      ->capture_default_str();
  app.add_option("--leader-elect-resource-name", o->leader_elect_resource_name,
                 "name of the leader Lease")
      ->capture_default_str();
  app.add_option("--bind-address", o->bind_address,
                 "address /healthz and /metrics are served on")
      ->capture_default_str();
  app.add_option("--secure-port", o->secure_port,
                 "port /healthz and /metrics are served on (0 = off); HTTPS when "
                 "--tls-cert-file is given, else plain HTTP")
      ->capture_default_str();
  app.add_option("--tls-cert-file", o->tls_cert_file, "serving certificate (PEM)");
  app.add_option("--tls-private-key-file", o->tls_private_key_file, "serving private key (PEM)");
  app.add_option("--log-file", o->log_file, "append log lines to this file instead of stderr");
}

common::Status Options::Validate() {
  if (kube_api_qps < 0) return common::Status::BadRequest("--kube-api-qps must not be negative");
  if (kube_api_burst < 0)
    return common::Status::BadRequest("--kube-api-burst must not be negative");
  if (kube_api_qps > 0 && kube_api_burst < 1)
    return common::Status::BadRequest("--kube-api-burst must be at least 1");
  auto resolved = ResolveControllers(controllers);
  if (!resolved.ok()) return common::Status::BadRequest("--controllers: " + resolved.status().message());
  struct {
    const char* flag;
    int value;
  } workers[] = {
      {"--concurrent-deployment-syncs", concurrent_deployment_syncs},
      {"--concurrent-replicaset-syncs", concurrent_replicaset_syncs},
      {"--concurrent-endpoint-syncs", concurrent_endpoint_syncs},
      {"--concurrent-service-endpoint-syncs", concurrent_service_endpoint_syncs},
      {"--concurrent-namespace-syncs", concurrent_namespace_syncs},
      {"--concurrent-gc-syncs", concurrent_gc_syncs},
      {"--concurrent-resource-quota-syncs", concurrent_resource_quota_syncs},
      {"--concurrent-job-syncs", concurrent_job_syncs},
      {"--concurrent-cron-job-syncs", concurrent_cron_job_syncs},
      {"--concurrent-daemonset-syncs", concurrent_daemonset_syncs},
      {"--concurrent-statefulset-syncs", concurrent_statefulset_syncs},
      {"--concurrent-serviceaccount-syncs", concurrent_serviceaccount_syncs},
  };
  for (const auto& w : workers)
    if (w.value < 1 || w.value > 1000)
      return common::Status::BadRequest(std::string(w.flag) + " must be between 1 and 1000");
  if (max_endpoints_per_slice < 1 || max_endpoints_per_slice > 1000)
    return common::Status::BadRequest("--max-endpoints-per-slice must be between 1 and 1000");
  struct {
    const char* flag;
    const std::string* text;
    std::chrono::milliseconds* out;
  } durations[] = {
      {"--resource-quota-sync-period", &resource_quota_sync_period, &resource_quota_sync},
      {"--namespace-sync-period", &namespace_sync_period, &namespace_sync},
      {"--min-resync-period", &min_resync_period, &min_resync},
      {"--node-monitor-period", &node_monitor_period, &node_monitor},
      {"--node-monitor-grace-period", &node_monitor_grace_period, &node_monitor_grace},
      {"--node-startup-grace-period", &node_startup_grace_period, &node_startup_grace},
      {"--leader-elect-lease-duration", &leader_elect_lease_duration, &lease_duration},
      {"--leader-elect-renew-deadline", &leader_elect_renew_deadline, &renew_deadline},
      {"--leader-elect-retry-period", &leader_elect_retry_period, &retry_period},
  };
  for (const auto& d : durations) {
    auto parsed = ParseDuration(*d.text);
    if (!parsed.ok())
      return common::Status::BadRequest(std::string(d.flag) + ": " + parsed.status().message());
    *d.out = *parsed;
  }
  if (node_monitor.count() <= 0)
    return common::Status::BadRequest("--node-monitor-period must be positive");
  if (node_monitor_grace <= node_monitor)
    return common::Status::BadRequest(
        "--node-monitor-grace-period must be longer than --node-monitor-period");
  if (leader_elect) {
    if (!(lease_duration > renew_deadline))
      return common::Status::BadRequest(
          "--leader-elect-lease-duration must be greater than --leader-elect-renew-deadline");
    if (!(renew_deadline > retry_period) || retry_period.count() <= 0)
      return common::Status::BadRequest(
          "--leader-elect-renew-deadline must be greater than --leader-elect-retry-period");
    if (lease_duration < std::chrono::seconds(1))
      return common::Status::BadRequest("--leader-elect-lease-duration must be at least 1s");
  }
  if (node_eviction_rate < 0 || secondary_node_eviction_rate < 0)
    return common::Status::BadRequest("eviction rates must not be negative");
  if (unhealthy_zone_threshold <= 0 || unhealthy_zone_threshold > 1)
    return common::Status::BadRequest("--unhealthy-zone-threshold must be in (0, 1]");
  if (allocate_node_cidrs && cluster_cidr.empty())
    return common::Status::BadRequest("--allocate-node-cidrs requires --cluster-cidr");
  if (secure_port < 0 || secure_port > 65535)
    return common::Status::BadRequest("--secure-port must be between 0 and 65535");
  if (tls_cert_file.empty() != tls_private_key_file.empty())
    return common::Status::BadRequest(
        "--tls-cert-file and --tls-private-key-file must be given together");
  return common::Status::Ok();
}

}  // namespace reconcile
