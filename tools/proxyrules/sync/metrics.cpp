#include "metrics.h"

namespace proxyrules::metrics {
namespace {

using common::metrics::Registry;

// kube-proxy's sync latency buckets: 1 ms doubling 15 times (to ~16 s).
std::vector<double> SyncBuckets() { return common::metrics::ExponentialBuckets(0.001, 2, 15); }

// kube-proxy's network programming buckets: 0.25 s steps to 1 s, then 1 s
// steps to a minute, 5 s to two minutes, 30 s to five.
std::vector<double> ProgrammingBuckets() {
  std::vector<double> b = {0.25, 0.5};
  for (int i = 1; i <= 59; ++i) b.push_back(i);
  for (int i = 0; i < 12; ++i) b.push_back(60 + 5 * i);
  for (int i = 0; i < 7; ++i) b.push_back(120 + 30 * i);
  return b;
}

Histogram& Hist(const char* name, const char* help, std::vector<double> buckets) {
  return Registry::Default().AddHistogram(name, help, {}, std::move(buckets)).With({});
}

}  // namespace

Histogram& SyncProxyRulesLatency() {
  static Histogram& h = Hist("kubeproxy_sync_proxy_rules_duration_seconds",
                             "SyncProxyRules latency in seconds", SyncBuckets());
  return h;
}
Histogram& SyncFullProxyRulesLatency() {
  static Histogram& h = Hist("kubeproxy_sync_full_proxy_rules_duration_seconds",
                             "SyncProxyRules latency in seconds for full resyncs", SyncBuckets());
  return h;
}
Histogram& SyncPartialProxyRulesLatency() {
  static Histogram& h = Hist("kubeproxy_sync_partial_proxy_rules_duration_seconds",
                             "SyncProxyRules latency in seconds for partial resyncs", SyncBuckets());
  return h;
}
Histogram& NetworkProgrammingLatency() {
  static Histogram& h = Hist("kubeproxy_network_programming_duration_seconds",
                             "In Cluster Network Programming Latency in seconds", ProgrammingBuckets());
  return h;
}
Gauge& SyncProxyRulesLastTimestamp() {
  static Gauge& g = Registry::Default()
                        .AddGauge("kubeproxy_sync_proxy_rules_last_timestamp_seconds",
                                  "The last time proxy rules were successfully synced")
                        .With({});
  return g;
}
Gauge& SyncProxyRulesLastQueuedTimestamp() {
  static Gauge& g = Registry::Default()
                        .AddGauge("kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds",
                                  "The last time a sync of proxy rules was queued")
                        .With({});
  return g;
}
Gauge& IPTablesRulesTotal(const char* table) {
  return Registry::Default()
      .AddGauge("kubeproxy_sync_proxy_rules_iptables_total",
                "Total number of iptables rules owned by kube-proxy", {"table"})
      .With({table});
}
Gauge& IPTablesRulesLastSync(const char* table) {
  return Registry::Default()
      .AddGauge("kubeproxy_sync_proxy_rules_iptables_last",
                "Number of iptables rules written by kube-proxy in last sync", {"table"})
      .With({table});
}
Counter& IPTablesRestoreFailures() {
  static Counter& c = Registry::Default()
                          .AddCounter("kubeproxy_sync_proxy_rules_iptables_restore_failures_total",
                                      "Cumulative proxy iptables restore failures")
                          .With({});
  return c;
}
Counter& IPTablesPartialRestoreFailures() {
  static Counter& c =
      Registry::Default()
          .AddCounter("kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total",
                      "Cumulative proxy iptables partial restore failures")
          .With({});
  return c;
}
Gauge& NoLocalEndpoints(const char* policy) {
  return Registry::Default()
      .AddGauge("kubeproxy_sync_proxy_rules_no_local_endpoints_total",
                "Number of services with a Local traffic policy and no endpoints",
                {"traffic_policy"})
      .With({policy});
}
Counter& EndpointChanges() {
  static Counter& c = Registry::Default()
                          .AddCounter("kubeproxy_sync_proxy_rules_endpoint_changes_total",
                                      "Cumulative proxy rules Endpoint changes")
                          .With({});
  return c;
}
Counter& ServiceChanges() {
  static Counter& c = Registry::Default()
                          .AddCounter("kubeproxy_sync_proxy_rules_service_changes_total",
                                      "Cumulative proxy rules Service changes")
                          .With({});
  return c;
}

void RegisterAll() {
  SyncProxyRulesLatency();
  SyncFullProxyRulesLatency();
  SyncPartialProxyRulesLatency();
  NetworkProgrammingLatency();
  SyncProxyRulesLastTimestamp();
  SyncProxyRulesLastQueuedTimestamp();
  for (const char* t : {"filter", "nat"}) {
    IPTablesRulesTotal(t);
    IPTablesRulesLastSync(t);
  }
  IPTablesRestoreFailures();
  IPTablesPartialRestoreFailures();
  NoLocalEndpoints("internal");
  NoLocalEndpoints("external");
  EndpointChanges();
  ServiceChanges();
}

}  // namespace proxyrules::metrics
