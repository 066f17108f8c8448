// The node agent: pod sources feed a sync loop that creates, updates and
// removes pod workers; housekeeping cleans up what no source wants; the
// eviction manager watches memory. The loop only dispatches — every slow
// thing (starting processes, probes, kills, API calls) happens elsewhere,
// so it is never blocked (the seed's point about the kubelet's main thread).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "admission.h"
#include "backoff.h"
#include "common/metrics.h"
#include "common/thread_pool.h"
#include "eviction.h"
#include "node_info.h"
#include "options.h"
#include "pod_worker.h"
#include "runtime.h"
#include "timer_queue.h"

namespace nodeagent {

class ProcessRuntime;

// Node-level figures the HTTP server and the node status read.
struct NodeConditions {
  bool memory_pressure = false;
  bool disk_pressure = false;
  bool pid_pressure = false;
  int64_t memory_available = -1;
};

class Agent : public PodHost {
 public:
  explicit Agent(Options options);
  ~Agent() override;

  // Detects the machine, prepares the runtime (cgroups, network), picks up
  // pods a previous run left and starts the loops. Errors are fatal setup
  // problems (bad flags, no cgroups, no bridge).
  common::Status Start();
  // Stops the loops. Running containers are left alone (they survive a
  // restart). Idempotent.
  void Stop();

  // A pod source's complete current set (source "file", "api", ...).
  void SetPods(const std::string& source, std::vector<common::Json> pods);
  // Incremental changes from a watching source.
  void UpsertPod(const std::string& source, const common::Json& pod);
  // The same for an object shared with its source (an informer's cache),
  // which the agent keeps instead of a copy. Never modified.
  void UpsertPod(const std::string& source, std::shared_ptr<const common::Json> pod);
  // The same with the version it replaces (an informer's update), which
  // tells a status-only change apart when the worker keeps no raw object.
  void UpsertPod(const std::string& source, std::shared_ptr<const common::Json> pod,
                 std::shared_ptr<const common::Json> old);
  void DeletePod(const std::string& source, const std::string& uid);

  // A source has delivered its first complete set (for the API: its
  // informer synced), so pods it does not have may be cleaned up.
  void MarkSourceSeen(const std::string& source);

  // Lookups for the HTTP server; thread-safe.
  std::shared_ptr<PodWorker> FindPod(const std::string& ns, const std::string& name) const;
  std::shared_ptr<PodWorker> FindPodByUid(const std::string& uid) const;
  std::vector<std::shared_ptr<PodWorker>> Pods() const;
  // The pod as its source has it, with the worker's current status.
  common::Json PodObject(const PodWorker& w) const;
  // The first node's name (the only one without --fake-nodes); static pods run there.
  const std::string& node_name() const { return node_names_.front(); }
  // Every node this process runs (one, or --fake-nodes of them).
  const std::vector<std::string>& node_names() const { return node_names_; }
  bool IsMyNode(const std::string& name) const { return nodes_.count(name) > 0; }
  // The node's state (labels, taints, allocatable, pressure); the first node's by default.
  NodeState Node(const std::string& name = "") const;
  const std::string& node_ip() const { return node_ip_; }
  // The source a pod came from ("file", "api"), "" when unknown.
  std::string SourceOf(const std::string& uid) const;
  NodeConditions Conditions() const;
  const MachineInfo& machine() const { return machine_; }
  const ResourceList& capacity() const { return capacity_; }
  const ResourceList& allocatable() const { return allocatable_; }
  // The time the sync loop last went round (for /healthz/syncloop).
  std::chrono::steady_clock::time_point last_loop() const { return last_loop_.load(); }
  ProcessRuntime* process_runtime() { return process_runtime_; }
  const Options& options() const { return opts_; }

  // PodHost.
  Runtime& runtime() override { return *runtime_; }
  TimerQueue& timers() override { return timers_; }
  RestartBackoff& backoff() override { return backoff_; }
  void ScheduleSync(std::shared_ptr<PodWorker> worker) override;
  void RunProbe(std::function<void()> fn) override;
  void RunKiller(std::function<void()> fn) override;
  Admission Admit(const PodSpec& pod, bool is_static) override;
  DownwardContext Downward(const std::string& pod_ip) override;
  ObjectLookup Lookup() override { return lookup_; }
  int64_t MemoryCapacity() override { return MemoryBytes(capacity_); }
  std::string NodeIp() override { return node_ip_; }
  void OnStatus(const std::string& uid, common::Json status) override;
  void OnFirstRunning(const PodSpec& pod, common::TimePoint when) override;
  void OnFinished(const std::string& uid) override;
  void OnTerminated(const PodSpec& pod) override;
  void Event(const PodSpec& pod, const std::string& type, const std::string& reason,
             const std::string& message) override;

