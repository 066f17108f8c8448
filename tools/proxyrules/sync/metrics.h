// kube-proxy's metrics (pkg/proxy/metrics), under their upstream names.
#pragma once

#include "common/metrics.h"

namespace proxyrules::metrics {

using common::metrics::Counter;
using common::metrics::Gauge;
using common::metrics::Histogram;

// Registered in the default registry on first use. Thread-safe.
Histogram& SyncProxyRulesLatency();         // kubeproxy_sync_proxy_rules_duration_seconds
Histogram& SyncFullProxyRulesLatency();     // kubeproxy_sync_full_proxy_rules_duration_seconds
Histogram& SyncPartialProxyRulesLatency();  // kubeproxy_sync_partial_proxy_rules_duration_seconds
Histogram& NetworkProgrammingLatency();     // kubeproxy_network_programming_duration_seconds
Gauge& SyncProxyRulesLastTimestamp();       // kubeproxy_sync_proxy_rules_last_timestamp_seconds
Gauge& SyncProxyRulesLastQueuedTimestamp(); // kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds
Gauge& IPTablesRulesTotal(const char* table);     // kubeproxy_sync_proxy_rules_iptables_total{table}
Gauge& IPTablesRulesLastSync(const char* table);  // kubeproxy_sync_proxy_rules_iptables_last{table}
Counter& IPTablesRestoreFailures();         // kubeproxy_sync_proxy_rules_iptables_restore_failures_total
Counter& IPTablesPartialRestoreFailures();  // kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total
Gauge& NoLocalEndpoints(const char* policy);  // kubeproxy_sync_proxy_rules_no_local_endpoints_total{traffic_policy}
Counter& EndpointChanges();                 // kubeproxy_sync_proxy_rules_endpoint_changes_total
Counter& ServiceChanges();                  // kubeproxy_sync_proxy_rules_service_changes_total

// Registers every metric above, so /metrics lists them before the first sync.
void RegisterAll();

}  // namespace proxyrules::metrics
