// The scheduling framework's extension points, as upstream defines them
// (pkg/scheduler/framework/interface.go): a plugin implements the interfaces
// of the points it takes part in, and the Framework calls them in order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "framework/cycle_state.h"
#include "framework/diagnosis.h"
#include "framework/node_info.h"
#include "framework/status.h"
#include "model/types.h"

namespace schedule {

inline constexpr int64_t kMaxNodeScore = 100;
inline constexpr int64_t kMinNodeScore = 0;

// What changed in the cluster, for moving unschedulable pods back to the
// active queue (upstream's fwk.ClusterEvent). Action bits combine.
enum ActionType : uint32_t {
  kAdd = 1u << 0,
  kDelete = 1u << 1,
  kUpdateNodeAllocatable = 1u << 2,
  kUpdateNodeLabel = 1u << 3,
  kUpdateNodeTaint = 1u << 4,
  kUpdateNodeCondition = 1u << 5,
  kUpdatePodLabel = 1u << 6,
  kUpdatePodScaleDown = 1u << 7,
  kUpdatePodToleration = 1u << 8,
  kUpdatePodSchedulingGatesEliminated = 1u << 9,
  kUpdateOther = 1u << 10,
  kUpdate = (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8) |
            (1u << 9) | (1u << 10),
  kAll = 0x7ff,
};

enum class EventResource : uint8_t {
  kAssignedPod,
  kUnscheduledPod,
  kNode,
  kPersistentVolume,
  kPersistentVolumeClaim,
  kStorageClass,
  kWildCard,
};

struct ClusterEvent {
  EventResource resource = EventResource::kWildCard;
  uint32_t actions = kAll;
  // Registered event `*this` covers the incoming event `e`.
  bool Covers(const ClusterEvent& e) const {
    if (resource == EventResource::kWildCard) return true;
    return resource == e.resource && (actions & e.actions) != 0;
  }
  // "NodeAdd", "AssignedPodDelete", ... (the scheduler_queue_incoming_pods_total event label).
  std::string Label() const;
};

// Nominated pods: pods preemption made room for, waiting for their victims
// to go away. The scheduling queue implements it.
class Nominator {
 public:
  virtual ~Nominator() = default;
  // Pods nominated to `node`. Thread-safe.
  virtual std::vector<PodPtr> NominatedPodsForNode(const std::string& node) const = 0;
  // True when no pod is nominated anywhere (a fast path for every filter call).
  virtual bool Empty() const = 0;
};

// The API actions plugins perform: binding, deleting preemption victims.
// Cluster mode talks to the API server; the simulator updates its cache.
class ClusterClient {
 public:
  virtual ~ClusterClient() = default;
  virtual common::Status Bind(const Pod& pod, const std::string& node) = 0;
  // Deletes a preemption victim; `preemptor` is the pod it makes room for.
  virtual common::Status DeleteVictim(const Pod& victim, const Pod& preemptor,
                                      const std::string& node) = 0;
  // Clears status.nominatedNodeName of a pod that lost its nomination.
  virtual common::Status ClearNomination(const Pod& pod) = 0;
  // A scheduling attempt failed: a FailedScheduling Warning event (message
  // truncated as upstream's note) and the PodScheduled=False condition with
  // `reason` ("Unschedulable" or "SchedulerError") and the full message;
  // sets status.nominatedNodeName when `nominated_node` has a value.
  virtual void RecordFailure(const Pod& pod, const std::string& reason, const std::string& message,
                             const std::optional<std::string>& nominated_node) = 0;
  // A pod was bound: the Normal "Scheduled" event.
  virtual void RecordScheduled(const Pod& pod, const std::string& node) = 0;
  // After a failed attempt: the pod as the cluster has it now when it is
  // still pending, null when it was deleted or bound meanwhile (it is then
  // not requeued), nullopt when the client cannot tell (the simulator).
  virtual std::optional<PodPtr> CurrentPendingPod(const Pod& pod) {
    (void)pod;
    return std::nullopt;
  }
};

class Framework;

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual std::string_view Name() const = 0;
  // Cluster events that may make a pod this plugin rejected schedulable
  // (upstream's EnqueueExtensions). The default is every event.
  virtual std::vector<ClusterEvent> EventsToRegister() const { return {ClusterEvent{}}; }
  // The plugin's slot in CycleState.
  size_t slot() const { return slot_; }
  void set_slot(size_t slot) { slot_ = slot; }