  // Hooks for the API side (phase 2): where statuses and events go, and
  // how ConfigMaps/Secrets are found. Set before Start.
  // `ns`/`name` are the pod's; the sink may keep `status` (it is its own copy).
  std::function<void(const std::string& uid, const std::string& ns, const std::string& name,
                     common::Json status)>
      status_sink;
  // Called when a pod's containers have all stopped for good.
  std::function<void(const PodSpec& pod)> terminated_sink;
  // Called when a pod's worker is gone (removed from its source, cleaned up).
  std::function<void(const std::string& uid)> finished_sink;
  std::function<void(const PodSpec& pod, const std::string& type, const std::string& reason,
                     const std::string& message)>
      event_sink;
  void SetLookup(ObjectLookup lookup) { lookup_ = std::move(lookup); }
  // Finds an "api" pod's object by namespace and name (the informer's
  // compact cache). Once set, the workers of "api" pods keep no copy of
  // their own. Thread-safe; set it before pods arrive from the API.
  using PodLookup =
      std::function<std::shared_ptr<const common::Json>(const std::string& ns, const std::string& name)>;
  void SetApiPodLookup(PodLookup lookup);
  // Sources whose first full set must arrive before orphaned pods are
  // cleaned up ("api" when an API server feeds pods). Set before Start.
  std::vector<std::string> expected_sources;

 private:
  struct Change {
    enum Kind { kSet, kUpsert, kDelete } kind;
    std::string source;
    std::vector<std::shared_ptr<const common::Json>> pods;
    std::string uid;
    std::shared_ptr<const common::Json> old;  // kUpsert: the version replaced, if known
  };
  void Post(Change c);
  void Loop();
  void Apply(Change& c);
  void Upsert(const std::string& source, const std::shared_ptr<const common::Json>& pod,
              const std::shared_ptr<const common::Json>& old);
  // Drops `uid` from the pods admitted on `node` (its spec.nodeName). mu_ held.
  void ForgetAdmittedLocked(const std::string& uid, const std::string& node);
  void Housekeeping();
  void EvictionCheck();
  void RegisterMetrics();

  Options opts_;
  MachineInfo machine_;
  NodeState node_;  // the template every node's state is made from
  std::vector<std::string> node_names_;
  std::map<std::string, NodeState> nodes_;
  std::string node_ip_;
  ResourceList capacity_, allocatable_;
  std::vector<Threshold> thresholds_;
  std::chrono::seconds transition_{300};

  TimerQueue timers_;
  RestartBackoff backoff_;
  std::unique_ptr<Runtime> runtime_;
  ProcessRuntime* process_runtime_ = nullptr;
  std::unique_ptr<common::ThreadPool> sync_pool_, probe_pool_;
  ObjectLookup lookup_;

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<PodWorker>> workers_;     // by uid
  std::map<std::string, std::string> source_of_;                   // uid -> source
  std::shared_ptr<const PodLookup> api_pod_lookup_;                // see SetApiPodLookup
  std::map<std::string, std::string> by_name_;                     // ns/name -> uid
  std::map<std::string, std::string> name_of_;                     // uid -> ns/name
  std::map<std::string, std::map<std::string, AdmittedPod>> admitted_;  // node -> uid -> summary
  std::map<std::string, common::TimePoint> first_seen_;
  std::set<std::string> sources_seen_;
  std::set<std::string> cleaning_;  // orphans being removed

  mutable std::mutex cond_mu_;
  NodeConditions conditions_;
  PressureCondition memory_pressure_, disk_pressure_, pid_pressure_;

  std::mutex q_mu_;
  std::condition_variable q_cv_;
  std::deque<Change> queue_;
  bool stopping_ = false;
  std::atomic<std::chrono::steady_clock::time_point> last_loop_{};
  std::thread loop_;
  std::atomic<int> killers_{0};

  common::metrics::Histogram* start_duration_ = nullptr;
  common::metrics::Family<common::metrics::Counter>* started_containers_ = nullptr;
  common::metrics::Family<common::metrics::Counter>* evictions_ = nullptr;
};

}  // namespace nodeagent
