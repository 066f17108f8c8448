// One pod's life on the node (the kubelet's pod worker and SyncPod): admit,
// build the sandbox, run init containers in order then the containers,
// restart them per restartPolicy with CrashLoopBackOff, run probes and
// hooks, terminate (preStop, SIGTERM, grace, SIGKILL) and clean up. Syncs
// are level-triggered and serialized per pod; nothing here blocks the
// agent's main loop.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "admission.h"
#include "backoff.h"
#include "common/json.h"
#include "podspec.h"
#include "probe.h"
#include "runtime.h"
#include "timer_queue.h"
#include "volumes.h"

namespace nodeagent {

class PodWorker;

// What a pod worker needs from the agent. Implemented by the agent, and by
// tests. Every method is thread-safe.
class PodHost {
 public:
  virtual ~PodHost() = default;
  virtual Runtime& runtime() = 0;
  virtual TimerQueue& timers() = 0;
  virtual RestartBackoff& backoff() = 0;
  // Queues worker->RunSync() on the sync pool.
  virtual void ScheduleSync(std::shared_ptr<PodWorker> worker) = 0;
  // Runs `fn` (a probe or hook; may block up to its timeout) off the sync pool.
  virtual void RunProbe(std::function<void()> fn) = 0;
  // Runs `fn` (a container kill; may block for a grace period) on a thread of its own.
  virtual void RunKiller(std::function<void()> fn) = 0;
  // Admission against the pods already admitted on this node.
  virtual Admission Admit(const PodSpec& pod, bool is_static) = 0;
  virtual DownwardContext Downward(const std::string& pod_ip) = 0;
  virtual ObjectLookup Lookup() = 0;
  virtual int64_t MemoryCapacity() = 0;
  virtual std::string NodeIp() = 0;
  // The pod's status changed (called with the worker's lock released).
  virtual void OnStatus(const std::string& uid, common::Json status) = 0;
  // Every container started for the first time (pod start latency).
  virtual void OnFirstRunning(const PodSpec& pod, common::TimePoint when) = 0;
  // The worker is done: the pod was removed from its source and cleaned up.
  virtual void OnFinished(const std::string& uid) = 0;
  // Every container of the pod has stopped for good (it finished, failed,
  // was evicted or is being deleted); called once, with the lock released.
  virtual void OnTerminated(const PodSpec& pod) = 0;
  // A user-visible event (Killing, Started, Unhealthy, BackOff, FailedMount...).
  virtual void Event(const PodSpec& pod, const std::string& type, const std::string& reason,
                     const std::string& message) = 0;
};

// Whether pods a and b are equal but for their status (and
// metadata.resourceVersion and managedFields): only the status changed.
bool SameExceptStatus(const common::Json& a, const common::Json& b);

class PodWorker : public std::enable_shared_from_this<PodWorker> {
 public:
  PodWorker(PodHost* host, PodSpec spec, bool is_static);

  // A new version of the pod from its source.
  void Update(PodSpec spec);
  // The source no longer has the pod: terminate it and remove everything.
  void Remove();
  // Kill the pod now, as node-pressure eviction does (grace 0), and fail it
  // with reason Evicted and `message`.
  void Evict(const std::string& message);
  // Picks up containers a previous nodeagent left running (from the runtime's records).
  void Adopt();
  // Requests a sync soon (coalesced).
  void Trigger();
  // Runs queued syncs; called on the sync pool only.
  void RunSync();
  // One synchronous sync (tests call it directly).
  void SyncOnce();

