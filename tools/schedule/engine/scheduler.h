// The scheduler: profiles (frameworks), the cache, the queue, and the
// scheduling cycle (upstream's schedule_one.go): PreFilter, Filter over a
// sample of nodes starting at a rotating index, PostFilter (preemption) on
// failure, PreScore/Score, host selection, assume, Reserve, binding. The
// simulator and cluster mode drive the same object.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/metrics.h"
#include "common/thread_pool.h"
#include "config/config.h"
#include "engine/cache.h"
#include "engine/clock.h"
#include "engine/queue.h"
#include "framework/framework.h"

namespace schedule {

// The outcome of one scheduling attempt, for reports and metrics.
struct CycleRecord {
  PodPtr pod;
  std::string profile;
  int attempt = 0;
  enum class Result { kScheduled, kUnschedulable, kError } result = Result::kError;
  std::string node;           // chosen node when scheduled
  std::optional<int64_t> score;  // total weighted score of the chosen node (absent: not scored)
  int evaluated_nodes = 0;
  int feasible_nodes = 0;
  std::string message;           // FailedScheduling text, or the error
  std::string nominated_node;    // set by preemption
  std::vector<PodPtr> victims;   // evicted by preemption
  std::chrono::nanoseconds duration{0};
};

// Everything --explain shows about one attempt.
struct CycleDetail {
  PodPtr pod;
  int num_all_nodes = 0;
  std::vector<std::pair<std::string, Status>> pre_filter;  // plugin -> status (Skip included)
  std::optional<std::set<std::string>> narrowed_to;         // PreFilterResult
  Status pre_filter_status;                                 // the rejection, if any
  struct NodeRow {
    std::string node;
    bool evaluated = false;   // inside the sample upstream's search examined
    bool feasible = false;
    Status status;            // upstream's recorded status (first failing filter)
    struct Rejection {
      std::string plugin;
      std::string reason;
      std::string detail;  // the plugin's Explain()
    };
    std::vector<Rejection> rejections;  // every failing filter, in filter order
  };
  std::vector<NodeRow> nodes;
  int num_to_find = 0;
  // Scores of the feasible nodes the search kept.
  std::vector<std::string> score_plugins;
  std::vector<int32_t> score_weights;
  std::vector<std::string> scored_nodes;
  ScoreResult scores;
  CycleRecord record;
};

class CycleObserver {
 public:
  virtual ~CycleObserver() = default;
  virtual void OnCycle(const CycleRecord& record) { (void)record; }
  // Whether to collect a CycleDetail for `pod` (costly: every node, every filter).
  virtual bool WantsDetail(const Pod& pod) { (void)pod; return false; }
  virtual void OnDetail(const CycleDetail& detail) { (void)detail; }
};

struct SchedulerOptions {
  Configuration config = DefaultConfiguration();
  const Clock* clock = nullptr;      // required
  ObjectStore* objects = nullptr;    // required
  ClusterClient* client = nullptr;   // required for binding
  uint64_t seed = 1;                 // tie-breaking among equal scores, preemption offset
  common::metrics::Registry* metrics = nullptr;  // optional
  const PluginRegistry* registry = nullptr;       // null: DefaultRegistry()
  // > 0: binding cycles (PreBind, Bind) run on this many threads, so the
  // next pod is scheduled while the API server stores the last binding
  // (upstream's goroutine per binding). 0: inline (the simulator).
  int bind_threads = 0;
};

// Thread-safety: ScheduleOne/Run on one thread; the On* event handlers may
// be called from informer threads concurrently.
class Scheduler {
 public:
  static common::Result<std::unique_ptr<Scheduler>> Create(SchedulerOptions options);
  ~Scheduler();

  Cache& cache() { return cache_; }
  SchedulingQueue& queue() { return *queue_; }
  ObjectStore& objects() { return *opts_.objects; }
  // The framework of profile `scheduler_name`, or null.
  Framework* FrameworkFor(const std::string& scheduler_name) const;
  const std::vector<std::unique_ptr<Framework>>& frameworks() const { return frameworks_; }
  void set_observer(CycleObserver* o) { observer_ = o; }
  Parallelizer& parallelizer() { return *parallelizer_; }

