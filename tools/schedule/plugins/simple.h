// The small plugins: SchedulingGates (PreEnqueue), PrioritySort (QueueSort),
// NodeUnschedulable and NodeName (Filter), DefaultBinder (Bind).
#pragma once

#include "framework/framework.h"

namespace schedule {

// Keeps pods with spec.schedulingGates out of the active queue.
class SchedulingGates : public PreEnqueuePlugin {
 public:
  static constexpr char kName[] = "SchedulingGates";
  std::string_view Name() const override { return kName; }
  Status PreEnqueue(const Pod& pod) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;
};

class PrioritySort : public QueueSortPlugin {
 public:
  static constexpr char kName[] = "PrioritySort";
  std::string_view Name() const override { return kName; }
};

// Rejects nodes with spec.unschedulable unless the pod tolerates the
// node.kubernetes.io/unschedulable:NoSchedule taint.
class NodeUnschedulable : public FilterPlugin {
 public:
  static constexpr char kName[] = "NodeUnschedulable";
  static constexpr char kErrReason[] = "node(s) were unschedulable";
  std::string_view Name() const override { return kName; }
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;
};

// Rejects every node but spec.nodeName when it is set.
class NodeName : public FilterPlugin {
 public:
  static constexpr char kName[] = "NodeName";
  static constexpr char kErrReason[] = "node(s) didn't match the requested node name";
  std::string_view Name() const override { return kName; }
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;
};

// Binds through the framework's ClusterClient (POST pods/<name>/binding).
class DefaultBinder : public BindPlugin {
 public:
  static constexpr char kName[] = "DefaultBinder";
  explicit DefaultBinder(Framework* fw) : fw_(fw) {}
  std::string_view Name() const override { return kName; }
  Status Bind(CycleState& state, const Pod& pod, const std::string& node) override;

 private:
  Framework* fw_;
};

}  // namespace schedule