  // Snapshot accessors; thread-safe.
  common::Json Status() const;
  common::Json PodObject() const;  // the pod with its current status
  // The same, with `raw` as the object when the worker keeps none (DropRaw).
  common::Json PodObject(const common::Json* raw) const;
  // Whether the worker keeps the source's object (see DropRaw).
  bool HasRaw() const;
  // Lets go of the source's object when the source keeps it anyway (the
  // informer's compact cache): the worker keeps the parsed spec and the
  // conditions other components own. RawEquals and SameExceptStatus then
  // have nothing to compare; the caller compares the versions it gets.
  void DropRaw();
  // A new version that differs only in status, for a worker without the raw
  // object: takes the conditions other components own from it, no sync.
  void SetApiStatus(const common::Json& pod);
  PodSpec Spec() const;
  // Whether `pod` is exactly the object this worker runs.
  bool RawEquals(const common::Json& pod) const;
  // Whether `pod` differs from the worker's only in status and
  // resourceVersion (an echo of our own status update, or another
  // component's condition): then SetRaw takes it without a sync.
  bool SameExceptStatus(const common::Json& pod) const;
  void SetRaw(std::shared_ptr<const common::Json> pod);
  bool IsTerminal() const;         // finished running (terminal phase or terminated)
  bool IsActive() const;           // counts against the node's resources
  bool IsStatic() const { return is_static_; }
  std::string Uid() const { return uid_; }
  // metadata.namespace and metadata.name, without copying the spec.
  std::pair<std::string, std::string> NamespaceName() const;
  // spec.nodeName, which never changes once a pod is bound (no lock taken).
  const std::string& NodeName() const { return node_name_; }
  // Running containers and their pids (for /runningpods and metrics).
  std::vector<ContainerStatus> RunningContainers() const;
  // The instance of `container`: the current one, or the previous one.
  std::optional<ContainerStatus> Instance(const std::string& container, bool previous) const;
  // Memory usage ranking input for eviction: usage is filled by the caller.
  int32_t Priority() const;

 private:
  struct Record {
    const ContainerSpec* spec = nullptr;
    std::optional<ContainerStatus> current, last;
    std::string waiting_reason, waiting_message;
    bool restart_pending = false;
    bool killing = false;
    std::string kill_message;  // why it is being killed (liveness, startup, ...)
    std::unique_ptr<ProbeState> liveness, readiness, startup;
    bool post_start_running = false;
    bool started_once = false;
  };
  enum class Stage { kSyncing, kTerminating, kTerminated, kFinished };

  Record& Rec(const std::string& name);
  void RefreshLocked();
  bool StartLocked(Record& r, int attempt);
  bool ShouldRestart(const Record& r) const;
  bool MaybeRestartLocked(Record& r, const std::string& key_prefix);
  void SyncContainersLocked();
  void TerminateLocked(int64_t grace_seconds);
  void KillContainerLocked(Record& r, int64_t grace_seconds, const std::string& message);
  void SetupProbesLocked(Record& r);
  void ScheduleProbe(const std::string& container, const std::string& id, ProbeType type,
                     std::chrono::steady_clock::duration delay);
  void RunProbeNow(const std::string& container, const std::string& id, ProbeType type);
  common::Json BuildStatusLocked();
  int64_t DeletionGraceLocked() const;
  std::string BackoffKey(const Record& r) const;

  PodHost* host_;
  const bool is_static_;
  const std::string uid_;
  const std::string node_name_;
  mutable std::mutex mu_;
  PodSpec spec_;
  std::map<std::string, Record> records_;
  Stage stage_ = Stage::kSyncing;
  bool removed_ = false;
  bool admitted_ = false;
  std::optional<Admission> rejection_;
  std::string forced_phase_, forced_reason_, forced_message_;
  int64_t forced_grace_ = -1;
  std::optional<SandboxInfo> sandbox_;
  std::string sandbox_error_reason_, sandbox_error_;
  std::optional<common::TimePoint> start_time_;
  std::chrono::steady_clock::time_point active_since_;
  bool reported_running_ = false;
  // The last status built, packed (common::PackJson): ≈ a fifth of its Json
  // tree, which was the largest item a fake pod's worker held (≈ 2.5 KB).
  std::string status_packed_;
  // The API copy's conditions that the node does not own (PodScheduled,
  // DisruptionTarget...); null when the API copy had no conditions.
  common::Json api_conditions_;
  bool retry_scheduled_ = false;
  bool resync_ = false;  // sync again at once (after a start failure)
  bool reported_terminated_ = false;

  // Sync scheduling (see Trigger/RunSync).
  std::mutex sched_mu_;
  bool queued_ = false, running_ = false, rerun_ = false;
};

}  // namespace nodeagent