  // Pops one pod and schedules it; false when the queue is closed.
  bool ScheduleNext();
  // Non-blocking: false when activeQ is empty.
  bool TryScheduleNext();
  // Scheduling loop until the queue closes.
  void Run();
  // Waits until no binding cycle is in flight or `timeout` passes; true
  // when none is.
  bool WaitForBindings(std::chrono::milliseconds timeout);

  // Cluster events (from files or informers).
  void OnNodeAdd(NodePtr node);
  void OnNodeUpdate(const Node& old_node, NodePtr node);
  void OnNodeDelete(const Node& node);
  // A pod seen bound to a node (or terminal/deleted), or pending.
  void OnPodAdd(PodPtr pod);
  void OnPodUpdate(const PodPtr& old_pod, PodPtr pod);
  void OnPodDelete(const PodPtr& pod);
  // PV, PVC and StorageClass changes may make pods schedulable.
  void OnStorageEvent(EventResource resource, uint32_t action);

  // upstream's numFeasibleNodesToFind.
  static int NumFeasibleNodesToFind(int32_t percentage, int num_all_nodes);

 private:
  explicit Scheduler(SchedulerOptions options);
  bool Responsible(const Pod& pod) const { return FrameworkFor(pod.scheduler_name) != nullptr; }
  void ScheduleOne(QueuedPodInfoPtr info);
  struct Attempt;
  // upstream's schedulePod: finds and scores nodes; fills `a`.
  void SchedulePod(Framework& fw, CycleState& state, const Pod& pod, Attempt& a, CycleDetail* detail);
  void FindNodesThatPassFilters(Framework& fw, const CycleState& state, const Pod& pod,
                                const std::vector<NodeInfo*>& nodes, int num_to_find, Attempt& a,
                                int* processed, const NodeInfo* skip);
  void FillDetail(Framework& fw, const CycleState& state, const Pod& pod, const Attempt& a, CycleDetail* d);
  void HandleFailure(Framework& fw, QueuedPodInfoPtr info, const Attempt& a, int64_t cycle);
  // PreBind and Bind for an assumed pod; on failure undoes the assumption
  // and requeues the pod. Runs on a binder thread when bind_threads > 0.
  void BindingCycle(Framework& fw, CycleState& state, const QueuedPodInfoPtr& info, const PodPtr& assumed,
                    int64_t cycle, CycleRecord& rec, MonoTime start, CycleDetail* detail);
  void FailBinding(Framework& fw, const QueuedPodInfoPtr& info, const Status& failure, int64_t cycle,
                   CycleRecord& rec, MonoTime start, CycleDetail* detail);
  void Observe(CycleRecord& rec, MonoTime start);
  uint64_t NextRandom();

  SchedulerOptions opts_;
  std::unique_ptr<Parallelizer> parallelizer_;
  Cache cache_;
  Snapshot snapshot_;
  std::unique_ptr<SchedulingQueue> queue_;
  std::vector<std::unique_ptr<Framework>> frameworks_;
  std::map<std::string, Framework*> by_name_;
  CycleObserver* observer_ = nullptr;
  size_t next_start_node_index_ = 0;
  uint64_t rng_state_;
  // The cycle's state; reused across cycles, handed to the binding cycle
  // when that runs on a binder thread.
  std::unique_ptr<CycleState> state_;
  std::unique_ptr<common::ThreadPool> bind_pool_;
  std::atomic<int> bindings_in_flight_{0};
  std::mutex bind_mu_;
  std::condition_variable bind_cv_;
  std::vector<uint8_t> filter_ok_;      // per-batch filter results, reused
  std::vector<Status> filter_failed_;
  // Metrics (null when no registry).
  common::metrics::Family<common::metrics::Counter>* attempts_ = nullptr;
  common::metrics::Family<common::metrics::Histogram>* attempt_duration_ = nullptr;
  common::metrics::Family<common::metrics::Counter>* preemption_attempts_ = nullptr;
  common::metrics::Family<common::metrics::Histogram>* preemption_victims_ = nullptr;
};

}  // namespace schedule
