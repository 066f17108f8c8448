// `schedule run`: the scheduler against an API server, as kube-scheduler
// runs. Informers on nodes, pods and the objects plugins consult (PVs, PVCs,
// StorageClasses, PriorityClasses, PDBs, namespaces, the workloads default
// spreading derives selectors from) feed the engine's cache and queue; pods
// whose spec.schedulerName names a profile are scheduled and bound through
// pods/<name>/binding; failures get the FailedScheduling event and the
// PodScheduled condition. With leader election only the instance holding
// the Lease runs the scheduling loop (every instance keeps its caches warm,
// as upstream does). /healthz, /livez, /readyz and /metrics are served.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/events.h"
#include "common/http_server.h"
#include "common/informer.h"
#include "common/leader_election.h"
#include "common/metrics.h"
#include "common/rest_client.h"
#include "common/status.h"
#include "config/config.h"
#include "engine/clock.h"
#include "engine/scheduler.h"
#include "model/object_store.h"

namespace schedule {

class ApiClient;

struct DaemonOptions {
  Configuration config = DefaultConfiguration();
  // Where /healthz, /livez, /readyz and /metrics are served ("host:port").
  std::vector<std::string> listen;
  // Both set: serve HTTPS (kube-scheduler always does; plain HTTP otherwise).
  std::string tls_cert_file, tls_key_file;
  // Campaign for the Lease named in config.leader_election before scheduling.
  bool leader_elect = false;
  std::string identity;  // "" = common::DefaultLeaderIdentity()
  // Binding cycles in flight at once (upstream: a goroutine each).
  int bind_threads = 16;
  common::InformerOptions informer;
};

// Thread-safe. Start once, Stop once.
class Daemon {
 public:
  // `client` must outlive the daemon.
  Daemon(DaemonOptions options, common::RestClient* client);
  ~Daemon();  // Stop()

  // Builds the scheduler (errors are configuration errors), serves HTTP,
  // starts the informers and, once they have synced, the scheduling loop
  // (after winning the election with leader_elect).
  common::Status Start();
  // Stops scheduling, finishes bindings in flight, stops watching and
  // serving; with leader election releases the Lease.
  void Stop();
  // True once this instance led and then lost the Lease: the process should
  // exit (kube-scheduler exits with "leaderelection lost").
  bool LostLeadership() const { return lost_leadership_.load(); }
  // True while this instance runs the scheduling loop.
  bool Scheduling() const { return scheduling_.load(); }

  std::vector<std::string> BoundAddresses() const;
  // Refreshes scheduler_pending_pods from the queue (before each scrape).
  void UpdatePendingGauge();

 private:
  void OnPod(const common::ObjectPtr& old_obj, const common::ObjectPtr& obj, bool deleted);
  void OnNode(const common::ObjectPtr& obj, bool deleted);
  void OnObject(const common::ObjectPtr& obj, bool deleted);
  // The informer's pod, decoded; null (and an event or log) when unusable.
  PodPtr DecodePod(const common::ObjectPtr& obj);
  std::optional<PodPtr> CurrentPendingPod(const Pod& pod);
  // Waits for the caches, then runs the loop until `stop` (or Stop()).
  void ScheduleLoop(const std::atomic<bool>& stop);
  common::HttpResponse Health() const;

  DaemonOptions opts_;
  common::RestClient* client_;
  RealClock clock_;
  ObjectStore store_;
  std::unique_ptr<common::EventRecorder> events_;
  std::unique_ptr<ApiClient> api_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<common::SharedInformerFactory> informers_;
  std::unique_ptr<common::HttpServer> http_;
  std::unique_ptr<common::LeaderElector> elector_;
  std::thread main_thread_;

  // The informers' pods and nodes as decoded (old values for the engine's
  // update and delete handlers). Keyed by ns/name and name.
  std::mutex objects_mu_;
  std::unordered_map<std::string, PodPtr> pods_;
  std::unordered_map<std::string, NodePtr> nodes_;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> scheduling_{false};
  std::atomic<bool> lost_leadership_{false};
  common::metrics::Family<common::metrics::Gauge>* pending_ = nullptr;
  common::metrics::Family<common::metrics::Gauge>* leader_ = nullptr;
};

}  // namespace schedule
