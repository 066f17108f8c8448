// The metrics kube-apiserver exposes under the same names and labels:
// apiserver_request_total, apiserver_request_duration_seconds,
// apiserver_storage_objects, apiserver_current_inflight_requests,
// apiserver_longrunning_requests, apiserver_registered_watchers.
#pragma once

#include <chrono>
#include <string>

#include "common/metrics.h"

namespace apiserve {

class ApiServer;

struct RequestLabels {
  std::string verb, dry_run, group, version, resource, subresource, scope, component = "apiserver";
};

void RegisterServerMetrics(common::metrics::Registry& r);
// Adds the collector that refreshes apiserver_storage_objects (once).
void SetStorageObjectsCollector(common::metrics::Registry& r, ApiServer* s);
void ObserveRequest(common::metrics::Registry& r, const RequestLabels& l, int code,
                    std::chrono::steady_clock::duration latency);
void SetInflight(common::metrics::Registry& r, const std::string& kind, int n);

}  // namespace apiserve
