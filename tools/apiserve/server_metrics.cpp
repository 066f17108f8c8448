#include "server_metrics.h"

#include <atomic>

#include "api_server.h"
#include "common/strings.h"

namespace apiserve {

namespace m = common::metrics;

namespace {
// apiserver endpoints/metrics/metrics.go requestLatencies buckets.
const std::vector<double> kLatencyBuckets = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8,
                                             1.0,   1.25,  1.5,  2,   3,   4,   5,   6,
                                             8,     10,    15,   20,  30,  45,  60};
const std::vector<std::string> kDurationLabels = {"component", "dry_run", "group", "resource",
                                                  "scope", "subresource", "verb", "version"};
const std::vector<std::string> kTotalLabels = {"code", "component", "dry_run", "group", "resource",
                                               "scope", "subresource", "verb", "version"};
}  // namespace

void RegisterServerMetrics(m::Registry& r) {
  r.AddCounter("apiserver_request_total",
               "[STABLE] Counter of apiserver requests broken out for each verb, dry run value, "
               "group, version, resource, scope, component, and HTTP response code.",
               kTotalLabels);
  r.AddHistogram("apiserver_request_duration_seconds",
                 "[STABLE] Response latency distribution in seconds for each verb, dry run value, "
                 "group, version, resource, subresource, scope and component.",
                 kDurationLabels, kLatencyBuckets);
  r.AddGauge("apiserver_storage_objects",
             "[STABLE] Number of stored objects at the time of last check split by kind. In case "
             "of a fetching error, the value will be -1.",
             {"resource"});
  r.AddGauge("apiserver_current_inflight_requests",
             "[STABLE] Maximal number of currently used inflight request limit of this apiserver "
             "per request kind in last second.",
             {"request_kind"});
  r.AddGauge("apiserver_longrunning_requests",
             "[STABLE] Gauge of all active long-running apiserver requests broken out by verb, "
             "group, version, resource, scope and component. Not all requests are tracked this "
             "way.",
             {"component", "group", "resource", "scope", "subresource", "verb", "version"});
  r.AddGauge("apiserver_registered_watchers",
             "[ALPHA] Number of currently registered watchers for a given resources",
             {"group", "kind", "version"});
}

void SetStorageObjectsCollector(m::Registry& r, ApiServer* s) {
  static std::atomic<bool> once{false};
  if (once.exchange(true)) return;
  auto& fam = r.AddGauge("apiserver_storage_objects", "", {"resource"});
  auto& watchers = r.AddGauge("apiserver_registered_watchers", "", {"group", "kind", "version"});
  r.AddCollector([s, &fam, &watchers] {
    for (const auto& [res, n] : s->StorageObjectCounts()) fam.With({res}).Set(static_cast<double>(n));
    for (const auto& [gvk, n] : s->WatcherCounts()) {
      auto parts = common::Split(gvk, '|');
      if (parts.size() == 3) watchers.With({parts[0], parts[1], parts[2]}).Set(static_cast<double>(n));
    }
  });
}

void ObserveRequest(m::Registry& r, const RequestLabels& l, int code,
                    std::chrono::steady_clock::duration latency) {
  static auto& total = r.AddCounter("apiserver_request_total", "", kTotalLabels);
  static auto& dur = r.AddHistogram("apiserver_request_duration_seconds", "", kDurationLabels,
                                    kLatencyBuckets);
  total
      .With({std::to_string(code), l.component, l.dry_run, l.group, l.resource, l.scope,
             l.subresource, l.verb, l.version})
      .Inc();
  if (l.verb == "WATCH" || l.verb == "CONNECT") return;  // long-running: not a latency
  dur.With({l.component, l.dry_run, l.group, l.resource, l.scope, l.subresource, l.verb, l.version})
      .Observe(std::chrono::duration<double>(latency).count());
}

void SetInflight(m::Registry& r, const std::string& kind, int n) {
  static auto& g = r.AddGauge("apiserver_current_inflight_requests", "", {"request_kind"});
  g.With({kind}).Set(n);
}

}  // namespace apiserve
