#include "plugins/simple.h"

namespace schedule {

Status SchedulingGates::PreEnqueue(const Pod& pod) const {
  if (pod.scheduling_gates.empty()) return Status();
  std::string msg = "waiting for scheduling gates: [";
  for (size_t i = 0; i < pod.scheduling_gates.size(); ++i) {
    if (i) msg += " ";
    msg += pod.scheduling_gates[i];
  }
  return Status(Code::kUnschedulableAndUnresolvable, msg + "]");
}

std::vector<ClusterEvent> SchedulingGates::EventsToRegister() const {
  return {{EventResource::kUnscheduledPod, kUpdatePodSchedulingGatesEliminated}};
}

Status NodeUnschedulable::Filter(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  if (!node.node()->unschedulable) return Status();
  static const Taint kTaint{kTaintNodeUnschedulable, "", TaintEffect::kNoSchedule};
  if (TolerationsTolerateTaint(pod.tolerations, kTaint)) return Status();
  return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReason);
}

std::vector<ClusterEvent> NodeUnschedulable::EventsToRegister() const {
  return {{EventResource::kNode, kAdd | kUpdateNodeTaint},
          {EventResource::kUnscheduledPod, kUpdatePodToleration}};
}

Status NodeName::Filter(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  if (pod.node_name.empty() || pod.node_name == node.name()) return Status();
  return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReason);
}

std::vector<ClusterEvent> NodeName::EventsToRegister() const {
  return {{EventResource::kNode, kAdd}};
}

Status DefaultBinder::Bind(CycleState&, const Pod& pod, const std::string& node) {
  if (!fw_->client()) return Status(Code::kError, "no API client to bind with");
  common::Status st = fw_->client()->Bind(pod, node);
  if (!st.ok()) return Status(Code::kError, st.message());
  return Status();
}

}  // namespace schedule
