// The scheduling queue (upstream's PriorityQueue): activeQ ordered by
// priority then queue time, backoffQ for pods retrying after a failure
// (1 s doubling to 10 s by default), and the unschedulable pool, from which
// cluster events a rejecting plugin registered for move pods back, and
// where no pod stays longer than 5 minutes. It also tracks nominated pods.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/clock.h"
#include "framework/interface.h"

namespace schedule {

struct QueuedPodInfo {
  PodPtr pod;
  MonoTime timestamp{};        // when it last entered the queue
  MonoTime initial_attempt{};  // first scheduling attempt
  int attempts = 0;
  // Plugins that rejected it last time; events they registered move it back.
  std::set<std::string> unschedulable_plugins;
  bool gated = false;  // held by a PreEnqueue plugin
  std::string gated_message;
  uint64_t seq = 0;  // tie-breaker: arrival order
};
using QueuedPodInfoPtr = std::shared_ptr<QueuedPodInfo>;

struct QueueOptions {
  std::chrono::nanoseconds initial_backoff = std::chrono::seconds(1);
  std::chrono::nanoseconds max_backoff = std::chrono::seconds(10);
  std::chrono::nanoseconds max_in_unschedulable = std::chrono::minutes(5);
  // PreEnqueue plugins of the pod's profile; Success lets it into activeQ.
  std::function<Status(const Pod&)> pre_enqueue;
  // Events each plugin registered (plugin name -> events).
  std::vector<std::pair<std::string, std::vector<ClusterEvent>>> plugin_events;
};

// Thread-safe.
class SchedulingQueue : public Nominator {
 public:
  SchedulingQueue(const Clock* clock, QueueOptions options);
  ~SchedulingQueue() override;

  // Sets the events each plugin registered (before any pod is queued).
  void SetPluginEvents(std::vector<std::pair<std::string, std::vector<ClusterEvent>>> events);

  // A new pending pod.
  void Add(PodPtr pod);
  // A pending pod changed (labels, tolerations, gates...).
  void Update(const Pod& old_pod, PodPtr pod);
  // A pending pod was deleted or bound by someone else.
  void Delete(const Pod& pod);

  // The next pod to schedule; blocks until there is one. Null after Close().
  QueuedPodInfoPtr Pop();
  // Non-blocking Pop: null when activeQ is empty.
  QueuedPodInfoPtr TryPop();
  // Requeues a pod whose attempt failed: to backoffQ when an event it may
  // care about arrived during its cycle (or nothing rejected it), else to
  // the unschedulable pool.
  void AddUnschedulableIfNotPresent(QueuedPodInfoPtr info, int64_t pod_cycle);
  // Marks a popped pod as no longer in flight (scheduled or given up).
  void Done(const std::string& uid);
  int64_t SchedulingCycle() const;

  // Moves unschedulable pods that a plugin rejecting them registered `event`
  // for (all of them for a wildcard) to activeQ, or backoffQ while backing off.
  void MoveAllToActiveOrBackoffQueue(const ClusterEvent& event);
  // Moves pods whose backoff has expired to activeQ.
  void FlushBackoffQCompleted();
  // Moves pods unschedulable for longer than max_in_unschedulable.
  void FlushUnschedulablePodsLeftover();
  // The earliest backoff expiry, if backoffQ is not empty.
  std::optional<MonoTime> NextBackoffExpiry() const;
  // Starts the flush loops on a background thread (cluster mode).
  void Run();
  // Wakes Pop() callers; they get null from now on.
  void Close();

  // Nominated pods.
  void AddNominatedPod(PodPtr pod, const std::string& node);  // "" removes
  void DeleteNominatedPodIfExists(const Pod& pod);
  std::vector<PodPtr> NominatedPodsForNode(const std::string& node) const override;
  bool Empty() const override;

  struct Counts {
    size_t active = 0, backoff = 0, unschedulable = 0, gated = 0;
  };
  Counts PendingCounts() const;
  // Pods in the unschedulable pool (and gated), for the simulator's report.
  std::vector<QueuedPodInfoPtr> UnschedulablePods() const;
  std::chrono::nanoseconds BackoffDuration(const QueuedPodInfo& info) const;

 private:
  struct ActiveLess {
    bool operator()(const QueuedPodInfoPtr& a, const QueuedPodInfoPtr& b) const;
  };
  struct BackoffLess {
    const SchedulingQueue* q;
    bool operator()(const QueuedPodInfoPtr& a, const QueuedPodInfoPtr& b) const;
  };

  MonoTime BackoffExpiry(const QueuedPodInfo& info) const { return info.timestamp + BackoffDuration(info); }
  bool IsBackingOff(const QueuedPodInfo& info) const { return BackoffExpiry(info) > clock_->Now(); }
  bool MatchesEvent(const QueuedPodInfo& info, const ClusterEvent& event) const;
  // Removes the pod from whichever queue holds it; returns its info.
  QueuedPodInfoPtr RemoveLocked(const std::string& uid);
  void AddToActiveLocked(QueuedPodInfoPtr info);  // runs PreEnqueue; gated pods go to the pool
  void MoveLocked(QueuedPodInfoPtr info);         // to backoffQ or activeQ
  void AddNominatedLocked(PodPtr pod, const std::string& node);
  void DeleteNominatedLocked(const std::string& uid);

  const Clock* clock_;
  QueueOptions opts_;
  mutable std::mutex mu_;
  std::condition_variable cv_;        // Pop waits for activeQ
  std::condition_variable flush_cv_;  // the flush loop waits for Close (its own, or
                                      // notify_one could wake it instead of a Pop)
  bool closed_ = false;
  int64_t cycle_ = 0;
  int64_t move_request_cycle_ = -1;
  uint64_t seq_ = 0;
  std::set<QueuedPodInfoPtr, ActiveLess> active_;
  std::set<QueuedPodInfoPtr, BackoffLess> backoff_;
  std::unordered_map<std::string, QueuedPodInfoPtr> unschedulable_;
  std::unordered_map<std::string, QueuedPodInfoPtr> by_uid_;  // every queued pod
  std::set<std::string> in_flight_;
  std::unordered_map<std::string, std::vector<PodPtr>> nominated_;  // node -> pods
  std::unordered_map<std::string, std::string> nominated_node_;    // uid -> node
  std::atomic<size_t> nominated_count_{0};  // read without the lock on every filter call
  std::thread* runner_ = nullptr;
};

}  // namespace schedule