 private:
  size_t slot_ = 0;
};

// Keeps a pod out of the active queue while it returns non-success.
class PreEnqueuePlugin : public virtual Plugin {
 public:
  virtual Status PreEnqueue(const Pod& pod) const = 0;
};

// Upstream's PreFilterResult: nullopt means every node.
struct PreFilterResult {
  std::optional<std::set<std::string>> node_names;
  bool AllNodes() const { return !node_names.has_value(); }
  // Intersection with `other`.
  void Merge(const PreFilterResult& other);
};

class PreFilterPlugin : public virtual Plugin {
 public:
  // Computes the cycle state Filter reads. Skip means Filter is not run.
  virtual Status PreFilter(CycleState& state, const Pod& pod, PreFilterResult* result) = 0;
  // Plugins whose state depends on the pods on nodes implement these, so
  // preemption and nominated pods can add and remove pods from a copy.
  virtual bool HasExtensions() const { return false; }
  virtual Status AddPod(CycleState& state, const Pod& to_schedule, const PodPtr& to_add,
                        const NodeInfo& node) const {
    (void)state, (void)to_schedule, (void)to_add, (void)node;
    return Status();
  }
  virtual Status RemovePod(CycleState& state, const Pod& to_schedule, const Pod& to_remove,
                           const NodeInfo& node) const {
    (void)state, (void)to_schedule, (void)to_remove, (void)node;
    return Status();
  }
};

class FilterPlugin : public virtual Plugin {
 public:
  // Called concurrently for different nodes; must only read `state`.
  virtual Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const = 0;
  // More detail than the reason string for a rejection of `node` (the
  // untolerated taint, the resource arithmetic), for --explain. "" when none.
  virtual std::string Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const {
    (void)state, (void)pod, (void)node;
    return "";
  }
};

struct PostFilterResult {
  bool has_nomination = false;
  std::string nominated_node;  // "" with has_nomination clears a nomination
  std::vector<PodPtr> victims;
};

class PostFilterPlugin : public virtual Plugin {
 public:
  virtual Status PostFilter(CycleState& state, const Pod& pod, const NodeToStatus& statuses,
                            PostFilterResult* result) = 0;
};

class PreScorePlugin : public virtual Plugin {
 public:
  // `nodes` are the feasible nodes. Skip means Score is not run.
  virtual Status PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) = 0;
};

class ScorePlugin : public virtual Plugin {
 public:
  // Called concurrently for different nodes.
  virtual int64_t Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const = 0;
  // Rescales `scores` (parallel to `nodes`) into [0, 100]; default: none.
  virtual bool HasNormalize() const { return false; }
  virtual void NormalizeScore(const CycleState& state, const Pod& pod,
                              const std::vector<NodeInfo*>& nodes, std::vector<int64_t>& scores) const {
    (void)state, (void)pod, (void)nodes, (void)scores;
  }
};

class ReservePlugin : public virtual Plugin {
 public:
  virtual Status Reserve(CycleState& state, const Pod& pod, const std::string& node) = 0;
  virtual void Unreserve(CycleState& state, const Pod& pod, const std::string& node) = 0;
};

class PreBindPlugin : public virtual Plugin {
 public:
  virtual Status PreBind(CycleState& state, const Pod& pod, const std::string& node) = 0;
};

class BindPlugin : public virtual Plugin {
 public:
  // Skip passes the pod to the next bind plugin.
  virtual Status Bind(CycleState& state, const Pod& pod, const std::string& node) = 0;
};

// Sorts the active queue (PrioritySort). The queue uses upstream's order
// directly; the plugin exists so configurations naming it load.
class QueueSortPlugin : public virtual Plugin {};

}  // namespace schedule
